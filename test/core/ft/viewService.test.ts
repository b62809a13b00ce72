import { describe, expect, it } from 'vitest';
import type { FtEvent } from '../../../src/core/ft/events';
import type { Message, View } from '../../../src/core/ft/protocol';
import { ViewServer } from '../../../src/core/ft/viewService';
import { NodeClock, Scheduler } from '../../../src/core/sim/virtualClock';

function world() {
  const sched = new Scheduler();
  const clock = new NodeClock(sched);
  const views: View[] = [];
  const emit = (e: FtEvent) => {
    if (e.type === 'view') views.push(e.view);
  };
  const vs = new ViewServer('vs', clock, { send: (_f: string, _t: string, _m: Message) => {} }, { pingMs: 5, deadPings: 3 }, emit);
  vs.bootstrap({ num: 1, primary: 'A', backup: 'B' });
  vs.start();
  /** Servers in `alive` ping every 5 ms with the view number given by `viewNum`. */
  const pinging = (alive: () => string[], viewNum: (n: string) => number) => {
    const loop = () => {
      for (const n of alive()) vs.ping(n, viewNum(n));
      clock.setTimer(5, loop);
    };
    clock.setTimer(0, loop);
  };
  return { sched, vs, views, pinging };
}

describe('view service', () => {
  it('promotes the backup and recruits an idle server when the primary stops pinging', () => {
    const { sched, vs, views, pinging } = world();
    let alive = ['A', 'B', 'C'];
    pinging(() => alive, (n) => (vs.view.primary === n || n === 'C' ? vs.view.num : 1));
    sched.runUntil(20, 10_000);
    alive = ['B', 'C'];
    sched.runUntil(100, 10_000);
    expect(views.map((v) => [v.num, v.primary, v.backup])).toEqual([
      [1, 'A', 'B'],
      [2, 'B', 'C'],
    ]);
  });

  it('does not move past a view its primary has not acknowledged, even if that primary dies', () => {
    const { sched, vs, views, pinging } = world();
    let alive = ['A', 'B', 'C'];
    // A never acknowledges anything after view 1 (it has not finished giving the new backup its state).
    pinging(() => alive, (n) => (n === 'A' ? 1 : n === 'C' ? 0 : 1));
    sched.runUntil(10, 10_000);
    alive = ['A', 'C']; // the backup dies
    sched.runUntil(60, 10_000);
    expect(vs.view).toMatchObject({ num: 2, primary: 'A', backup: 'C' });
    alive = ['C']; // now the primary dies before acknowledging view 2
    sched.runUntil(300, 100_000);
    expect(vs.view.num).toBe(2);
    expect(vs.acked).toBe(false);
    expect(views.length).toBe(2);
  });

  it('treats a server that pings 0 (it restarted) as dead', () => {
    const { sched, vs, pinging } = world();
    let restarted = false;
    pinging(() => ['A', 'B'], (n) => (n === 'B' && restarted ? 0 : 1));
    sched.runUntil(10, 10_000);
    restarted = true;
    sched.runUntil(20, 10_000);
    expect(vs.view.backup).not.toBe('B');
    expect(vs.view.num).toBeGreaterThan(1);
  });

  it('is a single point of failure: stopped, it makes no new view however long the primary is dead', () => {
    const { sched, vs, pinging } = world();
    pinging(() => ['B'], () => 1);
    vs.stop();
    sched.runUntil(500, 100_000);
    // pings still arrive (a dead server would not even hear them), but nothing decides
    expect(vs.view.num).toBe(1);
  });
});
