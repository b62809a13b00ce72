/**
 * A program ready to load into a machine: what the assembler and the ELF
 * loader both produce and what the machine consumes.
 */
export interface Segment {
  /** Guest physical address of the first byte. */
  readonly addr: number;
  readonly bytes: Uint8Array;
  /** Bytes after `bytes` that are zero-filled (.bss / p_memsz > p_filesz). */
  readonly zeroFill?: number;
  readonly name?: string;
}

export interface ProgramImage {
  readonly entry: number;
  readonly segments: readonly Segment[];
  /** Symbol name → address (labels, globals). */
  readonly symbols: ReadonlyMap<string, number>;
  /**
   * Address of the riscv-tests `tohost` word when the program has that symbol:
   * the first non-zero store there ends the run (1 = pass, odd v = exit v>>1).
   */
  readonly tohost?: number;
}

/** Guest physical memory map (QEMU `virt` compatible, plus FT Lab's NIC). */
export const MemoryMap = {
  ramBase: 0x8000_0000,
  ramBytesDefault: 16 * 1024 * 1024,
  uartBase: 0x1000_0000,
  finisherBase: 0x0010_0000,
  clintBase: 0x0200_0000,
  /** FT Lab NIC: see src/core/machine/devices/nic.ts for the registers. */
  nicBase: 0x1020_0000,
} as const;
