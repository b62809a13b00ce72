import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/assemble';
import { findDivergence, type Trace } from '../../../src/core/check/divergence';
import { MachineReplica } from '../../../src/core/ft/machineAdapter';
import { Machine } from '../../../src/core/machine/machine';
import type { HostPort } from '../../../src/core/machine/hostPort';

const src = readFileSync(new URL('../../../resources/scenarios/programs/seed.s', import.meta.url), 'utf8');
const image = assemble(src, { file: 'seed.s' }).image;
const make = (port: HostPort) => {
  const m = new Machine({ port, ramBytes: 64 * 1024 });
  m.load(image);
  return new MachineReplica(m, null);
};
const request = (client: number, req: number) => ({ kind: 'packet' as const, bytes: Uint8Array.of(client, req, 0, 1, 0, 0, 0, 0, 0) });

/** A trace for `n` requests, 40 instructions apart, with the seed values given. */
function trace(seeds: number[]): Trace {
  // Find where the seed reads happen by running the program once.
  const items: Trace['items'] = [];
  let reads = 0;
  const m = make({ nondetRead: (source, half, icount) => {
    const value = seeds[reads++]!;
    items.push({ kind: 'read', icount, source, half, value });
    return value;
  }, output: () => {} });
  for (let i = 0; i < seeds.length; i++) {
    m.run(m.icount + 40);
    items.push({ kind: 'inject', icount: m.icount, event: request(0, i) });
    m.deliver(request(0, i));
  }
  m.run(m.icount + 40);
  return { items, complete: true };
}

describe('divergence finder', () => {
  it('finds nothing when both replicas consumed the same inputs', () => {
    const a = trace([1, 2, 3]);
    expect(findDivergence(make as never, a, a, 300, 64)).toBeNull();
  });

  it('narrows to the instruction that read a different seed, and names it', () => {
    const a = trace([1, 2, 3, 4]);
    const b = trace([1, 2, 99, 4]);
    const third = a.items.filter((x) => x.kind === 'read')[2]!;
    const r = findDivergence(make as never, a, b, 400, 64);
    expect(r).not.toBeNull();
    expect(r!.icount).toBe(third.icount);
    expect(r!.causeKind).toBe('read');
    expect(r!.source).toBe('seed');
    expect(r!.cause).toMatch(/seed read at icount \d+: primary got 0x3, backup got 0x63/);
  });
});
