/**
 * Virtual time: a discrete-event scheduler. Events at the same instant run in
 * the order they were scheduled, so a run is a pure function of its seed.
 * Each simulated node gets its own Clock view; crashing the node kills its
 * timers (the host applies the fault, not the protocol).
 */
import type { Clock, TimerHandle } from '../ft/env';

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class Scheduler {
  private heap: Scheduled[] = [];
  private nextOrder = 0;
  private readonly byHandle = new Map<number, Scheduled>();
  nowMs = 0;
  eventsRun = 0;

  private less(x: Scheduled, y: Scheduled): boolean {
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }

  private push(s: Scheduled): void {
    const h = this.heap;
    h.push(s);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Scheduled | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    const order = this.nextOrder++;
    const s: Scheduled = { at: this.nowMs + Math.max(0, delayMs), order, fn, cancelled: false };
    this.push(s);
    this.byHandle.set(order, s);
    return order;
  }

  cancel(handle: TimerHandle): void {
    const s = this.byHandle.get(handle);
    if (s) s.cancelled = true;
    this.byHandle.delete(handle);
  }

  /** Run events up to and including time `untilMs`, at most `eventsMax`; returns false if the bound was hit. */
  runUntil(untilMs: number, eventsMax: number, stop?: () => boolean): boolean {
    let n = 0;
    while (this.heap.length > 0 && this.heap[0]!.at <= untilMs) {
      if (stop?.()) return true;
      if (n++ >= eventsMax) return false;
      const s = this.pop()!;
      if (s.cancelled) continue;
      this.byHandle.delete(s.order);
      this.nowMs = s.at;
      this.eventsRun++;
      s.fn();
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
    return true;
  }
}

/** A node's view of virtual time; `kill()` drops every timer it set (crash). */
export class NodeClock implements Clock {
  private generation = 0;
  constructor(private readonly sched: Scheduler) {}
  now(): number {
    return this.sched.nowMs;
  }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const gen = this.generation;
    return this.sched.after(delayMs, () => {
      if (gen === this.generation) fn();
    });
  }
  cancelTimer(handle: TimerHandle): void {
    this.sched.cancel(handle);
  }
  kill(): void {
    this.generation++;
  }
}
