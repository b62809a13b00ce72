/**
 * `ftlab fuzz --seeds N [--from K] [--json]` — random fault plans over the
 * example servers (resources/examples/counter.s and kv.s, plus the scenario
 * programs seed.s — a counter that reads the entropy source — and ticker.s —
 * a counter with timer interrupts and clock reads) with every safety switch
 * on. Prints each run and every violation with its seed and a minimised fault
 * plan; exit status 1 on any violation.
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { fuzz, type FuzzProgram } from '../../core/sim/fuzz';
import { describeFault } from '../../core/sim/faultPlan';
import { compactRamBytes, simMachine } from '../../core/sim/simMachine';
import type { SimMachineFactory } from '../../core/sim/runner';
import { loadProgram } from '../../main/scenario/load';

/** Fuzzed programs, relative to resources/. */
export const FUZZ_PROGRAMS: readonly { name: string; path: string; workload: 'counter' | 'kv' }[] = [
  { name: 'counter', path: 'examples/counter.s', workload: 'counter' },
  { name: 'kv', path: 'examples/kv.s', workload: 'kv' },
  { name: 'seed', path: 'scenarios/programs/seed.s', workload: 'counter' },
  { name: 'ticker', path: 'scenarios/programs/ticker.s', workload: 'counter' },
];

export function resourcesDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../resources');
}

export function loadFuzzPrograms(): FuzzProgram[] {
  return FUZZ_PROGRAMS.map((p) => {
    const file = resolve(resourcesDir(), p.path);
    const r = loadProgram(file);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return { name: p.name, image: r.image, workload: p.workload };
  });
}

export interface FuzzCliOptions {
  readonly seeds: string;
  readonly from?: string;
  readonly json?: boolean;
}

export function fuzzCommand(opts: FuzzCliOptions, out: (s: string) => void, err: (s: string) => void): number {
  const seeds = Number(opts.seeds);
  const from = Number(opts.from ?? 0);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 1_000_000) {
    err(`ftlab fuzz: --seeds must be an integer 1..1000000, got ${opts.seeds}`);
    return 1;
  }
  if (!Number.isInteger(from) || from < 0) {
    err(`ftlab fuzz: --from must be a non-negative integer, got ${opts.from}`);
    return 1;
  }
  const programs = loadFuzzPrograms();
  const machines = new Map<string, SimMachineFactory>(programs.map((p) => [p.name, simMachine(p.image, 1, compactRamBytes(p.image))]));
  const started = performance.now();
  const runs: { seed: number; program: string; faults: string[]; failovers: number; linearizable: unknown; violations: number }[] = [];
  const violations = fuzz(from, seeds, programs, (p) => machines.get(p.name)!, (run) => {
    const line = {
      seed: run.seed,
      program: run.program,
      faults: run.scenario.faults.map(describeFault),
      failovers: run.report.failovers,
      linearizable: run.report.linearizable,
      violations: run.report.violations.length,
    };
    if (opts.json) runs.push(line);
    else out(`seed ${line.seed} ${line.program} ${run.scenario.settings.arbiter}/${run.scenario.settings.scheme} failovers=${line.failovers} linearizable=${String(line.linearizable)} ${line.violations ? 'VIOLATION' : 'ok'}  ${line.faults.join(', ')}`);
  });
  const seconds = (performance.now() - started) / 1000;
  if (opts.json) {
    out(JSON.stringify({ seeds, from, runs, violations, seedsPerSec: Math.round(seeds / seconds) }));
  } else {
    for (const v of violations) {
      out(`VIOLATION seed ${v.seed} (${v.program}, ${v.settings.arbiter}/${v.settings.scheme}): ${v.violations.join('; ')}`);
      out(`  minimal fault plan: ${JSON.stringify(v.minimalFaults)}`);
    }
    out(`${seeds} seeds from ${from}: ${violations.length} violation(s), ${(seeds / seconds).toFixed(0)} seeds/s`);
  }
  return violations.length > 0 ? 1 : 0;
}

export function register(program: Command): void {
  program
    .command('fuzz')
    .description('random fault plans over the example programs with safety on; exit 1 on any violation')
    .requiredOption('--seeds <n>', 'number of seeds to run')
    .option('--from <k>', 'first seed', '0')
    .option('--json', 'print one JSON object (runs, violations with minimised fault plans, seedsPerSec)')
    .action((opts: FuzzCliOptions) => {
      process.exitCode = fuzzCommand(opts, (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
    });
}
