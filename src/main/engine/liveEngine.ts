/**
 * The live engine (issue 5): three physical hosts A, B, C — each a
 * node:worker_threads worker running the FT core's Replica on a real guest
 * Machine — connected pairwise by MessageChannels (the primary ⇄ backup one is
 * the logging channel). The arbiter (test-and-set server or view service), the
 * clients and the "switch" for the service address live here, in the main
 * thread, on real timers. Faults are applied by whoever carries the message:
 * the sending worker's transport for machine links, this host for the
 * arbiter and clients, worker.terminate() for a crash.
 *
 * A worker that throws or exits is a crash of that machine; the engine never
 * dies with it.
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import { Client, clientAddress, type ClientEvent, type Operation, type Workload } from '../../core/ft/client';
import type { FtEvent } from '../../core/ft/events';
import type { Message, NodeId } from '../../core/ft/protocol';
import { SERVICE_ADDRESS } from '../../core/ft/protocol';
import { defaultSettings, type FtSettings } from '../../core/ft/settings';
import type { StartAs } from '../../core/ft/replica';
import { TestAndSetServer } from '../../core/ft/testAndSet';
import { ViewServer } from '../../core/ft/viewService';
import type { Random, Transport } from '../../core/ft/env';
import type { ProgramImage } from '../../core/image';
import { MemoryMap } from '../../core/image';
import type {
  ClientOpView,
  ClientsParams,
  ClientsView,
  FaultAction,
  FtEventView,
  LabState,
  LiveSettings,
  LogEntryKindName,
  LogEntryView,
  LogWindow,
  MachineName,
  MachineTarget,
  MachineView,
  MemoryDiff,
  MemoryDiffParams,
  NondetSourceName,
  VerdictView,
} from '../../shared/labApi';
import { packedCount, packedSidePos, unpackOutput } from '../../shared/packedOutputs';
import {
  assertNever,
  type HostToMachine,
  type LinkFaults,
  type MachineInit,
  type MachineInspection,
  type MachineStatus,
  type Observations,
  type PeerLink,
  type MachineToHost,
} from '../../shared/workerProtocol';
import { spawnWorker } from './spawnWorker';
import { absoluteNowMs, LiveClock } from './live/liveClock';
import { LogWindowBuffer } from './live/logWindow';
import { LiveChecks } from './live/liveChecks';
import { checkLinearizable, type Verdict } from '../../core/check/linearizability';
import { counterModel, kvModel } from '../../core/check/models';

export type MachineTrace = Extract<MachineToHost, { type: 'traced' }>['trace'];

export const MACHINE_NAMES: readonly MachineName[] = ['A', 'B', 'C'];
const STATE_PERIOD_MS = 33;
const RECENT_OPS_MAX = 40;
const TIMELINE_MAX = 2000;
/** Client operations the checkers keep per run (≈ 100 s of 4 clients at 1 ms); later ones are counted, not checked. */
const CHECKED_OPS_MAX = 100_000;
/** The state stream's verdict is at least this many times its last computing time old. */
const VERDICT_COST_FACTOR = 20;
const RAM_BYTES = 4 * 1024 * 1024;
const INSPECT_TIMEOUT_MS = 3000;
/** Execution slice: short enough for ≥ 10,000 injected packets a second and prompt control. */
const LIVE_TICK_MS = 0.1;
/** Backup lag above which the primary is slowed: at least this many instructions, or this much guest time at full speed. */
const LIVE_LAG_BOUND_ICOUNT = 5_000_000;
const LIVE_LAG_BOUND_MS = 100;
/** A link's doorbell: per direction an Int32 counter and a "sleeping on it" flag (see PeerLink). */
const newDoorbell = (): SharedArrayBuffer => new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
/** Longest a log entry waits in the primary's batch when no output needs it (ms). */
const LIVE_LOG_FLUSH_MS = 1;
/** Input packets handed to the guest's NIC per slice. */
const LIVE_INPUTS_PER_TICK = 8;

/** Everything the engine observes, for the recorder (src/main/recorder) and the checkers. */
export interface FtEventSink {
  (event: FtEvent, atMs: number): void;
}

/** A client operation as the recorder takes it: invoked (input), then completed (output). */
export type ClientOpRecord =
  | { readonly kind: 'invoke'; readonly id: number; readonly client: string; readonly op: string; readonly input: unknown }
  | { readonly kind: 'complete'; readonly id: number; readonly output: unknown };

/** A machine checkpoint for the recorder (SessionRecorder.checkpoint's input). */
export interface LiveCheckpoint {
  readonly icount: number;
  readonly snapshot: unknown;
  readonly outputs: number;
  readonly resumesLog: boolean;
}

export interface LiveEngineEvents {
  readonly state?: (state: LabState) => void;
  readonly logEntries?: (batch: { epoch: number; entries: readonly LogEntryView[]; total: number }) => void;
  readonly ftEvent?: (event: FtEventView) => void;
  readonly record?: FtEventSink;
  /** Every client operation, invoked and completed (recording). */
  readonly clientOp?: (op: ClientOpRecord) => void;
  /**
   * Machine checkpoints (recording), each given in its place among the
   * `record`ed log entries: after the entry it follows, before the next.
   */
  readonly checkpoint?: (node: MachineName, cp: LiveCheckpoint) => void;
  /** Checkpoint spacing in instructions while `checkpoint` is set (default CHECKPOINT_EVERY_LIVE). */
  readonly checkpointEvery?: number;
}

/** Live checkpoint spacing in instructions (and at most one per 100 ms: machineWorker CHECKPOINT_MIN_MS). */
export const CHECKPOINT_EVERY_LIVE = 4_000_000;

export interface LiveProgram {
  readonly file: string;
  readonly image: ProgramImage;
  readonly imageHash: string;
}

type MachineLife = 'parked' | 'running' | 'crashed';

interface MachineHandle {
  readonly name: MachineName;
  readonly worker: Worker;
  life: MachineLife;
  crashReason: string | null;
  status: MachineStatus | null;
  readonly ready: Promise<void>;
  prevIcount: number;
  prevAtMs: number;
  ips: number;
  arbiterCut: boolean;
  onStatus: (() => void) | null;
  /** Recording: the last log entry of this machine given to the recorder, and checkpoints waiting for theirs. */
  lastRecorded: { epoch: number; seq: number };
  pendingCheckpoints: Extract<MachineToHost, { type: 'checkpoint' }>[];
}

/**
 * Live timing defaults. Threads of a loaded host (2 shared cores) can stall for
 * tens of milliseconds: a 30 ms timeout declares a live primary dead. The
 * simulator keeps its own (virtual time never stalls).
 */
export const LIVE_HEARTBEAT_MS = 20;
export const LIVE_FAILURE_TIMEOUT_MS = 300;

export const defaultLiveSettings = (): LiveSettings => ({
  outputRule: true,
  arbiter: 'test-and-set',
  scheme: 'log',
  heartbeatMs: LIVE_HEARTBEAT_MS,
  failureTimeoutMs: LIVE_FAILURE_TIMEOUT_MS,
  autoRestoreBackup: true,
  loggedSources: ['cycle', 'time', 'seed', 'hostid', 'mtime'],
  harts: 1,
});

class MathRandom implements Random {
  next(): number {
    return Math.random();
  }
  int(n: number): number {
    return Math.floor(Math.random() * n);
  }
}

function resolveHost(target: string): MachineName | null {
  return (MACHINE_NAMES as readonly string[]).includes(target) ? (target as MachineName) : null;
}

