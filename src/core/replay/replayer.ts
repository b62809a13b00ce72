/**
 * Deterministic replay of a recorded session (VMware FT §2.1, done after the
 * fact): restore the nearest checkpoint at or before the moment wanted, then
 * re-execute, supplying the recorded log's non-deterministic values,
 * interrupts and packets at their exact icounts — exactly what a backup does.
 * While it runs, the replay checks itself against the recording: every read
 * must be in the log, every output must equal the recorded one, and the state
 * hash at every checkpoint passed must equal the recorded hash. The first
 * difference is a `Mismatch` with its icount.
 */
import { unreachable } from '../ft/protocol';
import type { ReplicaMachine, ReplicaStop } from '../ft/replicaMachine';
import type { HostPort, MachineOutput, NondetSource } from '../machine/hostPort';
import type { CheckpointInfo, RecordedOutput, SessionTrack, TrackEntry } from './track';

export type MismatchKind =
  /** The guest read a non-deterministic source the log has no value for (an unlogged event). */
  | 'unlogged-read'
  /** A logged event the replay never reached at its icount. */
  | 'missed-entry'
  /** An output that differs from the recorded one (bytes or icount), or that was never recorded. */
  | 'output'
  /** The state hash at a checkpoint differs from the recorded one. */
  | 'state-hash'
  /** The guest stopped (halt or trap) where the recording went on, or waited where it did not. */
  | 'guest-stopped';

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly icount: number;
  readonly pc: number;
  readonly detail: string;
  readonly expected?: string;
  readonly actual?: string;
}

/** Builds the replay machine from a checkpoint's snapshot, bound to the replayer's port. */
export type ReplayMachineFactory = (port: HostPort, snapshot: unknown) => ReplicaMachine;

export interface SeekResult {
  /** Where the replay is now (may be short of the target if the recording ends or the guest stopped). */
  readonly icount: number;
  readonly pc: number;
  /** The checkpoint restored, or null if the replay went on from where it was. */
  readonly fromCheckpoint: number | null;
  readonly executed: number;
}

export interface VerifyResult {
  readonly verified: boolean;
  readonly firstMismatch: Mismatch | null;
  readonly icount: number;
  readonly endIcount: number;
  readonly entriesReplayed: number;
  readonly outputsChecked: number;
  readonly checkpointsVerified: number;
  /** Stretches the log does not cover (the machine ran without a backup), skipped from checkpoint to checkpoint. */
  readonly gaps: readonly LogGap[];
}

export interface LogGap {
  readonly fromIcount: number;
  readonly toIcount: number;
  readonly checkpoint: number;
}

