/**
 * `ftlab run` without `--sim`: the same scenario as the simulator's, run live
 * — worker threads, a real MessageChannel, real timers — and reported in the
 * same JSON shape (engine: "live"). Faults timed in ms happen in real time.
 */
import type { ProgramImage } from '../../core/image';
import type { Scenario } from '../../core/sim/scenario';
import type { Fault } from '../../core/sim/faultPlan';
import { describeFault as describeScenarioFault } from '../../core/sim/faultPlan';
import type { Verdict } from '../../core/check/linearizability';
import { safetyViolations } from '../../core/check/invariants';
import { ALL_SOURCES } from '../../core/ft/settings';
import type { FaultAction, MachineTarget } from '../../shared/labApi';
import { runScenario } from '../../core/sim/runner';
import { simMachine } from '../../core/sim/simMachine';
import { LiveEngine, type FtEventSink, type LiveEngineEvents, type MachineTrace } from './liveEngine';
import { findDivergence, type DivergenceReport, type Trace, type TraceItem } from '../../core/check/divergence';

export interface LiveRunOptions {
  readonly image: ProgramImage;
  readonly file?: string;
  /** Every protocol event, for the recorder. */
  readonly record?: FtEventSink;
  /** Every client operation (invocation, completion), for the recorder. */
  readonly recordClientOp?: LiveEngineEvents['clientOp'];
  /** Machine checkpoints in their place in the log, for the recorder (taken only when set). */
  readonly recordCheckpoint?: LiveEngineEvents['checkpoint'];
  /** Checkpoint spacing in instructions while recording checkpoints (default CHECKPOINT_EVERY_LIVE). */
  readonly checkpointEvery?: number;
  /** The engine, before the run starts (a recorder's clock is the engine's). */
  readonly onEngine?: (engine: LiveEngine) => void;
  /** The engine after the run, before it is closed (its final counters). */
  readonly onFinished?: (engine: LiveEngine) => void;
  /** Progress lines (faults, role changes) as they happen. */
  readonly onTimeline?: (line: string) => void;
  /**
   * Keep the fault plan's order and spacing as the simulator runs it (default
   * true): a fault triggered by client acks or a primary icount fires live on
   * its own trigger, and every later fault keeps its distance from it.
   */
  readonly alignFaultsWithSim?: boolean;
  /**
   * Stretch every duration of the scenario (heartbeat, failure timeout, client
   * interval, fault times, stop) by this factor (default 1). On a loaded host a
   * thread can stall for tens of milliseconds; verdicts depend on the order of
   * events, not on their absolute times.
   */
  readonly timeScale?: number;
}

/** A live failure timeout shorter than this declares stalled-but-alive threads dead on a loaded host. */
export const LIVE_FAILURE_TIMEOUT_MIN_MS = 250;

/**
 * The time scale a scenario runs at live when none is given: its failure
 * timeout stretched to at least LIVE_FAILURE_TIMEOUT_MIN_MS (the simulator's
 * default 30 ms becomes 270 ms, ×9), at most ×10.
 */
export function autoTimeScale(sc: Scenario): number {
  return Math.min(10, Math.max(1, Math.ceil(LIVE_FAILURE_TIMEOUT_MIN_MS / sc.settings.failureTimeoutMs)));
}

/** The scenario with every duration multiplied by `k`. */
export function stretchScenario(sc: Scenario, k: number): Scenario {
  if (k === 1) return sc;
  const faults = sc.faults.map((f) => {
    const at = 'ms' in f.at ? { ms: f.at.ms * k } : f.at;
    return f.do === 'delay-log' || f.do === 'reorder-log' ? { ...f, at, ms: f.ms * k } : { ...f, at };
  }) as Fault[];
  return {
    ...sc,
    settings: { ...sc.settings, heartbeatMs: sc.settings.heartbeatMs * k, failureTimeoutMs: sc.settings.failureTimeoutMs * k },
    clients: sc.clients.map((c) => ({ ...c, intervalMs: c.intervalMs * k })),
    faults,
    stop: { ms: sc.stop.ms * k },
  };
}

