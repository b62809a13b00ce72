/**
 * Why `Machine.run`/`step` returned. Guest errors are values of this type,
 * shown to users; the machine never throws because of what a guest did.
 */
import { causeName, Cause } from './trap';

export type StopReason =
  /** The icount target was reached. */
  | { readonly kind: 'budget' }
  /** The guest ended: SiFive finisher or a store to `tohost`. */
  | { readonly kind: 'halted'; readonly exitCode: number }
  /**
   * A trap the guest cannot handle (mtvec = 0, or its handler's first
   * instruction faulted). `pc`: the faulting instruction; `insn`: its word
   * (0 when it could not be fetched); the hart's state is left as before it.
   */
  | {
      readonly kind: 'trap';
      readonly cause: number;
      readonly pc: number;
      readonly tval: number;
      readonly insn: number;
      readonly hart: number;
      readonly message: string;
    }
  /** About to execute an instruction at an address in `Machine.breakpoints`. */
  | { readonly kind: 'breakpoint'; readonly pc: number; readonly hart: number }
  /** Every hart waits in `wfi` for an interrupt only the host can deliver. */
  | { readonly kind: 'wfi' };

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** Formats guest faults for people: "illegal instruction 0x00000000 at pc 0x80000010". */
export const GuestFault = {
  message(cause: number, pc: number, tval: number, insn: number): string {
    switch (cause) {
      case Cause.ILLEGAL_INSN:
        return `illegal instruction ${hex(insn)} at pc ${hex(pc)}`;
      case Cause.INSN_MISALIGNED:
      case Cause.INSN_ACCESS_FAULT:
        return `${causeName(cause)}: target ${hex(tval)} at pc ${hex(pc)}`;
      case Cause.LOAD_ACCESS_FAULT:
      case Cause.STORE_ACCESS_FAULT:
      case Cause.LOAD_MISALIGNED:
      case Cause.STORE_MISALIGNED:
        return `${causeName(cause)} at address ${hex(tval)} at pc ${hex(pc)}`;
      default:
        return `${causeName(cause)} at pc ${hex(pc)}`;
    }
  },

  /** One line for any StopReason (the CLI prints it on stderr). */
  format(stop: StopReason): string {
    switch (stop.kind) {
      case 'budget': return 'step budget exhausted';
      case 'halted': return `halted with exit code ${stop.exitCode}`;
      case 'trap': return stop.message;
      case 'breakpoint': return `breakpoint at pc ${hex(stop.pc)}`;
      case 'wfi': return 'waiting for an interrupt (wfi)';
      default: {
        const never: never = stop;
        return never;
      }
    }
  },
} as const;

export function formatGuestFault(stop: StopReason): string {
  return GuestFault.format(stop);
}
