/**
 * One physical host of the live engine, in its own worker thread: a guest
 * Machine behind the FT core's Replica (the same protocol code the simulator
 * runs), with real time (LiveClock), real entropy and host identity
 * (LiveHostEnv), and a transport made of MessageChannel ports to the other
 * machines — the logging channel is one of them — plus the engine host for the
 * arbiter, the view service and the clients. Faults on this machine's outgoing
 * links (cut, delay, drop) are applied here, by the transport; the protocol
 * never sees them.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Machine } from '../../core/machine/machine';
import { MemoryMap } from '../../core/image';
import { PAGE_BYTES } from '../../core/machine/memory';
import { Replica } from '../../core/ft/replica';
import { Primary } from '../../core/ft/primary';
import { Backup } from '../../core/ft/backup';
import { CheckpointPrimary } from '../../core/ft/checkpointScheme';
import { routeReply } from '../../core/ft/client';
import type { FtEvent } from '../../core/ft/events';
import { packOutputs, type OutputEvent } from '../../shared/packedOutputs';
import type { Message, NodeId } from '../../core/ft/protocol';
import type { FtSettings } from '../../core/ft/settings';
import type { Transport } from '../../core/ft/env';
import type { HostPort } from '../../core/machine/hostPort';
import { TRACE_ITEMS_MAX, type TraceItem } from '../../core/check/divergence';
import {
  assertNever,
  type HostToMachine,
  type LinkFaults,
  type MachineInit,
  type MachineStatus,
  type MachineToHost,
  type PeerEnvelope,
  type Observations,
  type PeerLink,
} from '../../shared/workerProtocol';
import { LiveClock } from './live/liveClock';
import { threadCpuMs } from './threadCpu';
import { LiveHostEnv } from './live/liveHostEnv';
import { LiveMachine } from './live/liveMachine';

const host = parentPort;
if (!host) throw new Error('machineWorker must run in a worker thread');
const toHost = (message: MachineToHost, transfer?: ArrayBuffer[]): void => host.postMessage(message, transfer ?? []);

/** Observations are sent to the engine host at most this often (or when this many pile up). */
const OBSERVE_MS = 10;
const OBSERVE_ITEMS_MAX = 512;
const STATUS_MS = 33;
const UART_TAIL_CHARS = 240;
const HELD_REPORTED_MAX = 16;
/** State hashes per observation period (heartbeats are rare: a bound, not a rate). */
const HASHES_MAX = 64;

interface Peer {
  readonly port: MessagePort;
  faults: LinkFaults;
  /** The link's doorbell (see PeerLink): rung at `ring` when sending, watched at 1 − ring. */
  readonly bell: Int32Array;
  readonly ring: 0 | 1;
  /** The watched counter's value when the port was last drained. */
  seen: number;
}

/**
 * Recording: periodic checkpoints at most this often (run-time ms), whatever the
 * instruction spacing — a fast primary (several 10^8 instructions/s) must not
 * snapshot at every heartbeat. Seeking re-executes at most ~this long.
 */
const CHECKPOINT_MIN_MS = 100;

