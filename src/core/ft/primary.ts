/**
 * The primary (VMware FT §2): runs the guest, records every non-deterministic
 * event as a log entry, ships entries to the backup in batches, holds each
 * output until the backup has acknowledged the log up to it (output rule),
 * sends heartbeats when it has nothing else to send, and — when the backup
 * falls silent — asks the arbiter before going on alone.
 */
import type { MachineOutput, NondetSource } from '../machine/hostPort';
import { flowDecision, lagBound } from './flowControl';
import { GoLive } from './goLive';
import { FailureDetector, HeartbeatSchedule } from './heartbeat';
import { encodeBatch } from './logEntry';
import { OutputRule, type HeldOutput } from './outputRule';
import type { LogEntry, Message, NodeId } from './protocol';
import type { ReplicaContext, RoleLogic } from './role';
import { snapshotState } from './stateTransfer';

export class Primary implements RoleLogic {
  readonly role = 'primary';
  /** The backup, or null when running alone (no replication). */
  backup: NodeId | null;
  epoch: number;
  private nextSeq = 1;
  /** Highest log sequence number the backup acknowledged (−1: not even the state transfer). */
  ackedSeq: number;
  backupIcount = 0;
  /** Outputs released so far (they leave in order). */
  released: number;
  private batch: LogEntry[] = [];
  /** When the oldest entry of `batch` was logged (logFlushMs). */
  private batchSinceMs = 0;
  private unacked: LogEntry[] = [];
  private lastProgressMs: number;
  readonly rule: OutputRule;
  private readonly inputs: Uint8Array[] = [];
  private readonly detector: FailureDetector;
  private readonly heartbeat: HeartbeatSchedule;
  private goLive: GoLive | null = null;
  private stalled = false;
  /** The last slice was shortened because the backup lags (flow control): a live host then waits before the next. */
  throttled = false;
  private guestStopped = false;
  /** Bytes of log shipped (statistics). */
  logBytes = 0;
  logEntries = 0;

  constructor(
    private readonly ctx: ReplicaContext,
    opts: { backup: NodeId | null; epoch: number; released: number; transferPending?: boolean },
  ) {
    this.backup = opts.backup;
    this.epoch = opts.epoch;
    this.released = opts.released;
    this.ackedSeq = opts.transferPending ? -1 : 0;
    const now = ctx.clock.now();
    this.lastProgressMs = now;
    this.rule = new OutputRule(ctx.settings.outputRule, ctx.settings.heldOutputsMax);
    this.detector = new FailureDetector(ctx.settings.failureTimeoutMs, now);
    this.heartbeat = new HeartbeatSchedule(ctx.settings.heartbeatMs);
  }

  get unackedEntries(): number {
    return this.unacked.length + this.batch.length;
  }

  /** The next entry's sequence number: callers build the entry with it (an object spread per entry cost ~1.5 µs). */
  private seq(): number {
    return this.nextSeq++;
  }

  private log(entry: LogEntry): number {
    if (this.batch.length === 0) this.batchSinceMs = this.ctx.clock.now();
    this.batch.push(entry);
    this.ctx.emit({ type: 'logged', node: this.ctx.id, entry });
    if (this.batch.length >= this.ctx.settings.batchEntriesMax) this.flush();
    return entry.seq;
  }

  private flush(): void {
    if (this.batch.length === 0 || this.backup === null) return;
    const bytes = encodeBatch(this.batch);
    this.ctx.transport.send(this.ctx.id, this.backup, { type: 'log', epoch: this.epoch, released: this.released, bytes });
    this.logBytes += bytes.length;
    this.logEntries += this.batch.length;
    this.ctx.emit({ type: 'logSent', node: this.ctx.id, entries: this.batch.length, bytes: bytes.length });
    for (const e of this.batch) this.unacked.push(e);
    this.batch = [];
    this.heartbeat.sent(this.ctx.clock.now());
  }

