/**
 * Recording off the machine's thread: `sink` only copies a log entry into a
 * column of numbers (no object to clone, no SQLite call), in a slot of a ring
 * shared with the recorder worker; every `batchEntries` entries (or on
 * `flushMs`) the slot is handed over — a message of a few numbers — and the
 * worker writes it with a SessionRecorder. What was handed over but not yet
 * committed is the backlog, shown in `backlog` — never dropped: when the
 * worker is so far behind that every slot is busy, batches go in private
 * arrays (transferred) until a slot is free again.
 */
import { Worker } from 'node:worker_threads';
import type { FtEvent } from '../../core/ft/events';
import type { NodeId } from '../../core/ft/protocol';
import type { CheckpointInput, RecorderStats, SessionMeta } from './sessionRecorder';
import { packOutputs, type OutputEvent } from '../../shared/packedOutputs';
import {
  COLS,
  newRecorderRing,
  packPackets,
  ringSlot,
  writeEntry,
  type RecorderRing,
  type RecorderWorkerData,
  type SideItem,
  type ToRecorder,
} from './wire';

export interface OffThreadOptions {
  /** Milliseconds since the start of the run (virtual or real). */
  readonly now: () => number;
  /** Entries per batch handed to the worker (default 4096). */
  readonly batchEntries?: number;
  /** Rows per transaction in the worker (default 16384). */
  readonly flushRows?: number;
  /** Hand over a partial batch at least this often (default 50 ms; 0 = only when full). */
  readonly flushMs?: number;
  /** Slots of the ring shared with the worker (default 64, each of `batchEntries` + 64 entries: 12.8 MB at the default 4,096). */
  readonly ringSlots?: number;
}

/** Entries a slot holds beyond `batchEntries` (a batch ending in an output entry waits for the next entry). */
const SLOT_SLACK_ENTRIES = 64;

export interface Backlog {
  /** Log entries handed to the recorder but not yet committed. */
  readonly entries: number;
  readonly entriesMax: number;
  /** Committed so far (as last reported by the worker). */
  readonly committed: number;
  /** Batches that found every ring slot busy and were copied to the worker instead. */
  readonly overflowBatches: number;
}

const batchEntriesOf = (o: OffThreadOptions): number => Math.max(1, o.batchEntries ?? 4096);