/** A backup's slices are this many times the primary's (fewer slice overheads; it polls the channel). */
const BACKUP_SLICE_SCALE = 10;
/** Doorbell layout (Int32): [0, 1] the two directions' counters, [2, 3] "the watcher of counter i sleeps on it". */
const BELL_SLEEPING = 2;
/** How long a machine waiting for its partner spins on the doorbell before it sleeps on it (ms). */
const SPIN_MAX_MS = 2;
/** A primary waiting for an ack spins briefly (on 2 cores a long spin takes the core the backup and the engine host need). */
const SPIN_PRIMARY_MS = 0.1;
/** Longest sleep on the partner's doorbell before the event loop runs again (ms). */
const IDLE_WAIT_MS = 1;
/** The log batches' buffers (copies made by tapLog) move to the engine host, not copied again. */
const transferOf = (o: Observations): ArrayBuffer[] => {
  const t = o.logBatches.map((b) => b.bytes.buffer as ArrayBuffer);
  if (o.outputs !== null) t.push(o.outputs.cols.buffer as ArrayBuffer, o.outputs.bytes.buffer as ArrayBuffer);
  return t;
};
class MachineHost {
  readonly clock: LiveClock;
  readonly env: LiveHostEnv;
  readonly replica: Replica;
  readonly live: LiveMachine;
  readonly settings: FtSettings;
  private readonly peers = new Map<NodeId, Peer>();
  private events: FtEvent[] = [];
  /** Output events since the last report (sent packed), each with its place among `events`. */
  private outs: OutputEvent[] = [];
  private outSidePos: number[] = [];
  private outNode: number[] = [];
  private outNodes: NodeId[] = [];
  private logBatches: { epoch: number; bytes: Uint8Array }[] = [];
  private hashes: { icount: number; hash: string; role: 'primary' | 'backup' }[] = [];
  private deferredPeerMessages: PeerEnvelope[] = [];
  private deferredScheduled = false;
  /** Log traffic from the partner: when it last came, and the smoothed gap between arrivals (ms). */
  private lastArrivalMs = 0;
  private arrivalGapMs = 1000;
  private speedIps: number | 'max';
  private paceBase = { icount: 0, atMs: 0 };
  private stepLimit = Infinity;
  private stepCheck = false;
  private uartTail = '';
  /** Outputs are released in order: a released UART output at or below this index was shown when held. */
  private lastHeldUartIndex = -1;
  private guestStopped: string | null = null;
  private haltReason: string | null = null;
  private stalledAtIcount: number | null = null;
  private breakpointIcount: number | null = null;
  private readonly decoder = new TextDecoder();
  /** Recording: checkpoint spacing (instructions), or null; the next periodic checkpoint's icount. */
  private readonly checkpointEvery: number | null;
  private nextCheckpointIcount = Infinity;
  private nextCheckpointMs = 0;
  /** The last entry this machine logged (epoch, seq): where a checkpoint taken now belongs. */
  private lastLogged = { epoch: 0, seq: 0 };
  private readonly trace: { items: TraceItem[]; complete: boolean; validUntilIcount: number } = { items: [], complete: true, validUntilIcount: -1 };

  private traceItem(item: TraceItem): void {
    const t = this.trace;
    if (t.validUntilIcount >= 0) return;
    if (t.items.length >= TRACE_ITEMS_MAX) t.complete = false;
    else t.items.push(item);
  }

  constructor(init: MachineInit) {
    this.settings = init.settings;
    this.checkpointEvery = init.checkpointEvery ?? null;
    this.speedIps = init.speedIps;
    this.clock = new LiveClock(init.runStartAbsMs, init.pausedMs, init.paused);
    this.env = new LiveHostEnv(this.clock, init.hostId);
    this.env.slowFactor = init.slowFactor;
    for (const p of init.peers) this.addPeer(p);
    const transport: Transport = { send: (from, to, msg) => this.send(from, to, msg) };
    let live: LiveMachine | null = null;
    this.replica = new Replica({
      id: init.name,
      hostId: init.hostId,
      clock: this.clock,
      transport,
      env: this.env,
      emit: (ev) => this.observe(ev),
      settings: this.settings,
      makeMachine: (port, hostId) => {
        // What the machine consumes from outside is traced (bounded), for the divergence finder.
        const tracing: HostPort = {
          nondetRead: (source, half, icount) => {
            const value = port.nondetRead(source, half, icount) >>> 0;
            this.traceItem({ kind: 'read', icount, source, half, value });
            return value;
          },
          output: (out) => port.output(out),
        };
        const machine = new Machine({ port: tracing, ramBytes: init.ramBytes, harts: init.harts, hostId });
        machine.load(init.image);
        live = new LiveMachine(machine, {
          onDeliver: (event) => this.traceItem({ kind: 'inject', icount: machine.icount, event }),
          poll: () => this.poll(),
          allowedIcount: () => this.allowedIcount(),
          onBreakpoint: (pc) => this.onBreakpoint(pc),
          onSpeedSample: (n, ms) => this.onSpeedSample(n, ms),
        });
        return live;
      },
      machines: init.machines,
      arbiterNode: 'arbiter',
      viewServiceNode: 'vs',
      route: routeReply,
    });
    this.live = live!;
    this.clock.hurry = () => this.hurry();
    this.env.sliceScale = () => (this.replica.role === 'backup' && this.env.slowFactor === 1 ? BACKUP_SLICE_SCALE : 1);
    this.paceBase = { icount: this.live.icount, atMs: this.clock.now() };
    setInterval(() => this.flushObservations(), OBSERVE_MS).unref();
    setInterval(() => this.reportStatus(), STATUS_MS).unref();
  }

