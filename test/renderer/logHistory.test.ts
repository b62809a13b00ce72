/**
 * Scrolling above the log buffer: older rows fetched back with getLogWindow
 * in pages, placed by sequence number, cached within a bound.
 */
import { describe, expect, it } from 'vitest';
import { LogHistory, type FetchLogWindow } from '../../src/renderer/src/log/logHistory';
import type { LogEntryView, LogWindow } from '../../src/shared/labApi';

function entry(epoch: number, seq: number): LogEntryView {
  return { epoch, seq, icount: seq * 10, kind: 'nondet', text: `#${seq}` };
}

/** An engine holding entries firstSeq … lastSeq of one epoch, answering as LogWindowBuffer.window does. */
function fakeEngine(epoch: number, firstSeq: number, lastSeq: number) {
  const calls: { fromSeq: number; count: number }[] = [];
  const fetch: FetchLogWindow = async ({ fromSeq, count }) => {
    calls.push({ fromSeq, count });
    const start = Math.max(fromSeq, firstSeq);
    const entries: LogEntryView[] = [];
    for (let s = start; s <= lastSeq && entries.length < count; s++) entries.push(entry(epoch, s));
    return { epoch, firstSeq, lastSeq, entries } satisfies LogWindow;
  };
  return { fetch, calls };
}

describe('LogHistory', () => {
  it('offers the rows older than the oldest held one and fetches the visible page on demand', async () => {
    const engine = fakeEngine(1, 1, 20_000);
    let changes = 0;
    const h = new LogHistory(engine.fetch, { pageRows: 100, onChange: () => changes++ });
    h.setAnchor({ epoch: 1, seq: 5_001 });
    expect(h.olderCount).toBe(5_000);
    expect(h.row(4_999)).toEqual({ state: 'loading', seq: 5_000 });
    await h.ensure(4_980, 4_999);
    expect(engine.calls).toEqual([{ fromSeq: 4_901, count: 100 }]);
    expect(changes).toBe(1);
    expect(h.row(4_999)).toMatchObject({ state: 'row', entry: { seq: 5_000, text: '#5000' } });
    expect(h.row(4_900)).toMatchObject({ state: 'row', entry: { seq: 4_901 } });
    // The same rows again: served from the cache.
    await h.ensure(4_950, 4_999);
    expect(engine.calls).toHaveLength(1);
    // A range across a page boundary fetches only the missing page.
    await h.ensure(4_890, 4_910);
    expect(engine.calls.map((c) => c.fromSeq)).toEqual([4_901, 4_801]);
  });

  it('keeps rows in place when the buffer drops its oldest rows (the anchor moves down)', async () => {
    const engine = fakeEngine(1, 1, 20_000);
    const h = new LogHistory(engine.fetch, { pageRows: 100 });
    h.setAnchor({ epoch: 1, seq: 1_001 });
    await h.ensure(990, 999);
    expect(h.row(999)).toMatchObject({ state: 'row', seq: 1_000 });
    h.setAnchor({ epoch: 1, seq: 5_097 }); // 4,096 rows dropped from the front
    expect(h.olderCount).toBe(5_096);
    expect(h.row(999)).toMatchObject({ state: 'row', seq: 1_000 });
    expect(h.cachedPages).toBe(1);
  });

  it('marks rows the engine no longer holds as gone without asking again', async () => {
    const engine = fakeEngine(1, 3_001, 20_000);
    const h = new LogHistory(engine.fetch, { pageRows: 100 });
    h.setAnchor({ epoch: 1, seq: 4_001 });
    await h.ensure(2_950, 3_050); // seq 2,951 … 3,051
    expect(h.row(2_950)).toEqual({ state: 'gone', seq: 2_951 });
    expect(h.row(3_000)).toMatchObject({ state: 'row', seq: 3_001 });
    const asked = engine.calls.length;
    await h.ensure(0, 50); // far below the engine's window: known gone, not fetched
    expect(engine.calls).toHaveLength(asked);
    expect(h.row(10)).toEqual({ state: 'gone', seq: 11 });
  });

  it('treats another epoch than the held rows as gone (the engine serves only its current one)', async () => {
    const engine = fakeEngine(2, 1, 500);
    const h = new LogHistory(engine.fetch, { pageRows: 100 });
    h.setAnchor({ epoch: 1, seq: 301 });
    await h.ensure(250, 299);
    expect(h.row(299)).toEqual({ state: 'gone', seq: 300 });
  });

  it('keeps at most pagesMax pages, evicting the least recently used', async () => {
    const engine = fakeEngine(1, 1, 100_000);
    const h = new LogHistory(engine.fetch, { pageRows: 10, pagesMax: 3 });
    h.setAnchor({ epoch: 1, seq: 1_001 });
    await h.ensure(0, 9); // page 0
    await h.ensure(10, 19); // page 1
    await h.ensure(20, 29); // page 2
    h.row(0); // page 0 used again
    await h.ensure(30, 39); // page 3 evicts page 1
    expect(h.cachedPages).toBe(3);
    expect(h.row(0).state).toBe('row');
    expect(h.row(15).state).toBe('loading');
  });

  it('asks once for a page already on its way, and drops replies from before a reset', async () => {
    let release: (w: LogWindow) => void = () => undefined;
    let calls = 0;
    const h = new LogHistory(() => {
      calls++;
      return new Promise((ok) => (release = ok));
    }, { pageRows: 100 });
    h.setAnchor({ epoch: 1, seq: 201 });
    const first = h.ensure(150, 199);
    void h.ensure(160, 170);
    expect(calls).toBe(1);
    h.setAnchor({ epoch: 2, seq: 201 }); // a new run
    release({ epoch: 1, firstSeq: 1, lastSeq: 300, entries: [entry(1, 180)] });
    await first;
    expect(h.cachedPages).toBe(0);
    expect(h.row(179)).toEqual({ state: 'loading', seq: 180 });
  });

  it('offers no older rows while the buffer starts at the first entry, and at most olderRowsMax', () => {
    const h = new LogHistory(async () => ({ epoch: 1, firstSeq: 0, lastSeq: 0, entries: [] }), { olderRowsMax: 1_000 });
    h.setAnchor({ epoch: 1, seq: 1 });
    expect(h.olderCount).toBe(0);
    h.setAnchor(undefined);
    expect(h.olderCount).toBe(0);
    h.setAnchor({ epoch: 1, seq: 50_001 });
    expect(h.olderCount).toBe(1_000);
    expect(h.seqOf(0)).toBe(49_001);
    expect(h.seqOf(999)).toBe(50_000);
  });
});
