/**
 * The scenario runner: builds a world (three hosts, the network, the
 * arbiter, the view service, clients), applies the fault plan, runs it in
 * virtual time, then checks it (linearizability, split brain, lost outputs,
 * divergence). Single-threaded and seeded: the same scenario and seed give
 * the same report, byte for byte.
 */
import { clientAddress, Client, type ClientEvent, type Operation, routeReply, type Workload } from '../ft/client';
import type { FtEvent } from '../ft/events';
import type { HostPort, MachineOutput, NondetSource } from '../machine/hostPort';
import type { NodeId } from '../ft/protocol';
import { Replica } from '../ft/replica';
import type { MachineFactory, ReplicaMachine } from '../ft/replicaMachine';
import { ALL_SOURCES, defaultSettings, type FtSettings } from '../ft/settings';
import { TestAndSetServer } from '../ft/testAndSet';
import { ViewServer } from '../ft/viewService';
import { checkLinearizable, type Verdict } from '../check/linearizability';
import { counterModel, kvModel } from '../check/models';
import { findDivergence, TRACE_ITEMS_MAX, type DivergenceReport, type Trace } from '../check/divergence';
import { hex, lostAckedOutputs, safetyViolations, splitBrain, type LiveRecord } from '../check/invariants';
import { describeFault, type Fault, type MachineRef } from './faultPlan';
import { SimHost } from './host';
import { SimNetwork } from './network';
import { Prng } from './prng';
import type { Scenario } from './scenario';
import { NodeClock, Scheduler } from './virtualClock';

/** Builds a loaded machine for a host; multicore hosts take the interleaving quantum from `quantum`. */
export type SimMachineFactory = (port: HostPort, hostId: number, quantum: () => number) => ReplicaMachine;

export interface RunOptions {
  readonly machine: SimMachineFactory;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Virtual guest speed: instructions per ms (default 5000). */
  readonly instructionsPerMs?: number;
  /** Scheduler events before giving up (bounded run). */
  readonly eventsMax?: number;
  /** Every protocol event, for recorders and the UI (optional). */
  readonly onEvent?: (t: number, ev: FtEvent) => void;
  /** Re-execute to localise a divergence (default true). */
  readonly findDivergence?: boolean;
  /** Judge safety as if the output rule, the arbiter and logging were all on (tests of the checkers). */
  readonly judgeAsSafe?: boolean;
}

export interface RunReport {
  engine: 'sim';
  scenario: string;
  seed: number;
  virtualMs: number;
  instructions: { primary: number; backup: number; machines: Record<string, number> };
  log: { entries: number; bytes: number; wireBytes: number; bytesPerMillionInstructions: number };
  checkpoints: { count: number; bytes: number; bytesPerMillionInstructions: number };
  stateTransfers: { count: number; bytes: number };
  outputs: { released: number; held: number; discardedByBackup: number; resent: number; discardedDuplicates: number };
  outputLatencyMs: { median: number; p99: number; max: number };
  failovers: number;
  roles: Record<string, string>;
  splitBrain: boolean;
  splitBrainDetail: string | null;
  linearizable: Verdict;
  unorderable: string[];
  lostAckedOutputs: number;
  diverged: boolean;
  divergence: (DivergenceReport & { detectedBy: string }) | null;
  clients: { ops: number; completed: number; pending: number; completedAfterLastFault: number };
  /** Machines whose guest halted or trapped without a handler: why. */
  guestStops: Record<string, string>;
  viewService: { view: number; primary: string | null; backup: string | null; acked: boolean } | null;
  faults: string[];
  violations: string[];
  truncated: boolean;
}

const MACHINE_IDS = ['A', 'B', 'C'] as const;
const HOST_IDS: Record<string, number> = { A: 0x4a11ce01, B: 0x0b0b0b02, C: 0x0cccc003 };