  // ---- transport ----
  private addPeer(link: PeerLink): void {
    const old = this.peers.get(link.name);
    old?.port.close();
    const port = link.port as MessagePort;
    const bell = new Int32Array(link.bell);
    const peer: Peer = { port, faults: old?.faults ?? { cut: false, delayMs: 0, dropProbability: 0 }, bell, ring: link.ring, seen: Atomics.load(bell, 1 - link.ring) };
    this.peers.set(link.name, peer);
    port.on('message', (env: PeerEnvelope) => {
      if (env.msg.type === 'log' || env.msg.type === 'ack') this.arrived();
      this.replica.onMessage(env.from, env.msg);
    });
  }

  /** Log traffic from the partner: how often it comes (how long it is worth spinning for the next). */
  private arrived(): void {
    const now = performance.now();
    const gap = now - this.lastArrivalMs;
    this.lastArrivalMs = now;
    this.arrivalGapMs = Math.min(1000, 0.8 * this.arrivalGapMs + 0.2 * gap);
  }

  /** Posts on a link, then rings its doorbell (and wakes the other end only if it sleeps on it: a notify costs µs). */
  private post(peer: Peer, envelope: PeerEnvelope): void {
    peer.port.postMessage(envelope);
    Atomics.add(peer.bell, peer.ring, 1);
    if (Atomics.load(peer.bell, BELL_SLEEPING + peer.ring) !== 0) Atomics.notify(peer.bell, peer.ring);
  }

  private send(from: NodeId, to: NodeId, msg: Message): void {
    const peer = this.peers.get(to);
    if (!peer) {
      // The engine host must know of an output before a client can accept it (the checkers compare):
      // a reply carries the observations before it (one message, not two).
      const observed = msg.type === 'reply' ? this.takeObservations() : null;
      if (observed === null) toHost({ type: 'send', to, msg });
      else toHost({ type: 'send', to, msg, observed }, transferOf(observed));
      return;
    }
    if (msg.type === 'log') this.tapLog(msg.epoch, msg.bytes);
    const f = peer.faults;
    if (f.cut) return;
    if (f.dropProbability > 0 && Math.random() < f.dropProbability) return;
    const envelope: PeerEnvelope = { from, msg };
    if (f.delayMs > 0) setTimeout(() => this.post(peer, envelope), f.delayMs);
    else this.post(peer, envelope);
  }

  /** A copy of every log batch shipped goes to the engine host (recorder, log window). */
  private tapLog(epoch: number, bytes: Uint8Array): void {
    this.logBatches.push({ epoch, bytes: bytes.slice() });
    if (this.logBatches.length >= OBSERVE_ITEMS_MAX) this.flushObservations();
  }

  /**
   * Between chunks of guest execution: take acknowledgements and log batches
   * from the partner now, when its doorbell says some wait.
   */
  private poll(): void {
    // Only the logging channel's other end matters here: the primary's backup, the backup's primary.
    // Its doorbell says whether anything waits: one atomic load, so this runs after every chunk.
    const peer = this.partner();
    if (peer === null || Atomics.load(peer.bell, 1 - peer.ring) === peer.seen) return;
    this.drain(peer);
  }

