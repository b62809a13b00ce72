/**
 * The log entries the renderer holds for the log table: column arrays in
 * fixed-size chunks (no object per row), bounded so a run of millions of
 * entries keeps the newest `maxRows`; older ones are read back from the engine
 * with getLogWindow. Filtering by kind keeps an index array up to date
 * incrementally, so the table stays smooth at any size.
 */
import type { LogEntryKindName, LogEntryView } from '../../../shared/labApi';

export const logKinds: readonly LogEntryKindName[] = ['packet', 'timer', 'nondet', 'output', 'heartbeat'];
const kindCode = new Map(logKinds.map((k, i) => [k, i]));

const chunkRows = 4096;

interface Chunk {
  readonly epoch: Uint32Array;
  readonly seq: Float64Array;
  readonly icount: Float64Array;
  readonly kind: Uint8Array;
  readonly text: string[];
  readonly payload: (string | undefined)[];
  length: number;
}

function newChunk(): Chunk {
  return {
    epoch: new Uint32Array(chunkRows),
    seq: new Float64Array(chunkRows),
    icount: new Float64Array(chunkRows),
    kind: new Uint8Array(chunkRows),
    text: [],
    payload: [],
    length: 0,
  };
}

export interface LogRow extends LogEntryView {
  /** Position in the buffer (0 = oldest held). */
  readonly index: number;
}

export class LogBuffer {
  private chunks: Chunk[] = [];
  /** Rows dropped from the front (to stay under maxRows). */
  private dropped = 0;
  private filterKinds: ReadonlySet<LogEntryKindName> | null = null;
  /** Absolute row numbers (dropped + index) matching the filter. */
  private filtered: number[] = [];
  /** How many entries the engine has shipped in all (may exceed what is held). */
  engineTotal = 0;

  constructor(readonly maxRows = 500_000) {}

  /** Rows held. */
  get length(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  /** Rows shipped but no longer held here (older than the window). */
  get droppedRows(): number {
    return this.dropped;
  }

  clear(): void {
    this.chunks = [];
    this.dropped = 0;
    this.filtered = [];
    this.engineTotal = 0;
  }

  append(epoch: number, entries: readonly LogEntryView[], total?: number): void {
    for (const e of entries) {
      let last = this.chunks[this.chunks.length - 1];
      if (!last || last.length === chunkRows) {
        last = newChunk();
        this.chunks.push(last);
      }
      const i = last.length++;
      last.epoch[i] = e.epoch ?? epoch;
      last.seq[i] = e.seq;
      last.icount[i] = e.icount;
      last.kind[i] = kindCode.get(e.kind) ?? 0;
      last.text[i] = e.text;
      last.payload[i] = e.payloadHex;
      if (this.filterKinds?.has(e.kind)) this.filtered.push(this.dropped + this.length - 1);
    }
    this.engineTotal = Math.max(this.engineTotal, total ?? 0, this.dropped + this.length);
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.maxRows) {
      const first = this.chunks.shift()!;
      this.dropped += first.length;
    }
    if (this.filterKinds) {
      let cut = 0;
      while (cut < this.filtered.length && this.filtered[cut]! < this.dropped) cut++;
      if (cut) this.filtered.splice(0, cut);
    }
  }

  /** Row `index` of the held rows (0 = oldest held). */
  get(index: number): LogRow | undefined {
    if (index < 0) return undefined;
    let i = index;
    for (const c of this.chunks) {
      if (i < c.length) {
        const kind = logKinds[c.kind[i]!]!;
        const payloadHex = c.payload[i];
        return {
          index,
          epoch: c.epoch[i]!,
          seq: c.seq[i]!,
          icount: c.icount[i]!,
          kind,
          text: c.text[i]!,
          ...(payloadHex !== undefined ? { payloadHex } : {}),
        };
      }
      i -= c.length;
    }
    return undefined;
  }

  /** Show only these kinds (null: all). */
  setFilter(kinds: readonly LogEntryKindName[] | null): void {
    if (!kinds || kinds.length === logKinds.length) {
      this.filterKinds = null;
      this.filtered = [];
      return;
    }
    this.filterKinds = new Set(kinds);
    this.filtered = [];
    let abs = this.dropped;
    for (const c of this.chunks) {
      for (let i = 0; i < c.length; i++, abs++) if (this.filterKinds.has(logKinds[c.kind[i]!]!)) this.filtered.push(abs);
    }
  }

  /** Rows visible under the filter. */
  get visibleLength(): number {
    return this.filterKinds ? this.filtered.length : this.length;
  }

  /** The n-th visible row under the filter. */
  visible(n: number): LogRow | undefined {
    if (!this.filterKinds) return this.get(n);
    const abs = this.filtered[n];
    return abs === undefined ? undefined : this.get(abs - this.dropped);
  }

  /** The visible position of the last row at or before `icount` (for "move the log to this moment"). */
  visibleIndexAtIcount(icount: number): number {
    let lo = 0;
    let hi = this.visibleLength - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const row = this.visible(mid)!;
      if (row.icount <= icount) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }
}
