import { describe, expect, it } from 'vitest';
import { Client, decodeReply, encodeRequest, routeReply, type ClientEvent } from '../../../src/core/ft/client';
import type { Message } from '../../../src/core/ft/protocol';
import { Prng } from '../../../src/core/sim/prng';
import { NodeClock, Scheduler } from '../../../src/core/sim/virtualClock';

/** A counter reply as resources/examples/counter.s sends it: tag | counter | seq. */
const reply = (client: number, reqId: number, result: number, seq: number) => {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  b[0] = client;
  dv.setUint16(1, reqId, true);
  dv.setUint32(8, result, true);
  dv.setUint32(12, seq, true);
  return b;
};

describe('client', () => {
  it('encodes requests and decodes replies in the example servers\' wire format', () => {
    expect([...encodeRequest(3, 0x0102, { op: 'increment' })]).toEqual([3, 2, 1, 0, 0, 0, 0, 0]);
    expect([...encodeRequest(3, 0x0102, { op: 'append', key: 2, value: 'ab' })]).toEqual([3, 2, 1, 0, 0, 0, 0, 0, 0x41, 2, 2, 0, 0x61, 0x62]);
    expect(decodeReply(reply(3, 0x0102, 99, 5), 'counter')).toEqual({ client: 3, reqId: 0x0102, result: 99, seq: 5 });
    expect(decodeReply(reply(3, 1, 99, 5).subarray(0, 12), 'counter')!.seq).toBeNull();
    const kv = Uint8Array.from([1, 7, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0x61, 0x62, 0x63]);
    expect(decodeReply(kv, 'kv')).toEqual({ client: 1, reqId: 7, result: 'abc', seq: null });
    expect(decodeReply(Uint8Array.from([1, 7, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]), 'kv')!.result).toBe('!2');
    expect(routeReply(reply(4, 1, 1, 1))).toBe('client4');
  });

  it('records invocation and completion, discards a reply whose sequence number it has seen, retries as a new operation', () => {
    const sched = new Scheduler();
    const sent: Message[] = [];
    const events: ClientEvent[] = [];
    const c = new Client(0, { workload: 'counter', requests: 3, intervalMs: 1, retryMs: 10 }, new NodeClock(sched), { send: (_f, _t, m) => sent.push(m) }, new Prng(1), (() => { let n = 0; return () => n++; })(), (e) => events.push(e));
    c.start(0);
    sched.runUntil(0.5, 100);
    expect(sent).toHaveLength(1);
    c.onMessage('A', { type: 'reply', outSeq: 0, bytes: reply(0, 1, 11, 1) });
    c.onMessage('B', { type: 'reply', outSeq: 0, bytes: reply(0, 1, 11, 1) }); // re-sent after a failover
    expect(c.duplicates).toBe(1);
    expect(c.history[0]).toMatchObject({ retMs: 0.5, output: 11 });
    sched.runUntil(30, 1000); // request 2 is never answered: after 10 ms it is retried as request 3
    expect(c.history).toHaveLength(3);
    expect(c.history[1]!.retMs).toBeNull();
    expect(events.filter((e) => e.type === 'timeout')).toHaveLength(2);
    // a late answer to the timed-out request still completes it
    c.onMessage('B', { type: 'reply', outSeq: 1, bytes: reply(0, 2, 12, 2) });
    expect(c.history[1]).toMatchObject({ output: 12 });
  });
});
