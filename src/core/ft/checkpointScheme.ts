/**
 * The other scheme: state transfer all the time (Remus-style checkpoints, the
 * lecture's "state transfer" replication). The primary runs freely — nothing
 * is logged — and every `checkpointMs` ships the pages dirtied since the last
 * checkpoint plus CPU and device state. Outputs produced during an epoch are
 * held until the checkpoint that ends the epoch is acknowledged. The backup
 * only installs checkpoints; on failover it resumes from the last one.
 *
 * Bytes reported are what Remus would ship (dirty pages + CPU/device state);
 * the simulator carries the full snapshot object so the backup can install it.
 */
import type { MachineOutput, NondetSource } from '../machine/hostPort';
import { GoLive, type GoLiveContext } from './goLive';
import { FailureDetector, HeartbeatSchedule } from './heartbeat';
import { OutputRule, type HeldOutput } from './outputRule';
import type { Message, NodeId } from './protocol';
import type { ReplicaContext, RoleLogic } from './role';
import { installState, STATE_HEADER_BYTES } from './stateTransfer';

function goLiveContext(ctx: ReplicaContext, partner: NodeId, side: 'primary' | 'backup', epoch: number): GoLiveContext {
  const s = ctx.settings;
  return {
    id: ctx.id, partner, side, epoch, clock: ctx.clock, transport: ctx.transport, emit: ctx.emit,
    arbiterNode: ctx.arbiterNode, retryMs: s.heartbeatMs,
    attemptsMax: Math.max(4, Math.ceil((2 * s.failureTimeoutMs) / s.heartbeatMs)),
  };
}

export class CheckpointPrimary implements RoleLogic {
  readonly role = 'primary';
  private checkpointId = 0;
  private ackedId = 0;
  private lastCheckpointMs: number;
  readonly rule: OutputRule;
  private readonly inputs: Uint8Array[] = [];
  private readonly detector: FailureDetector;
  private goLive: GoLive | null = null;
  released: number;
  checkpointBytes = 0;
  checkpoints = 0;

  constructor(
    private readonly ctx: ReplicaContext,
    public backup: NodeId | null,
    public epoch: number,
    released: number,
  ) {
    const now = ctx.clock.now();
    this.lastCheckpointMs = now;
    this.released = released;
    this.rule = new OutputRule(true, ctx.settings.heldOutputsMax);
    this.detector = new FailureDetector(ctx.settings.failureTimeoutMs, now);
    ctx.machine.takeDirtyBytes(); // the backup starts from the same state
  }

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    return this.ctx.env.read(source, half, icount) >>> 0;
  }

  output(out: MachineOutput): void {
    const index = this.ctx.outputs++;
    const held: HeldOutput = { index, icount: out.icount, bytes: out.bytes, device: out.device, needSeq: this.checkpointId + 1, heldAtMs: this.ctx.clock.now() };
    const free = this.rule.submit(held, this.backup === null ? Infinity : this.ackedId);
    if (free) return this.releaseOutput(free);
    this.ctx.emit({ type: 'output', node: this.ctx.id, index, icount: out.icount, device: out.device, bytes: out.bytes, fate: 'held' });
  }

  private releaseOutput(o: HeldOutput): void {
    this.released = Math.max(this.released, o.index + 1);
    const heldMs = this.ctx.clock.now() - o.heldAtMs;
    this.ctx.emit({ type: 'output', node: this.ctx.id, index: o.index, icount: o.icount, device: o.device, bytes: o.bytes, fate: 'released', heldMs });
    const to = o.device === 'nic' ? this.ctx.route(o.bytes) : null;
    if (to !== null) this.ctx.transport.send(this.ctx.id, to, { type: 'reply', outSeq: o.index, bytes: o.bytes });
  }

  onInput(bytes: Uint8Array): void {
    if (this.inputs.length < this.ctx.settings.inputQueueMax) this.inputs.push(bytes);
  }

  onMessage(from: NodeId, msg: Message): void {
    this.goLive?.onMessage(from, msg);
    if (msg.type !== 'checkpointAck' || from !== this.backup || msg.epoch !== this.epoch) return;
    this.detector.heard(this.ctx.clock.now());
    if (msg.id <= this.ackedId) return;
    this.ackedId = msg.id;
    for (const o of this.rule.release(this.ackedId)) this.releaseOutput(o);
  }

  private checkpoint(): void {
    if (this.backup === null) return;
    this.checkpointId++;
    const dirty = this.ctx.machine.takeDirtyBytes();
    const snap = this.ctx.machine.snapshot();
    const byteLength = dirty + STATE_HEADER_BYTES;
    const state = { snapshot: snap.data, outputs: this.ctx.outputs, icount: this.ctx.machine.icount };
    this.ctx.transport.send(this.ctx.id, this.backup, { type: 'checkpoint', epoch: this.epoch, id: this.checkpointId, state, byteLength });
    this.checkpointBytes += byteLength;
    this.checkpoints++;
    this.ctx.emit({ type: 'checkpoint', node: this.ctx.id, id: this.checkpointId, bytes: byteLength });
  }

  goAlone(): void {
    this.backup = null;
    this.goLive = null;
    for (const o of this.rule.drain()) this.releaseOutput(o);
  }

  tick(): void {
    const now = this.ctx.clock.now();
    const s = this.ctx.settings;
    if (this.backup !== null && this.goLive === null && this.detector.suspects(now)) {
      this.ctx.emit({ type: 'suspect', node: this.ctx.id, peer: this.backup, silenceMs: this.detector.silenceMs(now) });
      this.goLive = new GoLive(goLiveContext(this.ctx, this.backup, 'primary', this.epoch), () => this.ctx.settings.arbiter, (v) =>
        v.won ? this.goAlone() : this.ctx.halt(`backup silent; ${v.how}`),
      );
    }
    this.goLive?.tick(true, this.ctx.view);
    if (this.rule.full) {
      if (now - this.lastCheckpointMs >= s.checkpointMs) {
        this.checkpoint();
        this.lastCheckpointMs = now;
      }
      return;
    }
    const m = this.ctx.machine;
    const input = this.inputs.shift();
    if (input !== undefined) m.deliver({ kind: 'packet', bytes: input });
    if (m.wantsTimer(this.ctx.env.mtime())) m.deliver({ kind: 'timer' });
    const budget = Math.max(1, Math.floor(this.ctx.env.instructionsPerMs() * s.tickMs));
    // One instruction emits at most one output: never run more than the held-output bound allows.
    m.run(m.icount + Math.min(budget, this.rule.room));
    if (now - this.lastCheckpointMs >= s.checkpointMs) {
      this.checkpoint();
      this.lastCheckpointMs = now;
    }
  }
}

