import { describe, expect, it } from 'vitest';
import type { OutputEvent } from '../../src/shared/packedOutputs';
import { packedAt, packedCount, packedSidePos, packOutputs, unpackOutput } from '../../src/shared/packedOutputs';

describe('packed output events', () => {
  it('round-trips every field (fates, devices, empty and long bytes, heldMs or none) and keeps their places', () => {
    const outs: OutputEvent[] = [
      { type: 'output', node: 'A', index: 0, icount: 12, device: 'uart', bytes: Uint8Array.of(72, 105), fate: 'held' },
      { type: 'output', node: 'B', index: 1, icount: 2 ** 40 + 3, device: 'nic', bytes: new Uint8Array(0), fate: 'released', heldMs: 0.125 },
      { type: 'output', node: 'A', index: 2, icount: 99, device: 'nic', bytes: Uint8Array.from({ length: 300 }, (_, i) => i & 255), fate: 'discarded' },
      { type: 'output', node: 'C', index: 3, icount: 100, device: 'uart', bytes: Uint8Array.of(1), fate: 'resent', heldMs: 0 },
    ];
    const nodes = ['A', 'B', 'C'];
    const p = packOutputs([0, 0, 5, 7], [0, 2, 2, 3], [0, 1, 0, 2], outs);
    expect(packedCount(p)).toBe(4);
    expect([0, 1, 2, 3].map((k) => [packedAt(p, k), packedSidePos(p, k)])).toEqual([[0, 0], [0, 2], [5, 2], [7, 3]]);
    expect([0, 1, 2, 3].map((k) => unpackOutput(p, k, nodes))).toEqual(outs);
    // The unpacked bytes are copies: they survive the packed buffer being reused.
    const first = unpackOutput(p, 0, nodes);
    p.bytes.fill(0);
    expect(Array.from(first.bytes)).toEqual([72, 105]);
    expect(packedCount(null)).toBe(0);
  });
});