export class LiveEngine {
  settings: LiveSettings = defaultLiveSettings();
  private program: LiveProgram | null = null;
  private machines = new Map<MachineName, MachineHandle>();
  private runState: LabState['run'] = 'empty';
  private runStartAbsMs = 0;
  private pausedMs = 0;
  private pausedAtAbs: number | null = null;
  private clock: LiveClock | null = null;
  private tas: TestAndSetServer | null = null;
  private vs: ViewServer | null = null;
  private arbiterUp = true;
  private serviceOwner: MachineName | null = null;
  private clients: Client[] = [];
  private clientSettings = { workload: 'counter' as Workload, count: 0, intervalMs: 5, requests: 1_000_000 };
  private clientsRunning = false;
  private nextOpId = 1;
  private readonly recentOps: ClientOpView[] = [];
  private opsCompleted = 0;
  private opsSent = 0;
  private retries = 0;
  private duplicates = 0;
  private readonly log = new LogWindowBuffer();
  private readonly timeline: FtEventView[] = [];
  private links: { cut: LabState['logChannel']['cut']; delayMs: number; dropProbability: number } = { cut: 'none', delayMs: 0, dropProbability: 0 };
  /** Directed machine links cut ("A>B"): the pair that was primary/backup when the cut happened. */
  private cutLinks = new Set<string>();
  private speedIps: number | 'max' = 'max';
  private breakpoints: number[] = [];
  private stateTimer: NodeJS.Timeout | null = null;
  private failovers = 0;
  private outputs = { produced: 0, released: 0, discardedByBackup: 0, resent: 0, heldUs: [] as number[] };
  checks = new LiveChecks();
  private verdictCache: { atMs: number; verdict: VerdictView; costMs: number } | null = null;
  private roles = new Map<NodeId, string>();
  private inspectId = 1;
  private readonly inspecting = new Map<number, (i: MachineInspection) => void>();
  private readonly tracing = new Map<number, (t: MachineTrace) => void>();
  private readonly flushing = new Map<number, () => void>();
  private stepWaiter: (() => void) | null = null;
  /** Workers of a new run start paused until all three are ready. */
  private booting = false;
  private hostIds = new Map<MachineName, number>();
  /** Operations of all clients, for the checker. */
  readonly operations: Operation[] = [];
  stopped = Promise.resolve();

  /** Client operations (and outputs) the checkers keep; a longer run is counted, not checked. */
  private readonly checkedOpsMax: number;

  constructor(
    private readonly events: LiveEngineEvents = {},
    limits: { readonly checkedOpsMax?: number } = {},
  ) {
    this.checkedOpsMax = limits.checkedOpsMax ?? CHECKED_OPS_MAX;
  }

  get loaded(): LiveProgram | null {
    return this.program;
  }

  get state(): LabState['run'] {
    return this.runState;
  }

  /** Milliseconds of run time (paused time excluded). */
  nowMs(): number {
    if (this.runStartAbsMs === 0) return 0;
    return (this.pausedAtAbs ?? absoluteNowMs()) - this.runStartAbsMs - this.pausedMs;
  }

  async load(program: LiveProgram): Promise<void> {
    await this.stop();
    this.program = program;
    this.runState = 'loaded';
    this.emitState();
  }

  // ---------------------------------------------------------------- run control
  /** `solo`: the primary runs alone (no backup: nothing logged) — the baseline of the FT overhead. */
  async start(opts: { paused?: boolean; solo?: boolean } = {}): Promise<void> {
    const program = this.program;
    if (!program) throw new Error('load a program first');
    await this.stop();
    this.resetRun();
    this.runStartAbsMs = absoluteNowMs();
    this.pausedMs = 0;
    this.pausedAtAbs = null;
    this.clock = new LiveClock(this.runStartAbsMs, 0, true);
    const transport: Transport = { send: (from, to, msg) => this.route(from, to, msg) };
    this.tas = new TestAndSetServer('arbiter', transport);
    const ft = this.ftSettings();
    this.vs = new ViewServer(
      'vs',
      this.clock,
      transport,
      { pingMs: ft.heartbeatMs, deadPings: Math.max(2, Math.ceil(ft.failureTimeoutMs / ft.heartbeatMs)) },
      (ev) => this.onFtEvent(ev),
    );
    const useVs = this.settings.arbiter === 'view-service';
    if (useVs) {
      this.vs.bootstrap({ num: 1, primary: 'A', backup: 'B' });
      this.vs.start();
    }
    // Three hosts, pairwise channels; A is primary, B its backup (epoch 1), C the spare.
    const links = new Map<string, { ch: MessageChannel; bell: SharedArrayBuffer }>();
    const linkFor = (a: MachineName, b: MachineName): PeerLink => {
      const key = [a, b].sort().join('');
      let l = links.get(key);
      if (!l) links.set(key, (l = { ch: new MessageChannel(), bell: newDoorbell() }));
      return a < b ? { name: b, port: l.ch.port1, bell: l.bell, ring: 0 } : { name: b, port: l.ch.port2, bell: l.bell, ring: 1 };
    };
    this.booting = true;
    for (const name of MACHINE_NAMES) {
      this.spawn(name, MACHINE_NAMES.filter((n) => n !== name).map((n) => linkFor(name, n)));
    }
    // Workers take a while to boot: the run (and its clock) begins when all three are ready,
    // and a fourth is booted for a quick restart of a crashed machine.
    this.warmUp();
    await Promise.all([...[...this.machines.values()].map((m) => m.ready), this.warmBooted]);
    this.booting = false;
    const crashed = [...this.machines.values()].find((h) => h.life === 'crashed');
    if (crashed) throw new Error(`machine ${crashed.name} failed to start: ${crashed.crashReason ?? 'unknown'}`);
    // Every machine takes its role while the run clock stands still, then all clocks start together:
    // a machine slow to start must not look dead to its partner.
    const shift = absoluteNowMs() - this.runStartAbsMs;
    this.pausedMs = shift;
    this.pausedAtAbs = this.runStartAbsMs + shift;
    this.broadcast({ type: 'pause', pausedMs: this.pausedMs, atAbsMs: this.pausedAtAbs });
    const viewNum = useVs ? 1 : 0;
    const activated = opts.solo
      ? [this.activate(this.machines.get('A')!, { role: 'primary', backup: null, epoch: 1, viewNum })]
      : [
          this.activate(this.machines.get('A')!, { role: 'primary', backup: 'B', epoch: 1, viewNum }),
          this.activate(this.machines.get('B')!, { role: 'backup', primary: 'A', epoch: 1, viewNum }),
        ];
    if (this.settings.autoRestoreBackup && !opts.solo) activated.push(this.activate(this.machines.get('C')!, { role: 'idle' }));
    await Promise.race([Promise.all(activated), new Promise((r) => setTimeout(r, 5000))]);
    if (!opts.paused) this.doResume();
    this.serviceOwner = 'A';
    this.runState = opts.paused ? 'paused' : 'running';
    this.startClients();
    this.stateTimer = setInterval(() => this.tickState(), STATE_PERIOD_MS);
    this.timelineEvent({ type: 'run', node: null, text: `run started: A primary, B backup, C spare (${this.settings.arbiter}, output rule ${this.settings.outputRule ? 'on' : 'off'})` });
  }

