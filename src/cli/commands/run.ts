/**
 * `ftlab run FILE.s|FILE.elf|SCENARIO.json --sim [--seed N] [--json]` — run a
 * program (with default settings and two counter clients) or a scenario on a
 * replicated primary/backup pair in the seeded simulator: byte-for-byte
 * reproducible for a seed. Without `--sim` the live engine runs it (worker
 * threads, a real MessageChannel, real time).
 *
 * Exit status: 0; 1 for a bad file or scenario, or when a scenario's
 * `expect` verdict does not hold.
 */
import type { Command } from 'commander';
import { runScenario, type RunReport } from '../../core/sim/runner';
import { checkExpectations, type Scenario } from '../../core/sim/scenario';
import { checkLoadable, simMachine } from '../../core/sim/simMachine';
import { loadRunTarget } from '../../main/scenario/load';
import type { ProgramImage } from '../../core/image';
import { recordSimulatedRunToFile } from '../../main/recorder/recordSim';
import { recordLiveRunToFile } from '../../main/recorder/recordLive';

export interface RunCliOptions {
  readonly sim?: boolean;
  readonly seed?: string;
  readonly json?: boolean;
  /** Record the run (live or simulated) into this SQLite workspace. */
  readonly db?: string;
  /** Live only: stretch every duration of the scenario by this factor (default: automatic). */
  readonly timeScale?: string;
}

function summary(r: RunReport | Record<string, unknown>): string {
  const x = r as RunReport;
  const lines = [
    `engine ${x.engine}  scenario ${x.scenario}  seed ${x.seed}`,
    `instructions  primary ${x.instructions.primary}  backup ${x.instructions.backup}`,
    `log           ${x.log.entries} entries, ${x.log.bytes} bytes (${x.log.bytesPerMillionInstructions} B per M instructions)`,
    `outputs       ${x.outputs.released} released, ${x.outputs.held} held, ${x.outputs.discardedDuplicates} duplicate(s) discarded by clients; latency median ${x.outputLatencyMs.median} ms`,
    `failovers     ${x.failovers}   roles ${Object.entries(x.roles).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `splitBrain    ${x.splitBrain}${x.splitBrainDetail ? ` (${x.splitBrainDetail})` : ''}`,
    `linearizable  ${x.linearizable}${x.unorderable.length ? `: cannot order ${x.unorderable.join('; ')}` : ''}`,
    `lost acked    ${x.lostAckedOutputs}`,
    `diverged      ${x.diverged}${x.divergence ? ` at icount ${x.divergence.icount} pc 0x${(x.divergence.pc >>> 0).toString(16)}: ${'cause' in x.divergence ? x.divergence.cause : ''}` : ''}`,
  ];
  for (const [node, why] of Object.entries(x.guestStops ?? {})) lines.push(`guest on ${node}  ${why}`);
  for (const f of x.faults) lines.push(`fault         ${f}`);
  for (const v of x.violations) lines.push(`VIOLATION     ${v}`);
  return lines.join('\n');
}

async function runLive(sc: Scenario, image: ProgramImage, file: string, timeScale: number | undefined): Promise<Record<string, unknown> | string> {
  const path = '../../main/engine/runScenarioLive';
  try {
    const mod = (await import(/* @vite-ignore */ path)) as {
      runScenarioLive?: (sc: Scenario, o: { image: ProgramImage; file?: string; timeScale?: number }) => Promise<Record<string, unknown>>;
    };
    if (typeof mod.runScenarioLive !== 'function') return 'live mode needs the live engine (src/main/engine/runScenarioLive.ts); use --sim';
    return await mod.runScenarioLive(sc, { image, file, ...(timeScale !== undefined ? { timeScale } : {}) });
  } catch (e) {
    return `live mode needs the live engine, which could not be loaded (${(e as Error).message.split('\n')[0]}); use --sim`;
  }
}

export async function runCommand(file: string, opts: RunCliOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const loaded = loadRunTarget(file);
  if (!loaded.ok) {
    for (const e of loaded.errors) err(e);
    return 1;
  }
  let sc = loaded.scenario;
  if (opts.seed !== undefined) {
    const seed = Number(opts.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
      err(`ftlab run: --seed must be an integer 0..4294967295, got ${opts.seed}`);
      return 1;
    }
    sc = { ...sc, seed };
  }
  let timeScale: number | undefined;
  if (opts.timeScale !== undefined) {
    timeScale = Number(opts.timeScale);
    if (opts.sim) {
      err('ftlab run: --time-scale is for live runs (the simulator runs in virtual time)');
      return 1;
    }
    if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > 100) {
      err(`ftlab run: --time-scale must be a number in [1, 100], got ${opts.timeScale}`);
      return 1;
    }
  }
  const problems = checkLoadable(loaded.image, sc.settings.harts);
  if (problems.length > 0) {
    for (const p of problems) err(`${loaded.programFile}: error: ${p}`);
    return 1;
  }
  let report: RunReport | Record<string, unknown>;
  if (opts.sim && opts.db !== undefined) {
    const rec = recordSimulatedRunToFile(opts.db, sc, { machine: simMachine(loaded.image, sc.settings.harts), image: loaded.image, programFile: loaded.programFile });
    if (!rec.ok) {
      err(`ftlab run: ${rec.error}`);
      return 1;
    }
    report = rec.report;
  } else if (opts.sim) {
    report = runScenario(sc, { machine: simMachine(loaded.image, sc.settings.harts) });
  } else if (opts.db !== undefined) {
    const rec = await recordLiveRunToFile(opts.db, sc, {
      image: loaded.image,
      programFile: loaded.programFile,
      ...(timeScale !== undefined ? { timeScale } : {}),
    });
    if (!rec.ok) {
      err(`ftlab run: ${rec.error}`);
      return 1;
    }
    report = rec.report as unknown as Record<string, unknown>;
  } else {
    const r = await runLive(sc, loaded.image, file, timeScale);
    if (typeof r === 'string') {
      err(`ftlab run: ${r}`);
      return 1;
    }
    report = r;
  }
  out(opts.json ? JSON.stringify(report) : summary(report));
  const mismatches = checkExpectations(report, sc.expect);
  if (!opts.json && Object.keys(sc.expect).length > 0) {
    out(mismatches.length === 0 ? 'expected verdict: as expected' : `expected verdict: MISMATCH\n  ${mismatches.join('\n  ')}`);
  }
  if (mismatches.length > 0) {
    if (opts.json) for (const m of mismatches) err(`expected verdict mismatch: ${m}`);
    return 1;
  }
  return 0;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run a program or scenario on a replicated primary/backup pair (VMware FT), with clients and faults')
    .argument('<file>', 'assembly (.s), RV32 ELF, or scenario (.json)')
    .option('--sim', 'run in the seeded simulator (virtual time, byte-for-byte reproducible)')
    .option('--seed <n>', "override the scenario's seed")
    .option('--json', 'print one JSON object with the run summary')
    .option('--time-scale <n>', 'live: stretch every duration of the scenario (heartbeat, timeout, clients, faults, stop) by n (default: failure timeout ≥ 250 ms)')
    .option('--db <file>', 'record the run (log, outputs, events, checkpoints) into this SQLite workspace; replay with ftlab replay')
    .action(async (file: string, opts: RunCliOptions) => {
      process.exitCode = await runCommand(file, opts, (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
    });
}
