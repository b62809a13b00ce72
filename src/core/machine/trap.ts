/**
 * Trap causes and trap entry (privileged spec §3.1.15 mcause, §3.1.16 mtval,
 * §3.3.1 ECALL/EBREAK, §3.1.7 mtvec). Traps are values: `enterTrap` returns the
 * handler's address, or `null` when there is no handler (mtvec = 0) or the
 * handler's own first instruction faulted (a trap loop) — the machine then
 * stops with a `trap` StopReason instead of looping forever.
 */
import type { Hart } from './hart';
import { IRQ_MEI, IRQ_MSI, MSTATUS_MIE, MSTATUS_MPIE } from './csr';

export { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_MASK } from './csr';

export const Cause = {
  INSN_MISALIGNED: 0,
  INSN_ACCESS_FAULT: 1,
  ILLEGAL_INSN: 2,
  BREAKPOINT: 3,
  LOAD_MISALIGNED: 4,
  LOAD_ACCESS_FAULT: 5,
  STORE_MISALIGNED: 6,
  STORE_ACCESS_FAULT: 7,
  ECALL_M: 11,
  /** Interrupts have bit 31 set. */
  M_SOFTWARE_INTERRUPT: 0x8000_0003,
  M_TIMER_INTERRUPT: 0x8000_0007,
  M_EXTERNAL_INTERRUPT: 0x8000_000b,
} as const;


const CAUSE_NAMES: Record<number, string> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store address misaligned',
  7: 'store access fault',
  11: 'environment call from M-mode',
  0x8000_0003: 'machine software interrupt',
  0x8000_0007: 'machine timer interrupt',
  0x8000_000b: 'machine external interrupt',
};

export function causeName(cause: number): string {
  return CAUSE_NAMES[cause >>> 0] ?? `cause 0x${(cause >>> 0).toString(16)}`;
}

/**
 * The highest-priority interrupt `h` takes now (MEI > MSI > MTI, §3.1.9), or -1.
 * Machine mode: taken only when mstatus.MIE is set.
 */
export function pendingInterrupt(h: Hart): number {
  if ((h.mstatus & MSTATUS_MIE) === 0) return -1;
  const p = h.mip & h.mie;
  if (p === 0) return -1;
  if (p & IRQ_MEI) return Cause.M_EXTERNAL_INTERRUPT;
  if (p & IRQ_MSI) return Cause.M_SOFTWARE_INTERRUPT;
  return Cause.M_TIMER_INTERRUPT;
}

/**
 * Takes a trap on hart `h` whose faulting (or, for an interrupt, next)
 * instruction is at `pc`. Returns the handler address, or null when the trap
 * cannot be handled (the hart state is left untouched).
 */
export function enterTrap(h: Hart, cause: number, tval: number, pc: number): number | null {
  const base = h.mtvec & ~3;
  if (base === 0) return null;
  const interrupt = cause < 0 || cause >= 0x8000_0000;
  const target = interrupt && (h.mtvec & 1) ? (base + 4 * (cause & 0x7fff_ffff)) >>> 0 : base >>> 0;
  // A synchronous exception raised by the handler's own entry instruction would
  // re-enter the handler forever without retiring anything.
  if (!interrupt && pc >>> 0 === target) return null;
  h.mepc = pc >>> 0;
  h.mcause = cause >>> 0;
  h.mtval = tval >>> 0;
  const mie = h.mstatus & MSTATUS_MIE;
  h.mstatus = (h.mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE)) | (mie ? MSTATUS_MPIE : 0);
  h.waiting = false;
  return target;
}
