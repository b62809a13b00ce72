/**
 * The fuzzer (TigerBeetle's VOPR habit): for each seed, a random scenario —
 * program, arbiter, scheme, clients — and a random fault plan with every
 * safety switch on. Any violation is reported with its seed and a minimised
 * fault plan (faults removed one by one while the violation persists).
 */
import type { ProgramImage } from '../image';
import type { Workload } from '../ft/client';
import type { Fault, FaultAction, FaultAt } from './faultPlan';
import { Prng } from './prng';
import { runScenario, type RunReport, type SimMachineFactory } from './runner';
import { DEFAULT_SCENARIO_SETTINGS, type Scenario } from './scenario';

export interface FuzzProgram {
  readonly name: string;
  readonly image: ProgramImage;
  readonly workload: Workload;
}

export interface FuzzRun {
  readonly seed: number;
  readonly program: string;
  readonly scenario: Scenario;
  readonly report: RunReport;
}

export interface FuzzViolation {
  readonly seed: number;
  readonly program: string;
  readonly violations: readonly string[];
  /** The smallest fault plan found that still violates. */
  readonly minimalFaults: readonly Fault[];
  readonly settings: Scenario['settings'];
}

/** Virtual length of one fuzz run. */
export const FUZZ_RUN_MS = 200;
const FAULTS_MAX = 4;

function randomAction(rng: Prng): FaultAction {
  const r = rng.int(15);
  switch (r) {
    case 0:
    case 1:
      return { do: 'crash-primary' };
    case 2:
      return { do: 'crash-backup' };
    case 3:
      return { do: 'restart', target: 'crashed' };
    case 4:
      return { do: 'cut-log', direction: rng.pick(['both', 'to-backup', 'to-primary'] as const) };
    case 5:
      return { do: 'heal-log' };
    case 6:
      return { do: 'cut-arbiter', target: rng.pick(['primary', 'backup'] as const) };
    case 7:
      return { do: 'heal-arbiter', target: rng.pick(['A', 'B', 'C'] as const) };
    case 8:
      return { do: 'delay-log', ms: rng.int(20) };
    case 9:
      return { do: 'drop-log', rate: rng.int(5) / 10 };
    case 10:
      return { do: 'duplicate-log', rate: rng.int(5) / 10 };
    case 11:
      return { do: 'reorder-log', ms: rng.int(4) };
    case 12:
      return { do: 'slow-backup', factor: rng.pick([0.01, 0.1, 0.5]) };
    case 13:
      return { do: 'normal-log' };
    default:
      return { do: 'crash-arbiter' };
  }
}

function randomAt(rng: Prng): FaultAt {
  const r = rng.int(6);
  if (r < 4) return { ms: 2 + rng.int(FUZZ_RUN_MS - 60) };
  if (r === 4) return { clientAcks: 1 + rng.int(20) };
  return { primaryIcount: 50 + rng.int(600) };
}

export function fuzzScenario(seed: number, programs: readonly FuzzProgram[]): { scenario: Scenario; program: FuzzProgram } {
  const rng = new Prng(seed ^ 0x5eed_f00d);
  const program = rng.pick(programs);
  const faults: Fault[] = [];
  const n = 1 + rng.int(FAULTS_MAX);
  for (let i = 0; i < n; i++) faults.push({ at: randomAt(rng), ...randomAction(rng) } as Fault);
  const scenario: Scenario = {
    name: `fuzz-${seed}`,
    description: '',
    program: program.name,
    source: null,
    settings: {
      ...DEFAULT_SCENARIO_SETTINGS,
      outputRule: true,
      arbiter: rng.chance(0.7) ? 'test-and-set' : 'view-service',
      scheme: rng.chance(0.8) ? 'log' : 'checkpoint',
      heartbeatMs: rng.pick([2, 5]),
      failureTimeoutMs: rng.pick([15, 30]),
      spares: rng.int(2),
    },
    clients: [{ workload: program.workload, count: 1 + rng.int(3), requests: 15, intervalMs: rng.pick([1, 2, 4]) }],
    faults,
    stop: { ms: FUZZ_RUN_MS },
    seed,
    expect: {},
  };
  return { scenario, program };
}

export function fuzzOne(seed: number, programs: readonly FuzzProgram[], machineFor: (p: FuzzProgram) => SimMachineFactory): FuzzRun {
  const { scenario, program } = fuzzScenario(seed, programs);
  const report = runScenario(scenario, { machine: machineFor(program) });
  return { seed, program: program.name, scenario, report };
}

/** Remove faults one at a time while the run still violates safety (bounded: one pass per fault). */
export function minimiseFaults(scenario: Scenario, machine: SimMachineFactory, judgeAsSafe = false): Fault[] {
  let faults = scenario.faults.slice();
  for (let i = faults.length - 1; i >= 0; i--) {
    const trial = faults.filter((_, k) => k !== i);
    const r = runScenario({ ...scenario, faults: trial }, { machine, judgeAsSafe, findDivergence: false });
    if (r.violations.length > 0) faults = trial;
  }
  return faults;
}

export function fuzz(
  from: number,
  count: number,
  programs: readonly FuzzProgram[],
  machineFor: (p: FuzzProgram) => SimMachineFactory,
  onRun?: (run: FuzzRun) => void,
): FuzzViolation[] {
  const out: FuzzViolation[] = [];
  for (let seed = from; seed < from + count; seed++) {
    const run = fuzzOne(seed, programs, machineFor);
    onRun?.(run);
    if (run.report.violations.length === 0) continue;
    const p = programs.find((x) => x.name === run.program)!;
    out.push({
      seed,
      program: run.program,
      violations: run.report.violations,
      minimalFaults: minimiseFaults(run.scenario, machineFor(p)),
      settings: run.scenario.settings,
    });
  }
  return out;
}
