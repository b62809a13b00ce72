/**
 * The session recorder: turns a run's observation stream (FtEvent), its
 * clients' operations and its machines' checkpoints into rows of the
 * workspace database — one row per log entry, per output, per event.
 *
 * Writes are queued and flushed in one transaction every `flushRows` rows or
 * `flushMs` milliseconds (whichever comes first), never row by row; the
 * machines never wait for the disk. Nothing is dropped: if the disk falls
 * behind, the backlog and its age grow and are reported in `stats`.
 * A session starts 'incomplete' and becomes 'complete' in `finish()`: a
 * process killed mid-run leaves an incomplete session holding every committed
 * batch.
 */
import type { Statement } from 'better-sqlite3';
import type { FtEvent } from '../../core/ft/events';
import type { LogEntry, NodeId } from '../../core/ft/protocol';
import type { Db } from '../db/workspaceDb';
import { KIND_NONDET, KIND_OUTPUT, KIND_PACKET, KIND_TIMER, kindCaseSql, kindCode, logValueOf } from './logRows';
import { PAGE_BYTES } from '../../core/machine/memory';
import { unpackSnapshot } from '../../core/machine/snapshot';
import { encodeSnapshot } from './snapshotCodec';
import { snapshotStateHash } from './snapshotHash';

export type SessionEngine = 'live' | 'sim' | 'skeleton';

export interface SessionMeta {
  readonly name: string;
  readonly engine: SessionEngine;
  readonly programFile?: string | null;
  readonly programSource?: string | null;
  readonly imageHash?: string | null;
  readonly settings?: unknown;
  readonly seed?: number | null;
  /** Checkpoint spacing in primary instructions (stored for the replayer's information). */
  readonly checkpointEvery?: number | null;
}

export interface RecorderOptions {
  /** Milliseconds since the start of the run (the simulator's virtual clock, or real time live). */
  readonly now: () => number;
  /** Flush when this many rows are queued (default 16384). */
  readonly flushRows?: number;
  /** Flush at least this often while rows are queued (default 100 ms; 0 = no timer). */
  readonly flushMs?: number;
  /** Turn `synchronous` off while recording (safe against a killed process, not a power loss). Default true. */
  readonly fastSync?: boolean;
  /** State hash of a snapshot, for checkpoints given without one (default: restore into a scratch Machine). */
  readonly hashSnapshot?: (snapshot: unknown) => string;
}

/** A machine checkpoint as the engine supplies it. */
export interface CheckpointInput {
  readonly icount: number;
  /** Structured-cloneable machine snapshot (ReplicaMachine.snapshot().data), or a Machine's packed one (a Uint8Array: Machine.snapshotPacked). */
  readonly snapshot: unknown;
  /** The machine's state hash; if absent the recorder computes it from the snapshot (off the machine's thread). */
  readonly stateHash?: string;
  /** Outputs the machine had produced (its output sequence number). */
  readonly outputs: number;
  /** The log (re)starts here: the machine became primary or got a new backup (default false). */
  readonly resumesLog?: boolean;
}

export interface RecorderCounts {
  logEntries: number;
  outputs: number;
  events: number;
  clientOps: number;
  checkpoints: number;
}

export interface RecorderStats {
  /** Rows committed to the database, by table. */
  readonly committed: Readonly<RecorderCounts>;
  /** Rows waiting for the next flush. */
  readonly backlogRows: number;
  readonly backlogRowsMax: number;
  /** Wall-clock age of the oldest queued row: how far the disk is behind the run. */
  readonly diskBehindMs: number;
  readonly diskBehindMsMax: number;
  readonly flushes: number;
  readonly flushMsMax: number;
  /** Log batches and bytes the primary reported sending (logSent events). */
  readonly logBatchesSent: number;
  readonly logBytesSent: number;
  /** Heartbeat entries backups reported replaying ('replayed' events). */
  readonly heartbeatsReplayed: number;
}

interface OutputRow {
  readonly node: NodeId;
  readonly index: number;
  readonly icount: number;
  readonly device: 'uart' | 'nic';
  readonly bytes: Buffer;
  readonly fate: string;
  readonly timeUs: number;
  readonly heldMs: number | null;
}
interface EventRow {
  readonly timeUs: number;
  readonly type: string;
  readonly node: NodeId | null;
  readonly icount: number | null;
  readonly detail: string;
  readonly data: string | null;
}
type ClientOpRow =
  | { readonly kind: 'invoke'; readonly id: number; readonly client: string; readonly op: string; readonly input: string | null; readonly timeUs: number }
  | { readonly kind: 'complete'; readonly id: number; readonly output: string | null; readonly timeUs: number };
