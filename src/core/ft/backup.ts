/**
 * The backup (VMware FT §2): receives log entries into its event buffer,
 * acknowledges them, and re-executes the guest — up to the icount of the next
 * entry, where it injects the logged packet or timer, and supplying logged
 * values to non-deterministic reads. It never runs past the last entry it
 * holds. Its outputs are discarded (kept for comparison). When the primary
 * falls silent it replays everything buffered and asks to go live.
 */
import type { MachineOutput, NondetSource } from '../machine/hostPort';
import { EventBuffer } from './eventBuffer';
import { GoLive } from './goLive';
import { FailureDetector, HeartbeatSchedule } from './heartbeat';
import { decodeBatch } from './logEntry';
import type { Message, NodeId } from './protocol';
import type { KeptOutput, ReplicaContext, RoleLogic } from './role';

/** Discarded outputs kept for comparison and for re-sending after go-live. */
const KEPT_OUTPUTS_MAX = 256;
/** Bound on loop iterations in one replay slice. */
const REPLAY_STEPS_MAX = 100_000;

export class Backup implements RoleLogic {
  readonly role = 'backup';
  readonly buffer: EventBuffer;
  /** Outputs the primary said it had released (from log messages and heartbeats). */
  releasedKnown: number;
  private readonly kept: KeptOutput[] = [];
  private readonly detector: FailureDetector;
  private readonly ackSchedule: HeartbeatSchedule;
  private goLive: GoLive | null = null;
  private guestStopped = false;
  diverged = false;

  constructor(
    private readonly ctx: ReplicaContext,
    readonly epoch: number,
    readonly primary: NodeId,
    start: { seq: number; icount: number; released: number },
  ) {
    this.buffer = new EventBuffer(ctx.settings.eventBufferEntries, start.seq, start.icount);
    this.releasedKnown = start.released;
    const now = ctx.clock.now();
    this.detector = new FailureDetector(ctx.settings.failureTimeoutMs, now);
    this.ackSchedule = new HeartbeatSchedule(ctx.settings.heartbeatMs);
  }

  get goingLive(): boolean {
    return this.goLive !== null;
  }

  private sendAck(): void {
    const msg: Message = { type: 'ack', epoch: this.epoch, seq: this.buffer.lastSeq, icount: this.ctx.machine.icount };
    this.ctx.transport.send(this.ctx.id, this.primary, msg);
    this.ackSchedule.sent(this.ctx.clock.now());
  }

