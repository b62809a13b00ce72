import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/core/ft/protocol';
import { SimNetwork } from '../../../src/core/sim/network';
import { Prng } from '../../../src/core/sim/prng';
import { NodeClock, Scheduler } from '../../../src/core/sim/virtualClock';

describe('seeded PRNG', () => {
  it('is reproducible from its seed, and forks are independent streams', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(new Prng(2).u32()).not.toBe(xs[0]);
    expect(new Prng(1).fork('x').u32()).not.toBe(new Prng(1).fork('y').u32());
    const r = new Prng(3);
    for (let i = 0; i < 1000; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});

describe('virtual clock', () => {
  it('runs events in time order, ties in scheduling order; a killed node clock fires nothing', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    const c = new NodeClock(s);
    const dead = new NodeClock(s);
    c.setTimer(2, () => seen.push('b'));
    c.setTimer(1, () => seen.push('a'));
    c.setTimer(2, () => seen.push('c'));
    dead.setTimer(1.5, () => seen.push('x'));
    const h = c.setTimer(1.7, () => seen.push('cancelled'));
    c.cancelTimer(h);
    dead.kill();
    s.runUntil(10, 100);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(s.nowMs).toBe(10);
  });

  it('is bounded: runUntil stops after eventsMax', () => {
    const s = new Scheduler();
    const c = new NodeClock(s);
    const loop = () => c.setTimer(0, loop);
    c.setTimer(0, loop);
    expect(s.runUntil(1, 50)).toBe(false);
  });
});

describe('simulated network', () => {
  const setup = () => {
    const s = new Scheduler();
    const net = new SimNetwork(s, new Prng(5), new Set(['A', 'B']), () => 1);
    const got: [string, string, Message][] = [];
    for (const n of ['A', 'B', 'client0']) net.register(n, (from, m) => got.push([from, n, m]));
    return { s, net, got };
  };

  it('delivers after the latency; cut links and dead nodes drop', () => {
    const { s, net, got } = setup();
    net.send('A', 'B', { type: 'join' });
    net.link('B', 'A').cut = true;
    net.send('B', 'A', { type: 'join' });
    net.setAlive('B', false);
    net.send('B', 'A', { type: 'join' });
    s.runUntil(0.5, 100);
    expect(got).toEqual([]);
    s.runUntil(2, 100);
    expect(got).toEqual([]); // B died before the message arrived
  });

  it('routes the service address to whoever announced last (clients cut over)', () => {
    const { s, net, got } = setup();
    net.send('A', 'svc', { type: 'announce' });
    net.send('client0', 'svc', { type: 'request', bytes: Uint8Array.of(1) });
    s.runUntil(2, 100);
    net.send('B', 'svc', { type: 'announce' });
    net.send('client0', 'svc', { type: 'request', bytes: Uint8Array.of(2) });
    s.runUntil(4, 100);
    expect(got.map(([, to]) => to)).toEqual(['A', 'B']);
  });

  it('applies drop, duplicate and reorder as data on the link', () => {
    const { s, net, got } = setup();
    Object.assign(net.link('A', 'B'), { duplicateRate: 1 });
    net.send('A', 'B', { type: 'join' });
    s.runUntil(5, 100);
    expect(got.length).toBe(2);
    Object.assign(net.link('A', 'B'), { duplicateRate: 0, dropRate: 1 });
    net.send('A', 'B', { type: 'join' });
    s.runUntil(10, 100);
    expect(got.length).toBe(2);
    Object.assign(net.link('A', 'B'), { dropRate: 0, reorderMs: 5 });
    for (let i = 0; i < 20; i++) net.send('A', 'B', { type: 'request', bytes: Uint8Array.of(i) });
    s.runUntil(20, 1000);
    const order = got.slice(2).map(([, , m]) => (m.type === 'request' ? m.bytes[0] : -1));
    expect(order.length).toBe(20);
    expect(order).not.toEqual([...order].sort((x, y) => x! - y!));
  });
});