interface CheckpointRow {
  readonly node: NodeId;
  readonly icount: number;
  readonly logSeq: number;
  readonly outputs: number;
  readonly timeUs: number;
  readonly hash: string;
  readonly rawBytes: number;
  readonly blob: Buffer;
  readonly kind: 'periodic' | 'resume';
}

/** Rows per multi-row INSERT of log entries (consecutive entries of one node and epoch). */
export const LOG_CHUNK_ROWS = 64;

const toUs = (ms: number): number => Math.round(ms * 1000);
/** JS numbers bind as REAL: store a numeric payload (read value, index) as an INTEGER, bytes as they are. */
const INTEGER_PAYLOAD = (x: string): string => `iif(typeof(${x}) = 'real', CAST(${x} AS INTEGER), ${x})`;

/**
 * INSERT of `rows` consecutive log entries of one node and epoch: the
 * constants (session, first ordinal, node, epoch, first protocol seq) are
 * bound once, then four values per row (icount, kind code, payload, time).
 */
function logInsertSql(rows: number): string {
  const values: string[] = [];
  for (let r = 0; r < rows; r++) values.push(`(${r},?,?,?,?)`);
  return `INSERT INTO log_entries (session_id, seq, icount, kind, payload, time_us, node, epoch, entry_seq)
    SELECT ?, ? + v.column1, v.column2, ${kindCaseSql('v.column3')}, ${INTEGER_PAYLOAD('v.column4')}, v.column5, ?, ?, ? + v.column1
    FROM (VALUES ${values.join(',')}) AS v`;
}
const wallMs = (): number => performance.now();

/** Rows of the log queue allocated at first (it doubles when full). */
const LOG_QUEUE_ROWS_INITIAL = 4096;

/**
 * Queued log entries, one row per entry in typed columns: queueing an entry
 * allocates nothing, and the flush reads numbers, not LogEntry objects.
 * Packet bytes, the only non-number, are kept aside with their row index.
 */
class LogQueue {
  length = 0;
  node = new Uint16Array(LOG_QUEUE_ROWS_INITIAL);
  epoch = new Uint32Array(LOG_QUEUE_ROWS_INITIAL);
  seq = new Float64Array(LOG_QUEUE_ROWS_INITIAL);
  icount = new Float64Array(LOG_QUEUE_ROWS_INITIAL);
  kind = new Uint8Array(LOG_QUEUE_ROWS_INITIAL);
  /** The read's value (unsigned), the output's index, the heartbeat's released count; 0 otherwise. */
  value = new Float64Array(LOG_QUEUE_ROWS_INITIAL);
  timeUs = new Float64Array(LOG_QUEUE_ROWS_INITIAL);
  packetAt: number[] = [];
  packetBytes: Buffer[] = [];

  push(node: number, epoch: number, seq: number, icount: number, kind: number, value: number, timeUs: number): void {
    const i = this.length;
    if (i === this.seq.length) this.grow();
    this.node[i] = node;
    this.epoch[i] = epoch;
    this.seq[i] = seq;
    this.icount[i] = icount;
    this.kind[i] = kind;
    this.value[i] = value;
    this.timeUs[i] = timeUs;
    this.length = i + 1;
  }

  clear(): void {
    this.length = 0;
    this.packetAt = [];
    this.packetBytes = [];
  }

  private grow(): void {
    const n = this.seq.length * 2;
    const widen = <T extends Uint16Array | Uint32Array | Float64Array | Uint8Array>(a: T, b: T): T => {
      b.set(a as never);
      return b;
    };
    this.node = widen(this.node, new Uint16Array(n));
    this.epoch = widen(this.epoch, new Uint32Array(n));
    this.seq = widen(this.seq, new Float64Array(n));
    this.icount = widen(this.icount, new Float64Array(n));
    this.kind = widen(this.kind, new Uint8Array(n));
    this.value = widen(this.value, new Float64Array(n));
    this.timeUs = widen(this.timeUs, new Float64Array(n));
  }
}

