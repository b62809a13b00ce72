import { describe, expect, it } from 'vitest';
import { decodeBatch, describeEntry, encodeBatch, entryBytes } from '../../../src/core/ft/logEntry';
import type { LogEntry } from '../../../src/core/ft/protocol';

const sample: LogEntry[] = [
  { kind: 'packet', seq: 7, icount: 1000, bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9) },
  { kind: 'nondet', seq: 8, icount: 1003, source: 'seed', half: 'lo', value: 0x8000_beef },
  { kind: 'nondet', seq: 9, icount: 1010, source: 'mtime', half: 'hi', value: 0 },
  { kind: 'output', seq: 10, icount: 1020, index: 3 },
  { kind: 'timer', seq: 11, icount: 1021 },
  { kind: 'heartbeat', seq: 12, icount: 2 ** 40 + 5, released: 4 },
];

describe('log entry binary encoding', () => {
  it('round-trips every kind, icounts up to 2^53 exactly', () => {
    const bytes = encodeBatch(sample);
    const back = decodeBatch(bytes);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.entries).toEqual(sample);
  });

  it('is compact: a timer or heartbeat costs a few bytes, a packet its payload plus two', () => {
    expect(entryBytes({ kind: 'timer', seq: 1, icount: 0 })).toBeLessThanOrEqual(2);
    expect(entryBytes({ kind: 'heartbeat', seq: 1, icount: 0, released: 100 })).toBeLessThanOrEqual(3);
    expect(entryBytes({ kind: 'nondet', seq: 1, icount: 0, source: 'seed', half: 'lo', value: 0xffff_ffff })).toBeLessThanOrEqual(7);
    expect(entryBytes(sample[0]!)).toBe(9 + 3);
    // icounts are deltas within a batch: 200 timers 50 instructions apart fit in ~2 bytes each
    const timers: LogEntry[] = Array.from({ length: 200 }, (_, i) => ({ kind: 'timer', seq: i + 1, icount: 1_000_000 + 50 * i }));
    expect(encodeBatch(timers).length).toBeLessThan(200 * 2 + 10);
  });

  it('rejects corrupt input as a value, never by throwing', () => {
    const good = encodeBatch(sample);
    expect(decodeBatch(good.subarray(0, good.length - 3)).ok).toBe(false);
    expect(decodeBatch(Uint8Array.of(1, 0, 1, 0xee, 0)).ok).toBe(false);
    expect(decodeBatch(new Uint8Array([...good, 0])).ok).toBe(false);
    expect(decodeBatch(new Uint8Array(0)).ok).toBe(false);
  });

  it('refuses to encode non-consecutive sequence numbers (our own bug, asserted)', () => {
    expect(() => encodeBatch([sample[0]!, sample[2]!])).toThrow(/consecutive/);
  });

  it('describes entries for people', () => {
    expect(describeEntry(sample[1]!)).toBe('#8 @1003 seed.lo=0x8000beef');
    expect(describeEntry(sample[3]!)).toBe('#10 @1020 output #3');
  });
});
