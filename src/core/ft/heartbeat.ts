/**
 * Failure detection (lecture: "heartbeats + timeout"): each side notes when it
 * last heard its partner; silence longer than the timeout means "presumed
 * dead" — which may be wrong (the network, not the machine, may have failed:
 * split brain).
 */
export class FailureDetector {
  private lastHeardMs: number;
  constructor(
    public timeoutMs: number,
    nowMs: number,
  ) {
    this.lastHeardMs = nowMs;
  }
  heard(nowMs: number): void {
    if (nowMs > this.lastHeardMs) this.lastHeardMs = nowMs;
  }
  silenceMs(nowMs: number): number {
    return nowMs - this.lastHeardMs;
  }
  suspects(nowMs: number): boolean {
    return this.silenceMs(nowMs) > this.timeoutMs;
  }
}

/** When to send a heartbeat: only when nothing else went out for `intervalMs`. */
export class HeartbeatSchedule {
  private lastSentMs = -Infinity;
  constructor(public intervalMs: number) {}
  sent(nowMs: number): void {
    this.lastSentMs = nowMs;
  }
  due(nowMs: number): boolean {
    return nowMs - this.lastSentMs >= this.intervalMs;
  }
}