function latencyMs(from: NodeId, to: NodeId): number {
  const isMachine = (n: NodeId) => n === 'A' || n === 'B' || n === 'C';
  if (isMachine(from) && isMachine(to)) return 0.1;
  if (from.startsWith('client') || to.startsWith('client')) return 0.25;
  return 0.2;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

interface MachineSlot {
  readonly id: NodeId;
  readonly clock: NodeClock;
  readonly host: SimHost;
  readonly replica: Replica;
  readonly trace: Trace;
  /** Trace valid until this machine installed foreign state (−1: still valid). */
  traceEndIcount: number;
  /** Icount at which it stopped being the initial backup (compare limit for divergence). */
  backupUntil: number;
  crashed: boolean;
  readonly ledger: Map<number, string>;
  readonly live: LiveRecord & { releases: LiveRecord['releases'] };
}

export function runScenario(sc: Scenario, opts: RunOptions): RunReport {
  const seed = opts.seed ?? sc.seed;
  const rng = new Prng(seed);
  const sched = new Scheduler();
  const ipms = opts.instructionsPerMs ?? 5000;
  const settings: FtSettings = {
    ...defaultSettings(),
    outputRule: sc.settings.outputRule,
    arbiter: sc.settings.arbiter,
    scheme: sc.settings.scheme,
    heartbeatMs: sc.settings.heartbeatMs,
    failureTimeoutMs: sc.settings.failureTimeoutMs,
    checkpointMs: sc.settings.checkpointMs,
  };
  const ids: NodeId[] = MACHINE_IDS.slice(0, 2 + sc.settings.spares);
  const net = new SimNetwork(sched, rng.fork('network'), new Set(ids), latencyMs);
  const now = (): number => sched.nowMs;

  // ---- observation ----
  let loggedEntries = 0;
  let logBytes = 0;
  let checkpointCount = 0;
  let checkpointBytes = 0;
  let transferCount = 0;
  let transferBytes = 0;
  let released = 0;
  let held = 0;
  let discarded = 0;
  let resent = 0;
  let failovers = 0;
  const latencies: number[] = [];
  const invariantViolations: string[] = [];
  let onlineDivergence: { node: string; icount: number; pc: number; detail: string } | null = null;
  let hashMismatch: { icount: number } | null = null;
  const primaryHashes = new Map<string, string>();
  const slots = new Map<NodeId, MachineSlot>();
  const faultLog: string[] = [];
  const guestStops: Record<string, string> = {};
  let lastFaultMs = -1;

  const slotOf = (n: NodeId): MachineSlot | undefined => slots.get(n);
  const closeLive = (s: MachineSlot): void => {
    const last = s.live.intervals[s.live.intervals.length - 1];
    if (last && last.end === Infinity) last.end = now();
  };

  const emitFor = (ev: FtEvent): void => {
    opts.onEvent?.(now(), ev);
    switch (ev.type) {
      case 'logged': {
        loggedEntries++;
        if (ev.entry.kind === 'heartbeat' || ev.entry.kind === 'packet' || ev.entry.kind === 'timer') {
          const s = slotOf(ev.node);
          if (s) primaryHashes.set(`${ev.node}:${ev.entry.seq}:${ev.entry.icount}`, s.replica.machine.stateHash());
        }
        break;
      }
      case 'replayed': {
        const s = slotOf(ev.node);
        const primary = (s?.replica.logic as { primary?: string } | null)?.primary;
        const key = `${primary}:${ev.entry.seq}:${ev.entry.icount}`;
        const want = primaryHashes.get(key);
        if (s && want !== undefined && hashMismatch === null && s.replica.machine.stateHash() !== want) {
          hashMismatch = { icount: ev.entry.icount };
        }
        primaryHashes.delete(key);
        if (primaryHashes.size >= 4096) primaryHashes.clear();
        break;
      }
      case 'logSent':
        logBytes += ev.bytes;
        break;
      case 'output': {
        const s = slotOf(ev.node);
        if (s && !s.ledger.has(ev.index)) s.ledger.set(ev.index, hex(ev.bytes));
        if (ev.fate === 'released') {
          released++;
          latencies.push(ev.heldMs ?? 0);
          s?.live.releases.push({ t: now(), index: ev.index, key: hex(ev.bytes) });
        } else if (ev.fate === 'held') held++;
        else if (ev.fate === 'discarded') discarded++;
        else if (ev.fate === 'resent') {
          resent++;
          s?.live.releases.push({ t: now(), index: ev.index, key: hex(ev.bytes) });
        }
        break;
      }
      case 'role': {
        const s = slotOf(ev.node);
        if (!s) break;
        if (ev.role === 'primary') {
          s.live.intervals.push({ start: now(), end: Infinity });
          if (ev.reason === 'went live') failovers++;
        } else closeLive(s);
        if (s.id === 'B' && ev.role !== 'backup' && s.backupUntil < 0) s.backupUntil = s.replica.machine.icount;
        break;
      }
      case 'stateTransfer':
        transferCount++;
        transferBytes += ev.bytes;
        break;
      case 'stateInstalled': {
        const s = slotOf(ev.node);
        const from = slotOf(ev.from);
        if (s && from) {
          s.ledger.clear();
          for (const [k, v] of from.ledger) if (k < ev.outputs) s.ledger.set(k, v);
          if (s.traceEndIcount < 0) s.traceEndIcount = s.replica.machine.icount;
          if (s.id === 'B' && s.backupUntil < 0) s.backupUntil = 0;
        }
        primaryHashes.clear();
        break;
      }
      case 'checkpoint':
        checkpointCount++;
        checkpointBytes += ev.bytes;
        break;
      case 'divergence':
        onlineDivergence ??= { node: ev.node, icount: ev.icount, pc: ev.pc, detail: ev.detail };
        break;
      case 'invariant':
        if (invariantViolations.length < 20) invariantViolations.push(`${ev.node}: ${ev.detail}`);
        break;
      case 'guestStopped':
        if (!(ev.node in guestStops)) guestStops[ev.node] = ev.detail;
        break;
      case 'suspect':
      case 'arbitration':
      case 'stall':
      case 'view':
        break;
      default: {
        const never: never = ev;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  };

  // ---- machines ----
  ids.forEach((id, k) => {
    const clock = new NodeClock(sched);
    const host = new SimHost(now, rng.fork(`entropy-${id}`), HOST_IDS[id]!, ipms, 0.013 * (k + 1));
    const trace: Trace = { items: [], complete: true };
    const push = (item: Trace['items'][number]): void => {
      if (slot.traceEndIcount >= 0) return;
      if (trace.items.length >= TRACE_ITEMS_MAX) trace.complete = false;
      else trace.items.push(item);
    };
    const interleave = rng.fork(`interleave-${id}`);
    let machineRef: ReplicaMachine | null = null;
    const factory: MachineFactory = (port, hostId) => {
      const tracing: HostPort = {
        nondetRead: (source: NondetSource, half: 'lo' | 'hi', icount: number) => {
          const value = port.nondetRead(source, half, icount) >>> 0;
          push({ kind: 'read', icount, source, half, value });
          return value;
        },
        output: (out: MachineOutput) => port.output(out),
      };
      const quantum = (): number => {
        const value = 200 + interleave.int(400);
        push({ kind: 'quantum', icount: machineRef?.icount ?? 0, value });
        return value;
      };
      const inner = opts.machine(tracing, hostId, quantum);
      const wrapped: ReplicaMachine = {
        get icount() { return inner.icount; },
        get pc() { return inner.pc; },
        run: (t) => inner.run(t),
        deliver: (ev) => {
          push({ kind: 'inject', icount: inner.icount, event: ev });
          inner.deliver(ev);
        },
        wantsTimer: (m) => inner.wantsTimer(m),
        snapshot: () => inner.snapshot(),
        restore: (d) => inner.restore(d),
        stateHash: () => inner.stateHash(),
        takeDirtyBytes: () => inner.takeDirtyBytes(),
      };
      machineRef = wrapped;
      return wrapped;
    };
    const replica = new Replica({
      id, hostId: HOST_IDS[id]!, clock, transport: net, env: host, emit: emitFor, settings, makeMachine: factory,
      machines: ids, arbiterNode: 'arbiter', viewServiceNode: 'vs', route: routeReply,
    });
    const ledger = new Map<number, string>();
    const slot: MachineSlot = {
      id, clock, host, replica, trace, traceEndIcount: -1, backupUntil: -1, crashed: false, ledger,
      live: { node: id, intervals: [], releases: [], ledger },
    };
    slots.set(id, slot);
    net.register(id, (from, msg) => replica.onMessage(from, msg));
  });

  // ---- arbiters ----
  const tas = new TestAndSetServer('arbiter', net);
  net.register('arbiter', (from, msg) => tas.onMessage(from, msg));
  const vsClock = new NodeClock(sched);
  const vs = new ViewServer('vs', vsClock, net, { pingMs: settings.heartbeatMs, deadPings: Math.max(2, Math.ceil(settings.failureTimeoutMs / settings.heartbeatMs)) }, emitFor);
  net.register('vs', (from, msg) => vs.onMessage(from, msg));
  const useVs = settings.arbiter === 'view-service';
  if (useVs) {
    vs.bootstrap({ num: 1, primary: 'A', backup: 'B' });
    vs.start();
  }

  slots.get('A')!.replica.start({ role: 'primary', backup: 'B', epoch: 1, viewNum: useVs ? 1 : 0 });
  slots.get('B')!.replica.start({ role: 'backup', primary: 'A', epoch: 1, viewNum: useVs ? 1 : 0 });
  slots.get('C')?.replica.start({ role: 'idle' });

  // ---- clients ----
  const clients: { client: Client; workload: Workload }[] = [];
  let opIds = 0;
  let acks = 0;
  const ackWatchers: { n: number; fire: () => void }[] = [];
  const onClient = (e: ClientEvent): void => {
    if (e.type !== 'complete') return;
    acks++;
    for (let i = ackWatchers.length - 1; i >= 0; i--) {
      if (acks >= ackWatchers[i]!.n) {
        const w = ackWatchers.splice(i, 1)[0]!;
        sched.after(0, w.fire);
      }
    }
  };
  const retryMs = settings.failureTimeoutMs * 2 + 20;
  for (const g of sc.clients) {
    for (let k = 0; k < g.count; k++) {
      const index = clients.length;
      const clock = new NodeClock(sched);
      const client = new Client(index, { workload: g.workload, requests: g.requests, intervalMs: g.intervalMs, retryMs }, clock, net, rng.fork(`client-${index}`), () => opIds++, onClient);
      net.register(clientAddress(index), (from, msg) => client.onMessage(from, msg));
      // Clients of a group are spread over its interval (closed loops keep their phases apart).
      client.start(1 + index * 0.37 + (k * g.intervalMs) / g.count);
      clients.push({ client, workload: g.workload });
    }
  }

  // ---- faults ----
  const roleHolder = (role: 'primary' | 'backup'): MachineSlot | undefined =>
    [...slots.values()].find((s) => !s.crashed && s.replica.role === role);
  const resolve = (ref: MachineRef): MachineSlot | undefined => {
    if (ref === 'primary' || ref === 'backup') return roleHolder(ref);
    if (ref === 'crashed') return [...slots.values()].filter((s) => s.crashed).pop();
    return slots.get(ref);
  };
  const machinePairs = (): [NodeId, NodeId][] => ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => [a, b] as [NodeId, NodeId]));
  const crash = (s: MachineSlot | undefined): void => {
    if (!s || s.crashed) return;
    s.crashed = true;
    s.clock.kill();
    s.replica.stop();
    net.setAlive(s.id, false);
    closeLive(s);
    if (s.id === 'B' && s.backupUntil < 0) s.backupUntil = s.replica.machine.icount;
  };
  const apply = (f: Fault): void => {
    faultLog.push(`${now().toFixed(3)}ms ${describeFault(f)}`);
    lastFaultMs = now();
    switch (f.do) {
      case 'crash-primary':
        return crash(roleHolder('primary'));
      case 'crash-backup':
        return crash(roleHolder('backup'));
      case 'crash':
        return crash(resolve(f.target));
      case 'crash-arbiter':
        vsClock.kill();
        net.setAlive('arbiter', false);
        net.setAlive('vs', false);
        return;
      case 'restart': {
        const s = resolve(f.target);
        if (!s || !s.crashed) return;
        s.crashed = false;
        net.setAlive(s.id, true);
        if (s.traceEndIcount < 0) s.traceEndIcount = s.replica.machine.icount;
        s.replica.restartIdle();
        return;
      }
      case 'cut-log': {
        const p = roleHolder('primary');
        const b = roleHolder('backup');
        if (!p || !b) return;
        if (f.direction !== 'to-primary') net.link(p.id, b.id).cut = true;
        if (f.direction !== 'to-backup') net.link(b.id, p.id).cut = true;
        return;
      }
      case 'heal-log':
        for (const [a, b] of machinePairs()) net.link(a, b).cut = false;
        return;
      case 'cut-arbiter':
      case 'heal-arbiter': {
        const s = resolve(f.target);
        if (!s) return;
        for (const arb of ['arbiter', 'vs']) {
          net.link(s.id, arb).cut = f.do === 'cut-arbiter';
          net.link(arb, s.id).cut = f.do === 'cut-arbiter';
        }
        return;
      }
      case 'delay-log':
        for (const [a, b] of machinePairs()) net.link(a, b).extraDelayMs = f.ms;
        return;
      case 'drop-log':
        for (const [a, b] of machinePairs()) net.link(a, b).dropRate = f.rate;
        return;
      case 'duplicate-log':
        for (const [a, b] of machinePairs()) net.link(a, b).duplicateRate = f.rate;
        return;
      case 'reorder-log':
        for (const [a, b] of machinePairs()) net.link(a, b).reorderMs = f.ms;
        return;
      case 'normal-log':
        for (const [a, b] of machinePairs()) Object.assign(net.link(a, b), { dropRate: 0, duplicateRate: 0, extraDelayMs: 0, reorderMs: 0 });
        return;
      case 'slow-backup': {
        const s = roleHolder('backup');
        if (s) s.host.speed = f.factor;
        return;
      }
      case 'output-rule-off':
        settings.outputRule = false;
        return;
      case 'output-rule-on':
        settings.outputRule = true;
        return;
      case 'arbitration-off':
        settings.arbiter = 'none';
        return;
      case 'forget-to-log':
        settings.loggedSources = settings.loggedSources.filter((s) => s !== f.source);
        return;
      default: {
        const never: never = f;
        throw new Error(`unknown fault ${JSON.stringify(never)}`);
      }
    }
  };
  const icountWatch: { n: number; f: Fault }[] = [];
  for (const f of sc.faults) {
    if ('ms' in f.at) sched.after(f.at.ms, () => apply(f));
    else if ('clientAcks' in f.at) ackWatchers.push({ n: f.at.clientAcks, fire: () => apply(f) });
    else icountWatch.push({ n: f.at.primaryIcount, f });
  }
  if (icountWatch.length > 0) {
    const watchClock = new NodeClock(sched);
    const watch = (): void => {
      const p = roleHolder('primary');
      const ic = p ? p.replica.machine.icount : 0;
      for (let i = icountWatch.length - 1; i >= 0; i--) {
        if (ic >= icountWatch[i]!.n) apply(icountWatch.splice(i, 1)[0]!.f);
      }
      if (icountWatch.length > 0) watchClock.setTimer(0.25, watch);
    };
    watchClock.setTimer(0, watch);
  }

  // ---- run ----
  const finished = sched.runUntil(sc.stop.ms, opts.eventsMax ?? 5_000_000);
  for (const s of slots.values()) {
    s.replica.stop();
    closeLive(s);
  }
  for (const c of clients) c.client.stop();

  // ---- verdicts ----
  const lin = (workload: Workload, ops: Operation[]) => (workload === 'counter' ? checkLinearizable(counterModel, ops) : checkLinearizable(kvModel, ops));
  let linearizable: Verdict = true;
  const unorderable: string[] = [];
  for (const w of ['counter', 'kv'] as const) {
    const ops = clients.filter((c) => c.workload === w).flatMap((c) => c.client.history);
    if (ops.length === 0) continue;
    const r = lin(w, ops);
    if (r.linearizable === false) {
      linearizable = false;
      const model = w === 'counter' ? counterModel : kvModel;
      unorderable.push(...r.core.slice(0, 12).map((o) => model.describe(o)));
    } else if (r.linearizable === 'unknown' && linearizable === true) linearizable = 'unknown';
  }
  const live = [...slots.values()].filter((s) => !s.crashed && s.replica.role === 'primary');
  const survivor = live.length > 0 ? live[live.length - 1]! : null;
  const accepted = clients.flatMap((c) => c.client.accepted);
  const lost = lostAckedOutputs(accepted, survivor ? survivor.ledger : null);
  const sb = splitBrain([...slots.values()].map((s) => s.live));

  // Divergence: reported by the backup, or state hashes differing at a heartbeat.
  // (Assigned inside callbacks: re-read through a widened type.)
  const online = onlineDivergence as { node: string; icount: number; pc: number; detail: string } | null;
  const mismatch = hashMismatch as { icount: number } | null;
  const a = slots.get('A')!;
  const b = slots.get('B')!;
  const limit = Math.min(
    a.traceEndIcount >= 0 ? a.traceEndIcount : a.replica.machine.icount,
    b.backupUntil >= 0 ? b.backupUntil : b.replica.machine.icount,
    b.traceEndIcount >= 0 ? b.traceEndIcount : Infinity,
  );
  let divergence: RunReport['divergence'] = null;
  const suspicious = online !== null || mismatch !== null;
  if (suspicious && opts.findDivergence !== false && a.trace.complete && b.trace.complete && settings.scheme === 'log') {
    const replayFactory = (port: HostPort, quantum: () => number): ReplicaMachine => opts.machine(port, 0, quantum);
    const found = findDivergence(replayFactory, a.trace, b.trace, limit);
    if (found) divergence = { ...found, detectedBy: online ? `backup: ${online.detail}` : `state hash differs at log point icount ${mismatch!.icount}` };
  }
  if (suspicious && divergence === null) {
    divergence = online
      ? { icount: online.icount, pc: online.pc, cause: online.detail, causeKind: 'unknown', detectedBy: 'backup' }
      : { icount: mismatch!.icount, pc: 0, cause: 'state hash differs', causeKind: 'unknown', detectedBy: 'state hash' };
  }
  const diverged = divergence !== null;

  const completed = clients.reduce((n, c) => n + c.client.history.filter((o) => o.retMs !== null).length, 0);
  const completedAfter = clients.reduce((n, c) => n + c.client.history.filter((o) => o.retMs !== null && o.retMs > lastFaultMs).length, 0);
  const ops = clients.reduce((n, c) => n + c.client.history.length, 0);
  const instrTotal = a.replica.machine.icount;
  const sortedLat = latencies.slice().sort((x, y) => x - y);
  const arbiterOn = settings.arbiter !== 'none';
  const report: RunReport = {
    engine: 'sim',
    scenario: sc.name,
    seed,
    virtualMs: round(sched.nowMs),
    instructions: {
      primary: a.replica.machine.icount,
      backup: b.replica.machine.icount,
      machines: Object.fromEntries([...slots.values()].map((s) => [s.id, s.replica.machine.icount])),
    },
    log: { entries: loggedEntries, bytes: logBytes, wireBytes: net.stats.logWireBytes, bytesPerMillionInstructions: instrTotal > 0 ? Math.round((logBytes * 1e6) / instrTotal) : 0 },
    checkpoints: { count: checkpointCount, bytes: checkpointBytes, bytesPerMillionInstructions: instrTotal > 0 ? Math.round((checkpointBytes * 1e6) / instrTotal) : 0 },
    stateTransfers: { count: transferCount, bytes: transferBytes },
    outputs: { released, held, discardedByBackup: discarded, resent, discardedDuplicates: clients.reduce((n, c) => n + c.client.duplicates, 0) },
    outputLatencyMs: { median: round(percentile(sortedLat, 0.5)), p99: round(percentile(sortedLat, 0.99)), max: round(sortedLat[sortedLat.length - 1] ?? 0) },
    failovers,
    roles: Object.fromEntries([...slots.values()].map((s) => [s.id, s.crashed ? 'crashed' : s.replica.role])),
    splitBrain: sb.found,
    splitBrainDetail: sb.detail,
    linearizable,
    unorderable,
    lostAckedOutputs: lost,
    diverged,
    divergence,
    clients: { ops, completed, pending: ops - completed, completedAfterLastFault: completedAfter },
    guestStops,
    viewService: useVs ? { view: vs.view.num, primary: vs.view.primary, backup: vs.view.backup, acked: vs.acked } : null,
    faults: faultLog,
    violations: [],
    truncated: !finished,
  };
  const strict = opts.judgeAsSafe === true;
  report.violations = safetyViolations({
    outputRule: strict || settings.outputRule,
    arbiter: strict || arbiterOn,
    loggedEverything: strict || (ALL_SOURCES.every((s) => settings.loggedSources.includes(s)) && sc.settings.harts === 1),
    splitBrain: report.splitBrain,
    lostAckedOutputs: lost,
    linearizable,
    diverged,
    protocolInvariants: invariantViolations,
  });
  return report;
}
