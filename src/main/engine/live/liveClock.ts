/**
 * The live engine's Clock (src/core/ft/env.ts) for one thread: run time in
 * milliseconds since the run started, shared by every thread (absolute
 * performance time minus the run's start and the time spent paused). While
 * paused the clock stands still and due timers wait, so pausing never looks
 * like a dead partner. Short timers of a busy machine run as soon as the event
 * loop is free (setImmediate): a machine at full speed executes slice after
 * slice, handling messages in between.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../../../core/ft/env';

interface PendingTimer {
  readonly fn: () => void;
  node: NodeJS.Timeout | NodeJS.Immediate | null;
  /** A short timer (≤ 1 ms) left to the timer wheel, which `kick` may fire early. */
  kickable: boolean;
}

export function absoluteNowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class LiveClock implements Clock {
  private readonly timers = new Map<TimerHandle, PendingTimer>();
  private readonly deferred: TimerHandle[] = [];
  private nextHandle = 1;
  private pausedAtAbs: number | null;
  /** True when the owner wants its short timers to fire without a timer-wheel delay. */
  hurry: () => boolean = () => false;

  constructor(
    private readonly runStartAbsMs: number,
    private pausedMs: number,
    paused: boolean,
  ) {
    this.pausedAtAbs = paused ? absoluteNowMs() : null;
  }

  get paused(): boolean {
    return this.pausedAtAbs !== null;
  }

  now(): number {
    return (this.pausedAtAbs ?? absoluteNowMs()) - this.runStartAbsMs - this.pausedMs;
  }

  /**
   * Fires timer `handle` (one function for every timer: a machine sets one per slice, ~10⁴ a second,
   * and a closure each cost a defineProperty under tsx's keepNames).
   */
  private readonly fire = (handle: TimerHandle): void => {
    const timer = this.timers.get(handle);
    if (timer === undefined) return;
    timer.node = null;
    if (this.pausedAtAbs !== null) {
      this.deferred.push(handle);
      return;
    }
    this.timers.delete(handle);
    timer.fn();
  };

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle = this.nextHandle++;
    const timer: PendingTimer = { fn, node: null, kickable: false };
    this.timers.set(handle, timer);
    if (delayMs <= 1 && this.hurry()) {
      timer.node = setImmediate(this.fire, handle);
    } else {
      timer.node = setTimeout(this.fire, Math.max(0, delayMs), handle);
      timer.kickable = delayMs <= 1;
    }
    return handle;
  }

  /** Something arrived that a short timer waits for: fire the short timers now (next turn of the loop). */
  kick(): void {
    for (const [handle, timer] of this.timers) {
      if (!timer.kickable || timer.node === null) continue;
      clearTimeout(timer.node as NodeJS.Timeout);
      timer.kickable = false;
      timer.node = setImmediate(this.fire, handle);
    }
  }

  cancelTimer(handle: TimerHandle): void {
    const timer = this.timers.get(handle);
    if (!timer) return;
    this.timers.delete(handle);
    if (timer.node) {
      clearTimeout(timer.node as NodeJS.Timeout);
      clearImmediate(timer.node as NodeJS.Immediate);
    }
  }

  /** `pausedMs`: the engine host's count of paused time so far (the frozen clock reads what it reads there). */
  pause(pausedMs = this.pausedMs, atAbsMs = absoluteNowMs()): void {
    this.pausedMs = pausedMs;
    this.pausedAtAbs = atAbsMs;
  }

  /** `pausedMs`: the total paused time as the engine host counts it (keeps all threads in step). */
  resume(pausedMs: number): void {
    this.pausedMs = pausedMs;
    this.pausedAtAbs = null;
    const due = this.deferred.splice(0, this.deferred.length);
    for (const handle of due) {
      const timer = this.timers.get(handle);
      if (!timer) continue;
      this.timers.delete(handle);
      timer.fn();
    }
  }

  cancelAll(): void {
    for (const handle of [...this.timers.keys()]) this.cancelTimer(handle);
    this.deferred.length = 0;
  }
}
