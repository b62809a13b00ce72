/**
 * Recording off the machine's thread: `sink` only copies a log entry into a
 * column of numbers (no object to clone, no SQLite call); every
 * `batchEntries` entries (or on `flushMs`) the batch is transferred to the
 * recorder worker, which writes it with a SessionRecorder. What was handed
 * over but not yet committed is the backlog, shown in `backlog` — never
 * dropped.
 */
import { Worker } from 'node:worker_threads';
import type { FtEvent } from '../../core/ft/events';
import type { NodeId } from '../../core/ft/protocol';
import type { CheckpointInput, RecorderStats, SessionMeta } from './sessionRecorder';
import { COLS, writeEntry, type RecorderWorkerData, type SideItem, type ToRecorder } from './wire';

export interface OffThreadOptions {
  /** Milliseconds since the start of the run (virtual or real). */
  readonly now: () => number;
  /** Entries per batch handed to the worker (default 4096). */
  readonly batchEntries?: number;
  /** Rows per transaction in the worker (default 16384). */
  readonly flushRows?: number;
  /** Hand over a partial batch at least this often (default 50 ms; 0 = only when full). */
  readonly flushMs?: number;
}

export interface Backlog {
  /** Log entries handed to the recorder but not yet committed. */
  readonly entries: number;
  readonly entriesMax: number;
  /** Committed so far (as last reported by the worker). */
  readonly committed: number;
}

export class OffThreadRecorder {
  private readonly batchEntries: number;
  private cols: Float64Array<ArrayBuffer>;
  private n = 0;
  private packets: [number, Uint8Array][] = [];
  private side: SideItem[] = [];
  private readonly nodeIndex = new Map<NodeId, number>();
  private readonly nodes: NodeId[] = [];
  private lastNode: NodeId | null = null;
  private lastNodeIdx = 0;
  private sent = 0;
  private committed = 0;
  private backlogMax = 0;
  private timer: NodeJS.Timeout | null = null;
  private finished: Promise<RecorderStats> | null = null;
  private resolveFinished: ((s: RecorderStats) => void) | null = null;
  lastStats: RecorderStats | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly sessionId: number,
    private readonly options: OffThreadOptions,
  ) {
    this.batchEntries = options.batchEntries ?? 4096;
    this.cols = new Float64Array(this.batchEntries * COLS);
    worker.on('message', (m: { type: string; stats?: RecorderStats }) => {
      if (m.stats) {
        this.lastStats = m.stats;
        this.committed = m.stats.committed.logEntries;
      }
      if (m.type === 'finished') this.resolveFinished?.(m.stats!);
    });
    const flushMs = options.flushMs ?? 50;
    if (flushMs > 0) {
      this.timer = setInterval(() => this.handOver(), flushMs);
      this.timer.unref();
    }
  }

  /** Start the recorder thread on `file` and create the session. */
  static open(file: string, meta: SessionMeta, options: OffThreadOptions): Promise<OffThreadRecorder> {
    const data: RecorderWorkerData = { file, meta, flushRows: options.flushRows };
    const worker = new Worker(new URL('./recorderBoot.mjs', import.meta.url), { workerData: data });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { type: string; sessionId: number }) => {
        worker.off('error', reject);
        resolve(new OffThreadRecorder(worker, m.sessionId, options));
      });
    });
  }

  /** The EventSink for the engine: cheap on the machine's thread. */
  readonly sink = (ev: FtEvent): void => {
    if (ev.type !== 'logged') {
      if (ev.type === 'replayed') return;
      this.side.push({ at: this.n, kind: 'event', ev });
      return;
    }
    let idx = ev.node === this.lastNode ? this.lastNodeIdx : this.nodeIndex.get(ev.node);
    if (idx === undefined) {
      idx = this.nodes.length;
      this.nodes.push(ev.node);
      this.nodeIndex.set(ev.node, idx);
    }
    this.lastNode = ev.node;
    this.lastNodeIdx = idx;
    const e = ev.entry;
    if (e.kind === 'packet') this.packets.push([this.n, e.bytes]);
    writeEntry(this.cols, this.n, idx, e, this.options.now());
    // An output entry is followed at once by its output event: keep them in one batch.
    if (++this.n >= this.batchEntries && e.kind !== 'output') this.handOver();
    else if (this.n >= this.cols.length / COLS) this.grow();
  };

  private grow(): void {
    const next = new Float64Array(this.cols.length * 2);
    next.set(this.cols);
    this.cols = next;
  }

  checkpoint(node: NodeId, cp: CheckpointInput): void {
    this.side.push({ at: this.n, kind: 'checkpoint', node, cp, timeMs: this.options.now() });
  }
  clientInvoke(id: number, client: string, op: string, input: unknown): void {
    this.side.push({ at: this.n, kind: 'invoke', id, client, op, input, timeMs: this.options.now() });
  }
  clientComplete(id: number, output: unknown): void {
    this.side.push({ at: this.n, kind: 'complete', id, output, timeMs: this.options.now() });
  }
  fault(detail: string, data: unknown = null): void {
    this.side.push({ at: this.n, kind: 'fault', detail, data, timeMs: this.options.now() });
  }

  get backlog(): Backlog {
    return { entries: this.sent + this.n - this.committed, entriesMax: this.backlogMax, committed: this.committed };
  }

  /** Hand the current batch to the recorder thread. */
  handOver(): void {
    if (this.n === 0 && this.side.length === 0) return;
    // Hand the buffer itself over (transferred, not copied) and start a fresh one.
    const cols = this.cols;
    this.cols = new Float64Array(this.batchEntries * COLS);
    const msg: ToRecorder = { type: 'batch', cols, entries: this.n, nodes: [...this.nodes], packets: this.packets, side: this.side };
    this.worker.postMessage(msg, [cols.buffer as ArrayBuffer]);
    this.sent += this.n;
    this.n = 0;
    this.packets = [];
    this.side = [];
    const behind = this.sent - this.committed;
    if (behind > this.backlogMax) this.backlogMax = behind;
  }

  /** Hand over the rest, wait until it is committed, mark the session complete. */
  finish(verdict: unknown = null, counts: unknown = null): Promise<RecorderStats> {
    if (this.finished) return this.finished;
    if (this.timer) clearInterval(this.timer);
    this.handOver();
    this.finished = new Promise<RecorderStats>((resolve) => (this.resolveFinished = resolve)).then(async (s) => {
      await this.worker.terminate();
      return s;
    });
    const msg: ToRecorder = { type: 'finish', verdict, counts };
    this.worker.postMessage(msg);
    return this.finished;
  }
}