  private retransmit(): void {
    const max = this.ctx.settings.batchEntriesMax;
    for (let i = 0; i < this.unacked.length; i += max) {
      const part = this.unacked.slice(i, i + max);
      const bytes = encodeBatch(part);
      this.ctx.transport.send(this.ctx.id, this.backup!, { type: 'log', epoch: this.epoch, released: this.released, bytes });
      this.logBytes += bytes.length;
      this.ctx.emit({ type: 'logSent', node: this.ctx.id, entries: part.length, bytes: bytes.length });
    }
  }

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    const value = this.ctx.env.read(source, half, icount) >>> 0;
    if (this.backup !== null && this.ctx.settings.loggedSources.includes(source)) {
      this.log({ kind: 'nondet', seq: this.seq(), icount, source, half, value });
    }
    return value;
  }

  output(out: MachineOutput): void {
    const index = this.ctx.outputs++;
    const needSeq = this.backup !== null ? this.log({ kind: 'output', seq: this.seq(), icount: out.icount, index }) : 0;
    const held: HeldOutput = { index, icount: out.icount, bytes: out.bytes, needSeq, heldAtMs: this.ctx.clock.now(), device: out.device };
    const free = this.rule.submit(held, this.backup === null ? Infinity : this.ackedSeq);
    if (free) {
      this.releaseOutput(free);
      // Released without waiting (alone, or the output rule off): the log follows at once, not a batch later.
      if (this.ctx.settings.logFlushMs > 0) this.flush();
      return;
    }
    this.ctx.emit({ type: 'output', node: this.ctx.id, index, icount: out.icount, device: out.device, bytes: out.bytes, fate: 'held' });
    this.flush(); // an output waits only for the acknowledgement it needs: send now
  }

  private releaseOutput(o: HeldOutput): void {
    this.released = Math.max(this.released, o.index + 1);
    const heldMs = this.ctx.clock.now() - o.heldAtMs;
    this.ctx.emit({ type: 'output', node: this.ctx.id, index: o.index, icount: o.icount, device: o.device, bytes: o.bytes, fate: 'released', heldMs });
    if (o.device !== 'nic') return;
    const to = this.ctx.route(o.bytes);
    if (to !== null) this.ctx.transport.send(this.ctx.id, to, { type: 'reply', outSeq: o.index, bytes: o.bytes });
  }

  onInput(bytes: Uint8Array): void {
    if (this.inputs.length < this.ctx.settings.inputQueueMax) this.inputs.push(bytes);
  }

  onMessage(from: NodeId, msg: Message): void {
    this.goLive?.onMessage(from, msg);
    if (msg.type !== 'ack' || from !== this.backup || msg.epoch !== this.epoch) return;
    this.detector.heard(this.ctx.clock.now());
    this.backupIcount = msg.icount;
    if (msg.seq <= this.ackedSeq) return;
    if (this.ackedSeq < 0) this.ctx.stateTransferDone(from);
    this.ackedSeq = msg.seq;
    this.lastProgressMs = this.ctx.clock.now();
    let drop = 0;
    while (drop < this.unacked.length && this.unacked[drop]!.seq <= msg.seq) drop++;
    this.unacked.splice(0, drop);
    for (const o of this.rule.release(this.ackedSeq)) this.releaseOutput(o);
  }

  /** Continue without a backup (it died and we won arbitration, or the view says so). */
  goAlone(): void {
    this.backup = null;
    this.goLive = null;
    this.batch = [];
    this.unacked = [];
    this.rule.enabled = false;
    for (const o of this.rule.drain()) this.releaseOutput(o);
  }

  /** Make `to` the new backup: ship the whole state, then the log continues in a new epoch. */
  startStateTransfer(to: NodeId, epoch: number): void {
    this.flush();
    this.epoch = epoch;
    this.backup = to;
    this.nextSeq = 1;
    this.ackedSeq = -1;
    this.batch = [];
    this.unacked = [];
    this.goLive = null;
    const now = this.ctx.clock.now();
    this.detector.heard(now);
    this.lastProgressMs = now;
    this.rule.rekey(0);
    const { state, byteLength } = snapshotState(this.ctx);
    this.ctx.transport.send(this.ctx.id, to, { type: 'stateTransfer', epoch, state, byteLength, nextSeq: 1 });
    this.ctx.emit({ type: 'stateTransfer', from: this.ctx.id, to, bytes: byteLength, epoch });
  }

  tick(): void {
    const now = this.ctx.clock.now();
    const s = this.ctx.settings;
    if (this.rule.enabled !== s.outputRule && this.backup !== null) {
      this.rule.enabled = s.outputRule;
      for (const o of this.rule.release(this.ackedSeq)) this.releaseOutput(o);
    }
    if (this.backup !== null) this.watchBackup(now);
    if (this.backup !== null && this.unacked.length > 0 && now - this.lastProgressMs >= s.retransmitMs) {
      this.retransmit();
      this.lastProgressMs = now;
    }
    const perMs = this.ctx.env.instructionsPerMs();
    const budget = Math.max(1, Math.floor(perMs * s.tickMs));
    const lag = Math.max(0, this.ctx.machine.icount - this.backupIcount);
    // The backup cannot be nearer than the last log message: at least two heartbeats of lag are normal.
    const bound = lagBound(s.flow, perMs, 2 * s.heartbeatMs);
    const d = this.backup === null ? { kind: 'run' as const, budget } : flowDecision(s.flow, this.unackedEntries, lag, budget, bound);
    if (d.kind === 'stall' || this.rule.full) {
      if (!this.stalled) this.ctx.emit({ type: 'stall', node: this.ctx.id, reason: d.kind === 'stall' ? d.reason : 'output buffer full' });
      this.stalled = true;
      this.flush();
      return;
    }
    this.stalled = false;
    this.throttled = d.budget < budget;
    // One instruction emits at most one output: never run more instructions than the held-output bound allows.
    this.execute(Math.min(d.budget, this.rule.room));
    if (this.backup !== null && this.batch.length === 0 && this.heartbeat.due(now)) {
      this.log({ kind: 'heartbeat', seq: this.seq(), icount: this.ctx.machine.icount, released: this.released });
    }
    if (s.logFlushMs <= 0 || this.heartbeat.due(now) || now - this.batchSinceMs >= s.logFlushMs) this.flush();
  }

  private watchBackup(now: number): void {
    if (this.goLive === null && this.detector.suspects(now)) {
      this.ctx.emit({ type: 'suspect', node: this.ctx.id, peer: this.backup!, silenceMs: this.detector.silenceMs(now) });
      const s = this.ctx.settings;
      this.goLive = new GoLive(
        {
          id: this.ctx.id, partner: this.backup!, side: 'primary', epoch: this.epoch, clock: this.ctx.clock,
          transport: this.ctx.transport, emit: this.ctx.emit, arbiterNode: this.ctx.arbiterNode,
          retryMs: s.heartbeatMs, attemptsMax: Math.max(4, Math.ceil((2 * s.failureTimeoutMs) / s.heartbeatMs)),
        },
        () => this.ctx.settings.arbiter,
        (v) => (v.won ? this.goAlone() : this.ctx.halt(`backup silent; ${v.how}`)),
      );
    }
    this.goLive?.tick(true, this.ctx.view);
  }

  private execute(budget: number): void {
    const m = this.ctx.machine;
    for (let k = Math.min(this.inputs.length, this.ctx.settings.inputsPerTick); k > 0; k--) {
      const input = this.inputs.shift()!;
      if (this.backup !== null) this.log({ kind: 'packet', seq: this.seq(), icount: m.icount, bytes: input });
      m.deliver({ kind: 'packet', bytes: input });
    }
    if (m.wantsTimer(this.ctx.env.mtime())) {
      if (this.backup !== null) this.log({ kind: 'timer', seq: this.seq(), icount: m.icount });
      m.deliver({ kind: 'timer' });
    }
    const stop = m.run(m.icount + budget);
    if ((stop.kind === 'halted' || stop.kind === 'trap') && !this.guestStopped) {
      this.guestStopped = true;
      this.ctx.emit({ type: 'guestStopped', node: this.ctx.id, detail: stop.kind === 'halted' ? `exit ${stop.exitCode}` : stop.detail });
    }
  }
}
