/** The simulator's machines: real `Machine`s loaded with the program, small RAM so hashing and snapshots stay cheap. */
import type { ProgramImage } from '../image';
import { MachineReplica } from '../ft/machineAdapter';
import { Machine } from '../machine/machine';
import type { SimMachineFactory } from './runner';

/** RAM of a simulated machine (the example programs need a few KiB). */
export const SIM_RAM_BYTES = 256 * 1024;

/** Problems loading `image` into a machine of this shape, as messages (empty = fine). */
export function checkLoadable(image: ProgramImage, harts: number, ramBytes = SIM_RAM_BYTES): string[] {
  const m = new Machine({ port: { nondetRead: () => 0, output: () => {} }, ramBytes, harts });
  return m.load(image).map((d) => d.message);
}

export function simMachine(image: ProgramImage, harts: number, ramBytes = SIM_RAM_BYTES): SimMachineFactory {
  return (port, hostId, quantum) => {
    const m = new Machine({ port, ramBytes, harts, hostId });
    const problems = m.load(image);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
    m.dirtyPages();
    return new MachineReplica(m, harts > 1 ? quantum : null);
  };
}