/** When each fault of the plan fires in the seeded simulator (virtual ms), in plan order; null if unknown. */
export function simFaultTimes(sc: Scenario, image: ProgramImage): (number | null)[] {
  try {
    const report = runScenario({ ...sc, stop: { ms: Math.min(sc.stop.ms, 2000) } }, { machine: simMachine(image, sc.settings.harts), findDivergence: false });
    const times = sc.faults.map(() => null as number | null);
    const used = new Set<number>();
    for (const line of report.faults) {
      const m = /^([\d.]+)ms (.*)$/.exec(line);
      if (!m) continue;
      const k = sc.faults.findIndex((f, i) => !used.has(i) && describeScenarioFault(f) === m[2]);
      if (k >= 0) {
        used.add(k);
        times[k] = Number(m[1]);
      }
    }
    return times;
  } catch {
    return sc.faults.map(() => null);
  }
}

export interface LiveRunSummary {
  engine: 'live';
  scenario: string;
  seed: number;
  /** Every duration of the scenario was multiplied by this (live timing on a loaded host). */
  timeScale: number;
  realMs: number;
  instructions: { primary: number; backup: number; machines: Record<string, number> };
  log: { entries: number; bytes: number; bytesPerMillionInstructions: number };
  stateTransfers: { count: number; bytes: number };
  checkpoints: { count: number; bytes: number; bytesPerMillionInstructions: number };
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
  divergence: {
    node: string;
    icount: number;
    pc: number;
    cause: string;
    causeKind: 'read' | 'inject' | 'interleaving' | 'unknown';
    source?: string;
    detectedBy: string;
  } | null;
  clients: { ops: number; completed: number; pending: number; completedAfterLastFault: number };
  viewService: { view: number; primary: string | null; backup: string | null; acked: boolean } | null;
  faults: string[];
  violations: string[];
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function target(ref: string): MachineTarget {
  return ref === 'crashed' ? 'primary' : (ref as MachineTarget);
}

/** The scenario's fault vocabulary (src/core/sim/faultPlan.ts) in LabApi's. */
export function liveActions(f: Fault, crashedName: () => string | null): FaultAction[] {
  switch (f.do) {
    case 'crash-primary':
      return [{ kind: 'crash', target: 'primary' }];
    case 'crash-backup':
      return [{ kind: 'crash', target: 'backup' }];
    case 'crash':
      return [{ kind: 'crash', target: target(f.target) }];
    case 'crash-arbiter':
      return [{ kind: 'crashArbiter' }];
    case 'restart': {
      const name = f.target === 'crashed' ? crashedName() : f.target;
      return name === 'A' || name === 'B' || name === 'C' ? [{ kind: 'restart', target: name }] : [];
    }
    case 'cut-log':
      return [{ kind: 'cutLog', direction: f.direction === 'to-backup' ? 'primary-to-backup' : f.direction === 'to-primary' ? 'backup-to-primary' : 'both' }];
    case 'heal-log':
      return [{ kind: 'healLog' }];
    case 'cut-arbiter':
      return [{ kind: 'cutArbiter', target: target(f.target) }];
    case 'heal-arbiter':
      return [{ kind: 'healArbiter', target: target(f.target) }];
    case 'delay-log':
      return [{ kind: 'delayLog', ms: f.ms }];
    case 'drop-log':
      return [{ kind: 'dropLog', probability: f.rate }];
    case 'duplicate-log':
    case 'reorder-log':
      return []; // not modelled live: a MessageChannel neither duplicates nor reorders
    case 'normal-log':
      return [{ kind: 'delayLog', ms: 0 }, { kind: 'dropLog', probability: 0 }];
    case 'slow-backup':
      return [{ kind: 'slowBackup', factor: Math.min(1, f.factor) }];
    case 'output-rule-off':
      return [{ kind: 'outputRule', on: false }];
    case 'output-rule-on':
      return [{ kind: 'outputRule', on: true }];
    case 'arbitration-off':
      return [{ kind: 'arbiter', arbiter: 'none' }];
    case 'forget-to-log':
      return [{ kind: 'forgetToLog', source: f.source }];
    default: {
      const never: never = f;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}

/** A scenario as it runs live: every duration stretched by `timeScale` (default: autoTimeScale). */
export function liveScenario(original: Scenario, timeScale?: number): { sc: Scenario; k: number } {
  const k = timeScale ?? autoTimeScale(original);
  if (!(k >= 1 && k <= 100)) throw new Error(`timeScale must be in [1, 100], got ${k}`);
  return { sc: stretchScenario(original, k), k };
}

/** A (stretched) scenario's settings and clients, given to the engine. */
export function applyScenarioSettings(engine: LiveEngine, sc: Scenario): void {
  engine.setSettings({
    outputRule: sc.settings.outputRule,
    arbiter: sc.settings.arbiter,
    scheme: sc.settings.scheme,
    heartbeatMs: sc.settings.heartbeatMs,
    failureTimeoutMs: sc.settings.failureTimeoutMs,
    harts: sc.settings.harts === 2 ? 2 : 1,
    autoRestoreBackup: sc.settings.spares > 0,
  });
  const groups = sc.clients;
  if (groups.length > 0) {
    engine.configureClients({
      workload: groups[0]!.workload,
      count: groups.reduce((n, g) => n + g.count, 0),
      intervalMs: groups[0]!.intervalMs,
      requests: groups[0]!.requests,
    });
  }
}

/** A fault of the plan with the (stretched) time the simulator fires it, or null if unknown. */
export interface PlannedFault {
  readonly f: Fault;
  readonly simMs: number | null;
}

/**
 * The plan of a stretched scenario, in the order the simulator fires it (plan
 * order for faults it never fired). `original` is the unstretched scenario.
 */
export function planFaults(original: Scenario, image: ProgramImage, k: number, alignWithSim = true): PlannedFault[] {
  const faults = stretchScenario(original, k).faults;
  const simTimes = (alignWithSim && faults.length > 0 ? simFaultTimes(original, image) : faults.map(() => null)).map((t) => (t === null ? null : t * k));
  return faults
    .map((f, i) => ({ f, simMs: simTimes[i] ?? null, i }))
    .sort((a, b) => (a.simMs ?? Infinity) - (b.simMs ?? Infinity) || a.i - b.i)
    .map(({ f, simMs }) => ({ f, simMs }));
}

export interface FaultPlanRun {
  /** Resolves when the plan is done (or cancelled, or past the deadline). */
  readonly done: Promise<void>;
  /** "12.345ms crash-primary" per applied fault, plus "(not applied: …)" notes. */
  readonly log: string[];
  /** Run time of the last fault applied, -1 if none. */
  lastFaultMs(): number;
  cancel(): void;
}

/**
 * Apply a fault plan to a running engine: time-triggered faults at their time
 * and their distance from the previous one (as in the simulator); a fault
 * triggered by client acks exactly at the N-th acknowledgement (in the same
 * turn, before any further machine message); one triggered by a primary icount
 * as soon as the primary reports it. Shared by `ftlab run` and the workbench.
 */
export function driveFaultPlan(engine: LiveEngine, plan: readonly PlannedFault[], deadlineMs = Infinity): FaultPlanRun {
  const log: string[] = [];
  let lastFaultMs = -1;
  let cancelled = false;
  let wake: () => void = () => {};
  const cancelledP = new Promise<void>((r) => (wake = r));
  const over = (): boolean => cancelled || engine.nowMs() >= deadlineMs;
  const sleep = (ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([new Promise<void>((r) => (timer = setTimeout(r, ms))), cancelledP]).finally(() => clearTimeout(timer));
  };
  const crashed: string[] = [];
  const apply = async (f: Fault): Promise<void> => {
    lastFaultMs = engine.nowMs();
    log.push(`${lastFaultMs.toFixed(3)}ms ${describeScenarioFault(f)}`);
    for (const action of liveActions(f, () => crashed.at(-1) ?? null)) {
      if (action.kind === 'crash') {
        const name = action.target === 'primary' || action.target === 'backup' ? engine.resolveTarget(action.target) : action.target;
        if (name) crashed.push(name);
      }
      await engine.injectFault(action).catch((e: Error) => log.push(`  (not applied: ${e.message})`));
    }
  };
  const run = async (): Promise<void> => {
    let prev: { simMs: number; liveMs: number } | null = null;
    for (const step of plan) {
      const at = step.f.at as { ms?: number; primaryIcount?: number; clientAcks?: number };
      const ownTrigger = (): boolean =>
        at.ms !== undefined
          ? engine.nowMs() >= at.ms
          : at.primaryIcount !== undefined
            ? engine.primaryIcount() >= at.primaryIcount
            : engine.clientsView().completed >= (at.clientAcks ?? Infinity);
      const afterPrev = (): boolean =>
        prev === null || step.simMs === null || engine.nowMs() >= prev.liveMs + Math.max(0, step.simMs - prev.simMs);
      // Time-triggered faults wait for their time and for their distance from the previous fault.
      const ready = at.ms !== undefined ? () => ownTrigger() && afterPrev() : ownTrigger;
      if (at.clientAcks !== undefined) {
        // Exactly at the N-th acknowledgement (not a poll later, when more replies may have left).
        const left = Math.max(0, deadlineMs - engine.nowMs());
        let timer: NodeJS.Timeout | undefined;
        const timeout = Number.isFinite(left) ? new Promise<void>((r) => (timer = setTimeout(r, left))) : new Promise<void>(() => {});
        await Promise.race([engine.acksReached(at.clientAcks), timeout, cancelledP]);
        clearTimeout(timer);
      } else if (at.primaryIcount !== undefined) {
        await Promise.race([engine.icountReached(at.primaryIcount), sleep(Math.max(0, deadlineMs - engine.nowMs()))]);
      }
      while (!ready() && !over()) await sleep(0.5);
      if (over()) break;
      await apply(step.f);
      if (step.simMs !== null) prev = { simMs: step.simMs, liveMs: engine.nowMs() };
    }
  };
  return {
    done: run(),
    log,
    lastFaultMs: () => lastFaultMs,
    cancel: () => {
      cancelled = true;
      wake();
    },
  };
}

export async function runScenarioLive(original: Scenario, opts: LiveRunOptions): Promise<LiveRunSummary> {
  const { sc, k } = liveScenario(original, opts.timeScale);
  const engine = new LiveEngine({
    record: opts.record,
    clientOp: opts.recordClientOp,
    checkpoint: opts.recordCheckpoint,
    ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery } : {}),
    ftEvent: opts.onTimeline ? (e) => opts.onTimeline!(`${e.atMs.toFixed(1)}ms ${e.type} ${e.text}`) : undefined,
  });
  // The plan, in the order the simulator fires it; before the run starts.
  const plan = planFaults(original, opts.image, k, opts.alignFaultsWithSim !== false);
  opts.onEngine?.(engine);
  try {
    applyScenarioSettings(engine, sc);
    await engine.load({ file: opts.file ?? sc.name, image: opts.image, imageHash: '' });
    await engine.start();
    const faults = driveFaultPlan(engine, plan, sc.stop.ms);
    await faults.done;
    await new Promise((r) => setTimeout(r, Math.max(0, sc.stop.ms - engine.nowMs())));
    await engine.settle();
    await engine.drain(); // the summary counts what the recorder has seen: nothing arrives between the two
    const located = await locateDivergence(engine, opts.image, sc.settings.harts);
    opts.onFinished?.(engine);
    return { ...summarize(engine, sc, faults.log, faults.lastFaultMs(), located), timeScale: k };
  } finally {
    await engine.close();
  }
}

/** What the backup's divergence report says, in the simulator's terms. */
function describeDivergence(d: { node: string; icount: number; pc: number; detail: string }, harts: number): NonNullable<LiveRunSummary['divergence']> {
  const read = /^(cycle|time|seed|hostid|mtime) read at icount/.exec(d.detail);
  const causeKind = harts > 1 ? 'interleaving' : read ? 'read' : /^(packet|timer) logged/.test(d.detail) ? 'inject' : 'unknown';
  return {
    node: d.node,
    icount: d.icount,
    pc: d.pc,
    cause: d.detail,
    causeKind,
    ...(read ? { source: read[1]! } : {}),
    detectedBy: d.detail.startsWith('state hash') ? 'state hash' : `backup: ${d.detail}`,
  };
}

/**
 * After a divergence: re-execute what A (the first primary) and B (its backup)
 * consumed from outside, with the simulator's machine, and narrow down to the
 * first instruction at which they differ (src/core/check/divergence.ts).
 */
async function locateDivergence(engine: LiveEngine, image: ProgramImage, harts: number): Promise<DivergenceReport | null> {
  if (engine.checks.divergence === null || harts !== 1 || engine.settings.scheme !== 'log') return null;
  await engine.pause();
  const [a, b] = await Promise.all([engine.traceOf('A'), engine.traceOf('B')]);
  if (!a || !b || !a.complete || !b.complete) return null;
  const end = (t: MachineTrace) => (t.validUntilIcount >= 0 ? t.validUntilIcount : t.icount);
  const limit = Math.min(end(a), end(b));
  const machine = simMachine(image, 1);
  const asTrace = (t: MachineTrace): Trace => ({ items: t.items as TraceItem[], complete: t.complete });
  try {
    return findDivergence((port, quantum) => machine(port, 0, quantum), asTrace(a), asTrace(b), limit);
  } catch {
    return null;
  }
}

function summarize(engine: LiveEngine, sc: Scenario, faultLog: string[], lastFaultMs: number, located: DivergenceReport | null): LiveRunSummary {
  const c = engine.counters;
  const checks = engine.checks;
  const lin = engine.linearizability();
  const linearizable: Verdict = lin.linearizable ?? true;
  const survivor = engine.primaryName();
  const lost = checks.lostAckedOutputs(engine.accepted(), survivor);
  const sb = checks.splitBrain();
  const latencies = [...checks.heldMs].sort((a, b) => a - b);
  const ops = engine.operations.length;
  const completed = engine.operations.filter((o) => o.retMs !== null).length;
  const primaryIcount = c.instructions.A ?? 0;
  const settings = engine.settings;
  const summary: LiveRunSummary = {
    engine: 'live',
    scenario: sc.name,
    seed: sc.seed,
    timeScale: 1,
    realMs: round(engine.nowMs()),
    instructions: { primary: primaryIcount, backup: c.instructions.B ?? 0, machines: c.instructions },
    log: { entries: c.logEntries, bytes: c.logBytes, bytesPerMillionInstructions: primaryIcount > 0 ? Math.round((c.logBytes * 1e6) / primaryIcount) : 0 },
    stateTransfers: { count: checks.counts.stateTransfers, bytes: checks.counts.stateTransferBytes },
    checkpoints: {
      count: checks.counts.checkpoints,
      bytes: checks.counts.checkpointBytes,
      bytesPerMillionInstructions: primaryIcount > 0 ? Math.round((checks.counts.checkpointBytes * 1e6) / primaryIcount) : 0,
    },
    outputs: {
      released: checks.counts.released,
      held: checks.counts.held,
      discardedByBackup: checks.counts.discarded,
      resent: checks.counts.resent,
      discardedDuplicates: engine.duplicatesDiscarded,
    },
    outputLatencyMs: { median: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)), max: round(latencies.at(-1) ?? 0) },
    failovers: checks.counts.failovers,
    roles: engine.roleMap(),
    splitBrain: sb.found,
    splitBrainDetail: sb.detail,
    linearizable,
    unorderable: lin.unorderable,
    lostAckedOutputs: lost,
    diverged: checks.divergence !== null,
    divergence: located
      ? { node: 'B', ...located, detectedBy: checks.divergence ? describeDivergence(checks.divergence, settings.harts).detectedBy : 're-execution' }
      : checks.divergence
        ? describeDivergence(checks.divergence, settings.harts)
        : null,
    clients: {
      ops,
      completed,
      pending: ops - completed,
      completedAfterLastFault: engine.operations.filter((o) => o.retMs !== null && o.retMs > lastFaultMs).length,
    },
    viewService: engine.viewServiceState(),
    faults: faultLog,
    violations: [],
  };
  summary.violations = safetyViolations({
    outputRule: settings.outputRule,
    arbiter: settings.arbiter !== 'none',
    loggedEverything: ALL_SOURCES.every((s) => settings.loggedSources.includes(s)) && settings.harts === 1,
    splitBrain: summary.splitBrain,
    lostAckedOutputs: lost,
    linearizable,
    diverged: summary.diverged,
    protocolInvariants: checks.invariants,
  });
  return summary;
}
