/**
 * The backup's event buffer (VMware FT §2.1 / 6.824 lec 4): log entries
 * received but not yet consumed. The backup executes only up to the icount of
 * the last entry it holds, so it can never get ahead of the primary.
 * Bounded: flow control on the primary keeps it from overflowing; a batch that
 * does not fit is refused (not acknowledged) and will be re-sent.
 */
import { assert } from './env';
import type { LogEntry } from './protocol';

/**
 * The icount the backup may run up to because of this entry. Reads and outputs
 * happen *during* instruction `icount`, so the backup may execute it; packets,
 * timers and heartbeats are injected *before* it.
 */
export function runLimit(e: LogEntry): number {
  return e.kind === 'nondet' || e.kind === 'output' ? e.icount + 1 : e.icount;
}

export type AcceptResult = 'accepted' | 'duplicate' | 'gap' | 'full';

export class EventBuffer {
  private readonly entries: LogEntry[] = [];
  private head = 0;
  /**
   * Index of the first entry at or after `head` that stops the backup (not a
   * read or an output), or `entries.length` if none: it only moves forward, so
   * `nextStopIcount` is O(1) amortised.
   */
  private stopAt = 0;
  /** Highest sequence number received (every entry ≤ it was received, in order). */
  lastSeq: number;
  /** Icount of the last entry received: the backup may execute up to here, never past. */
  limitIcount: number;

  constructor(
    readonly capacity: number,
    startSeq = 0,
    startIcount = 0,
  ) {
    assert(capacity > 0, 'event buffer capacity');
    this.lastSeq = startSeq;
    this.limitIcount = startIcount;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** Take a batch of consecutive entries; accepts the part that extends what we hold. */
  accept(batch: readonly LogEntry[]): AcceptResult {
    if (batch.length === 0) return 'duplicate';
    const first = batch[0]!.seq;
    const last = batch[batch.length - 1]!.seq;
    if (last <= this.lastSeq) return 'duplicate';
    if (first > this.lastSeq + 1) return 'gap';
    const fresh = batch.slice(this.lastSeq + 1 - first);
    if (this.size + fresh.length > this.capacity) return 'full';
    for (const e of fresh) {
      this.entries.push(e);
      this.lastSeq = e.seq;
      this.limitIcount = Math.max(this.limitIcount, runLimit(e));
    }
    return 'accepted';
  }

  peek(): LogEntry | undefined {
    return this.entries[this.head];
  }

  shift(): LogEntry | undefined {
    const e = this.entries[this.head];
    if (e === undefined) return undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.stopAt = Math.max(0, this.stopAt - this.head);
      this.head = 0;
    }
    return e;
  }

  /**
   * How far the backup may run before it must look at the buffer again: the
   * icount of the first entry that is not a non-deterministic read (reads are
   * consumed during execution), or the icount of the last entry received.
   */
  nextStopIcount(): number {
    let i = Math.max(this.stopAt, this.head);
    const n = this.entries.length;
    while (i < n) {
      const e = this.entries[i]!;
      if (e.kind !== 'nondet' && e.kind !== 'output') break;
      i++;
    }
    this.stopAt = i;
    return i < n ? this.entries[i]!.icount : this.limitIcount;
  }
}
