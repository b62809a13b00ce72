/**
 * Core-local interruptor at MemoryMap.clintBase (SiFive CLINT layout, QEMU virt).
 *
 * | offset            | register          | notes                                        |
 * |-------------------|-------------------|----------------------------------------------|
 * | 0x0000 + 4·hart   | msip              | bit 0 → mip.MSIP of that hart                |
 * | 0x4000 + 8·hart   | mtimecmp (lo, hi) | a write clears mip.MTIP of that hart          |
 * | 0xBFF8 / 0xBFFC   | mtime (lo, hi)    | reads: HostPort.nondetRead('mtime'); writes ignored |
 *
 * The CLINT does not raise MTIP by itself: time is outside the machine. The
 * host compares its clock with `mtimecmp` (Machine.wantsTimer) and injects
 * `{ kind: 'timer' }` at an icount it chooses (and the FT primary logs).
 */
import type { Hart } from '../hart';
import { IRQ_MSI, IRQ_MTI } from '../csr';
import type { NondetReader } from '../csr';

export const CLINT_SIZE = 0x1_0000;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;

export class Clint {
  /** mtimecmp per hart, low and high words (unsigned). Reset: all ones. */
  readonly cmpLo: Uint32Array;
  readonly cmpHi: Uint32Array;

  constructor(private readonly harts: readonly Hart[]) {
    this.cmpLo = new Uint32Array(harts.length).fill(0xffff_ffff);
    this.cmpHi = new Uint32Array(harts.length).fill(0xffff_ffff);
  }

  reset(): void {
    this.cmpLo.fill(0xffff_ffff);
    this.cmpHi.fill(0xffff_ffff);
  }

  mtimecmp(hart: number): number {
    return this.cmpHi[hart] * 0x1_0000_0000 + this.cmpLo[hart];
  }

  read(off: number, nondet: NondetReader): number {
    const n = this.harts.length;
    if (off < 4 * n && (off & 3) === 0) return (this.harts[off >> 2].mip & IRQ_MSI) ? 1 : 0;
    if (off >= MTIMECMP && off < MTIMECMP + 8 * n) {
      const h = (off - MTIMECMP) >> 3;
      return ((off & 4) ? this.cmpHi[h] : this.cmpLo[h]) | 0;
    }
    if (off === MTIME) return nondet('mtime', 'lo') | 0;
    if (off === MTIME + 4) return nondet('mtime', 'hi') | 0;
    return 0;
  }

  write(off: number, value: number): void {
    const n = this.harts.length;
    if (off < 4 * n && (off & 3) === 0) {
      const h = this.harts[off >> 2];
      h.mip = value & 1 ? h.mip | IRQ_MSI : h.mip & ~IRQ_MSI;
      if (value & 1) h.waiting = h.waiting && (h.mip & h.mie) === 0;
      return;
    }
    if (off >= MTIMECMP && off < MTIMECMP + 8 * n) {
      const h = (off - MTIMECMP) >> 3;
      if (off & 4) this.cmpHi[h] = value >>> 0;
      else this.cmpLo[h] = value >>> 0;
      this.harts[h].mip &= ~IRQ_MTI;
    }
  }
}
