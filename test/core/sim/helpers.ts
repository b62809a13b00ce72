import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../../src/core/asm/assemble';
import type { ProgramImage } from '../../../src/core/image';
import type { FuzzProgram } from '../../../src/core/sim/fuzz';
import type { SimMachineFactory } from '../../../src/core/sim/runner';
import { compactRamBytes, simMachine } from '../../../src/core/sim/simMachine';

export const scenariosDir = fileURLToPath(new URL('../../../resources/scenarios/', import.meta.url));

/** counter and kv are the example servers (resources/examples); the others are scenario programs. */
export function programImage(name: string): ProgramImage {
  const file = name === 'counter' || name === 'kv' ? `${scenariosDir}../examples/${name}.s` : `${scenariosDir}programs/${name}.s`;
  const r = assemble(readFileSync(file, 'utf8'), { file });
  if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(JSON.stringify(r.diagnostics));
  return r.image;
}

export function builtinScenarioFiles(): string[] {
  return readdirSync(scenariosDir).filter((f) => f.endsWith('.json')).sort();
}

export function fuzzPrograms(): { programs: FuzzProgram[]; machineFor: (p: FuzzProgram) => SimMachineFactory } {
  const programs: FuzzProgram[] = (['counter', 'kv', 'seed', 'ticker'] as const).map((name) => ({
    name,
    image: programImage(name),
    workload: name === 'kv' ? 'kv' : 'counter',
  }));
  const machines = new Map(programs.map((p) => [p.name, simMachine(p.image, 1, compactRamBytes(p.image))]));
  return { programs, machineFor: (p) => machines.get(p.name)! };
}