export class SessionRecorder {
  readonly sessionId: number;
  private readonly flushRows: number;
  private timer: NodeJS.Timeout | null = null;
  private finished = false;

  // Log entries, columnar (no allocation per entry on the producer's side).
  private readonly log = new LogQueue();
  private outputs: OutputRow[] = [];
  private events: EventRow[] = [];
  private clientOps: ClientOpRow[] = [];
  private checkpoints: CheckpointRow[] = [];
  private queued = 0;
  private oldestQueuedAt = 0;

  /** Recorder ordinal of the last log entry queued (`log_entries.seq`). */
  private logSeq = 0;
  private outputSeq = 0;
  private eventSeq = 0;
  private checkpointSeq = 0;
  /** Nodes by index (the log queue's node column), and the index of each. */
  private readonly nodeNames: NodeId[] = [];
  private readonly nodeIndex = new Map<NodeId, number>();
  private lastNode: NodeId | null = null;
  private lastNodeIdx = 0;
  /** By node index: its current epoch and the protocol seq of its last entry (a restart of seq starts a new epoch). */
  private readonly epochOf: number[] = [];
  private readonly lastSeqOf: number[] = [];

  private readonly committedCounts: RecorderCounts = { logEntries: 0, outputs: 0, events: 0, clientOps: 0, checkpoints: 0 };
  private backlogRowsMax = 0;
  private diskBehindMsMax = 0;
  private flushes = 0;
  private flushMsMax = 0;
  private logBatchesSent = 0;
  private logBytesSent = 0;
  private heartbeatsReplayed = 0;

  private readonly insertLogChunk: Statement;
  private readonly insertLogOne: Statement;
  private readonly insertOutput: Statement;
  private readonly insertEvent: Statement;
  private readonly insertClientOp: Statement;
  private readonly completeClientOp: Statement;
  private readonly insertCheckpoint: Statement;
  private readonly chunkArgs: unknown[] = new Array(5 + 4 * LOG_CHUNK_ROWS);

