/**
 * The event buffer's next stop (the first entry that is not a read or an
 * output) against a brute-force scan, over long runs of reads with stops in
 * between, shifts and compaction — and its cost stays amortised O(1).
 */
import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../../src/core/ft/eventBuffer';
import type { LogEntry } from '../../../src/core/ft/protocol';

function reference(held: readonly LogEntry[], limit: number): number {
  const e = held.find((x) => x.kind !== 'nondet' && x.kind !== 'output');
  return e ? e.icount : limit;
}

describe('event buffer: next stop', () => {
  it('agrees with a full scan through appends, shifts and compaction', () => {
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const b = new EventBuffer(100_000);
    const held: LogEntry[] = [];
    let seq = 0;
    let icount = 0;
    for (let round = 0; round < 3000; round++) {
      const batch: LogEntry[] = [];
      for (let k = rnd(8); k > 0; k--) {
        icount += rnd(3);
        const r = rnd(10);
        batch.push(
          r === 0
            ? { seq: ++seq, icount, kind: 'timer' }
            : r === 1
              ? { seq: ++seq, icount, kind: 'heartbeat', released: 0 }
              : { seq: ++seq, icount, kind: 'nondet', source: 'cycle', half: 'lo', value: r },
        );
      }
      if (batch.length) expect(b.accept(batch)).toBe('accepted');
      held.push(...batch);
      expect(b.nextStopIcount()).toBe(reference(held, b.limitIcount));
      for (let k = rnd(9); k > 0 && held.length; k--) {
        expect(b.shift()).toBe(held.shift());
        if (rnd(2)) expect(b.nextStopIcount()).toBe(reference(held, b.limitIcount));
      }
    }
    expect(b.size).toBe(held.length);
  });

  it('a long run of reads is scanned once, not at every call', () => {
    const n = 20_000;
    const b = new EventBuffer(n + 1);
    const entries: LogEntry[] = Array.from({ length: n }, (_, i) => ({ seq: i + 1, icount: i, kind: 'nondet', source: 'cycle', half: 'lo', value: i }));
    b.accept(entries);
    let reads = 0;
    const counting = new Proxy(entries, { get: (t, k) => (typeof k === 'string' && /^\d+$/.test(k) && reads++, Reflect.get(t, k)) });
    // Every call after the first resumes where the last one stopped: total work ~ n, not n²/2.
    (b as unknown as { entries: LogEntry[] }).entries = counting;
    for (let i = 0; i < n; i++) {
      expect(b.nextStopIcount()).toBe(n - 1 + 1);
      b.shift();
    }
    expect(reads).toBeLessThan(4 * n);
  });
});
