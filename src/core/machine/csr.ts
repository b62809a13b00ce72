/**
 * Control and status registers (privileged spec ch. 2–3, Zicsr, Zkr).
 *
 * | csr    | name                  | notes                                              |
 * |--------|-----------------------|----------------------------------------------------|
 * | 0x015  | seed (Zkr)            | non-deterministic: HostPort.nondetRead('seed'); writes ignored; any csr* form may read it |
 * | 0x300  | mstatus               | MIE (3), MPIE (7); MPP (12:11) reads as 3 (M)       |
 * | 0x301  | misa                  | RV32IM (0x40001100), writes ignored (WARL)          |
 * | 0x304  | mie                   | MSIE (3), MTIE (7), MEIE (11)                       |
 * | 0x305  | mtvec                 | base (31:2), mode (0 direct, 1 vectored)            |
 * | 0x310  | mstatush              | reads 0                                             |
 * | 0x340  | mscratch              |                                                    |
 * | 0x341  | mepc                  | bits 1:0 read as 0                                  |
 * | 0x342  | mcause, 0x343 mtval   |                                                    |
 * | 0x344  | mip                   | MSIP/MTIP/MEIP are read-only here (CLINT, timer event, NIC) |
 * | 0xB00/0xB80 | mcycle(h)        | non-deterministic ('cycle'); writes ignored         |
 * | 0xB02/0xB82 | minstret(h)      | exact icount of this hart; writes ignored           |
 * | 0xC00/0xC80 | cycle(h)         | read-only, non-deterministic ('cycle')              |
 * | 0xC01/0xC81 | time(h)          | read-only, non-deterministic ('time')               |
 * | 0xC02/0xC82 | instret(h)       | read-only, exact icount                             |
 * | 0xF11–0xF13 | mvendorid, marchid, mimpid | read-only 0                               |
 * | 0xF14  | mhartid               | read-only                                           |
 * | 0xFC0  | mhostid (FT Lab)      | read-only, non-deterministic ('hostid'): which host runs the VM |
 *
 * Any other number is an illegal instruction; so is a write to a read-only CSR
 * (csr[11:10] = 0b11). Counter writes are ignored so that minstret always
 * equals the icount the FT log is keyed on.
 */
import type { NondetSource } from './hostPort';
import type { Hart } from './hart';

/** mip/mie bits (§3.1.9): software, timer, external (the FT Lab NIC). */
export const IRQ_MSI = 1 << 3;
export const IRQ_MTI = 1 << 7;
export const IRQ_MEI = 1 << 11;
export const IRQ_MASK = IRQ_MSI | IRQ_MTI | IRQ_MEI;

export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_MPIE = 1 << 7;
const MSTATUS_MPP_M = 3 << 11;
export const MISA_RV32IM = 0x4000_1100;

export const Csr = {
  seed: 0x015,
  mstatus: 0x300, misa: 0x301, mie: 0x304, mtvec: 0x305, mstatush: 0x310,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  mcycle: 0xb00, minstret: 0xb02, mcycleh: 0xb80, minstreth: 0xb82,
  cycle: 0xc00, time: 0xc01, instret: 0xc02, cycleh: 0xc80, timeh: 0xc81, instreth: 0xc82,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14,
  mhostid: 0xfc0,
} as const;

const KNOWN = new Set<number>(Object.values(Csr));

/** Reads of non-deterministic CSRs go to the host. */
export type NondetReader = (source: NondetSource, half: 'lo' | 'hi') => number;

export function csrExists(n: number): boolean {
  return KNOWN.has(n);
}

export function csrReadOnly(n: number): boolean {
  return ((n >>> 10) & 3) === 3;
}

const hi32 = (v: number): number => Math.floor(v / 0x1_0000_0000) | 0;

/** Value of an existing CSR (caller checked `csrExists`). */
export function csrRead(h: Hart, n: number, nondet: NondetReader): number {
  switch (n) {
    case Csr.seed: return nondet('seed', 'lo') | 0;
    case Csr.mstatus: return h.mstatus | MSTATUS_MPP_M;
    case Csr.misa: return MISA_RV32IM;
    case Csr.mie: return h.mie;
    case Csr.mtvec: return h.mtvec | 0;
    case Csr.mstatush: return 0;
    case Csr.mscratch: return h.mscratch | 0;
    case Csr.mepc: return h.mepc | 0;
    case Csr.mcause: return h.mcause | 0;
    case Csr.mtval: return h.mtval | 0;
    case Csr.mip: return h.mip;
    case Csr.mcycle: case Csr.cycle: return nondet('cycle', 'lo') | 0;
    case Csr.mcycleh: case Csr.cycleh: return nondet('cycle', 'hi') | 0;
    case Csr.time: return nondet('time', 'lo') | 0;
    case Csr.timeh: return nondet('time', 'hi') | 0;
    case Csr.minstret: case Csr.instret: return h.instret | 0;
    case Csr.minstreth: case Csr.instreth: return hi32(h.instret);
    case Csr.mvendorid: case Csr.marchid: case Csr.mimpid: return 0;
    case Csr.mhartid: return h.id;
    case Csr.mhostid: return nondet('hostid', 'lo') | 0;
    default: throw new Error(`csrRead of unknown CSR 0x${n.toString(16)}`);
  }
}

/** Writes an existing, writable CSR (WARL fields masked). */
export function csrWrite(h: Hart, n: number, v: number): void {
  switch (n) {
    case Csr.mstatus: h.mstatus = v & (MSTATUS_MIE | MSTATUS_MPIE); break;
    case Csr.mie: h.mie = v & IRQ_MASK; break;
    // Mode 2 and 3 are reserved: keep only direct/vectored.
    case Csr.mtvec: h.mtvec = (v & ~2) >>> 0; break;
    case Csr.mscratch: h.mscratch = v >>> 0; break;
    case Csr.mepc: h.mepc = (v & ~3) >>> 0; break;
    case Csr.mcause: h.mcause = v >>> 0; break;
    case Csr.mtval: h.mtval = v >>> 0; break;
    default: break; // seed, misa, mstatush, mip, counters: writes ignored
  }
}
