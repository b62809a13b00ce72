/**
 * The `ftlab bench` harness: a list of benchmarks, each returning named
 * figures (numbers, strings, booleans) that are merged into one JSON object.
 * To add one: write `src/cli/bench/<area>.ts` exporting a `Bench`, append it
 * to `benches` below, and record its figures in BENCHMARKS.md.
 * Figure names carry their unit last (mipsComputeLoop, snapshotMs).
 */
import { machineBench } from './machine';
import { ftBench } from './ft';
import { recorderBench } from './recorder';
import { liveBench } from './live';

export type Figure = number | string | boolean | null;

export interface BenchContext {
  /** Repository root (for fixtures). */
  readonly root: string;
  /** Progress messages (stderr). */
  log(message: string): void;
}

export interface Bench {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<Record<string, Figure>>;
}

export const benches: Bench[] = [
  machineBench,
  ftBench,
  recorderBench,
  liveBench,
];