  onMessage(from: NodeId, msg: Message): void {
    this.goLive?.onMessage(from, msg);
    if (msg.type !== 'log' || from !== this.primary || msg.epoch !== this.epoch) return;
    if (this.goLive !== null) return; // declared the primary dead: too late
    this.detector.heard(this.ctx.clock.now());
    const decoded = decodeBatch(msg.bytes);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'invariant', node: this.ctx.id, detail: `undecodable log batch: ${decoded.error}` });
      return;
    }
    this.buffer.accept(decoded.entries);
    this.releasedKnown = Math.max(this.releasedKnown, msg.released);
    this.sendAck();
  }

  onInput(_bytes: Uint8Array): void {
    // A backup takes input only through the log.
  }

  private divergence(detail: string): void {
    const m = this.ctx.machine;
    if (!this.diverged) this.ctx.emit({ type: 'divergence', node: this.ctx.id, icount: m.icount, pc: m.pc, detail });
    this.diverged = true;
  }

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    const head = this.buffer.peek();
    if (head?.kind === 'nondet' && head.icount === icount && head.source === source && head.half === half) {
      this.buffer.shift();
      return head.value;
    }
    if (this.ctx.settings.loggedSources.includes(source) || head?.kind === 'nondet') {
      const logged = head ? `log has ${head.kind} at icount ${head.icount}` : 'log is empty';
      this.divergence(`${source} read at icount ${icount} not matched by the log (${logged})`);
    }
    return this.ctx.env.read(source, half, icount) >>> 0;
  }

  output(out: MachineOutput): void {
    const index = this.ctx.outputs++;
    const head = this.buffer.peek();
    if (head?.kind === 'output' && head.index === index && head.icount === out.icount) {
      this.buffer.shift();
    } else {
      this.divergence(`output #${index} at icount ${out.icount} was not produced by the primary there`);
    }
    if (this.kept.length >= KEPT_OUTPUTS_MAX) this.kept.shift();
    this.kept.push({ index, device: out.device, bytes: out.bytes, icount: out.icount });
    this.ctx.emit({ type: 'output', node: this.ctx.id, index, icount: out.icount, device: out.device, bytes: out.bytes, fate: 'discarded' });
  }

  /** Everything received has been executed. */
  get caughtUp(): boolean {
    return this.buffer.size === 0;
  }

  tick(): void {
    const now = this.ctx.clock.now();
    if (this.goLive === null && this.detector.suspects(now)) this.suspectPrimary(now);
    const budget = Math.max(1, Math.floor(this.ctx.env.instructionsPerMs() * this.ctx.settings.tickMs));
    this.replay(budget);
    if (this.goLive === null && this.ackSchedule.due(now)) this.sendAck();
    this.goLive?.tick(this.caughtUp, this.ctx.view);
  }

  /** The view service promoted us: stop taking log, replay, go live. */
  presumePrimaryDead(): void {
    if (this.goLive === null) this.suspectPrimary(this.ctx.clock.now());
  }

  private suspectPrimary(now: number): void {
    const s = this.ctx.settings;
    this.ctx.emit({ type: 'suspect', node: this.ctx.id, peer: this.primary, silenceMs: this.detector.silenceMs(now) });
    this.goLive = new GoLive(
      {
        id: this.ctx.id, partner: this.primary, side: 'backup', epoch: this.epoch, clock: this.ctx.clock,
        transport: this.ctx.transport, emit: this.ctx.emit, arbiterNode: this.ctx.arbiterNode,
        retryMs: s.heartbeatMs, attemptsMax: Math.max(4, Math.ceil((2 * s.failureTimeoutMs) / s.heartbeatMs)),
      },
      () => this.ctx.settings.arbiter,
      (v) => (v.won ? this.ctx.goLiveAlone(this.epoch, this.uncertainOutputs()) : this.ctx.halt(`primary silent; ${v.how}`)),
    );
  }

  /** Outputs the old primary may not have released: a new primary sends them (clients drop duplicates). */
  uncertainOutputs(): KeptOutput[] {
    return this.kept.filter((o) => o.index >= this.releasedKnown);
  }

  /** Execute up to `budget` instructions, injecting logged events at their icounts. */
  replay(budget: number): void {
    const m = this.ctx.machine;
    let left = budget;
    for (let step = 0; step < REPLAY_STEPS_MAX && !this.guestStopped; step++) {
      const e = this.buffer.peek();
      if (e !== undefined && (e.kind === 'packet' || e.kind === 'timer') && e.icount <= m.icount) {
        if (e.icount < m.icount) this.divergence(`${e.kind} logged at icount ${e.icount} but the backup is already at ${m.icount}`);
        this.buffer.shift();
        this.ctx.emit({ type: 'replayed', node: this.ctx.id, entry: e });
        m.deliver(e.kind === 'packet' ? { kind: 'packet', bytes: e.bytes } : { kind: 'timer' });
        continue;
      }
      if (e !== undefined && e.kind === 'heartbeat' && e.icount <= m.icount) {
        this.buffer.shift();
        this.releasedKnown = Math.max(this.releasedKnown, e.released);
        this.ctx.emit({ type: 'replayed', node: this.ctx.id, entry: e });
        continue;
      }
      if (e !== undefined && (e.kind === 'nondet' || e.kind === 'output') && e.icount < m.icount) {
        this.divergence(`the primary's ${e.kind} at icount ${e.icount} never happened on the backup`);
        this.buffer.shift();
        continue;
      }
      const target = Math.min(this.buffer.nextStopIcount(), m.icount + left);
      if (target <= m.icount || left <= 0) return;
      const before = m.icount;
      const stop = m.run(target);
      left -= m.icount - before;
      if (m.icount > this.buffer.limitIcount) {
        this.ctx.emit({ type: 'invariant', node: this.ctx.id, detail: `backup at icount ${m.icount} ran past the log (limit ${this.buffer.limitIcount})` });
      }
      if (stop.kind === 'halted' || stop.kind === 'trap') {
        this.guestStopped = true;
        this.ctx.emit({ type: 'guestStopped', node: this.ctx.id, detail: stop.kind === 'halted' ? `exit ${stop.exitCode}` : stop.detail });
        return;
      }
      if (stop.kind === 'wfi' && m.icount === before) {
        const next = this.buffer.peek();
        const injectNow = next !== undefined && (next.kind === 'packet' || next.kind === 'timer') && next.icount === m.icount;
        if (!injectNow) {
          if (next !== undefined && next.kind !== 'heartbeat') {
            this.divergence(`guest waits for an interrupt at icount ${m.icount}, but the primary logged ${next.kind} at ${next.icount}`);
          }
          return;
        }
      }
    }
  }
}
