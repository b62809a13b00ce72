import { describe, expect, it } from 'vitest';
import { EventBuffer, runLimit } from '../../../src/core/ft/eventBuffer';
import { flowDecision, lagBound } from '../../../src/core/ft/flowControl';
import { FailureDetector, HeartbeatSchedule } from '../../../src/core/ft/heartbeat';
import { OutputRule, type HeldOutput } from '../../../src/core/ft/outputRule';
import type { LogEntry, Message } from '../../../src/core/ft/protocol';
import { TestAndSetServer } from '../../../src/core/ft/testAndSet';

const out = (index: number, needSeq: number): HeldOutput => ({ index, icount: index * 10, bytes: Uint8Array.of(index), device: 'nic', needSeq, heldAtMs: 0 });

describe('event buffer', () => {
  const e = (seq: number, icount: number, kind: 'timer' | 'nondet' = 'timer'): LogEntry =>
    kind === 'timer' ? { kind, seq, icount } : { kind, seq, icount, source: 'seed', half: 'lo', value: 1 };

  it('accepts entries in order and says how far the backup may run', () => {
    const b = new EventBuffer(8);
    expect(b.accept([e(1, 10), e(2, 20, 'nondet')])).toBe('accepted');
    expect(b.nextStopIcount()).toBe(10); // inject the timer before instruction 10
    b.shift();
    // only a read left: the backup may execute the reading instruction itself, not beyond
    expect(b.nextStopIcount()).toBe(21);
    expect(b.limitIcount).toBe(21);
    expect(runLimit(e(3, 30))).toBe(30);
  });

  it('ignores duplicates, refuses gaps and overflow (so the primary re-sends)', () => {
    const b = new EventBuffer(3);
    expect(b.accept([e(1, 1), e(2, 2)])).toBe('accepted');
    expect(b.accept([e(1, 1), e(2, 2)])).toBe('duplicate');
    expect(b.accept([e(4, 4)])).toBe('gap');
    expect(b.accept([e(2, 2), e(3, 3)])).toBe('accepted'); // overlapping re-send: takes the new part
    expect(b.lastSeq).toBe(3);
    expect(b.accept([e(4, 4)])).toBe('full');
    expect(b.lastSeq).toBe(3);
  });
});

describe('output rule', () => {
  it('holds an output until the log entry it needs is acknowledged, releasing in order', () => {
    const r = new OutputRule(true, 4);
    expect(r.submit(out(0, 5), 4)).toBeNull();
    expect(r.submit(out(1, 6), 4)).toBeNull();
    expect(r.release(5).map((o) => o.index)).toEqual([0]);
    expect(r.release(5)).toEqual([]);
    expect(r.release(9).map((o) => o.index)).toEqual([1]);
    expect(r.submit(out(2, 7), 9)?.index).toBe(2); // already acknowledged: leaves at once
  });

  it('switched off, lets outputs leave without waiting', () => {
    const r = new OutputRule(false, 4);
    expect(r.submit(out(0, 100), 0)?.index).toBe(0);
  });

  it('is bounded: full at the soft bound (the primary stalls), an assertion at the hard bound', () => {
    const r = new OutputRule(true, 2);
    r.submit(out(0, 5), 0);
    r.submit(out(1, 5), 0);
    expect(r.full).toBe(true);
    expect(r.room).toBe(r.hardCapacity - 2);
    for (let i = 2; i < r.hardCapacity; i++) r.submit(out(i, 5), 0);
    expect(r.room).toBe(0);
    expect(() => r.submit(out(r.hardCapacity, 5), 0)).toThrow(/overflow/);
  });

  it('re-keys held outputs to a new epoch (new backup by state transfer)', () => {
    const r = new OutputRule(true, 4);
    r.submit(out(0, 50), 0);
    r.rekey(0);
    expect(r.release(-1)).toEqual([]);
    expect(r.release(0).map((o) => o.index)).toEqual([0]);
  });
});

describe('flow control', () => {
  const s = { logBufferEntries: 100, lagBoundIcount: 1000, slowFactor: 0.25 };
  it('stalls the primary when the log buffer is full', () => {
    expect(flowDecision(s, 100, 0, 400)).toEqual({ kind: 'stall', reason: 'log buffer full' });
    expect(flowDecision(s, 99, 0, 400)).toEqual({ kind: 'run', budget: 400 });
  });
  it('slows the primary while the backup lags more than the bound', () => {
    expect(flowDecision(s, 0, 1001, 400)).toEqual({ kind: 'run', budget: 100 });
  });
  it('a bound in guest time scales with the primary\'s speed, never below the instruction bound', () => {
    const timed = { ...s, lagBoundMs: 100 };
    expect(lagBound(s, 1_000_000)).toBe(1000);
    expect(lagBound(timed, 1_000_000)).toBe(100_000_000);
    expect(lagBound(timed, 5)).toBe(1000);
    // A fast primary 10^7 instructions ahead is within a 100 ms bound: not slowed.
    expect(flowDecision(timed, 0, 10_000_000, 400, lagBound(timed, 1_000_000))).toEqual({ kind: 'run', budget: 400 });
    expect(flowDecision(timed, 0, 100_000_001, 400, lagBound(timed, 1_000_000))).toEqual({ kind: 'run', budget: 100 });
  });
});

describe('failure detector and heartbeats', () => {
  it('suspects after the timeout, not before; hearing resets it', () => {
    const d = new FailureDetector(30, 0);
    expect(d.suspects(30)).toBe(false);
    expect(d.suspects(30.5)).toBe(true);
    d.heard(25);
    expect(d.suspects(50)).toBe(false);
  });
  it('sends a heartbeat only after an interval of silence', () => {
    const h = new HeartbeatSchedule(5);
    expect(h.due(0)).toBe(true);
    h.sent(0);
    expect(h.due(4.9)).toBe(false);
    expect(h.due(5)).toBe(true);
  });
});

describe('test-and-set', () => {
  it('first come wins, per epoch; the winner may ask again', () => {
    const sent: [string, Message][] = [];
    const t = new TestAndSetServer('arbiter', { send: (_f, to, m) => sent.push([to, m]) });
    t.onMessage('B', { type: 'testAndSet', epoch: 1 });
    t.onMessage('A', { type: 'testAndSet', epoch: 1 });
    t.onMessage('B', { type: 'testAndSet', epoch: 1 });
    t.onMessage('A', { type: 'testAndSet', epoch: 2 });
    expect(sent).toEqual([
      ['B', { type: 'testAndSetReply', epoch: 1, won: true }],
      ['A', { type: 'testAndSetReply', epoch: 1, won: false }],
      ['B', { type: 'testAndSetReply', epoch: 1, won: true }],
      ['A', { type: 'testAndSetReply', epoch: 2, won: true }],
    ]);
  });
});
