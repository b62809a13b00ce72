/**
 * The log rows older than the LogBuffer holds, read back from the engine with
 * getLogWindow while the student scrolls above the buffer: fixed pages of
 * sequence numbers, fetched on demand (one request per page at a time) into a
 * bounded cache that evicts the least recently used page.
 *
 * Older rows are those of the oldest held row's epoch with a smaller sequence
 * number (the primary numbers its entries 1, 2, 3, … per epoch). The engine
 * keeps only its newest entries of the current epoch, so a row it no longer
 * holds comes back as `gone`, never as a wrong row.
 */
import type { LogEntryView, LogWindow } from '../../../shared/labApi';

export type FetchLogWindow = (params: { fromSeq: number; count: number }) => Promise<LogWindow>;

export type OlderRow =
  | { readonly state: 'row'; readonly seq: number; readonly entry: LogEntryView }
  | { readonly state: 'loading'; readonly seq: number }
  | { readonly state: 'gone'; readonly seq: number };

/** A fetched page: the entries by sequence number (absent = the engine no longer holds it). */
type Page = ReadonlyMap<number, LogEntryView>;

export interface LogHistoryOptions {
  /** Rows per getLogWindow request (the API allows up to 10,000). */
  readonly pageRows?: number;
  /** Pages kept in the cache. */
  readonly pagesMax?: number;
  /** At most this many older rows are offered above the buffer (keeps the table's height finite). */
  readonly olderRowsMax?: number;
  /** Called when fetched rows arrive (to redraw). */
  readonly onChange?: () => void;
}

export class LogHistory {
  readonly pageRows: number;
  readonly pagesMax: number;
  readonly olderRowsMax: number;
  private readonly onChange: () => void;
  /** The oldest row the buffer holds; older rows are seq 1 … anchorSeq − 1 of anchorEpoch. */
  private anchorEpoch = 0;
  private anchorSeq = 1;
  /** Rows below this sequence number are known to be gone from the engine (learnt from a reply). */
  private goneBelowSeq = 0;
  private pages = new Map<number, Page>();
  private inFlight = new Set<number>();
  /** Bumped on reset: replies to older requests are ignored. */
  private generation = 0;
  /** Requests made, for tests and diagnostics. */
  fetches = 0;

  constructor(
    private readonly fetchWindow: FetchLogWindow,
    options: LogHistoryOptions = {},
  ) {
    this.pageRows = options.pageRows ?? 500;
    this.pagesMax = options.pagesMax ?? 40;
    this.olderRowsMax = options.olderRowsMax ?? 200_000;
    this.onChange = options.onChange ?? (() => undefined);
  }

  /** Follows the buffer's oldest held row (call on every change; a new epoch empties the cache). */
  setAnchor(oldest: { readonly epoch: number; readonly seq: number } | undefined): void {
    const epoch = oldest?.epoch ?? 0;
    const seq = oldest?.seq ?? 1;
    if (epoch !== this.anchorEpoch || seq < this.anchorSeq) this.reset();
    this.anchorEpoch = epoch;
    this.anchorSeq = seq;
  }

  /** Forgets everything fetched (a new run). */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.inFlight.clear();
    this.goneBelowSeq = 0;
    this.anchorEpoch = 0;
    this.anchorSeq = 1;
  }

  /** How many older rows are offered above the buffer. */
  get olderCount(): number {
    return Math.min(this.anchorSeq - 1, this.olderRowsMax);
  }

  /** Pages cached (bounded by pagesMax). */
  get cachedPages(): number {
    return this.pages.size;
  }

  /** The sequence number of older row `index` (0 = the oldest offered). */
  seqOf(index: number): number {
    return this.anchorSeq - this.olderCount + index;
  }

  /** Older row `index`, as far as it is known; does not fetch (see ensure). */
  row(index: number): OlderRow {
    const seq = this.seqOf(index);
    const key = this.pageOf(seq);
    const page = this.pages.get(key);
    if (!page) return seq < this.goneBelowSeq ? { state: 'gone', seq } : { state: 'loading', seq };
    // Recently used: move to the back of the eviction order.
    this.pages.delete(key);
    this.pages.set(key, page);
    const entry = page.get(seq);
    return entry ? { state: 'row', seq, entry } : { state: 'gone', seq };
  }

  /** Fetches the pages holding older rows first … last (inclusive) that are neither cached nor on their way. */
  ensure(first: number, last: number): Promise<void> {
    const count = this.olderCount;
    if (count === 0 || last < 0 || first >= count) return Promise.resolve();
    const fromSeq = Math.max(this.seqOf(Math.max(0, first)), this.goneBelowSeq);
    const toSeq = this.seqOf(Math.min(count - 1, last));
    const waits: Promise<void>[] = [];
    for (let key = this.pageOf(fromSeq); key <= this.pageOf(toSeq); key++) {
      if (this.pages.has(key) || this.inFlight.has(key)) continue;
      waits.push(this.fetchPage(key));
    }
    return Promise.all(waits).then(() => undefined);
  }

  private pageOf(seq: number): number {
    return Math.floor((seq - 1) / this.pageRows);
  }

  private async fetchPage(key: number): Promise<void> {
    const generation = this.generation;
    const epoch = this.anchorEpoch;
    const fromSeq = key * this.pageRows + 1;
    const toSeq = fromSeq + this.pageRows - 1;
    this.inFlight.add(key);
    this.fetches++;
    let page = new Map<number, LogEntryView>();
    try {
      const win = await this.fetchWindow({ fromSeq, count: this.pageRows });
      if (generation !== this.generation) return;
      if (win.epoch === epoch) {
        for (const e of win.entries) if (e.seq >= fromSeq && e.seq <= toSeq && e.epoch === epoch) page.set(e.seq, e);
        if (win.firstSeq > this.goneBelowSeq) this.goneBelowSeq = win.firstSeq;
      } else {
        // The engine serves only its current epoch: every older row of this one is gone.
        this.goneBelowSeq = Number.MAX_SAFE_INTEGER;
      }
    } catch {
      // The engine could not answer (stopped, disconnected): the page shows as gone.
      if (generation !== this.generation) return;
      page = new Map();
    } finally {
      if (generation === this.generation) this.inFlight.delete(key);
    }
    this.pages.set(key, page);
    while (this.pages.size > this.pagesMax) this.pages.delete(this.pages.keys().next().value!);
    this.onChange();
  }
}
