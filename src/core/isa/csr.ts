/**
 * CSR numbers and names (RISC-V privileged spec v20211203, §2.2 "CSR Listing";
 * `seed` from the scalar crypto spec, Zkr; `mhostid` is FT Lab's own).
 */
export const CSR = {
  // Unprivileged counters/timers (read-only shadows; Zicntr).
  cycle: 0xc00,
  time: 0xc01,
  instret: 0xc02,
  cycleh: 0xc80,
  timeh: 0xc81,
  instreth: 0xc82,
  // Entropy source (Zkr).
  seed: 0x015,
  // Machine information registers.
  mvendorid: 0xf11,
  marchid: 0xf12,
  mimpid: 0xf13,
  mhartid: 0xf14,
  // Machine trap setup.
  mstatus: 0x300,
  misa: 0x301,
  medeleg: 0x302,
  mideleg: 0x303,
  mie: 0x304,
  mtvec: 0x305,
  mcounteren: 0x306,
  mstatush: 0x310,
  // Machine trap handling.
  mscratch: 0x340,
  mepc: 0x341,
  mcause: 0x342,
  mtval: 0x343,
  mip: 0x344,
  // Machine counters.
  mcycle: 0xb00,
  minstret: 0xb02,
  mcycleh: 0xb80,
  minstreth: 0xb82,
  /**
   * FT Lab host id: custom machine-mode read-only CSR (0xFC0–0xFFF is the
   * "custom read-only" range). Which physical host runs this hart — different
   * on primary and backup, so it is a non-deterministic input that FT logs.
   */
  mhostid: 0xfc0,
} as const;

export type CsrName = keyof typeof CSR;

const NAME_BY_NUMBER: ReadonlyMap<number, string> = new Map(Object.entries(CSR).map(([n, v]) => [v, n]));

export function csrNumber(name: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(CSR, name) ? CSR[name as CsrName] : undefined;
}

export function csrName(num: number): string | undefined {
  return NAME_BY_NUMBER.get(num);
}

/** A CSR whose value comes from outside the guest (see core/machine/hostPort.ts). */
export function csrIsNondeterministic(num: number): boolean {
  return (
    num === CSR.cycle || num === CSR.cycleh || num === CSR.time || num === CSR.timeh ||
    num === CSR.seed || num === CSR.mhostid || num === CSR.mcycle || num === CSR.mcycleh
  );
}

/** Read-only CSRs have number bits [11:10] = 0b11 (privileged spec §2.1). */
export function csrIsReadOnly(num: number): boolean {
  return (num >>> 10) === 3;
}
