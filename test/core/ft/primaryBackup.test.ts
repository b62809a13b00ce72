/**
 * The protocol pieces working together on a fake two-machine world over the
 * simulated network (no guest emulator): replay at exact icounts, the event
 * buffer bound, the output rule, flow control, go-live and duplicate re-sends.
 */
import { describe, expect, it } from 'vitest';
import { Client, routeReply } from '../../../src/core/ft/client';
import type { FtEvent } from '../../../src/core/ft/events';
import { Replica } from '../../../src/core/ft/replica';
import { defaultSettings, type FtSettings } from '../../../src/core/ft/settings';
import { TestAndSetServer } from '../../../src/core/ft/testAndSet';
import { SimHost } from '../../../src/core/sim/host';
import { SimNetwork } from '../../../src/core/sim/network';
import { Prng } from '../../../src/core/sim/prng';
import { NodeClock, Scheduler } from '../../../src/core/sim/virtualClock';
import { FakeMachine } from './fakeMachine';

function world(opts: { settings?: Partial<FtSettings>; readsSeed?: boolean; work?: number; logDelayMs?: number; backupSpeed?: number; onComplete?: (n: number) => void } = {}) {
  const sched = new Scheduler();
  const rng = new Prng(42);
  const net = new SimNetwork(sched, rng.fork('net'), new Set(['A', 'B']), (f, t) => ((f === 'A' && t === 'B') || (f === 'B' && t === 'A') ? 0.1 + (opts.logDelayMs ?? 0) : 0.2));
  const settings: FtSettings = { ...defaultSettings(), ...opts.settings };
  const events: { t: number; ev: FtEvent }[] = [];
  const machines: Record<string, FakeMachine> = {};
  const clocks: Record<string, NodeClock> = {};
  const hosts: Record<string, SimHost> = {};
  const replicas: Record<string, Replica> = {};
  for (const [k, id] of ['A', 'B'].entries()) {
    clocks[id] = new NodeClock(sched);
    hosts[id] = new SimHost(() => sched.nowMs, rng.fork(id), k + 1, 100, 0);
    const r = new Replica({
      id, hostId: k + 1, clock: clocks[id], transport: net, env: hosts[id], settings,
      emit: (ev) => events.push({ t: sched.nowMs, ev }),
      makeMachine: (port) => (machines[id] = new FakeMachine(port, opts.readsSeed, opts.work)),
      machines: ['A', 'B'], arbiterNode: 'arbiter', viewServiceNode: 'vs', route: routeReply,
    });
    replicas[id] = r;
    net.register(id, (from, msg) => r.onMessage(from, msg));
  }
  if (opts.backupSpeed !== undefined) hosts.B!.speed = opts.backupSpeed;
  const tas = new TestAndSetServer('arbiter', net);
  net.register('arbiter', (from, msg) => tas.onMessage(from, msg));
  replicas.A!.start({ role: 'primary', backup: 'B', epoch: 1 });
  replicas.B!.start({ role: 'backup', primary: 'A', epoch: 1 });
  const client = new Client(0, { workload: 'counter', requests: 30, intervalMs: 1, retryMs: 200 }, new NodeClock(sched), net, rng.fork('c'), (() => { let n = 0; return () => n++; })(), (e) => {
    if (e.type === 'complete') opts.onComplete?.(++completions);
  });
  let completions = 0;
  net.register('client0', (f, m) => client.onMessage(f, m));
  client.start(1);
  const crash = (id: string) => {
    clocks[id]!.kill();
    replicas[id]!.stop();
    net.setAlive(id, false);
  };
  return { sched, net, settings, events, machines, replicas, client, crash };
}

