/**
 * The recent log, decoded from the batches the primary shipped: a bounded
 * ring of entries for the log panel (getLogWindow) and the pending tail pushed
 * to the renderer (onLogEntries). Re-sent batches are recognised by sequence
 * number and counted once.
 */
import { hex } from '../../../core/check/invariants';
import { decodeBatch, describeEntry } from '../../../core/ft/logEntry';
import type { LogEntry } from '../../../core/ft/protocol';
import type { LogEntryKindName, LogEntryView, LogWindow } from '../../../shared/labApi';

const WINDOW_ENTRIES_MAX = 20_000;
const TAIL_PUSHED_MAX = 200;

export function entryView(epoch: number, e: LogEntry): LogEntryView {
  const base = { epoch, seq: e.seq, icount: e.icount, kind: e.kind as LogEntryKindName, text: describeEntry(e) };
  return e.kind === 'packet' ? { ...base, payloadHex: hex(e.bytes) } : base;
}

/** An entry as kept: decoded, its view (text, hex) made only when someone looks at it. */
interface Kept {
  readonly epoch: number;
  readonly entry: LogEntry;
}

const view = (k: Kept): LogEntryView => entryView(k.epoch, k.entry);

export class LogWindowBuffer {
  private ring: Kept[] = [];
  private tail: Kept[] = [];
  private epoch = 0;
  private lastSeq = 0;
  /** Distinct entries logged (re-sends not counted). */
  total = 0;
  resent = 0;
  undecodable = 0;

  /** Decode a shipped batch; returns the entries not seen before (for the recorder). */
  add(epoch: number, bytes: Uint8Array): LogEntry[] {
    const decoded = decodeBatch(bytes);
    if (!decoded.ok) {
      this.undecodable++;
      return [];
    }
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      this.lastSeq = 0;
    }
    const fresh: LogEntry[] = [];
    for (const e of decoded.entries) {
      if (e.seq <= this.lastSeq) {
        this.resent++;
        continue;
      }
      this.lastSeq = e.seq;
      fresh.push(e);
      const kept: Kept = { epoch, entry: e };
      this.ring.push(kept);
      this.tail.push(kept);
    }
    this.total += fresh.length;
    if (this.ring.length > WINDOW_ENTRIES_MAX * 1.5) this.ring = this.ring.slice(-WINDOW_ENTRIES_MAX);
    if (this.tail.length > TAIL_PUSHED_MAX * 4) this.tail = this.tail.slice(-TAIL_PUSHED_MAX);
    return fresh;
  }

  /** Entries since the last call (at most the newest TAIL_PUSHED_MAX). */
  takeTail(): { epoch: number; entries: LogEntryView[]; total: number } | null {
    if (this.tail.length === 0) return null;
    const entries = this.tail.slice(-TAIL_PUSHED_MAX).map(view);
    this.tail = [];
    return { epoch: this.epoch, entries, total: this.total };
  }

  window(fromSeq: number | undefined, count: number, kinds: readonly LogEntryKindName[] | undefined): LogWindow {
    const current = this.ring.filter((k) => k.epoch === this.epoch);
    const wanted = kinds ? new Set<string>(kinds) : null;
    const matching = wanted ? current.filter((k) => wanted.has(k.entry.kind)) : current;
    const start = fromSeq === undefined ? Math.max(0, matching.length - count) : matching.findIndex((k) => k.entry.seq >= fromSeq);
    const entries = start < 0 ? [] : matching.slice(start, start + count).map(view);
    return {
      epoch: this.epoch,
      firstSeq: current[0]?.entry.seq ?? 0,
      lastSeq: current[current.length - 1]?.entry.seq ?? 0,
      entries,
    };
  }

  clear(): void {
    this.ring = [];
    this.tail = [];
    this.epoch = 0;
    this.lastSeq = 0;
    this.total = 0;
    this.resent = 0;
  }
}
