/**
 * One physical host's VMM: it owns a guest machine, sits on the machine's
 * HostPort (the boundary of non-determinism), and plays a role — primary,
 * backup, idle (a spare, or a machine back from a crash that must get state
 * before it may serve), or halted. Driven only by timer callbacks and
 * messages, so the same object runs in the simulator and in a worker thread.
 */
import type { HostPort, MachineOutput, NondetSource } from '../machine/hostPort';
import { Backup } from './backup';
import { CheckpointBackup, CheckpointPrimary } from './checkpointScheme';
import type { Clock, HostEnv, TimerHandle, Transport } from './env';
import type { EventSink, Role } from './events';
import { Primary } from './primary';
import { SERVICE_ADDRESS, unreachable, type Message, type NodeId, type View } from './protocol';
import type { MachineFactory, ReplicaMachine } from './replicaMachine';
import type { KeptOutput, ReplicaContext, RoleLogic } from './role';
import type { FtSettings } from './settings';
import { installState } from './stateTransfer';

export interface ReplicaDeps {
  readonly id: NodeId;
  readonly hostId: number;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly env: HostEnv;
  readonly emit: EventSink;
  /** Shared, mutable: the student flips switches while the run goes on. */
  readonly settings: FtSettings;
  readonly makeMachine: MachineFactory;
  /** Every machine's address, this one included. */
  readonly machines: readonly NodeId[];
  readonly arbiterNode: NodeId;
  readonly viewServiceNode: NodeId;
  /** A client packet's destination (the guest names its client in the packet). */
  readonly route: (bytes: Uint8Array) => NodeId | null;
}

export type StartAs =
  | { readonly role: 'primary'; readonly backup: NodeId | null; readonly epoch: number; readonly viewNum?: number }
  | { readonly role: 'backup'; readonly primary: NodeId; readonly epoch: number; readonly viewNum?: number }
  | { readonly role: 'idle' };

export class Replica implements HostPort, ReplicaContext {
  readonly id: NodeId;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly env: HostEnv;
  readonly emit: EventSink;
  readonly settings: FtSettings;
  readonly machine: ReplicaMachine;
  readonly arbiterNode: NodeId;
  outputs = 0;
  view: View | null = null;
  role: Role = 'idle';
  logic: RoleLogic | null = null;
  /** Highest epoch this machine has belonged to. */
  epoch = 0;
  /** View number this machine acknowledges in pings (primary: only once its backup has the state). */
  private ackedViewNum = 0;
  private pendingViewAck: { num: number; backup: NodeId } | null = null;
  private tickTimer: TimerHandle | undefined;
  private lastPingMs = -Infinity;
  private lastJoinMs = -Infinity;
  private lastAnnounceMs = -Infinity;

  constructor(private readonly deps: ReplicaDeps) {
    this.id = deps.id;
    this.clock = deps.clock;
    this.transport = deps.transport;
    this.env = deps.env;
    this.emit = deps.emit;
    this.settings = deps.settings;
    this.arbiterNode = deps.arbiterNode;
    this.machine = deps.makeMachine(this, deps.hostId);
  }

  route(bytes: Uint8Array): NodeId | null {
    return this.deps.route(bytes);
  }