  private partner(): Peer | null {
    const l = this.replica.logic;
    const name = l instanceof Primary ? l.backup : l instanceof Backup ? l.primary : null;
    return name === null ? null : (this.peers.get(name) ?? null);
  }

  private drain(peer: Peer): void {
    // The count first: a message that arrives while draining rings again, and is taken at the next poll.
    peer.seen = Atomics.load(peer.bell, 1 - peer.ring);
    for (let i = 0; i < 64; i++) {
      const got = receiveMessageOnPort(peer.port);
      if (got === undefined) return;
      const env = got.message as PeerEnvelope;
      if (env.msg.type === 'log' || env.msg.type === 'ack') {
        this.arrived();
        this.replica.onMessage(env.from, env.msg);
      } else this.deferPeerMessage(env);
    }
  }

  /**
   * A machine with nothing to execute that waits for its partner — a primary
   * holding outputs until their ack, a backup that has replayed all it has —
   * sleeps on the partner's doorbell for a short while instead of going back
   * to the event loop (a timer there sleeps ≥ 1 ms; a port message wakes it
   * through the loop). True when it waited: the next slice is due at once.
   */
  private waitForPartner(): boolean {
    const l = this.replica.logic;
    const waits = (l instanceof Primary && l.backup !== null && l.rule.heldCount > 0) || (l instanceof Backup && !l.goingLive);
    if (!waits) return false;
    const peer = this.partner();
    if (peer === null || peer.faults.cut) return false;
    const watched = 1 - peer.ring;
    // Spin first: waking a sleeping thread takes 70–400 µs on this kind of VM, more than the round
    // trip itself, and spinning costs only time this machine had nothing else to do. A backup spins
    // while the log comes often enough — when it falls quiet (an idle guest: heartbeats only), it
    // sleeps almost at once; a primary holding outputs spins briefly, then sleeps until the ack.
    const spin = l instanceof Backup && this.arrivalGapMs <= SPIN_MAX_MS ? SPIN_MAX_MS : SPIN_PRIMARY_MS;
    const spinUntil = performance.now() + spin;
    while (Atomics.load(peer.bell, watched) === peer.seen) {
      if (performance.now() >= spinUntil) break;
    }
    if (Atomics.load(peer.bell, watched) !== peer.seen) {
      this.drain(peer);
      return true;
    }
    // Say we sleep, then sleep only if nothing rang since `seen` (wait compares atomically): no lost wake-up.
    Atomics.store(peer.bell, BELL_SLEEPING + watched, 1);
    const woke = Atomics.wait(peer.bell, watched, peer.seen, IDLE_WAIT_MS) !== 'timed-out';
    Atomics.store(peer.bell, BELL_SLEEPING + watched, 0);
    if (woke) this.drain(peer);
    // Either way the next slice comes at once (after the event loop's turn): still waiting, it sleeps
    // on the doorbell again rather than in a ≥ 1 ms timer.
    return true;
  }

  /** Role changes (state transfer, joins) are not taken in the middle of a slice. */
  private deferPeerMessage(env: PeerEnvelope): void {
    this.deferredPeerMessages.push(env);
    if (this.deferredScheduled) return;
    this.deferredScheduled = true;
    setImmediate(() => {
      this.deferredScheduled = false;
      const todo = this.deferredPeerMessages;
      this.deferredPeerMessages = [];
      for (const e of todo) this.replica.onMessage(e.from, e.msg);
    });
  }