describe('primary and backup', () => {
  it('the backup re-executes exactly: same state, same outputs (discarded), never ahead of the log', () => {
    const w = world({ readsSeed: true });
    let maxAhead = -Infinity;
    const probe = new NodeClock(w.sched);
    const loop = () => {
      maxAhead = Math.max(maxAhead, w.machines.B!.icount - w.machines.A!.icount);
      probe.setTimer(0.05, loop);
    };
    probe.setTimer(0, loop);
    w.sched.runUntil(100, 1_000_000);
    expect(w.client.history.filter((o) => o.retMs !== null).length).toBe(30);
    expect(w.machines.B!.stateHash()).toBe(w.machines.A!.stateHash());
    expect(w.machines.B!.s.seeds.length).toBe(30); // the backup used the logged seeds, not its own
    expect(maxAhead).toBeLessThanOrEqual(0);
    const discarded = w.events.filter((e) => e.ev.type === 'output' && e.ev.fate === 'discarded').length;
    expect(discarded).toBe(30);
    expect(w.events.filter((e) => e.ev.type === 'divergence' || e.ev.type === 'invariant')).toEqual([]);
  });

  it('output rule: each output waits for the acknowledgement of the log up to it', () => {
    const w = world({ logDelayMs: 4 });
    w.sched.runUntil(100, 1_000_000);
    const rel = w.events.flatMap((e) => (e.ev.type === 'output' && e.ev.fate === 'released' ? [e.ev.heldMs!] : []));
    expect(rel.length).toBeGreaterThan(5);
    for (const h of rel) expect(h).toBeGreaterThanOrEqual(8.19); // round trip on the logging channel
  });

  it('with the output rule off, outputs leave at once', () => {
    const w = world({ logDelayMs: 4, settings: { outputRule: false } });
    w.sched.runUntil(100, 1_000_000);
    const rel = w.events.flatMap((e) => (e.ev.type === 'output' && e.ev.fate === 'released' ? [e.ev.heldMs!] : []));
    expect(rel.length).toBeGreaterThan(5);
    expect(Math.max(...rel)).toBe(0);
  });

  it('flow control: a slow backup stalls the primary instead of letting the log buffer grow', () => {
    // The backup acknowledges on receipt; when its event buffer is full it refuses, and the primary's buffer fills.
    const w = world({ backupSpeed: 0.001, work: 40, settings: { eventBufferEntries: 8, flow: { logBufferEntries: 16, lagBoundIcount: 1_000_000, slowFactor: 1 }, failureTimeoutMs: 1000 } });
    let unackedMax = 0;
    const probe = new NodeClock(w.sched);
    const loop = () => {
      const p = w.replicas.A!.logic as unknown as { unackedEntries: number };
      unackedMax = Math.max(unackedMax, p.unackedEntries);
      probe.setTimer(0.5, loop);
    };
    probe.setTimer(0, loop);
    w.sched.runUntil(100, 1_000_000);
    expect(w.events.some((e) => e.ev.type === 'stall')).toBe(true);
    expect(unackedMax).toBeLessThanOrEqual(16 + 3);
  });

  it('held outputs are bounded: an output-heavy guest stalls at the bound instead of overflowing', () => {
    const w = world({ settings: { heldOutputsMax: 4, failureTimeoutMs: 10_000 } });
    w.machines.A!.chatty = true;
    w.machines.B!.chatty = true;
    w.net.link('B', 'A').cut = true; // no acknowledgements ever arrive
    w.sched.runUntil(50, 1_000_000);
    const p = w.replicas.A!.logic as unknown as { rule: { heldCount: number } };
    // at most one slice (100 instructions, one output each) beyond the soft bound
    expect(p.rule.heldCount).toBeGreaterThanOrEqual(4);
    expect(p.rule.heldCount).toBeLessThanOrEqual(4 + 100);
    expect(w.events.some((e) => e.ev.type === 'stall')).toBe(true);
  });

  it('go-live: the backup finishes replaying, wins test-and-set, re-sends uncertain outputs; the client discards duplicates', () => {
    // Crash the primary the moment the client has its 10th reply: the backup cannot know it was sent.
    const w: ReturnType<typeof world> = world({ onComplete: (n) => n === 10 && w.crash('A') });
    w.sched.runUntil(300, 1_000_000);
    const kinds = w.events.filter((e) => e.ev.type === 'arbitration' || e.ev.type === 'role').map((e) => JSON.stringify(e.ev));
    expect(kinds.join('\n')).toMatch(/"node":"B","won":true,"how":"won test-and-set"/);
    expect(w.replicas.B!.role).toBe('primary');
    expect(w.events.filter((e) => e.ev.type === 'output' && e.ev.fate === 'resent').length).toBeGreaterThanOrEqual(1);
    expect(w.client.duplicates).toBeGreaterThanOrEqual(1);
    // the counter continues where the old primary left it: replies strictly increase
    const outs = w.client.history.filter((o) => o.output !== null).map((o) => o.output as number);
    expect(outs).toEqual([...outs].sort((a, b) => a - b));
    expect(new Set(outs).size).toBe(outs.length);
  });

  it('a cut logging channel with test-and-set: exactly one machine stays live', () => {
    const w = world();
    w.sched.runUntil(10, 1_000_000);
    w.net.link('A', 'B').cut = true;
    w.net.link('B', 'A').cut = true;
    w.sched.runUntil(200, 1_000_000);
    const roles = [w.replicas.A!.role, w.replicas.B!.role].sort();
    expect(roles).toEqual(['halted', 'primary']);
  });
});
