/**
 * Machine snapshots: plain, structured-cloneable data (typed arrays and
 * numbers) so they can cross a worker boundary or go into SQLite. RAM is
 * stored sparsely: only pages ever written since load/restore.
 */
import type { Hart } from './hart';
import type { NicState } from './devices/nic';

export const SNAPSHOT_VERSION = 1;

export interface HartSnapshot {
  /** x0..x31. */
  readonly x: Int32Array;
  /** pc, instret, mstatus, mie, mip, mtvec, mepc, mcause, mtval, mscratch, waiting (0/1). */
  readonly state: Float64Array;
}

export interface MachineSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly ramBytes: number;
  readonly hostId: number;
  /** Indices of the RAM pages stored in `pageData` (4 KiB each, in order); other pages are zero. */
  readonly pages: Uint32Array;
  readonly pageData: Uint8Array;
  readonly harts: readonly HartSnapshot[];
  readonly clint: { readonly cmpLo: Uint32Array; readonly cmpHi: Uint32Array };
  readonly uart: readonly number[];
  readonly nic: NicState;
  /** tohost address, or -1. */
  readonly tohost: number;
  /** Exit code once halted, or -1. */
  readonly exitCode: number;
}

export function saveHart(h: Hart): HartSnapshot {
  return {
    x: h.x.slice(0, 32),
    state: Float64Array.of(h.pc, h.instret, h.mstatus, h.mie, h.mip, h.mtvec, h.mepc, h.mcause, h.mtval,
      h.mscratch, h.waiting ? 1 : 0),
  };
}

export function loadHart(h: Hart, s: HartSnapshot): void {
  h.x.set(s.x.subarray(0, 32));
  h.x[32] = 0;
  const v = s.state;
  h.pc = v[0]; h.instret = v[1]; h.mstatus = v[2]; h.mie = v[3]; h.mip = v[4]; h.mtvec = v[5];
  h.mepc = v[6]; h.mcause = v[7]; h.mtval = v[8]; h.mscratch = v[9]; h.waiting = v[10] !== 0;
}