  // ---- pacing ----
  private hurry(): boolean {
    if (this.clock.paused || this.env.slowFactor < 1) return false;
    if (this.replica.role !== 'primary' && this.replica.role !== 'backup') return false;
    // A primary slowed by flow control (its backup lags) waits for its timer: slowed, it uses less
    // CPU, instead of running many short slices back to back.
    const l = this.replica.logic;
    if (l instanceof Primary && l.throttled) {
      this.live.takeProgress();
      return false;
    }
    return this.live.takeProgress() > 0 || this.waitForPartner();
  }

  private allowedIcount(): number {
    if (this.replica.role !== 'primary') return Infinity;
    let limit = this.stepLimit;
    if (this.breakpointIcount !== null) limit = Math.min(limit, this.breakpointIcount);
    if (this.speedIps !== 'max') {
      const elapsed = Math.max(0, this.clock.now() - this.paceBase.atMs);
      limit = Math.min(limit, this.paceBase.icount + Math.floor((this.speedIps * elapsed) / 1000));
    }
    return limit;
  }

  private onSpeedSample(instructions: number, ms: number): void {
    if (ms <= 0 || this.env.slowFactor < 1) return;
    const rate = instructions / ms;
    // Only samples of busy execution say how fast the host is (a guest waiting in wfi runs little).
    if (instructions < 0.5 * this.env.fullSpeedPerMs * ms && rate < this.env.fullSpeedPerMs) return;
    this.env.fullSpeedPerMs = Math.max(1000, 0.7 * this.env.fullSpeedPerMs + 0.3 * rate);
  }

  private onBreakpoint(pc: number): void {
    this.breakpointIcount = this.live.icount;
    toHost({ type: 'breakpoint', pc, icount: this.live.icount });
  }

  private resetPace(): void {
    this.paceBase = { icount: this.live.icount, atMs: this.clock.now() };
  }

  /**
   * Recording: a snapshot of the machine now (between instructions), after
   * everything observed so far. Bounded: only at role changes, state transfers
   * and every `checkpointEvery` instructions of a primary; the recorder
   * hashes and compresses it on its own thread.
   */
  private checkpoint(resumesLog: boolean): void {
    if (this.checkpointEvery === null) return;
    const icount = this.live.icount;
    const at = resumesLog ? { epoch: this.replica.epoch, afterSeq: 0 } : { epoch: this.lastLogged.epoch, afterSeq: this.lastLogged.seq };
    if (resumesLog) this.lastLogged = { epoch: this.replica.epoch, seq: 0 };
    this.nextCheckpointIcount = icount + this.checkpointEvery;
    this.nextCheckpointMs = this.clock.now() + CHECKPOINT_MIN_MS;
    this.flushObservations();
    toHost({ type: 'checkpoint', ...at, icount, outputs: this.replica.outputs, resumesLog, snapshot: this.live.snapshot().data });
  }