const MISMATCHES_MAX = 100;
/** Bound on loop turns in one seek (each turn consumes an entry or executes instructions). */
const TURNS_MAX = 1e9;
/** Entries read ahead at a time while looking for the next injection point. */
const LOOKAHEAD = 256;

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Replayer implements HostPort {
  private machine: ReplicaMachine | null = null;
  // Log window: buf[head…] are the entries not yet consumed.
  private buf: TrackEntry[] = [];
  private head = 0;
  private it: Iterator<TrackEntry> | null = null;
  private exhausted = true;
  private outIt: Iterator<RecordedOutput> | null = null;
  private outNext: RecordedOutput | null = null;
  private outputCount = 0;
  /** Index into track.checkpoints of the next checkpoint to pass. */
  private cpNext = 0;
  private verifying = false;
  private guestStopped = false;
  readonly mismatches: Mismatch[] = [];
  readonly gaps: LogGap[] = [];
  entriesReplayed = 0;
  outputsChecked = 0;
  checkpointsVerified = 0;

  constructor(
    readonly track: SessionTrack,
    private readonly makeMachine: ReplayMachineFactory,
  ) {}

  get icount(): number {
    return this.machine?.icount ?? 0;
  }
  get pc(): number {
    return this.machine?.pc ?? 0;
  }
  get firstMismatch(): Mismatch | null {
    return this.mismatches[0] ?? null;
  }
  /** The earliest moment the replay can reach (the first checkpoint). */
  get startIcount(): number {
    return this.track.checkpoints[0]?.icount ?? 0;
  }
  get endIcount(): number {
    return this.track.endIcount;
  }
  /** The replay machine (read its registers and memory for the UI), or null before the first seek. */
  get replica(): ReplicaMachine | null {
    return this.machine;
  }

  /** Move to instruction count `target` (clamped to the recording). */
  seek(target: number): SeekResult {
    const cps = this.track.checkpoints;
    if (cps.length === 0) throw new Error(`node ${this.track.node} has no checkpoint: nothing to replay from`);
    const goal = Math.max(this.startIcount, Math.min(target, this.endIcount));
    let best: CheckpointInfo = cps[0]!;
    for (const c of cps) if (c.icount <= goal) best = c;
    const here = this.machine?.icount ?? -1;
    let from: number | null = null;
    const canContinue = this.machine !== null && !this.guestStopped && here <= goal;
    if (!canContinue || (!this.verifying && best.icount > here)) {
      this.restore(best);
      from = best.id;
    }
    const before = this.icount;
    this.runTo(goal);
    return { icount: this.icount, pc: this.pc, fromCheckpoint: from, executed: this.icount - before };
  }

  seekTime(timeUs: number): SeekResult {
    return this.seek(this.track.icountAtTime(timeUs));
  }

  step(n = 1): SeekResult {
    return this.seek(this.icount + n);
  }

  stepBack(n = 1): SeekResult {
    return this.seek(Math.max(0, this.icount - n));
  }

  /**
   * Replay the whole track from its first checkpoint, checking every read,
   * output and checkpoint hash; stops at the first mismatch.
   */
  verify(): VerifyResult {
    this.mismatches.length = 0;
    this.gaps.length = 0;
    this.entriesReplayed = 0;
    this.outputsChecked = 0;
    this.checkpointsVerified = 0;
    this.verifying = true;
    try {
      const first = this.track.checkpoints[0];
      if (first === undefined) throw new Error(`node ${this.track.node} has no checkpoint: nothing to replay from`);
      this.restore(first);
      this.checkHash(first);
      for (let segment = 0; segment <= this.track.checkpoints.length; segment++) {
        this.runTo(this.endIcount);
        const stuck = this.mismatches.length > 0 || this.icount < this.endIcount;
        const resume = stuck ? this.gapResume() : null;
        if (resume === null) break;
        // The replay consumed every entry logged before `resume` and cannot go on: the
        // machine ran without a backup (nothing logged) until there. Skip the stretch.
        this.gaps.push({ fromIcount: this.icount, toIcount: resume.icount, checkpoint: resume.id });
        this.mismatches.length = 0;
        this.restore(resume);
        this.checkHash(resume);
      }
      if (this.mismatches.length === 0 && this.icount < this.endIcount) {
        this.mismatch('guest-stopped', `the replay stopped at icount ${this.icount}; the recording reaches ${this.endIcount}`);
      }
    } finally {
      this.verifying = false;
    }
    return {
      verified: this.mismatches.length === 0,
      firstMismatch: this.firstMismatch,
      icount: this.icount,
      endIcount: this.endIcount,
      entriesReplayed: this.entriesReplayed,
      outputsChecked: this.outputsChecked,
      checkpointsVerified: this.checkpointsVerified,
      gaps: [...this.gaps],
    };
  }

  /** The next checkpoint where the log resumes, if every entry logged before it has been replayed. */
  private gapResume(): CheckpointInfo | null {
    const cps = this.track.checkpoints;
    for (let i = this.cpNext; i < cps.length; i++) {
      const cp = cps[i]!;
      if (!cp.resumesLog || cp.icount < this.icount) continue;
      const head = this.peek();
      return head === undefined || head.ord > cp.logSeq ? cp : null;
    }
    return null;
  }

  // ── the host port: what the replayed guest sees ───────────────────────

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    const t = this.peek();
    const e = t?.entry;
    if (e?.kind === 'nondet' && e.icount === icount && e.source === source && e.half === half) {
      this.consume();
      return e.value;
    }
    const logged = e === undefined ? 'the log has nothing more' : `the log has ${e.kind}${e.kind === 'nondet' ? ` ${e.source}.${e.half}` : ''} at icount ${e.icount}`;
    this.mismatch('unlogged-read', `${source}.${half} read at icount ${icount} is not in the log (${logged}): an unlogged non-deterministic event`, icount);
    return 0;
  }

  output(out: MachineOutput): void {
    const index = this.outputCount++;
    const t = this.peek();
    if (t?.entry.kind === 'output' && t.entry.index === index && t.entry.icount === out.icount) this.consume();
    const rec = this.recordedOutput(index);
    this.outputsChecked++;
    if (rec === null) {
      this.mismatch('output', `output #${index} (${out.device}) at icount ${out.icount} was never recorded`, out.icount, undefined, hex(out.bytes));
    } else if (rec.icount !== out.icount || rec.device !== out.device || !sameBytes(rec.bytes, out.bytes)) {
      this.mismatch(
        'output',
        `output #${index} differs: recorded ${rec.device} at icount ${rec.icount}, replayed ${out.device} at icount ${out.icount}`,
        out.icount,
        hex(rec.bytes),
        hex(out.bytes),
      );
    }
  }

  // ── internals ──────────────────────────────────────────────────────────

  private restore(cp: CheckpointInfo): void {
    const snap = this.track.loadSnapshot(cp.id);
    if (this.machine === null) this.machine = this.makeMachine(this, snap);
    else this.machine.restore(snap);
    this.buf = [];
    this.head = 0;
    this.it = this.track.entries(cp.logSeq)[Symbol.iterator]();
    this.exhausted = false;
    this.outIt = this.track.outputs(cp.outputs)[Symbol.iterator]();
    this.outNext = null;
    this.outputCount = cp.outputs;
    this.guestStopped = false;
    const cps = this.track.checkpoints;
    this.cpNext = cps.indexOf(cp) + 1;
  }

  private recordedOutput(index: number): RecordedOutput | null {
    for (let i = 0; i < TURNS_MAX; i++) {
      if (this.outNext === null) {
        const r = this.outIt?.next();
        if (r === undefined || r.done) return null;
        this.outNext = r.value;
      }
      const o = this.outNext;
      if (o.index > index) return null;
      this.outNext = null;
      if (o.index === index) return o;
    }
    return null;
  }

  private fill(n: number): void {
    while (!this.exhausted && this.buf.length - this.head < n) {
      const r = this.it!.next();
      if (r.done) this.exhausted = true;
      else this.buf.push(r.value);
    }
  }

  private peek(): TrackEntry | undefined {
    this.fill(1);
    return this.buf[this.head];
  }

  private consume(): void {
    this.head++;
    this.entriesReplayed++;
    if (this.head > 4096) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
  }

  /** Icount of the next entry that is injected between instructions (packet, timer) or marks progress (heartbeat). */
  private nextStopIcount(): number {
    for (let i = this.head; ; i++) {
      if (i >= this.buf.length) {
        if (this.exhausted) return this.endIcount;
        this.fill(this.buf.length - this.head + LOOKAHEAD);
        if (i >= this.buf.length) return this.endIcount;
      }
      const e = this.buf[i]!.entry;
      if (e.kind !== 'nondet' && e.kind !== 'output') return e.icount;
    }
  }

  private checkHash(cp: CheckpointInfo): void {
    if (!this.verifying) return;
    const actual = this.machine!.stateHash();
    this.checkpointsVerified++;
    if (actual !== cp.stateHash) {
      this.mismatch('state-hash', `state at checkpoint ${cp.id} (icount ${cp.icount}) differs from the recording`, cp.icount, cp.stateHash, actual);
    }
  }

  private runTo(goal: number): void {
    const m = this.machine!;
    const cps = this.track.checkpoints;
    for (let turn = 0; turn < TURNS_MAX; turn++) {
      if (this.verifying && this.mismatches.length > 0) return;
      const cp = cps[this.cpNext];
      const t = this.peek();
      const e = t?.entry;
      if (cp !== undefined && m.icount >= cp.icount && (t === undefined || t.ord > cp.logSeq)) {
        if (m.icount === cp.icount) this.checkHash(cp);
        this.cpNext++;
        continue;
      }
      if (e !== undefined && (e.kind === 'packet' || e.kind === 'timer') && e.icount <= m.icount) {
        if (e.icount < m.icount) this.mismatch('missed-entry', `${e.kind} logged at icount ${e.icount} but the replay is already at ${m.icount}`, e.icount);
        this.consume();
        m.deliver(e.kind === 'packet' ? { kind: 'packet', bytes: e.bytes } : { kind: 'timer' });
        continue;
      }
      if (e !== undefined && e.kind === 'heartbeat' && e.icount <= m.icount) {
        this.consume();
        continue;
      }
      if (e !== undefined && (e.kind === 'nondet' || e.kind === 'output') && e.icount < m.icount) {
        this.mismatch('missed-entry', `the recording's ${e.kind} at icount ${e.icount} never happened in the replay`, e.icount);
        this.consume();
        continue;
      }
      if (m.icount >= goal || this.guestStopped) return;
      let limit = Math.min(goal, this.nextStopIcount());
      if (cp !== undefined) limit = Math.min(limit, cp.icount);
      if (limit <= m.icount) return; // nothing more the log lets us execute
      const before = m.icount;
      const stop: ReplicaStop = m.run(limit);
      switch (stop.kind) {
        case 'budget':
          break;
        case 'halted':
        case 'trap':
          this.guestStopped = true;
          if (this.peek() !== undefined || m.icount < this.endIcount) {
            const why = stop.kind === 'halted' ? `exited with ${stop.exitCode}` : stop.detail;
            this.mismatch('guest-stopped', `the replayed guest stopped at icount ${m.icount} (${why}) but the recording goes on`, m.icount);
          }
          return;
        case 'wfi':
          if (m.icount === before) {
            const next = this.peek()?.entry;
            const injectable = next !== undefined && (next.kind === 'packet' || next.kind === 'timer') && next.icount === m.icount;
            if (!injectable && !(next?.kind === 'heartbeat' && next.icount <= m.icount)) {
              if (next !== undefined) {
                this.mismatch('guest-stopped', `the replayed guest waits for an interrupt at icount ${m.icount}, but the recording has ${next.kind} at ${next.icount}`, m.icount);
              }
              return;
            }
          }
          break;
        default:
          unreachable(stop);
      }
    }
  }

  private mismatch(kind: MismatchKind, detail: string, icount = this.icount, expected?: string, actual?: string): void {
    if (this.mismatches.length >= MISMATCHES_MAX) return;
    const m: Mismatch = { kind, icount, pc: this.pc, detail, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) };
    this.mismatches.push(m);
  }
}