export class OffThreadRecorder {
  private readonly batchEntries: number;
  private readonly ringCols: Float64Array;
  private readonly ringBusy: Int32Array;
  /** Where the current batch goes: a ring slot's columns, or a private array (`slot` −1). */
  private cols: Float64Array;
  private slot = -1;
  private nextSlot = 0;
  /** Entries `cols` holds. */
  private cap = 0;
  private overflowBatches = 0;
  private n = 0;
  private packetAt: number[] = [];
  private packets: Uint8Array[] = [];
  private side: SideItem[] = [];
  /** Output events of the batch (packed at hand-over): where each goes among the entries and the side items. */
  private outs: OutputEvent[] = [];
  private outAt: number[] = [];
  private outSidePos: number[] = [];
  private outNode: number[] = [];
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
    private readonly ring: RecorderRing,
    private readonly options: OffThreadOptions,
  ) {
    this.batchEntries = batchEntriesOf(options);
    this.ringCols = new Float64Array(ring.cols);
    this.ringBusy = new Int32Array(ring.busy);
    this.cols = this.ringCols;
    this.startBatch();
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
    const ring = newRecorderRing(Math.max(1, options.ringSlots ?? 64), batchEntriesOf(options) + SLOT_SLACK_ENTRIES);
    const data: RecorderWorkerData = { file, ring, meta, flushRows: options.flushRows };
    const worker = new Worker(new URL('./recorderBoot.mjs', import.meta.url), { workerData: data });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { type: string; sessionId: number }) => {
        worker.off('error', reject);
        resolve(new OffThreadRecorder(worker, m.sessionId, ring, options));
      });
    });
  }

  /** The EventSink for the engine: cheap on the machine's thread. */
  readonly sink = (ev: FtEvent): void => {
    if (ev.type !== 'logged') {
      if (ev.type === 'replayed') return;
      if (ev.type === 'output') {
        this.outs.push(ev);
        this.outAt.push(this.n);
        this.outSidePos.push(this.side.length);
        this.outNode.push(ev.node === this.lastNode ? this.lastNodeIdx : this.nodeIdx(ev.node));
        return;
      }
      this.side.push({ at: this.n, kind: 'event', ev });
      return;
    }
    const idx = ev.node === this.lastNode ? this.lastNodeIdx : this.nodeIdx(ev.node);
    const e = ev.entry;
    const n = this.n;
    if (n === this.cap) this.grow();
    if (e.kind === 'packet') {
      this.packetAt.push(n);
      this.packets.push(e.bytes);
    }
    writeEntry(this.cols, n, idx, e, this.options.now());
    this.n = n + 1;
    // An output entry is followed at once by its output event: keep them in one batch.
    if (n + 1 >= this.batchEntries && e.kind !== 'output') this.handOver();
  };

  private nodeIdx(node: NodeId): number {
    let idx = this.nodeIndex.get(node);
    if (idx === undefined) {
      idx = this.nodes.length;
      this.nodes.push(node);
      this.nodeIndex.set(node, idx);
    }
    this.lastNode = node;
    this.lastNodeIdx = idx;
    return idx;
  }

  /** Start a batch in the next ring slot if the worker is done with it, else in a private array. */
  private startBatch(): void {
    const s = this.nextSlot;
    if (Atomics.load(this.ringBusy, s) === 0) {
      this.slot = s;
      this.nextSlot = (s + 1) % this.ring.slots;
      this.cols = ringSlot(this.ring, this.ringCols, s);
      this.cap = this.ring.slotEntries;
    } else {
      this.slot = -1;
      this.cols = new Float64Array(this.batchEntries * COLS);
      this.cap = this.batchEntries;
      this.overflowBatches++;
    }
  }

  /** The batch outgrew its slot or array: move it to a private array twice the size (the slot stays free). */
  private grow(): void {
    const next = new Float64Array(this.cap * 2 * COLS);
    next.set(this.cols.subarray(0, this.n * COLS));
    this.cols = next;
    this.cap *= 2;
    this.slot = -1;
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
    return { entries: this.sent + this.n - this.committed, entriesMax: this.backlogMax, committed: this.committed, overflowBatches: this.overflowBatches };
  }

  /** Hand the current batch to the recorder thread. */
  handOver(): void {
    if (this.n === 0 && this.side.length === 0 && this.outs.length === 0) return;
    const n = this.n;
    const packets = this.packets.length > 0 ? packPackets(this.packetAt, this.packets) : null;
    const transfer: ArrayBuffer[] = packets ? [packets.bytes.buffer as ArrayBuffer] : [];
    const outputs = this.outs.length > 0 ? packOutputs(this.outAt, this.outSidePos, this.outNode, this.outs) : null;
    if (outputs) transfer.push(outputs.cols.buffer as ArrayBuffer, outputs.bytes.buffer as ArrayBuffer);
    // Packed snapshots (one private buffer each) move to the recorder's thread instead of being cloned.
    for (const s of this.side) {
      if (s.kind === 'checkpoint' && s.cp.snapshot instanceof Uint8Array && s.cp.snapshot.byteLength === s.cp.snapshot.buffer.byteLength) {
        transfer.push(s.cp.snapshot.buffer as ArrayBuffer);
      }
    }
    let slot = -1;
    let cols: Float64Array | null = null;
    if (n > 0 && this.slot >= 0) {
      slot = this.slot;
      Atomics.store(this.ringBusy, slot, 1); // the worker's until it frees it
    } else if (n > 0) {
      cols = this.cols.subarray(0, n * COLS); // a private array: transferred, not copied
      transfer.push(cols.buffer as ArrayBuffer);
    } // else side items only: the batch keeps its slot
    const msg: ToRecorder = { type: 'batch', slot, cols, entries: n, nodes: [...this.nodes], packets, outputs, side: this.side };
    this.worker.postMessage(msg, transfer);
    if (n > 0) this.startBatch();
    this.sent += this.n;
    this.n = 0;
    this.packetAt = [];
    this.packets = [];
    this.side = [];
    this.outs = [];
    this.outAt = [];
    this.outSidePos = [];
    this.outNode = [];
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
