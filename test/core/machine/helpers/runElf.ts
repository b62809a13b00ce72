/** Runs an ELF file alone on the FT Lab machine (solo host port), collecting UART output. */
import { readFileSync } from 'node:fs';
import { loadElf } from '../../../../src/core/elf/loadElf';
import { Machine } from '../../../../src/core/machine/machine';
import { runSolo, SoloPort } from '../../../../src/core/machine/soloPort';
import type { StopReason } from '../../../../src/core/machine/stopReason';

export function runElf(path: string, maxSteps = 500_000_000): { stop: StopReason; uart: string; icount: number } {
  const loaded = loadElf(new Uint8Array(readFileSync(path)), path);
  if (!loaded.ok) throw new Error(loaded.diagnostic.message);
  const chunks: number[] = [];
  const port = new SoloPort({ onOutput: (o) => { if (o.device === 'uart') chunks.push(...o.bytes); } });
  const m = new Machine({ port });
  const problems = m.load(loaded.image, path);
  if (problems.length > 0) throw new Error(problems[0].message);
  const stop = runSolo(m, port, maxSteps);
  return { stop, uart: Buffer.from(chunks).toString('latin1'), icount: m.icount };
}
