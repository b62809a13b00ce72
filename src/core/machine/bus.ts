/**
 * The physical address space (QEMU virt layout, see MemoryMap) and the slow
 * path of every load and store: misaligned RAM accesses (they complete, no
 * trap), MMIO, and unmapped addresses (access faults). The execute loop does
 * aligned RAM accesses itself and comes here only for the rest.
 *
 * | range                         | device                     |
 * |-------------------------------|----------------------------|
 * | 0x0010_0000 – 0x0010_0FFF     | SiFive test finisher       |
 * | 0x0200_0000 – 0x0200_FFFF     | CLINT                      |
 * | 0x1000_0000 – 0x1000_00FF     | NS16550A UART              |
 * | 0x1020_0000 – 0x1020_00FF     | FT Lab NIC                 |
 * | 0x8000_0000 – + ramBytes      | RAM                        |
 * | anything else                 | access fault (load 5, store 7; mtval = address) |
 */
import { MemoryMap } from '../image';
import type { NondetReader } from './csr';
import type { Ram } from './memory';
import { CLINT_SIZE, type Clint } from './devices/clint';
import { FINISHER_SIZE, finisherExitCode } from './devices/finisher';
import { NIC_SIZE, type Nic } from './devices/nic';
import { UART_SIZE, type Uart } from './devices/uart';

const noNondet: NondetReader = () => 0;

export interface BusHooks {
  /** After a slow-path store into RAM: code invalidation, tohost. */
  afterRamStore(off: number, size: number): void;
  /** The finisher was written: halt with this exit code. */
  exit(code: number): void;
  /** Reads of mtime. */
  nondet: NondetReader;
}

export class Bus {
  /** Set by `load`/`store` when the access faulted (no device / outside RAM). */
  fault = false;

  constructor(
    private readonly ram: Ram,
    private readonly uart: Uart,
    private readonly clint: Clint,
    private readonly nic: Nic,
    private readonly hooks: BusHooks,
  ) {}

  /** True when [addr, addr+len) lies entirely in RAM. */
  inRam(addr: number, len: number): boolean {
    const off = (addr - MemoryMap.ramBase) >>> 0;
    return len >= 0 && off < this.ram.bytes && off + len <= this.ram.bytes;
  }

  /** Loads `size` bytes at unsigned `addr`; sign-extends when `signed`. */
  load(addr: number, size: 1 | 2 | 4, signed: boolean): number {
    this.fault = false;
    addr >>>= 0;
    let v: number;
    if (this.inRam(addr, size)) {
      const m = this.ram.u8;
      const off = addr - MemoryMap.ramBase;
      v = m[off] | (size > 1 ? m[off + 1] << 8 : 0) | (size > 2 ? (m[off + 2] << 16) | (m[off + 3] << 24) : 0);
    } else {
      const w = this.mmioRead(addr, size, this.hooks.nondet);
      if (w === null) {
        this.fault = true;
        return 0;
      }
      v = w;
    }
    if (size === 4) return v | 0;
    const bits = 32 - 8 * size;
    return signed ? (v << bits) >> bits : (v << bits) >>> bits;
  }

  /** Stores the low `size` bytes of `value` at unsigned `addr`. */
  store(addr: number, size: 1 | 2 | 4, value: number): void {
    this.fault = false;
    addr >>>= 0;
    if (this.inRam(addr, size)) {
      const m = this.ram.u8;
      const off = addr - MemoryMap.ramBase;
      for (let k = 0; k < size; k++) m[off + k] = value >>> (8 * k);
      this.ram.markWritten(off, size);
      this.hooks.afterRamStore(off, size);
      return;
    }
    if (!this.mmioWrite(addr, size, value)) this.fault = true;
  }

  private mmioRead(addr: number, size: number, nondet: NondetReader): number | null {
    let off = addr - MemoryMap.uartBase;
    if (off >= 0 && off < UART_SIZE) return this.uart.read(off);
    let word: number;
    if ((off = addr - MemoryMap.clintBase) >= 0 && off < CLINT_SIZE) word = this.clint.read(off & ~3, nondet);
    else if ((off = addr - MemoryMap.nicBase) >= 0 && off < NIC_SIZE) word = this.nic.read(off & ~3);
    else if ((off = addr - MemoryMap.finisherBase) >= 0 && off < FINISHER_SIZE) word = 0;
    else return null;
    const shift = 8 * (off & 3);
    return size === 4 && shift === 0 ? word : word >>> shift;
  }

  private mmioWrite(addr: number, size: number, value: number): boolean {
    let off = addr - MemoryMap.uartBase;
    if (off >= 0 && off < UART_SIZE) {
      this.uart.write(off, value);
      return true;
    }
    if ((off = addr - MemoryMap.finisherBase) >= 0 && off < FINISHER_SIZE) {
      if (off === 0 && size === 4) {
        const code = finisherExitCode(value);
        if (code !== null) this.hooks.exit(code);
      }
      return true;
    }
    const clint = (off = addr - MemoryMap.clintBase) >= 0 && off < CLINT_SIZE;
    if (!clint && !((off = addr - MemoryMap.nicBase) >= 0 && off < NIC_SIZE)) return false;
    const wordOff = off & ~3;
    let word = value;
    if (size < 4) {
      // Sub-word store to a word register: merge into the current value
      // (read without side effects: mtime reads as 0 here, and is read-only anyway).
      const old = clint ? this.clint.read(wordOff, noNondet) : this.nic.read(wordOff);
      const shift = 8 * (off & 3);
      const mask = (size === 1 ? 0xff : 0xffff) << shift;
      word = (old & ~mask) | ((value << shift) & mask);
    }
    if (clint) this.clint.write(wordOff, word);
    else this.nic.write(wordOff, word);
    return true;
  }
}
