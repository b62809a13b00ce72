import { describe, expect, it } from 'vitest';
import { absoluteNowMs, LiveClock } from '../../../../src/main/engine/live/liveClock';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LiveClock', () => {
  it('fires timers in order of their delays, and not a cancelled one', async () => {
    const clock = new LiveClock(absoluteNowMs(), 0, false);
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('late'));
    const gone = clock.setTimer(10, () => fired.push('cancelled'));
    clock.setTimer(5, () => fired.push('early'));
    clock.cancelTimer(gone);
    await sleep(80);
    expect(fired).toEqual(['early', 'late']);
  });

  it('holds due timers while paused and fires them on resume; its time stands still meanwhile', async () => {
    const clock = new LiveClock(absoluteNowMs(), 0, false);
    let fired = 0;
    clock.setTimer(5, () => fired++);
    clock.pause();
    const frozen = clock.now();
    await sleep(40);
    expect(fired).toBe(0);
    expect(clock.now()).toBe(frozen);
    clock.resume(40);
    expect(fired).toBe(1);
    expect(clock.now()).toBeGreaterThanOrEqual(frozen);
    expect(clock.now()).toBeLessThan(frozen + 20);
  });

  it('runs a short timer at the next turn of the loop when its owner hurries, and `kick` fires a waiting one early', async () => {
    const clock = new LiveClock(absoluteNowMs(), 0, false);
    let hurry = true;
    clock.hurry = () => hurry;
    const order: string[] = [];
    clock.setTimer(1, () => order.push('hurried'));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['hurried']);
    hurry = false;
    // Not hurried: a 1 ms timer sits in the timer wheel until kicked (or ~1 ms passes).
    clock.setTimer(1, () => order.push('kicked'));
    clock.setTimer(50, () => order.push('long'));
    clock.kick();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['hurried', 'kicked']);
    clock.cancelAll();
    await sleep(70);
    expect(order).toEqual(['hurried', 'kicked']);
  });
});