  // ---- observation ----
  private observe(ev: FtEvent): void {
    if (this.checkpointEvery !== null) {
      if (ev.type === 'logged') {
        this.lastLogged = { epoch: this.replica.epoch, seq: ev.entry.seq };
        if (ev.entry.kind === 'heartbeat' && ev.entry.icount === this.live.icount && ev.entry.icount >= this.nextCheckpointIcount && this.clock.now() >= this.nextCheckpointMs) {
          this.checkpoint(false);
        }
      } else if ((ev.type === 'role' && ev.role === 'primary') || (ev.type === 'stateTransfer' && ev.from === this.replica.id)) {
        // The log of this machine (re)starts here: the event first, then the checkpoint.
        this.events.push(ev);
        this.checkpoint(true);
        return;
      }
    }
    switch (ev.type) {
      case 'logged':
      case 'replayed':
        if (ev.entry.kind === 'heartbeat' && this.live.icount === ev.entry.icount && this.hashes.length < HASHES_MAX) {
          this.hashes.push({ icount: ev.entry.icount, hash: this.live.stateHash(), role: ev.type === 'logged' ? 'primary' : 'backup' });
        }
        return; // per entry: carried as the shipped batches themselves
      case 'logSent':
        return;
      case 'output':
        // Each UART output once: when produced (held, discarded by a backup, re-sent), or when
        // released at once (a primary alone, or the output rule off).
        if (ev.device === 'uart' && (ev.fate !== 'released' || ev.index > this.lastHeldUartIndex)) {
          this.uartTail = (this.uartTail + this.decoder.decode(ev.bytes)).slice(-UART_TAIL_CHARS);
        }
        if (ev.device === 'uart' && ev.fate === 'held') this.lastHeldUartIndex = ev.index;
        break;
      case 'guestStopped':
        this.guestStopped = ev.detail;
        break;
      case 'role':
        if (ev.role === 'halted') this.haltReason = ev.reason;
        break;
      case 'stall':
        this.stalledAtIcount = this.live.icount;
        break;
      case 'stateInstalled':
        // Its past is now another machine's: the trace no longer describes its state.
        if (this.trace.validUntilIcount < 0) this.trace.validUntilIcount = this.live.icount;
        break;
      default:
        break;
    }
    if (ev.type === 'output') {
      let node = this.outNodes.indexOf(ev.node);
      if (node < 0) node = this.outNodes.push(ev.node) - 1;
      this.outs.push(ev);
      this.outSidePos.push(this.events.length);
      this.outNode.push(node);
    } else this.events.push(ev);
    if (this.events.length + this.outs.length >= OBSERVE_ITEMS_MAX) this.flushObservations();
  }

  private takeObservations(): Observations | null {
    if (this.events.length === 0 && this.outs.length === 0 && this.logBatches.length === 0 && this.hashes.length === 0) return null;
    const outputs = this.outs.length === 0 ? null : packOutputs(new Array<number>(this.outs.length).fill(0), this.outSidePos, this.outNode, this.outs);
    const observed: Observations = { events: this.events, outputs, outputNodes: this.outNodes, logBatches: this.logBatches, hashes: this.hashes };
    this.events = [];
    this.outs = [];
    this.outSidePos = [];
    this.outNode = [];
    this.outNodes = [];
    this.logBatches = [];
    this.hashes = [];
    return observed;
  }

  private flushObservations(): void {
    const observed = this.takeObservations();
    if (observed !== null) toHost({ type: 'observed', ...observed }, transferOf(observed));
  }

  status(): MachineStatus {
    const r = this.replica;
    const l = r.logic;
    const primary = l instanceof Primary ? l : null;
    const ckpt = l instanceof CheckpointPrimary ? l : null;
    const rule = primary?.rule ?? ckpt?.rule ?? null;
    const held = rule ? rule.heldOutputs() : [];
    const icount = this.live.icount;
    if (this.stalledAtIcount !== null && this.stalledAtIcount !== icount) this.stalledAtIcount = null;
    return {
      atMs: this.clock.now(),
      role: r.role,
      epoch: r.epoch,
      icount,
      pc: this.live.pc,
      outputs: r.outputs,
      paused: this.clock.paused,
      guestStopped: this.guestStopped,
      haltReason: this.haltReason,
      backup: primary?.backup ?? ckpt?.backup ?? null,
      ackedSeq: primary?.ackedSeq ?? 0,
      backupIcount: primary?.backupIcount ?? 0,
      logEntries: primary?.logEntries ?? 0,
      logBytes: primary?.logBytes ?? 0,
      heldCount: held.length,
      held: held.slice(0, HELD_REPORTED_MAX).map((o) => ({ index: o.index, icount: o.icount, device: o.device, needSeq: o.needSeq, heldAtMs: o.heldAtMs })),
      stalled: this.stalledAtIcount !== null,
      uartTail: this.uartTail,
      cpuMs: threadCpuMs(),
    };
  }

  /**
   * Observations first: a status must never be newer than the events before it
   * (a role read from a status before the role event arrived made the host's two
   * views of a new backup disagree — "no backup to compare" right after a state transfer).
   */
  private reportStatus(): void {
    this.flushObservations();
    toHost({ type: 'status', status: this.status() });
  }

