/**
 * `ftlab bench [--json] [--only NAME]` — runs the benchmarks listed in
 * src/cli/bench/index.ts and prints their figures (one JSON object with
 * --json). Figures are measured in CPU time where possible (the machine is
 * shared); see BENCHMARKS.md.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { benches, type Figure } from '../bench/index';

export function register(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks (machine MIPS vs QEMU, …) and print their figures')
    .option('--json', 'print one JSON object')
    .option('--only <name>', `run one benchmark (${benches.map((b) => b.name).join(', ')})`)
    .action(async (opts: { json?: boolean; only?: string }) => {
      const root = join(fileURLToPath(import.meta.url), '../../../..');
      const selected = benches.filter((b) => !opts.only || b.name === opts.only);
      if (selected.length === 0) {
        process.stderr.write(`ftlab bench: no benchmark named ${opts.only}\n`);
        process.exitCode = 1;
        return;
      }
      const figures: Record<string, Figure> = {};
      for (const b of selected) Object.assign(figures, await b.run({ root, log: (msg) => process.stderr.write(`${msg}\n`) }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      } else {
        for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(32)} ${v}\n`);
      }
    });
}
