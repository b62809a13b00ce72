/**
 * Flow control on the logging channel (VMware FT §3.2 / §3.4): the primary's
 * log buffer is bounded. When it is full (too many entries not yet
 * acknowledged) the primary stalls; when the backup lags by more than a bound
 * the primary is slowed so the backup can catch up (a long lag would make
 * failover slow).
 */
export interface FlowControlSettings {
  /** Entries sent but not acknowledged before the primary stalls. */
  readonly logBufferEntries: number;
  /** Backup lag (primary icount − backup icount) above which the primary slows down. */
  readonly lagBoundIcount: number;
  /**
   * The same bound in guest time (ms at the primary's full speed), when set: the
   * bound is the larger of the two. A fast primary (10^9 instructions/s) covers
   * millions of instructions between two log messages, so a fixed count would
   * slow it all the time; a time bound keeps what the lag means — how long the
   * backup needs to catch up at failover.
   */
  readonly lagBoundMs?: number;
  /** Speed factor applied while the backup lags (0 < f ≤ 1). */
  readonly slowFactor: number;
}

export const defaultFlowControl: FlowControlSettings = {
  logBufferEntries: 2048,
  lagBoundIcount: 200_000,
  slowFactor: 0.25,
};

export type FlowDecision =
  | { readonly kind: 'run'; readonly budget: number }
  | { readonly kind: 'stall'; readonly reason: 'log buffer full' };

/**
 * The lag bound in instructions for a primary executing `instructionsPerMs` at
 * full speed; a time bound is at least `minMs` (the backup cannot be nearer
 * than the last log message).
 */
export function lagBound(s: FlowControlSettings, instructionsPerMs: number, minMs = 0): number {
  return s.lagBoundMs === undefined ? s.lagBoundIcount : Math.max(s.lagBoundIcount, Math.floor(Math.max(s.lagBoundMs, minMs) * instructionsPerMs));
}

export function flowDecision(
  s: FlowControlSettings,
  unackedEntries: number,
  lagIcount: number,
  budget: number,
  lagBoundIcount: number = s.lagBoundIcount,
): FlowDecision {
  if (unackedEntries >= s.logBufferEntries) return { kind: 'stall', reason: 'log buffer full' };
  if (lagIcount > lagBoundIcount) return { kind: 'run', budget: Math.max(1, Math.floor(budget * s.slowFactor)) };
  return { kind: 'run', budget };
}