export class CheckpointBackup implements RoleLogic {
  readonly role = 'backup';
  private lastId = 0;
  private readonly detector: FailureDetector;
  private readonly ackSchedule: HeartbeatSchedule;
  private goLive: GoLive | null = null;
  releasedKnown = 0;

  constructor(
    private readonly ctx: ReplicaContext,
    readonly epoch: number,
    readonly primary: NodeId,
  ) {
    this.detector = new FailureDetector(ctx.settings.failureTimeoutMs, ctx.clock.now());
    this.ackSchedule = new HeartbeatSchedule(ctx.settings.heartbeatMs);
  }

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    return this.ctx.env.read(source, half, icount) >>> 0; // never executes
  }

  output(_out: MachineOutput): void {}

  onInput(_bytes: Uint8Array): void {}

  private ack(): void {
    this.ctx.transport.send(this.ctx.id, this.primary, { type: 'checkpointAck', epoch: this.epoch, id: this.lastId });
    this.ackSchedule.sent(this.ctx.clock.now());
  }

  onMessage(from: NodeId, msg: Message): void {
    this.goLive?.onMessage(from, msg);
    if (msg.type !== 'checkpoint' || from !== this.primary || msg.epoch !== this.epoch || this.goLive !== null) return;
    this.detector.heard(this.ctx.clock.now());
    if (msg.id > this.lastId) {
      installState(this.ctx, msg.state);
      this.lastId = msg.id;
      this.ctx.emit({ type: 'stateInstalled', node: this.ctx.id, from, epoch: this.epoch, outputs: msg.state.outputs, icount: msg.state.icount });
      this.releasedKnown = msg.state.outputs;
    }
    this.ack();
  }

  presumePrimaryDead(): void {
    if (this.goLive === null) this.suspect(this.ctx.clock.now());
  }

  tick(): void {
    const now = this.ctx.clock.now();
    if (this.goLive === null && this.detector.suspects(now)) this.suspect(now);
    if (this.goLive === null && this.ackSchedule.due(now)) this.ack();
    this.goLive?.tick(true, this.ctx.view);
  }

  private suspect(now: number): void {
    {
      this.ctx.emit({ type: 'suspect', node: this.ctx.id, peer: this.primary, silenceMs: this.detector.silenceMs(now) });
      this.goLive = new GoLive(goLiveContext(this.ctx, this.primary, 'backup', this.epoch), () => this.ctx.settings.arbiter, (v) =>
        v.won ? this.ctx.goLiveAlone(this.epoch, []) : this.ctx.halt(`primary silent; ${v.how}`),
      );
    }
  }
}