  constructor(
    private readonly db: Db,
    meta: SessionMeta,
    private readonly options: RecorderOptions,
  ) {
    this.flushRows = Math.max(1, options.flushRows ?? 16384);
    if (options.fastSync ?? true) db.pragma('synchronous = OFF');
    const created = new Date().toISOString();
    this.sessionId = Number(
      db
        .prepare(
          `INSERT INTO sessions (name, created_at, engine, program_file, program_source, image_hash, settings_json, seed, checkpoint_every, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'incomplete')`,
        )
        .run(
          meta.name,
          created,
          meta.engine,
          meta.programFile ?? null,
          meta.programSource ?? null,
          meta.imageHash ?? null,
          JSON.stringify(meta.settings ?? {}),
          meta.seed ?? null,
          meta.checkpointEvery ?? null,
        ).lastInsertRowid,
    );
    this.insertLogChunk = db.prepare(logInsertSql(LOG_CHUNK_ROWS));
    this.insertLogOne = db.prepare(logInsertSql(1));
    this.insertOutput = db.prepare(
      `INSERT INTO outputs (session_id, id, node, out_index, icount, device, bytes, fate, time_us, held_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertEvent = db.prepare(
      `INSERT INTO events (session_id, id, time_us, type, node, icount, detail, data_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertClientOp = db.prepare(
      `INSERT INTO client_ops (session_id, id, client, op, input, invoked_us) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.completeClientOp = db.prepare(
      `UPDATE client_ops SET completed_us = ?, output = ? WHERE session_id = ? AND id = ?`,
    );
    this.insertCheckpoint = db.prepare(
      `INSERT INTO checkpoints (session_id, id, node, icount, log_seq, outputs, time_us, state_hash, snapshot_bytes, snapshot, kind)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const flushMs = options.flushMs ?? 100;
    if (flushMs > 0) {
      this.timer = setInterval(() => {
        if (this.queued > 0) this.flush();
      }, flushMs);
      this.timer.unref();
    }
  }

  /** The EventSink to hand the engine or simulator (bound: pass it as is). */
  readonly sink = (ev: FtEvent): void => this.onEvent(ev);

  onEvent(ev: FtEvent): void {
    const now = this.options.now();
    switch (ev.type) {
      case 'logged':
        this.logged(ev.node, ev.entry, now);
        return;
      case 'replayed':
        // The backup reached a heartbeat: a progress marker, counted, not a row.
        this.heartbeatsReplayed++;
        return;
      case 'logSent':
        this.logBatchesSent++;
        this.logBytesSent += ev.bytes;
        return;
      case 'output':
        this.outputs.push({
          node: ev.node,
          index: ev.index,
          icount: ev.icount,
          device: ev.device,
          bytes: Buffer.from(ev.bytes.buffer, ev.bytes.byteOffset, ev.bytes.byteLength),
          fate: ev.fate,
          timeUs: toUs(now),
          heldMs: ev.heldMs ?? null,
        });
        this.queuedRow();
        return;
      case 'role':
        return this.event(now, ev.type, ev.node, null, `${ev.node} is ${ev.role}: ${ev.reason}`, { role: ev.role });
      case 'suspect':
        return this.event(now, ev.type, ev.node, null, `${ev.node} suspects ${ev.peer} (silent ${ev.silenceMs} ms)`, {
          peer: ev.peer,
          silenceMs: ev.silenceMs,
        });
      case 'arbitration':
        return this.event(now, ev.type, ev.node, null, `${ev.node} ${ev.won ? 'won' : 'lost'} arbitration (${ev.how})`, {
          won: ev.won,
          how: ev.how,
        });
      case 'stateTransfer': {
        const idx = this.nodeIdx(ev.from);
        this.epochOf[idx] = ev.epoch;
        this.lastSeqOf[idx] = 0;
        return this.event(now, ev.type, ev.from, null, `state transfer ${ev.from} → ${ev.to}: ${ev.bytes} bytes, epoch ${ev.epoch}`, {
          to: ev.to,
          bytes: ev.bytes,
          epoch: ev.epoch,
        });
      }
      case 'stateInstalled':
        return this.event(now, ev.type, ev.node, ev.icount, `${ev.node} installed the state of ${ev.from} (epoch ${ev.epoch}, icount ${ev.icount})`, {
          from: ev.from,
          epoch: ev.epoch,
          outputs: ev.outputs,
        });
      case 'checkpoint':
        return this.event(now, ev.type, ev.node, null, `${ev.node} checkpoint ${ev.id}: ${ev.bytes} bytes`, { id: ev.id, bytes: ev.bytes });
      case 'stall':
        return this.event(now, ev.type, ev.node, null, `${ev.node} stalled: ${ev.reason}`, null);
      case 'view':
        return this.event(now, ev.type, null, null, `view ${ev.view.num}: primary ${ev.view.primary ?? '-'}, backup ${ev.view.backup ?? '-'} (${ev.why})`, {
          view: ev.view,
        });
      case 'divergence':
        return this.event(now, ev.type, ev.node, ev.icount, `${ev.node} diverged at icount ${ev.icount}, pc 0x${(ev.pc >>> 0).toString(16)}: ${ev.detail}`, {
          pc: ev.pc,
        });
      case 'invariant':
        return this.event(now, ev.type, ev.node, null, `${ev.node}: invariant broken: ${ev.detail}`, null);
      case 'guestStopped':
        return this.event(now, ev.type, ev.node, null, `${ev.node}: guest stopped: ${ev.detail}`, null);
      default: {
        const never: never = ev;
        throw new Error(`unknown FtEvent ${JSON.stringify(never)}`);
      }
    }
  }

  private logged(node: NodeId, entry: LogEntry, now: number): void {
    this.loggedRaw(node, entry.seq, entry.icount, kindCode(entry), logValueOf(entry), entry.kind === 'packet' ? entry.bytes : null, now);
  }

  /**
   * A log entry given as numbers (what the off-thread recorder's wire
   * carries): `code` is its kind code, `value` the read's value, the output's
   * index or the heartbeat's released count (see logRows.ts), `bytes` a
   * packet's bytes.
   */
  loggedRaw(node: NodeId, seq: number, icount: number, code: number, value: number, bytes: Uint8Array | null, nowMs: number): void {
    const idx = node === this.lastNode ? this.lastNodeIdx : this.nodeIdx(node);
    let epoch = this.epochOf[idx]!;
    if (seq <= this.lastSeqOf[idx]!) {
      epoch++; // the protocol restarted its numbering without a state transfer we saw
      this.epochOf[idx] = epoch;
    }
    this.lastSeqOf[idx] = seq;
    const log = this.log;
    if (code === KIND_PACKET) {
      const b = bytes ?? new Uint8Array(0);
      log.packetAt.push(log.length);
      log.packetBytes.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    }
    log.push(idx, epoch, seq, icount, code, code >= KIND_NONDET ? value >>> 0 : value, toUs(nowMs));
    // An output entry is followed at once by its 'output' event: commit both in the same batch.
    this.queuedRow(code !== KIND_OUTPUT);
  }

  private nodeIdx(node: NodeId): number {
    let idx = this.nodeIndex.get(node);
    if (idx === undefined) {
      idx = this.nodeNames.length;
      if (idx > 0xffff) throw new Error('more than 65,536 nodes in one session');
      this.nodeNames.push(node);
      this.nodeIndex.set(node, idx);
      this.epochOf.push(1);
      this.lastSeqOf.push(-Infinity);
    }
    this.lastNode = node;
    this.lastNodeIdx = idx;
    return idx;
  }

  /** A fault the plan (or a user) applied, or any other observation worth a row. */
  event(nowMs: number, type: string, node: NodeId | null, icount: number | null, detail: string, data: unknown): void {
    this.events.push({ timeUs: toUs(nowMs), type, node, icount, detail, data: data === null ? null : JSON.stringify(data) });
    this.queuedRow();
  }

  fault(detail: string, data: unknown = null, node: NodeId | null = null): void {
    this.event(this.options.now(), 'fault', node, null, detail, data);
  }

  clientInvoke(id: number, client: string, op: string, input: unknown): void {
    this.clientOps.push({ kind: 'invoke', id, client, op, input: input === undefined ? null : JSON.stringify(input), timeUs: toUs(this.options.now()) });
    this.queuedRow();
  }

  clientComplete(id: number, output: unknown): void {
    this.clientOps.push({ kind: 'complete', id, output: output === undefined ? null : JSON.stringify(output), timeUs: toUs(this.options.now()) });
    this.queuedRow();
  }

  /** Record a machine checkpoint (compressed here, written with the next batch). */
  checkpoint(node: NodeId, cp: CheckpointInput): void {
    // Stored unpacked: the rows read the same whichever form the engine handed over.
    const snapshot = cp.snapshot instanceof Uint8Array ? unpackSnapshot(cp.snapshot, PAGE_BYTES) : cp.snapshot;
    const { blob, rawBytes } = encodeSnapshot(snapshot);
    this.checkpoints.push({
      node,
      icount: cp.icount,
      logSeq: this.logSeq + this.log.length,
      outputs: cp.outputs,
      timeUs: toUs(this.options.now()),
      hash: cp.stateHash ?? (this.options.hashSnapshot ?? snapshotStateHash)(snapshot),
      rawBytes,
      blob,
      kind: cp.resumesLog ? 'resume' : 'periodic',
    });
    this.queuedRow();
  }

  private queuedRow(mayFlush = true): void {
    if (this.queued === 0) this.oldestQueuedAt = wallMs();
    this.queued++;
    if (this.queued > this.backlogRowsMax) this.backlogRowsMax = this.queued;
    if (mayFlush && this.queued >= this.flushRows) this.flush();
  }

  /** Write everything queued in one transaction. */
  flush(): void {
    if (this.queued === 0) return;
    const started = wallMs();
    const behind = started - this.oldestQueuedAt;
    if (behind > this.diskBehindMsMax) this.diskBehindMsMax = behind;
    const nLog = this.log.length;
    const outputs = this.outputs;
    const events = this.events;
    const clientOps = this.clientOps;
    const checkpoints = this.checkpoints;
    this.db.exec('BEGIN');
    try {
      this.writeLog();
      const sid = this.sessionId;
      for (const o of outputs) {
        this.insertOutput.run(sid, ++this.outputSeq, o.node, o.index, o.icount, o.device, o.bytes, o.fate, o.timeUs, o.heldMs);
      }
      for (const e of events) this.insertEvent.run(sid, ++this.eventSeq, e.timeUs, e.type, e.node, e.icount, e.detail, e.data);
      let invoked = 0;
      for (const c of clientOps) {
        if (c.kind === 'invoke') {
          this.insertClientOp.run(sid, c.id, c.client, c.op, c.input, c.timeUs);
          invoked++;
        } else {
          this.completeClientOp.run(c.timeUs, c.output, sid, c.id);
        }
      }
      for (const c of checkpoints) {
        this.insertCheckpoint.run(sid, ++this.checkpointSeq, c.node, c.icount, c.logSeq, c.outputs, c.timeUs, c.hash, c.rawBytes, c.blob, c.kind);
      }
      this.db.exec('COMMIT');
      const k = this.committedCounts;
      k.logEntries += nLog;
      k.outputs += outputs.length;
      k.events += events.length;
      k.clientOps += invoked;
      k.checkpoints += checkpoints.length;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    this.logSeq += nLog;
    this.log.clear();
    this.outputs = [];
    this.events = [];
    this.clientOps = [];
    this.checkpoints = [];
    this.queued = 0;
    this.flushes++;
    const took = wallMs() - started;
    if (took > this.flushMsMax) this.flushMsMax = took;
  }

  private writeLog(): void {
    const log = this.log;
    const n = log.length;
    const { node, epoch, seq, icount, kind, value, timeUs, packetAt, packetBytes } = log;
    const names = this.nodeNames;
    const sid = this.sessionId;
    const args = this.chunkArgs;
    const R = LOG_CHUNK_ROWS;
    let p = 0; // next packet
    const payload = (j: number): number | Buffer | null => {
      const k = kind[j]!;
      if (k === KIND_PACKET) {
        if (packetAt[p] !== j) throw new Error(`log queue: packet bytes of row ${j} missing`);
        return packetBytes[p++]!;
      }
      return k === KIND_TIMER ? null : value[j]!;
    };
    let i = 0;
    while (i < n) {
      if (i + R <= n && this.chunkable(i)) {
        args[0] = sid;
        args[1] = this.logSeq + i + 1;
        args[2] = names[node[i]!];
        args[3] = epoch[i];
        args[4] = seq[i];
        let k = 5;
        for (let j = i; j < i + R; j++) {
          args[k++] = icount[j];
          args[k++] = kind[j];
          args[k++] = payload(j);
          args[k++] = timeUs[j];
        }
        this.insertLogChunk.run(args);
        i += R;
      } else {
        this.insertLogOne.run(sid, this.logSeq + i + 1, names[node[i]!], epoch[i], seq[i], icount[i], kind[i], payload(i), timeUs[i]);
        i++;
      }
    }
  }

  /** Are entries i … i+R−1 of one node and epoch, with consecutive protocol seqs? */
  private chunkable(i: number): boolean {
    const { node, epoch, seq } = this.log;
    const node0 = node[i];
    const epoch0 = epoch[i];
    const seq0 = seq[i]!;
    for (let r = 1; r < LOG_CHUNK_ROWS; r++) {
      if (node[i + r] !== node0 || epoch[i + r] !== epoch0 || seq[i + r] !== seq0 + r) return false;
    }
    return true;
  }

  get stats(): RecorderStats {
    const behind = this.queued > 0 ? wallMs() - this.oldestQueuedAt : 0;
    return {
      committed: { ...this.committedCounts },
      backlogRows: this.queued,
      backlogRowsMax: this.backlogRowsMax,
      diskBehindMs: behind,
      diskBehindMsMax: Math.max(this.diskBehindMsMax, behind),
      flushes: this.flushes,
      flushMsMax: this.flushMsMax,
      logBatchesSent: this.logBatchesSent,
      logBytesSent: this.logBytesSent,
      heartbeatsReplayed: this.heartbeatsReplayed,
    };
  }

  /** Flush, and mark the session complete with the run's verdict and counts. */
  finish(verdict: unknown = null, counts: unknown = null): RecorderStats {
    if (this.finished) return this.stats;
    this.stopTimer();
    this.flush();
    this.finished = true;
    this.db
      .prepare(`UPDATE sessions SET status = 'complete', ended_at = ?, verdict_json = ?, counts_json = ? WHERE id = ?`)
      .run(
        new Date().toISOString(),
        verdict === null ? null : JSON.stringify(verdict),
        JSON.stringify({ recorded: this.committedCounts, engine: counts, logBytesSent: this.logBytesSent, logBatchesSent: this.logBatchesSent }),
        this.sessionId,
      );
    if (this.options.fastSync ?? true) this.db.pragma('synchronous = NORMAL');
    return this.stats;
  }

  /** Stop without marking complete (what a crash leaves, minus the queued rows, which are flushed). */
  abandon(): void {
    this.stopTimer();
    this.flush();
    this.finished = true;
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
