/**
 * FT benchmarks (simulator): how fast the fuzzer gets through seeds, and what
 * each replication scheme ships per million guest instructions on the same
 * compute-bound program (resources/scenarios/programs/busy.s), with output
 * latency for both.
 */
import { resolve } from 'node:path';
import { fuzz } from '../../core/sim/fuzz';
import { runScenario } from '../../core/sim/runner';
import { DEFAULT_SCENARIO_SETTINGS, type Scenario } from '../../core/sim/scenario';
import { compactRamBytes, simMachine } from '../../core/sim/simMachine';
import { loadFuzzPrograms } from '../commands/fuzz';
import { loadProgram } from '../../main/scenario/load';
import { selfCpuSeconds } from './cpuTime';
import type { Bench, BenchContext, Figure } from './index';

const FUZZ_SEEDS = 200;

function schemeRun(ctx: BenchContext, scheme: 'log' | 'checkpoint') {
  const file = resolve(ctx.root, 'resources/scenarios/programs/busy.s');
  const p = loadProgram(file);
  if (!p.ok) throw new Error(p.errors.join('\n'));
  const sc: Scenario = {
    name: `busy-${scheme}`, description: '', program: file, source: null,
    settings: { ...DEFAULT_SCENARIO_SETTINGS, scheme, checkpointMs: 10 },
    clients: [{ workload: 'counter', count: 2, requests: 100, intervalMs: 2 }],
    faults: [], stop: { ms: 500 }, seed: 1, expect: {},
  };
  return runScenario(sc, { machine: simMachine(p.image, 1, compactRamBytes(p.image)) });
}

export const ftBench: Bench = {
  name: 'ft',
  description: 'simulator: fuzz seeds per second; log vs checkpoint bytes per million instructions and output latency',
  async run(ctx: BenchContext): Promise<Record<string, Figure>> {
    ctx.log(`ft: ${FUZZ_SEEDS} fuzz seeds…`);
    const programs = loadFuzzPrograms();
    const machines = new Map(programs.map((p) => [p.name, simMachine(p.image, 1, compactRamBytes(p.image))]));
    const c0 = selfCpuSeconds();
    const t0 = performance.now();
    const violations = fuzz(0, FUZZ_SEEDS, programs, (p) => machines.get(p.name)!);
    const cpuS = selfCpuSeconds() - c0;
    const wallS = (performance.now() - t0) / 1000;
    ctx.log('ft: log vs checkpoint on busy.s…');
    const log = schemeRun(ctx, 'log');
    const ck = schemeRun(ctx, 'checkpoint');
    return {
      fuzzSeedsPerSec: Math.round(FUZZ_SEEDS / cpuS),
      fuzzSeedsPerSecWall: Math.round(FUZZ_SEEDS / wallS),
      fuzzViolations: violations.length,
      logBytesPerMillionInstructions: log.log.bytesPerMillionInstructions,
      checkpointBytesPerMillionInstructions: ck.checkpoints.bytesPerMillionInstructions,
      logOutputLatencyMsMedian: log.outputLatencyMs.median,
      checkpointOutputLatencyMsMedian: ck.outputLatencyMs.median,
      schemesInstructions: log.instructions.primary,
    };
  },
};