  private spawn(name: MachineName, peers: PeerLink[]): MachineHandle {
    const hostId = (this.hostIds.get(name) ?? 0x1000 + MACHINE_NAMES.indexOf(name) * 0x111) + 0x10000;
    this.hostIds.set(name, hostId);
    const worker = this.takeWarmWorker() ?? this.newWorker();
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const handle: MachineHandle = {
      name, worker, life: 'parked', crashReason: null, status: null, ready,
      prevIcount: 0, prevAtMs: 0, ips: 0, arbiterCut: false, onStatus: null,
      lastRecorded: { epoch: 0, seq: 0 }, pendingCheckpoints: [],
    };
    this.machines.set(name, handle);
    this.routes.set(worker, {
      message: (m) => {
        if (m.type === 'ready') markReady();
        else if (m.type !== 'booted') this.onMachineMessage(handle, m);
      },
      gone: (why) => this.onCrash(handle, why, markReady),
    });
    const init: MachineInit = {
      type: 'init',
      name,
      hostId,
      machines: MACHINE_NAMES,
      settings: this.ftSettings(),
      image: this.program!.image,
      ramBytes: RAM_BYTES,
      harts: this.settings.harts,
      runStartAbsMs: this.runStartAbsMs,
      pausedMs: this.pausedMs,
      paused: this.pausedAtAbs !== null || this.booting,
      speedIps: this.speedIps,
      slowFactor: 1,
      checkpointEvery: this.events.checkpoint ? (this.events.checkpointEvery ?? CHECKPOINT_EVERY_LIVE) : null,
      peers,
    };
    worker.postMessage(init, peers.map((p) => p.port as unknown as import('node:worker_threads').MessagePort));
    // Faults already in force on the links to and from this machine.
    this.pushLinkFaults();
    return handle;
  }

  /** A booted worker kept for restarts (booting one takes long: a restart must be quick). */
  private warm: Worker | null = null;

  private warmBooted: Promise<void> = Promise.resolve();
  /** Each worker's listeners are attached once and delegate here (re-attaching would stall its port). */
  private readonly routes = new WeakMap<Worker, { message: (m: MachineToHost) => void; gone: (why: string) => void }>();

  private newWorker(): Worker {
    const w = spawnWorker('machineWorker', {});
    w.on('message', (m: MachineToHost) => this.routes.get(w)?.message(m));
    w.on('error', (err) => this.routes.get(w)?.gone(`worker threw: ${err.message}`));
    w.on('exit', (code) => this.routes.get(w)?.gone(`worker exited with code ${code}`));
    return w;
  }

  private warmUp(): void {
    if (this.warm) return;
    const w = this.newWorker();
    this.warmBooted = new Promise<void>((resolve) => {
      this.routes.set(w, {
        message: (m) => m.type === 'booted' && resolve(),
        gone: () => {
          if (this.warm === w) this.warm = null;
          resolve();
        },
      });
    });
    this.warm = w;
  }

  private takeWarmWorker(): Worker | null {
    const w = this.warm;
    this.warm = null;
    return w;
  }

  async pause(): Promise<void> {
    if (this.runState !== 'running') return;
    this.pausedAtAbs = absoluteNowMs();
    this.clock?.pause(this.pausedMs, this.pausedAtAbs);
    this.broadcast({ type: 'pause', pausedMs: this.pausedMs, atAbsMs: this.pausedAtAbs });
    this.runState = 'paused';
    this.emitState();
  }

  async resume(): Promise<void> {
    if (this.runState !== 'paused') return;
    this.doResume();
    this.runState = 'running';
    this.emitState();
  }

  private doResume(keepStep = false): void {
    if (this.pausedAtAbs !== null) this.pausedMs += absoluteNowMs() - this.pausedAtAbs;
    this.pausedAtAbs = null;
    this.clock?.resume(this.pausedMs);
    this.broadcast({ type: 'resume', pausedMs: this.pausedMs, keepStep });
  }