  // ---- control ----
  onHost(message: HostToMachine): void {
    switch (message.type) {
      case 'init':
        throw new Error('machine already initialised');
      case 'peer':
        this.addPeer(message);
        return;
      case 'activate':
        if (this.replica.role === 'idle' && this.replica.logic === null) {
          this.replica.start(message.startAs);
          this.resetPace();
        }
        this.reportStatus();
        return;
      case 'deliver':
        this.replica.onMessage(message.from, message.msg);
        // A request for an idle primary: its next slice now, not at the end of a ≥ 1 ms timer.
        if (message.msg.type === 'request' && !this.clock.paused) this.clock.kick();
        return;
      case 'settings':
        Object.assign(this.settings, message.settings);
        return;
      case 'pause':
        this.clock.pause(message.pausedMs, message.atAbsMs);
        this.reportStatus(); // with every observation before it
        return;
      case 'resume':
        this.breakpointIcount = null;
        if (!message.keepStep) this.stepLimit = Infinity;
        this.clock.resume(message.pausedMs);
        this.resetPace();
        return;
      case 'step':
        this.stepLimit = this.live.icount + message.count;
        this.breakpointIcount = null;
        this.watchStep();
        return;
      case 'speed':
        this.speedIps = message.ips;
        this.resetPace();
        return;
      case 'slow':
        this.env.slowFactor = message.factor;
        return;
      case 'link': {
        const peer = this.peers.get(message.to);
        if (peer) peer.faults = message.faults;
        return;
      }
      case 'breakpoints':
        this.live.machine.breakpoints.clear();
        for (const a of message.addrs) this.live.machine.breakpoints.add(a >>> 0);
        return;
      case 'inspect': {
        const m = this.live.machine;
        const ramPages = m.ramBytes / PAGE_BYTES;
        const pages = message.pages
          .filter((p) => p >= 0 && p < ramPages)
          .map((index) => ({ index, bytes: m.readMemory(MemoryMap.ramBase + index * PAGE_BYTES, PAGE_BYTES) }));
        const regs = m.registers(0);
        toHost({
          type: 'inspected',
          id: message.id,
          inspection: {
            icount: m.icount,
            pc: m.pc,
            stateHash: m.stateHash(),
            ramBase: MemoryMap.ramBase,
            pageBytes: PAGE_BYTES,
            pageHashes: m.pageHashes(),
            pages,
            registers: [regs.pc, ...Array.from(regs.x)],
            csrs: m.csrs(0),
          },
        });
        return;
      }
      case 'trace':
        toHost({ type: 'traced', id: message.id, trace: { ...this.trace, icount: this.live.icount } });
        return;
      case 'flush':
        this.flushObservations();
        toHost({ type: 'flushed', id: message.id });
        return;
      case 'throw':
        throw new Error(`machine ${this.replica.id} crashed on request`);
      default:
        assertNever(message, 'host message');
    }
  }

  /** A step ends when the primary has executed its instructions (or cannot: not primary, guest stopped). */
  private watchStep(): void {
    this.stepCheck = true;
    const check = (): void => {
      if (!this.stepCheck || this.stepLimit === Infinity) return;
      const done = this.live.icount >= this.stepLimit || this.replica.role !== 'primary' || this.guestStopped !== null;
      if (done) {
        // The limit stays until the engine resumes: the primary holds at the step's end.
        this.stepCheck = false;
        toHost({ type: 'stepped', icount: this.live.icount });
        return;
      }
      setTimeout(check, 1);
    };
    check();
  }
}

let machineHost: MachineHost | null = null;
host.on('message', (message: HostToMachine) => {
  if (message.type === 'init') {
    if (machineHost) throw new Error('machine already initialised');
    machineHost = new MachineHost(message);
    toHost({ type: 'ready' });
    return;
  }
  machineHost?.onHost(message);
});
toHost({ type: 'booted' });