  // ---- HostPort: the machine calls these during run() ----
  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    return this.logic ? this.logic.nondetRead(source, half, icount) : this.env.read(source, half, icount) >>> 0;
  }

  output(out: MachineOutput): void {
    this.logic?.output(out);
  }

  // ---- life cycle ----
  start(as: StartAs): void {
    switch (as.role) {
      case 'primary':
        this.epoch = as.epoch;
        this.ackedViewNum = as.viewNum ?? 0;
        this.setLogic(this.makePrimary(as.backup, as.epoch, 0, false), 'start');
        this.transport.send(this.id, SERVICE_ADDRESS, { type: 'announce' });
        break;
      case 'backup':
        this.epoch = as.epoch;
        this.ackedViewNum = as.viewNum ?? 0;
        this.setLogic(this.makeBackup(as.primary, as.epoch, 0), 'start');
        break;
      case 'idle':
        this.setRole('idle', null, 'start');
        break;
      default:
        unreachable(as);
    }
    this.scheduleTick();
  }

  /** Called by the host after a crash and reboot (fail-recover): back as idle, state stale. */
  restartIdle(): void {
    this.ackedViewNum = 0;
    this.pendingViewAck = null;
    this.view = null;
    this.setRole('idle', null, 'restarted after a crash: must get state before serving');
    this.scheduleTick();
  }

  stop(): void {
    if (this.tickTimer !== undefined) this.clock.cancelTimer(this.tickTimer);
    this.tickTimer = undefined;
  }

  private scheduleTick(): void {
    this.stop();
    const loop = (): void => {
      this.tick();
      this.tickTimer = this.clock.setTimer(this.settings.tickMs, loop);
    };
    this.tickTimer = this.clock.setTimer(this.settings.tickMs, loop);
  }

  private makePrimary(backup: NodeId | null, epoch: number, released: number, transferPending: boolean): RoleLogic {
    return this.settings.scheme === 'checkpoint'
      ? new CheckpointPrimary(this, backup, epoch, released)
      : new Primary(this, { backup, epoch, released, transferPending });
  }

  private makeBackup(primary: NodeId, epoch: number, seq: number): RoleLogic {
    return this.settings.scheme === 'checkpoint'
      ? new CheckpointBackup(this, epoch, primary)
      : new Backup(this, epoch, primary, { seq, icount: this.machine.icount, released: this.outputs });
  }

  private setLogic(logic: RoleLogic, reason: string): void {
    this.setRole(logic.role, logic, reason);
  }

  private setRole(role: Role, logic: RoleLogic | null, reason: string): void {
    this.role = role;
    this.logic = logic;
    this.emit({ type: 'role', node: this.id, role, reason });
  }

  // ---- ReplicaContext ----
  goLiveAlone(epoch: number, resend: readonly KeptOutput[]): void {
    const primary = this.makePrimary(null, epoch, this.outputs, false);
    this.setLogic(primary, 'went live');
    this.transport.send(this.id, SERVICE_ADDRESS, { type: 'announce' });
    for (const o of resend) {
      this.emit({ type: 'output', node: this.id, index: o.index, icount: o.icount, device: o.device, bytes: o.bytes, fate: 'resent' });
      const to = o.device === 'nic' ? this.route(o.bytes) : null;
      if (to !== null) this.transport.send(this.id, to, { type: 'reply', outSeq: o.index, bytes: o.bytes });
    }
    this.onViewChanged();
  }

  halt(reason: string): void {
    this.setRole('halted', null, reason);
    this.stop();
  }

  stateTransferDone(to: NodeId): void {
    if (this.pendingViewAck !== null && this.pendingViewAck.backup === to) {
      this.ackedViewNum = this.pendingViewAck.num;
      this.pendingViewAck = null;
    }
  }

  // ---- periodic work ----
  private tick(): void {
    if (this.settings.arbiter === 'view-service') this.pingViewService();
    if (this.role === 'primary') this.announce();
    if (this.role === 'idle') this.offerToJoin();
    this.logic?.tick();
  }

  /** A live machine re-announces the service address now and then (gratuitous ARP). */
  private announce(): void {
    const now = this.clock.now();
    if (now - this.lastAnnounceMs < 4 * this.settings.heartbeatMs) return;
    this.lastAnnounceMs = now;
    this.transport.send(this.id, SERVICE_ADDRESS, { type: 'announce' });
  }

  private pingViewService(): void {
    const now = this.clock.now();
    if (now - this.lastPingMs < this.settings.heartbeatMs) return;
    this.lastPingMs = now;
    // A primary acknowledges only what it has completed; others report the last view they saw (0 after a restart).
    const viewNum = this.role === 'primary' ? this.ackedViewNum : Math.max(this.ackedViewNum, this.view?.num ?? 0);
    this.transport.send(this.id, this.deps.viewServiceNode, { type: 'ping', viewNum });
  }

  private offerToJoin(): void {
    if (this.settings.arbiter === 'view-service') return; // the view service recruits
    const now = this.clock.now();
    if (now - this.lastJoinMs < 4 * this.settings.heartbeatMs) return;
    this.lastJoinMs = now;
    for (const m of this.deps.machines) if (m !== this.id) this.transport.send(this.id, m, { type: 'join' });
  }

  // ---- messages ----
  onMessage(from: NodeId, msg: Message): void {
    if (this.role === 'halted') return;
    switch (msg.type) {
      case 'request':
        this.logic?.onInput(msg.bytes);
        return;
      case 'view':
        this.view = msg.view;
        this.onViewChanged();
        return;
      case 'join':
        this.onJoin(from);
        return;
      case 'stateTransfer':
        this.onStateTransfer(from, msg);
        return;
      case 'log':
      case 'ack':
      case 'checkpoint':
      case 'checkpointAck':
      case 'testAndSetReply':
        this.logic?.onMessage(from, msg);
        return;
      case 'testAndSet':
      case 'ping':
      case 'reply':
      case 'announce':
        return; // not for a machine
      default:
        unreachable(msg);
    }
  }

  private isAlonePrimary(): boolean {
    const l = this.logic;
    return (l instanceof Primary || l instanceof CheckpointPrimary) && l.backup === null;
  }

  private recruit(to: NodeId): void {
    const l = this.logic;
    if (!(l instanceof Primary || l instanceof CheckpointPrimary)) return;
    const epoch = Math.max(this.epoch, l.epoch) + 1;
    this.epoch = epoch;
    if (l instanceof Primary) {
      l.startStateTransfer(to, epoch);
      return;
    }
    // Checkpoint scheme: a fresh checkpointing primary whose first checkpoint is the full state.
    const fresh = new CheckpointPrimary(this, to, epoch, l.released);
    this.setLogic(fresh, `recruited ${to}`);
    const snap = this.machine.snapshot();
    const state = { snapshot: snap.data, outputs: this.outputs, icount: this.machine.icount };
    this.transport.send(this.id, to, { type: 'stateTransfer', epoch, state, byteLength: snap.byteLength, nextSeq: 1 });
    this.emit({ type: 'stateTransfer', from: this.id, to, bytes: snap.byteLength, epoch });
  }

  private onJoin(from: NodeId): void {
    if (this.settings.arbiter === 'view-service' || !this.isAlonePrimary()) return;
    this.recruit(from);
  }

  private onStateTransfer(from: NodeId, msg: Extract<Message, { type: 'stateTransfer' }>): void {
    if (msg.epoch <= this.epoch && this.role !== 'idle') return;
    if (this.role === 'primary') return;
    installState(this, msg.state);
    this.epoch = msg.epoch;
    this.emit({ type: 'stateInstalled', node: this.id, from, epoch: msg.epoch, outputs: msg.state.outputs, icount: msg.state.icount });
    this.setLogic(this.makeBackup(from, msg.epoch, msg.nextSeq - 1), `state transfer from ${from}`);
    if (this.settings.scheme === 'log') {
      this.transport.send(this.id, from, { type: 'ack', epoch: msg.epoch, seq: msg.nextSeq - 1, icount: this.machine.icount });
    } else {
      this.transport.send(this.id, from, { type: 'checkpointAck', epoch: msg.epoch, id: 0 });
    }
  }

  /** View-service arbiter: act on the view (promotion, demotion, new backup). */
  private onViewChanged(): void {
    const v = this.view;
    if (v === null || this.settings.arbiter !== 'view-service') return;
    const l = this.logic;
    if (this.role === 'primary' && (l instanceof Primary || l instanceof CheckpointPrimary)) {
      if (v.primary !== this.id) {
        if (v.num > this.ackedViewNum && this.ackedViewNum > 0) this.halt(`view ${v.num} names ${v.primary} primary`);
        return;
      }
      if (v.backup === l.backup) {
        if (this.pendingViewAck === null) this.ackedViewNum = v.num;
        return;
      }
      if (v.backup === null) {
        l.goAlone();
        this.ackedViewNum = v.num;
        return;
      }
      if (this.pendingViewAck?.num === v.num) return; // transfer under way
      this.pendingViewAck = { num: v.num, backup: v.backup };
      this.recruit(v.backup);
      return;
    }
    if (this.role === 'backup' && v.primary === this.id && (l instanceof Backup || l instanceof CheckpointBackup)) {
      l.presumePrimaryDead();
    }
  }
}