  /** Paused: the primary executes `count` more instructions, the backup follows, then all pause again. */
  async step(count: number): Promise<void> {
    if (this.runState !== 'paused') throw new Error('step works when paused');
    const primary = this.primaryName();
    if (!primary) throw new Error('no primary to step');
    const done = new Promise<void>((resolve) => (this.stepWaiter = resolve));
    this.post(primary, { type: 'step', count }); // the limit first, then the clocks run
    this.doResume(true);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000));
    await Promise.race([done, timeout]);
    this.stepWaiter = null;
    // Let the backup take the last batch before freezing everyone.
    await new Promise((r) => setTimeout(r, 5));
    this.runState = 'running';
    await this.pause();
  }

  /** End the run and release every worker (the engine can start again). */
  async close(): Promise<void> {
    await this.stop();
    const w = this.takeWarmWorker();
    if (w) await w.terminate();
  }

  async stop(): Promise<void> {
    if (this.stateTimer) clearInterval(this.stateTimer);
    this.stateTimer = null;
    for (const c of this.clients) c.stop();
    this.clients = [];
    this.vs?.stop();
    this.clock?.cancelAll();
    const handles = [...this.machines.values()];
    for (const h of handles) if (h.life !== 'crashed') h.life = 'crashed';
    await Promise.all(handles.map((h) => h.worker.terminate().catch(() => 0)));
    this.machines.clear();
    if (this.runState === 'running' || this.runState === 'paused') {
      this.runState = 'stopped';
      this.timelineEvent({ type: 'run', node: null, text: 'run stopped' });
      this.emitState();
    }
  }

  setSpeed(ips: number | 'max'): void {
    this.speedIps = ips;
    this.broadcast({ type: 'speed', ips });
  }

  setSettings(patch: Partial<LiveSettings>): LiveSettings {
    const before = this.settings;
    this.settings = { ...this.settings, ...patch };
    if (patch.arbiter && patch.arbiter !== before.arbiter && this.vs) {
      if (patch.arbiter === 'view-service') this.vs.start();
      else this.vs.stop();
    }
    this.broadcast({ type: 'settings', settings: this.ftSettings() });
    if (patch.autoRestoreBackup) this.activateSpares();
    this.emitState();
    return this.settings;
  }

  setBreakpoints(addrs: readonly number[]): void {
    this.breakpoints = [...addrs];
    const p = this.primaryName();
    for (const h of this.machines.values()) {
      this.post(h.name, { type: 'breakpoints', addrs: h.name === p ? this.breakpoints : [] });
    }
  }

  /** Start a new backup from the primary by state transfer (the spare, or a restarted machine). */
  restoreRedundancy(): MachineName | null {
    const parked = [...this.machines.values()].find((h) => h.life === 'parked');
    if (!parked) return null;
    void this.activate(parked, { role: 'idle' });
    return parked.name;
  }

  private activateSpares(): void {
    for (const h of this.machines.values()) if (h.life === 'parked') void this.activate(h, { role: 'idle' });
  }

  /** Resolves when the machine has taken its role (its first status after activation). */
  private activate(h: MachineHandle, startAs: StartAs): Promise<void> {
    h.life = 'running';
    const taken = new Promise<void>((resolve) => (h.onStatus = resolve));
    if (!this.roles.has(h.name) || startAs.role !== 'idle') this.roles.set(h.name, startAs.role);
    this.post(h.name, { type: 'activate', startAs });
    if (startAs.role === 'idle') this.timelineEvent({ type: 'role', node: h.name, text: `${h.name} is a spare: it offers to become the backup (state transfer)` });
    return taken;
  }

  // ---------------------------------------------------------------- faults
  async injectFault(action: FaultAction): Promise<void> {
    if (this.runState !== 'running' && this.runState !== 'paused') throw new Error('start a run first');
    this.timelineEvent({ type: 'fault', node: null, text: describeFault(action) });
    this.events.record?.({ type: 'invariant', node: 'engine', detail: `fault: ${describeFault(action)}` }, this.nowMs());
    switch (action.kind) {
      case 'crash': {
        const name = this.resolve(action.target);
        if (!name) throw new Error(`no machine is ${action.target} now`);
        const h = this.machines.get(name)!;
        // Fail-stop at this instant: nothing the machine sends after it is routed (its worker may
        // still have messages on the way while it is being terminated).
        this.markCrashed(h, 'crashed (fault injected)');
        await h.worker.terminate();
        return;
      }
      case 'restart':
        return this.restart(action.target);
      case 'cutLog': {
        const p = this.primaryName();
        const b = this.resolve('backup');
        if (!p || !b) throw new Error('there is no logging channel to cut (no primary/backup pair)');
        if (action.direction !== 'backup-to-primary') this.cutLinks.add(`${p}>${b}`);
        if (action.direction !== 'primary-to-backup') this.cutLinks.add(`${b}>${p}`);
        this.links = { ...this.links, cut: action.direction };
        return this.pushLinkFaults();
      }
      case 'healLog':
        this.cutLinks.clear();
        this.links = { ...this.links, cut: 'none' };
        return this.pushLinkFaults();
      case 'delayLog':
        this.links = { ...this.links, delayMs: action.ms };
        return this.pushLinkFaults();
      case 'dropLog':
        this.links = { ...this.links, dropProbability: action.probability };
        return this.pushLinkFaults();
      case 'cutArbiter':
      case 'healArbiter': {
        const name = this.resolve(action.target);
        if (!name) throw new Error(`no machine is ${action.target} now`);
        this.machines.get(name)!.arbiterCut = action.kind === 'cutArbiter';
        return;
      }
      case 'crashArbiter':
        this.arbiterUp = false;
        this.vs?.stop();
        return;
      case 'slowBackup': {
        const b = this.resolve('backup');
        if (b) this.post(b, { type: 'slow', factor: action.factor });
        return;
      }
      case 'forgetToLog':
      case 'rememberToLog': {
        const set = new Set<NondetSourceName>(this.settings.loggedSources);
        if (action.kind === 'forgetToLog') set.delete(action.source);
        else set.add(action.source);
        this.setSettings({ loggedSources: [...set] });
        return;
      }
      case 'outputRule':
        this.setSettings({ outputRule: action.on });
        return;
      case 'arbiter':
        this.setSettings({ arbiter: action.arbiter });
        return;
      default:
        assertNever(action, 'fault');
    }
  }

  private restart(name: MachineName): void {
    const old = this.machines.get(name);
    if (old && old.life !== 'crashed') throw new Error(`${name} is not crashed`);
    const peers: PeerLink[] = [];
    for (const other of this.machines.values()) {
      if (other.name === name || other.life === 'crashed') continue;
      const ch = new MessageChannel();
      const bell = newDoorbell();
      peers.push({ name: other.name, port: ch.port1, bell, ring: 0 });
      other.worker.postMessage({ type: 'peer', name, port: ch.port2, bell, ring: 1 } satisfies HostToMachine, [ch.port2]);
    }
    const h = this.spawn(name, peers);
    this.warmUp();
    this.timelineEvent({ type: 'role', node: name, text: `${name} restarted empty: it may rejoin only by state transfer` });
    // A machine that reboots offers to rejoin at once (fail-recover); it gets state before it may serve.
    this.roles.set(name, 'idle');
    void h.ready.then(() => {
      if (h.life === 'parked') void this.activate(h, { role: 'idle' });
    });
  }

  /** Faults on machine ⇄ machine links, given to the sending side of each link. */
  private pushLinkFaults(): void {
    for (const from of this.machines.values()) {
      for (const to of MACHINE_NAMES) {
        if (to === from.name) continue;
        const faults: LinkFaults = {
          cut: this.cutLinks.has(`${from.name}>${to}`),
          delayMs: this.links.delayMs,
          dropProbability: this.links.dropProbability,
        };
        this.post(from.name, { type: 'link', to, faults });
      }
    }
  }

  // ---------------------------------------------------------------- clients
  clientsControl(p: ClientsParams): ClientsView {
    if (p.workload) this.clientSettings.workload = p.workload;
    if (p.count !== undefined) this.clientSettings.count = p.count;
    if (p.intervalMs !== undefined) this.clientSettings.intervalMs = p.intervalMs;
    if (p.action === 'start') {
      if (this.clientSettings.count === 0) this.clientSettings.count = 1;
      this.clientsRunning = true;
      if (this.runState === 'running' || this.runState === 'paused') this.startClients();
    } else {
      this.clientsRunning = false;
      for (const c of this.clients) c.stop();
      this.clients = [];
      if (p.action === 'reset') {
        this.recentOps.length = 0;
        this.opsSent = this.opsCompleted = this.retries = this.duplicates = 0;
      }
    }
    return this.clientsView();
  }

  /** Configure clients (scenarios): `requests` per client, then they stop. */
  configureClients(c: { workload: Workload; count: number; intervalMs: number; requests: number }): void {
    this.clientSettings = { ...c };
    this.clientsRunning = c.count > 0;
  }

  private startClients(): void {
    if (!this.clientsRunning || !this.clock) return;
    for (const c of this.clients) c.stop();
    this.clients = [];
    const s = this.clientSettings;
    const retryMs = this.settings.failureTimeoutMs * 2 + 20; // as the simulator's clients
    for (let i = 0; i < s.count; i++) {
      const client = new Client(
        i,
        { workload: s.workload, requests: s.requests, intervalMs: s.intervalMs, retryMs, historyMax: this.checkedOpsMax },
        this.clock,
        { send: (from, to, msg) => this.route(from, to, msg) },
        new MathRandom(),
        () => this.nextOpId++,
        (e) => this.onClientEvent(e),
      );
      this.clients.push(client);
      // Spread over the interval, as the simulator does (closed loops keep their phases apart).
      client.start(1 + i * 0.37 + (i * s.intervalMs) / s.count);
    }
  }

  get clientsDone(): boolean {
    return this.clients.length > 0 && this.clients.every((c) => c.done);
  }

  private onClientEvent(e: ClientEvent): void {
    switch (e.type) {
      case 'invoke':
        this.opsSent++;
        if (this.operations.length < this.checkedOpsMax) this.operations.push(e.op);
        else this.checks.freeze();
        this.events.clientOp?.({ kind: 'invoke', id: e.op.id, client: `c${e.op.client}`, op: e.op.input.op, input: e.op.input });
        this.pushOp({ client: e.op.client, op: describeOp(e.op), result: null, invokedMs: e.op.callMs, completedMs: null });
        return;
      case 'complete': {
        this.events.clientOp?.({ kind: 'complete', id: e.op.id, output: e.op.output });
        this.opsCompleted++;
        this.wakeAckWaiters();
        const view = this.recentOps.find((o) => o.client === e.op.client && o.invokedMs === e.op.callMs && o.result === null);
        if (view) Object.assign(view, { result: String(e.op.output), completedMs: e.op.retMs });
        return;
      }
      case 'duplicate':
        this.duplicates++;
        this.pushOp({ client: e.client, op: `reply #${e.outSeq}`, result: 'duplicate, discarded', invokedMs: this.nowMs(), completedMs: this.nowMs() });
        return;
      case 'timeout':
        this.retries++;
        return;
      default:
        assertNever(e, 'client event');
    }
  }

  private pushOp(op: ClientOpView): void {
    this.recentOps.push(op);
    if (this.recentOps.length > RECENT_OPS_MAX) this.recentOps.shift();
  }

  private ackWaiters: { n: number; resolve: () => void }[] = [];

  /**
   * Resolves as soon as `n` client operations have completed — in the same
   * turn as the completion (a microtask), before the engine handles any other
   * machine message: a fault triggered by client acks happens exactly there.
   */
  acksReached(n: number): Promise<void> {
    if (this.opsCompleted >= n) return Promise.resolve();
    return new Promise((resolve) => this.ackWaiters.push({ n, resolve }));
  }

  private wakeAckWaiters(): void {
    if (this.ackWaiters.length === 0) return;
    const due = this.ackWaiters.filter((w) => this.opsCompleted >= w.n);
    this.ackWaiters = this.ackWaiters.filter((w) => this.opsCompleted < w.n);
    for (const w of due) w.resolve();
  }

  private icountWaiters: { n: number; resolve: () => void }[] = [];

  /** Resolves when the primary reports an icount ≥ `n` (in the turn its status arrives). */
  icountReached(n: number): Promise<void> {
    if (this.primaryIcount() >= n) return Promise.resolve();
    return new Promise((resolve) => this.icountWaiters.push({ n, resolve }));
  }

  private wakeIcountWaiters(): void {
    const icount = this.primaryIcount();
    const due = this.icountWaiters.filter((w) => icount >= w.n);
    this.icountWaiters = this.icountWaiters.filter((w) => icount < w.n);
    for (const w of due) w.resolve();
  }

  get duplicatesDiscarded(): number {
    return this.duplicates;
  }

  // ---------------------------------------------------------------- routing
  /** Messages to and from the nodes that live in this thread (arbiter, view service, clients, the switch). */
  private route(from: NodeId, to: NodeId, msg: Message): void {
    if (to === SERVICE_ADDRESS) {
      if (msg.type === 'announce') {
        const h = resolveHost(from);
        if (h) this.serviceOwner = h;
        return;
      }
      if (this.serviceOwner) this.deliver(from, this.serviceOwner, msg);
      return;
    }
    const machine = resolveHost(to);
    if (machine) return this.deliver(from, machine, msg);
    if (to === 'arbiter' || to === 'vs') {
      const src = resolveHost(from);
      if (!this.arbiterUp || (src && this.machines.get(src)?.arbiterCut)) return;
      if (to === 'arbiter') this.tas?.onMessage(from, msg);
      else if (this.settings.arbiter === 'view-service') this.vs?.onMessage(from, msg);
      return;
    }
    const client = this.clients.find((c) => c.address === to);
    if (client) {
      const src = resolveHost(from);
      if (src && msg.type === 'reply') this.serviceOwner = src; // the switch learns where the service is
      client.onMessage(from, msg);
    }
  }

  private deliver(from: NodeId, to: MachineName, msg: Message): void {
    const h = this.machines.get(to);
    if (!h || h.life === 'crashed') return;
    if ((from === 'arbiter' || from === 'vs') && (h.arbiterCut || !this.arbiterUp)) return;
    this.post(to, { type: 'deliver', from, msg });
  }

  private post(name: MachineName, message: HostToMachine): void {
    const h = this.machines.get(name);
    if (!h || h.life === 'crashed') return;
    h.worker.postMessage(message);
  }

  private broadcast(message: HostToMachine): void {
    for (const h of this.machines.values()) this.post(h.name, message);
  }

  // ---------------------------------------------------------------- observation
  private onObserved(h: MachineHandle, m: Observations): void {
    const at = this.nowMs();
    this.batches += m.logBatches.length;
    for (const b of m.logBatches) {
      for (const entry of this.log.add(b.epoch, b.bytes)) {
        this.events.record?.({ type: 'logged', node: h.name, entry }, at);
        h.lastRecorded = { epoch: b.epoch, seq: entry.seq };
        if (h.pendingCheckpoints.length > 0) this.placeCheckpoints(h);
      }
    }
    // A machine that crashed stays dead for the checkers: no late role change from its last batch.
    // Output events came packed; each goes back in its place among the others (before event sidePos).
    const nOut = packedCount(m.outputs);
    let q = 0;
    for (let k = 0; k <= m.events.length; k++) {
      while (q < nOut && packedSidePos(m.outputs!, q) <= k) this.onFtEvent(unpackOutput(m.outputs!, q++, m.outputNodes));
      const ev = m.events[k];
      if (ev !== undefined && (h.life !== 'crashed' || ev.type !== 'role')) this.onFtEvent(ev);
    }
    this.checks.hashes(h.name, m.hashes);
  }

  private onMachineMessage(h: MachineHandle, m: Exclude<MachineToHost, { type: 'ready' | 'booted' }>): void {
    switch (m.type) {
      case 'send':
        if (m.observed) this.onObserved(h, m.observed);
        if (h.life !== 'crashed') this.route(h.name, m.to, m.msg); // fail-stop: a dead machine says nothing
        return;
      case 'observed':
        this.onObserved(h, m);
        return;
      case 'status': {
        const s = m.status;
        if (h.status && s.atMs > h.prevAtMs + 1) {
          h.ips = ((s.icount - h.prevIcount) * 1000) / (s.atMs - h.prevAtMs);
        }
        h.prevIcount = s.icount;
        h.prevAtMs = s.atMs;
        h.status = s;
        h.onStatus?.();
        h.onStatus = null;
        if (this.icountWaiters.length > 0) this.wakeIcountWaiters();
        return;
      }
      case 'checkpoint':
        if (h.life === 'crashed' || !this.events.checkpoint) return;
        h.pendingCheckpoints.push(m);
        this.placeCheckpoints(h);
        return;
      case 'stepped':
        this.stepWaiter?.();
        return;
      case 'breakpoint':
        this.timelineEvent({ type: 'run', node: h.name, text: `breakpoint at pc 0x${m.pc.toString(16)}`, icount: m.icount, pc: m.pc });
        void this.pause();
        return;
      case 'inspected':
        this.inspecting.get(m.id)?.(m.inspection);
        this.inspecting.delete(m.id);
        return;
      case 'traced':
        this.tracing.get(m.id)?.(m.trace);
        this.tracing.delete(m.id);
        return;
      case 'flushed':
        this.flushing.get(m.id)?.();
        this.flushing.delete(m.id);
        return;
      default:
        assertNever(m, 'machine message');
    }
  }

  /** Give the recorder each checkpoint of `h` once the log entries before it are recorded (in order). */
  private placeCheckpoints(h: MachineHandle): void {
    while (h.pendingCheckpoints.length > 0) {
      const cp = h.pendingCheckpoints[0]!;
      const placed = cp.afterSeq === 0 || (h.lastRecorded.epoch === cp.epoch && h.lastRecorded.seq >= cp.afterSeq);
      if (!placed) {
        // A later checkpoint of a newer log makes an unplaceable older one moot (its entries never came).
        if (h.pendingCheckpoints.length > 4) h.pendingCheckpoints.shift();
        return;
      }
      h.pendingCheckpoints.shift();
      this.events.checkpoint?.(h.name, { icount: cp.icount, snapshot: cp.snapshot, outputs: cp.outputs, resumesLog: cp.resumesLog });
    }
  }

  private onCrash(h: MachineHandle, why: string, markReady: () => void): void {
    markReady();
    if (h.life === 'crashed') return;
    this.markCrashed(h, `crashed: ${why}`);
  }

  /** The machine is dead from now on (a fault, or its worker threw or exited). */
  private markCrashed(h: MachineHandle, reason: string): void {
    if (h.life === 'crashed') return;
    const wasRunning = this.runState === 'running' || this.runState === 'paused';
    h.crashReason = reason;
    h.life = 'crashed';
    if (!wasRunning) return;
    this.roles.set(h.name, 'crashed');
    this.checks.closeLive(h.name, this.nowMs());
    this.timelineEvent({ type: 'crash', node: h.name, text: `${h.name} ${h.crashReason}` });
    this.events.record?.({ type: 'role', node: h.name, role: 'halted', reason: h.crashReason }, this.nowMs());
    if (this.serviceOwner === h.name) {
      // The service address stays where it was until someone announces it (clients time out meanwhile).
    }
  }

  private onFtEvent(ev: FtEvent): void {
    const at = this.nowMs();
    this.events.record?.(ev, at);
    this.checks.observe(ev, at);
    switch (ev.type) {
      case 'output':
        this.onOutput(ev, at);
        return;
      case 'role': {
        const prev = this.roles.get(ev.node);
        this.roles.set(ev.node, ev.role);
        if (ev.role === 'primary' && prev === 'backup') this.failovers++;
        this.timelineEvent({ type: prev === 'backup' && ev.role === 'primary' ? 'failover' : 'role', node: ev.node, text: `${ev.node} is ${ev.role}: ${ev.reason}` });
        if (ev.role === 'primary' && this.breakpoints.length > 0) this.setBreakpoints(this.breakpoints);
        return;
      }
      case 'divergence':
        this.timelineEvent({ type: 'divergence', node: ev.node, text: `${ev.node} diverged: ${ev.detail}`, icount: ev.icount, pc: ev.pc });
        return;
      case 'suspect':
        this.timelineEvent({ type: 'suspect', node: ev.node, text: `${ev.node} hears nothing from ${ev.peer} for ${ev.silenceMs.toFixed(1)} ms` });
        return;
      case 'arbitration':
        this.timelineEvent({ type: 'arbitration', node: ev.node, text: `${ev.node} ${ev.won ? 'may go live' : 'must halt'}: ${ev.how}` });
        return;
      case 'stateTransfer':
        this.timelineEvent({ type: 'stateTransfer', node: ev.from, text: `state transfer ${ev.from} → ${ev.to}: ${ev.bytes} bytes (epoch ${ev.epoch})` });
        return;
      case 'stateInstalled':
        this.timelineEvent({ type: 'stateInstalled', node: ev.node, text: `${ev.node} installed the state from ${ev.from}: it is the new backup` });
        return;
      case 'checkpoint':
        return;
      case 'stall':
        this.timelineEvent({ type: 'stall', node: ev.node, text: `${ev.node} stalls: ${ev.reason}` });
        return;
      case 'view':
        this.timelineEvent({ type: 'view', node: 'vs', text: `view ${ev.view.num}: primary ${ev.view.primary ?? '—'}, backup ${ev.view.backup ?? '—'} (${ev.why})` });
        return;
      case 'invariant':
        this.timelineEvent({ type: 'invariant', node: ev.node, text: ev.detail });
        return;
      case 'guestStopped':
        this.timelineEvent({ type: 'guestStopped', node: ev.node, text: `${ev.node}: guest stopped (${ev.detail})` });
        return;
      case 'logged':
      case 'logSent':
        return;
      default:
        return; // per-entry observations (replayed, …) go to the recorder only
    }
  }

  private onOutput(ev: Extract<FtEvent, { type: 'output' }>, _at: number): void {
    if (ev.fate === 'released') {
      this.outputs.released++;
      if (ev.heldMs !== undefined) {
        this.outputs.heldUs.push(ev.heldMs * 1000);
        if (this.outputs.heldUs.length > 4096) this.outputs.heldUs.splice(0, 2048);
      }
    } else if (ev.fate === 'discarded') this.outputs.discardedByBackup++;
    else if (ev.fate === 'resent') this.outputs.resent++;
    else this.outputs.produced++;
  }

  private timelineEvent(e: Omit<FtEventView, 'atMs'>): void {
    const ev: FtEventView = { atMs: Math.round(this.nowMs() * 1000) / 1000, ...e };
    this.timeline.push(ev);
    if (this.timeline.length > TIMELINE_MAX) this.timeline.shift();
    this.events.ftEvent?.(ev);
  }

  get timelineEvents(): readonly FtEventView[] {
    return this.timeline;
  }

  private rate = { atMs: 0, entries: 0, perSec: 0 };
  private batches = 0;

  private tickState(): void {
    const now = this.nowMs();
    if (now - this.rate.atMs >= 250) {
      this.rate = { atMs: now, entries: this.log.total, perSec: ((this.log.total - this.rate.entries) * 1000) / Math.max(1, now - this.rate.atMs) };
    }
    const tail = this.log.takeTail();
    if (tail) this.events.logEntries?.(tail);
    this.emitState();
  }

  private emitState(): void {
    this.events.state?.(this.snapshotState());
  }

  // ---------------------------------------------------------------- queries
  primaryName(): MachineName | null {
    let best: MachineHandle | null = null;
    for (const h of this.machines.values()) {
      if (h.life !== 'running' || h.status?.role !== 'primary') continue;
      if (!best || (h.status.epoch ?? 0) > (best.status?.epoch ?? 0)) best = h;
    }
    if (best) return best.name;
    for (const [node, role] of this.roles) {
      const h = this.machines.get(node as MachineName);
      if (role === 'primary' && h && h.life === 'running') return h.name;
    }
    return null;
  }

  private resolve(target: MachineTarget): MachineName | null {
    const direct = resolveHost(target);
    if (direct) return direct;
    const live = [...this.machines.values()].filter((h) => h.life !== 'crashed');
    const roleOf = (h: MachineHandle) => this.roles.get(h.name) ?? h.status?.role ?? (h.life === 'parked' ? 'idle' : 'unknown');
    switch (target) {
      case 'primary':
        return this.primaryName();
      case 'backup':
        return live.find((h) => roleOf(h) === 'backup')?.name ?? null;
      case 'spare':
        return live.find((h) => roleOf(h) === 'idle')?.name ?? null;
      default:
        return null;
    }
  }

  private ftSettings(): FtSettings {
    const d = defaultSettings();
    const s = this.settings;
    return {
      ...d,
      outputRule: s.outputRule,
      arbiter: s.arbiter,
      scheme: s.scheme,
      heartbeatMs: s.heartbeatMs,
      failureTimeoutMs: s.failureTimeoutMs,
      loggedSources: [...s.loggedSources],
      // Live machines run ~100 M instructions/s (the simulator's virtual ones 5 M): slices are
      // shorter (a packet is injected per slice) and the lag bound is in real instructions.
      tickMs: LIVE_TICK_MS,
      // A deeper pipeline than the simulator's: a MessageChannel round trip is ~0.1 ms of real time,
      // and a live guest logs up to ~10^5 reads a second. Still bounded (a batch that does not fit
      // is refused and re-sent); nextStopIcount is O(1) amortised, so depth costs nothing per call.
      eventBufferEntries: 65_536,
      // Entries with no output behind them travel in batches of up to ~1 ms (an output sends at once);
      // packets arriving faster than slices reach the guest's NIC together (it queues 16).
      logFlushMs: LIVE_LOG_FLUSH_MS,
      inputsPerTick: LIVE_INPUTS_PER_TICK,
      flow: { ...d.flow, lagBoundIcount: LIVE_LAG_BOUND_ICOUNT, lagBoundMs: LIVE_LAG_BOUND_MS, logBufferEntries: 4096 },
    };
  }

  clientsView(): ClientsView {
    return {
      running: this.clientsRunning,
      workload: this.clientSettings.workload,
      count: this.clientSettings.count,
      intervalMs: this.clientSettings.intervalMs,
      sent: this.opsSent,
      completed: this.opsCompleted,
      retries: this.retries,
      duplicatesDiscarded: this.duplicates,
      recent: this.recentOps.map((o) => ({ ...o })),
    };
  }

  /** Linearizability of each workload's history (bounded search: may be 'unknown'). */
  linearizability(): { linearizable: Verdict | null; unorderable: string[] } {
    const byWorkload = new Map<Workload, Operation[]>();
    for (const op of this.operations) {
      const w: Workload = op.input.op === 'increment' ? 'counter' : 'kv';
      const list = byWorkload.get(w) ?? [];
      list.push(op);
      byWorkload.set(w, list);
    }
    if (byWorkload.size === 0) return { linearizable: null, unorderable: [] };
    let linearizable: Verdict = true;
    const unorderable: string[] = [];
    for (const [w, ops] of byWorkload) {
      const model = w === 'counter' ? counterModel : kvModel;
      const r = checkLinearizable(model as typeof counterModel, ops);
      if (r.linearizable === false) {
        linearizable = false;
        unorderable.push(...r.core.slice(0, 12).map((o) => model.describe(o)));
      } else if (r.linearizable === 'unknown' && linearizable === true) linearizable = 'unknown';
    }
    return { linearizable, unorderable };
  }

  accepted(): { outSeq: number; bytes: Uint8Array }[] {
    return this.clients.flatMap((c) => c.accepted);
  }

  /**
   * The checkers' verdict, recomputed at most every `maxAgeMs` — and, for the
   * state stream, never more often than keeps the checkers under ~5 % of the
   * engine host's time (a run's history only grows: checking it costs more as
   * it goes).
   */
  verdict(maxAgeMs = 1000): VerdictView {
    const now = this.nowMs();
    const age = maxAgeMs > 0 ? Math.max(maxAgeMs, VERDICT_COST_FACTOR * (this.verdictCache?.costMs ?? 0)) : 0;
    if (this.verdictCache && now - this.verdictCache.atMs < age) return this.verdictCache.verdict;
    const t0 = performance.now();
    const lin = this.linearizability();
    const verdict: VerdictView = {
      linearizable: lin.linearizable,
      splitBrain: this.checks.splitBrain().found,
      lostAckedOutputs: this.checks.lostAckedOutputs(this.accepted(), this.primaryName()),
      diverged: this.checks.divergence !== null,
      witness: lin.unorderable,
      checkedOps: this.checks.frozenAtIndex !== null ? this.operations.length : null,
    };
    this.verdictCache = { atMs: now, verdict, costMs: performance.now() - t0 };
    return verdict;
  }

  get counters() {
    const statuses = [...this.machines.values()].map((h) => h.status).filter((s): s is MachineStatus => s !== null);
    return {
      failovers: this.failovers,
      logEntries: this.log.total,
      logBytes: statuses.reduce((n, s) => n + s.logBytes, 0),
      outputs: { ...this.outputs },
      instructions: Object.fromEntries([...this.machines.values()].map((h) => [h.name, h.status?.icount ?? 0])) as Record<MachineName, number>,
    };
  }

  snapshotState(): LabState {
    const primary = this.primaryName();
    const pStatus = primary ? this.machines.get(primary)!.status : null;
    // Each machine reports on its own (≤ 30 Hz): the primary's report can be older than its
    // backup's. The backup only replays what the primary executed, so the primary is at least
    // where its backup is — show that, never a backup ahead of its primary.
    const backupNow = [...this.machines.values()].find((h) => h.life !== 'crashed' && h.status?.role === 'backup')?.status?.icount ?? 0;
    const primaryIcount = Math.max(pStatus?.icount ?? 0, backupNow);
    const machines: MachineView[] = MACHINE_NAMES.map((name) => {
      const h = this.machines.get(name);
      const s = h?.status ?? null;
      const crashed = !h || h.life === 'crashed';
      const role = crashed ? 'halted' : h.life === 'parked' ? 'spare' : s?.role === 'idle' ? 'spare' : (s?.role ?? 'spare');
      let state: MachineView['state'];
      if (!h) state = 'idle';
      else if (h.life === 'crashed') state = 'crashed';
      else if (role === 'halted' || s?.guestStopped) state = 'halted';
      else if (role === 'spare') state = 'idle';
      else if (this.runState === 'paused') state = 'paused';
      else if (s?.stalled) state = 'stalled';
      else if (role === 'primary' && s?.backup === null) state = 'live';
      else state = 'running';
      return {
        name,
        role,
        state,
        icount: name === primary ? primaryIcount : (s?.icount ?? 0),
        pc: s?.pc ?? MemoryMap.ramBase,
        lagIcount: role === 'backup' && pStatus ? Math.max(0, primaryIcount - (s?.icount ?? 0)) : 0,
        ips: Math.round(h?.ips ?? 0),
        reason: h?.life === 'crashed' ? h.crashReason : (s?.haltReason ?? s?.guestStopped ?? null),
        uartTail: s?.uartTail ?? '',
      };
    });
    const now = this.nowMs();
    const heldSorted = [...this.outputs.heldUs].sort((a, b) => a - b);
    const cutFrom = [...this.machines.values()].filter((h) => h.arbiterCut).map((h) => h.name);
    return {
      atMs: Math.round(now),
      run: this.runState,
      program: this.program ? { file: this.program.file, imageHash: this.program.imageHash } : null,
      sessionId: null,
      speed: { ips: this.speedIps },
      settings: this.settings,
      epoch: pStatus?.epoch ?? 0,
      machines,
      logChannel: {
        entries: this.log.total,
        bytes: pStatus?.logBytes ?? 0,
        batches: this.batches,
        ackedSeq: pStatus?.ackedSeq ?? 0,
        entriesPerSec: Math.round(this.rate.perSec),
        cut: this.links.cut,
        delayMs: this.links.delayMs,
        dropProbability: this.links.dropProbability,
      },
      outputs: {
        produced: this.outputs.released + (pStatus?.heldCount ?? 0),
        released: this.outputs.released,
        held: pStatus?.heldCount ?? 0,
        discardedByBackup: this.outputs.discardedByBackup,
        duplicatesDiscarded: this.duplicates,
        heldUsMedian: heldSorted.length ? Math.round(heldSorted[heldSorted.length >> 1]!) : null,
      },
      heldOutputs: (pStatus?.held ?? []).map((o) => ({
        index: o.index, icount: o.icount, device: o.device, needSeq: o.needSeq, heldUs: Math.max(0, Math.round((now - o.heldAtMs) * 1000)),
      })),
      arbiter: {
        kind: this.settings.arbiter,
        up: this.arbiterUp,
        view: this.settings.arbiter === 'view-service' && this.vs ? { ...this.vs.view } : null,
        cutFrom,
      },
      failovers: this.failovers,
      clients: this.clientsView(),
      verdict: this.verdict(),
    };
  }

  getLogWindow(fromSeq: number | undefined, count: number, kinds?: readonly LogEntryKindName[]): LogWindow {
    return this.log.window(fromSeq, count, kinds);
  }

  private inspect(name: MachineName, pages: readonly number[]): Promise<MachineInspection> {
    const h = this.machines.get(name);
    if (!h || h.life === 'crashed') return Promise.reject(new Error(`machine ${name} is not running`));
    const id = this.inspectId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.inspecting.delete(id);
        reject(new Error(`machine ${name} did not answer`));
      }, INSPECT_TIMEOUT_MS);
      this.inspecting.set(id, (i) => {
        clearTimeout(timer);
        resolve(i);
      });
      h.worker.postMessage({ type: 'inspect', id, pages } satisfies HostToMachine);
    });
  }

  /** What machine `name` consumed from outside (reads, injected events), or null if it is not running. */
  traceOf(name: MachineName): Promise<MachineTrace | null> {
    const h = this.machines.get(name);
    if (!h || h.life === 'crashed') return Promise.resolve(null);
    const id = this.inspectId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.tracing.delete(id);
        resolve(null);
      }, INSPECT_TIMEOUT_MS);
      this.tracing.set(id, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
      h.worker.postMessage({ type: 'trace', id } satisfies HostToMachine);
    });
  }

  /** Page hashes of both machines first; then the bytes of differing pages only. */
  async memoryDiff(p: MemoryDiffParams): Promise<MemoryDiff> {
    const left = this.resolve(p.left ?? 'primary');
    const right = this.resolve(p.right ?? 'backup');
    if (!left || !right) throw new Error(`no ${!left ? (p.left ?? 'primary') : (p.right ?? 'backup')} to compare`);
    const [l0, r0] = await Promise.all([this.inspect(left, []), this.inspect(right, [])]);
    const differing: number[] = [];
    const n = Math.min(l0.pageHashes.length, r0.pageHashes.length);
    for (let i = 0; i < n; i++) if (l0.pageHashes[i] !== r0.pageHashes[i]) differing.push(i);
    const wanted = p.pages ? [...p.pages] : differing.slice(0, p.pagesMax ?? 4);
    const [l1, r1] = wanted.length ? await Promise.all([this.inspect(left, wanted), this.inspect(right, wanted)]) : [l0, r0];
    const pages = wanted.map((index) => {
      const lb = l1.pages.find((x) => x.index === index)?.bytes ?? new Uint8Array(0);
      const rb = r1.pages.find((x) => x.index === index)?.bytes ?? new Uint8Array(0);
      return { index, addr: l0.ramBase + index * l0.pageBytes, leftBase64: Buffer.from(lb).toString('base64'), rightBase64: Buffer.from(rb).toString('base64') };
    });
    let firstDifference: MemoryDiff['firstDifference'] = null;
    const first = differing[0];
    if (first !== undefined) {
      const lp = l1.pages.find((x) => x.index === first)?.bytes;
      const rp = r1.pages.find((x) => x.index === first)?.bytes;
      if (lp && rp) {
        const k = lp.findIndex((b, i) => b !== rp[i]);
        if (k >= 0) firstDifference = { addr: l0.ramBase + first * l0.pageBytes + k, left: lp[k]!, right: rp[k]! };
      }
    }
    const regNames = ['pc', ...Array.from({ length: 32 }, (_, i) => `x${i}`)];
    return {
      left: { name: left, icount: l1.icount, pc: l1.pc, stateHash: l1.stateHash },
      right: { name: right, icount: r1.icount, pc: r1.pc, stateHash: r1.stateHash },
      ramBase: l0.ramBase,
      pageBytes: l0.pageBytes,
      totalPages: n,
      differingPages: differing,
      pages,
      registers: regNames.map((name, i) => ({ name, left: l1.registers[i]! >>> 0, right: r1.registers[i]! >>> 0 })),
      csrs: Object.keys(l1.csrs).map((name) => ({ name, left: l1.csrs[name]!, right: r1.csrs[name] ?? 0 })),
      firstDifference,
    };
  }

  /** Deliver a packet from outside to whichever machine holds the service address (benchmarks). */
  injectPacket(bytes: Uint8Array): void {
    this.route('bench', SERVICE_ADDRESS, { type: 'request', bytes });
  }

  /** The view service's current view (view-service arbiter), for reports. */
  viewServiceState(): { view: number; primary: string | null; backup: string | null; acked: boolean } | null {
    if (this.settings.arbiter !== 'view-service' || !this.vs) return null;
    return { view: this.vs.view.num, primary: this.vs.view.primary, backup: this.vs.view.backup, acked: this.vs.acked };
  }

  resolveTarget(target: MachineTarget): MachineName | null {
    return this.resolve(target);
  }

  /** CPU time (ms) the primary's thread has used, or null where unknown. */
  primaryCpuMs(): number | null {
    const p = this.primaryName();
    return p ? (this.machines.get(p)?.status?.cpuMs ?? null) : null;
  }

  /** The primary's latest status report (benchmarks: whether it has a backup, its CPU time), or null. */
  primaryStatus(): MachineStatus | null {
    const p = this.primaryName();
    return p ? (this.machines.get(p)?.status ?? null) : null;
  }

  primaryIcount(): number {
    const p = this.primaryName();
    return p ? (this.machines.get(p)?.status?.icount ?? 0) : 0;
  }

  roleMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of MACHINE_NAMES) {
      const h = this.machines.get(name);
      out[name] = !h || h.life === 'crashed' ? 'crashed' : h.life === 'parked' ? 'idle' : (this.roles.get(name) ?? h.status?.role ?? 'idle');
    }
    return out;
  }

  /** Wait until every machine has reported its latest observations and status. */
  async settle(): Promise<void> {
    await new Promise((r) => setTimeout(r, 50));
  }

  /**
   * Pause, then wait until every running machine has reported all it observed
   * (a flush barrier on each machine's port), so that counters read now are
   * the ones the recorder has seen: a summary taken after `drain` agrees with
   * the recorded session. A machine that does not answer within the inspect
   * timeout is not waited for.
   */
  async drain(): Promise<void> {
    await this.pause();
    const live = [...this.machines.values()].filter((h) => h.life !== 'crashed');
    await Promise.all(live.map((h) => this.flush(h)));
  }

  private flush(h: MachineHandle): Promise<void> {
    const id = this.inspectId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.flushing.delete(id);
        resolve();
      }, INSPECT_TIMEOUT_MS);
      this.flushing.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      h.worker.postMessage({ type: 'flush', id } satisfies HostToMachine);
    });
  }

  /** Test hook: make a machine's worker throw (a crash that is not a terminate). */
  throwIn(target: MachineTarget): void {
    const name = this.resolve(target);
    if (name) this.post(name, { type: 'throw' });
  }

  private resetRun(): void {
    this.log.clear();
    this.timeline.length = 0;
    this.recentOps.length = 0;
    this.operations.length = 0;
    this.opsSent = this.opsCompleted = this.retries = this.duplicates = 0;
    this.failovers = 0;
    this.outputs = { produced: 0, released: 0, discardedByBackup: 0, resent: 0, heldUs: [] };
    this.checks = new LiveChecks();
    this.verdictCache = null;
    this.rate = { atMs: 0, entries: 0, perSec: 0 };
    this.batches = 0;
    this.roles.clear();
    this.arbiterUp = true;
    this.links = { cut: 'none', delayMs: 0, dropProbability: 0 };
    this.cutLinks.clear();
    this.nextOpId = 1;
  }
}

