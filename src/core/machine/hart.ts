/**
 * One hardware thread: integer registers, pc, retired-instruction count and
 * its machine-mode CSRs. Memory and devices are shared between harts.
 */
export class Hart {
  readonly id: number;
  /** x0..x31, plus x[32]: the scratch slot that writes to x0 land in. */
  readonly x = new Int32Array(33);
  /** Unsigned 32-bit program counter. */
  pc = 0;
  /** Instructions retired by this hart (minstret); exact, a JS number. */
  instret = 0;
  /** Only MIE (bit 3) and MPIE (bit 7) are stored; MPP always reads as M. */
  mstatus = 0;
  mie = 0;
  /** MSIP/MTIP/MEIP, set by the CLINT, `deliver` and the NIC. */
  mip = 0;
  mtvec = 0;
  mepc = 0;
  mcause = 0;
  mtval = 0;
  mscratch = 0;
  /** Stalled in `wfi` until (mip & mie) != 0. */
  waiting = false;

  constructor(id: number) {
    this.id = id;
  }

  reset(pc: number): void {
    this.x.fill(0);
    this.pc = pc >>> 0;
    this.instret = 0;
    this.mstatus = 0;
    this.mie = 0;
    this.mip = 0;
    this.mtvec = 0;
    this.mepc = 0;
    this.mcause = 0;
    this.mtval = 0;
    this.mscratch = 0;
    this.waiting = false;
  }
}
