/** The simulator's machines: real `Machine`s loaded with the program, small RAM so hashing and snapshots stay cheap. */
import { MemoryMap, type ProgramImage } from '../image';
import { MachineReplica } from '../ft/machineAdapter';
import { Machine } from '../machine/machine';
import type { SimMachineFactory } from './runner';

/**
 * Smallest RAM of a simulated machine: 1 MiB, because the example programs
 * put their stack at 0x8010_0000 (small RAM keeps hashing and snapshots cheap).
 */
export const SIM_RAM_BYTES_MIN = 1024 * 1024;

/** RAM for `image`: its extent plus 1 MiB (stack, heap), rounded up to a power of two. */
export function simRamBytes(image: ProgramImage): number {
  let top = 0;
  for (const s of image.segments) top = Math.max(top, s.addr + s.bytes.length + (s.zeroFill ?? 0) - MemoryMap.ramBase);
  let ram = SIM_RAM_BYTES_MIN;
  while (ram < top + SIM_RAM_BYTES_MIN && ram < MemoryMap.ramBytesDefault) ram *= 2;
  return ram;
}

/** Problems loading `image` into a machine of this shape, as messages (empty = fine). */
/**
 * Compact RAM for programs known to keep everything near their image (the
 * fuzzed servers: no stack at 0x8010_0000): image extent + 16 KiB, at least
 * 64 KiB. Machines are built and hashed thousands of times while fuzzing.
 */
export function compactRamBytes(image: ProgramImage): number {
  let top = 0;
  for (const s of image.segments) top = Math.max(top, s.addr + s.bytes.length + (s.zeroFill ?? 0) - MemoryMap.ramBase);
  let ram = 64 * 1024;
  while (ram < top + 16 * 1024 && ram < MemoryMap.ramBytesDefault) ram *= 2;
  return ram;
}

export function checkLoadable(image: ProgramImage, harts: number, ramBytes = simRamBytes(image)): string[] {
  const m = new Machine({ port: { nondetRead: () => 0, output: () => {} }, ramBytes, harts });
  return m.load(image).map((d) => d.message);
}

export function simMachine(image: ProgramImage, harts: number, ramBytes = simRamBytes(image)): SimMachineFactory {
  return (port, hostId, quantum) => {
    const m = new Machine({ port, ramBytes, harts, hostId });
    const problems = m.load(image);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
    m.dirtyPages();
    return new MachineReplica(m, harts > 1 ? quantum : null);
  };
}