function describeOp(op: Operation): string {
  const i = op.input;
  switch (i.op) {
    case 'increment':
      return 'increment';
    case 'put':
      return `put k${i.key}=${i.value}`;
    case 'get':
      return `get k${i.key}`;
    case 'append':
      return `append k${i.key}+${i.value}`;
    default:
      return assertNever(i, 'op');
  }
}

export function describeFault(a: FaultAction): string {
  switch (a.kind) {
    case 'crash':
      return `crash ${a.target}`;
    case 'restart':
      return `restart ${a.target}`;
    case 'cutLog':
      return `cut the logging channel (${a.direction})`;
    case 'healLog':
      return 'heal the logging channel';
    case 'cutArbiter':
      return `cut ${a.target} from the arbiter`;
    case 'healArbiter':
      return `reconnect ${a.target} to the arbiter`;
    case 'crashArbiter':
      return 'crash the arbiter';
    case 'delayLog':
      return `delay log messages by ${a.ms} ms`;
    case 'dropLog':
      return `drop log messages with probability ${a.probability}`;
    case 'slowBackup':
      return `slow the backup to ×${a.factor}`;
    case 'forgetToLog':
      return `forget to log ${a.source}`;
    case 'rememberToLog':
      return `log ${a.source} again`;
    case 'outputRule':
      return `output rule ${a.on ? 'on' : 'off'}`;
    case 'arbiter':
      return `arbiter: ${a.arbiter}`;
    default:
      return assertNever(a, 'fault');
  }
}

export { clientAddress };
