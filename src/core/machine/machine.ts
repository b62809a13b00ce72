/**
 * The FT Lab machine: RV32IM + Zicsr + Zifencei, machine mode, QEMU-virt-like
 * devices, 1 hart (or 2 for the multicore demonstration). Deterministic given
 * its HostPort answers and the icounts at which events are delivered.
 *
 * Icount = instructions retired (minstret), summed over harts. `run(target)`
 * stops exactly at `icount === target` unless the guest halts, traps without
 * a handler, hits a breakpoint or waits (wfi) for an interrupt.
 *
 * With `harts: 2`, `run` interleaves the harts round-robin, `quantum`
 * instructions each; `runHart(h, steps)` lets the host pick any interleaving.
 * The interleaving is deliberately not logged: replaying a multicore guest
 * from inputs alone is exactly what VMware FT cannot do.
 *
 * Engines (option `engine`): 'blocks' (default) compiles hot code to JS
 * (blockEngine.ts), 'interpreter' is the pre-decoded interpreter (cpu.ts).
 * They reach the same state at every icount (test/core/machine/blockEngine.test.ts).
 */
import type { Diagnostic } from '../diagnostic';
import { MemoryMap, type ProgramImage } from '../image';
import { BlockEngine } from './blockEngine';
import { Bus } from './bus';
import { csrRead, csrExists, Csr, IRQ_MTI, type NondetReader } from './csr';
import { Cpu } from './cpu';
import { Clint } from './devices/clint';
import { Nic } from './devices/nic';
import { Uart } from './devices/uart';
import { Hart } from './hart';
import { Mix, PageHasher } from './hash';
import type { HostPort, InjectedEvent } from './hostPort';
import { PAGE_BYTES, PAGE_SHIFT, PageFlag, PageState, Ram } from './memory';
import { loadHart, packSnapshot, saveHart, SNAPSHOT_VERSION, type MachineSnapshot } from './snapshot';
import type { StopReason } from './stopReason';

export interface MachineOptions {
  readonly port: HostPort;
  /** RAM size in bytes (multiple of 4 KiB); default MemoryMap.ramBytesDefault (16 MiB). */
  readonly ramBytes?: number;
  /** 1 (default) or more for the multicore demonstration. */
  readonly harts?: number;
  /** This host's identity; informational (the HostPort answers mhostid reads). */
  readonly hostId?: number;
  /**
   * Execution engine: 'blocks' (default) compiles hot basic blocks to
   * JavaScript (blockEngine.ts); 'interpreter' runs the pre-decoded
   * interpreter alone. Both give the same state at every icount.
   */
  readonly engine?: MachineEngine;
}

export type MachineEngine = 'interpreter' | 'blocks';

/** The engine a Machine uses when its options do not name one. */
export const DEFAULT_ENGINE: MachineEngine = 'blocks';

export interface Registers {
  readonly hart: number;
  readonly pc: number;
  /** x0..x31 (a copy). */
  readonly x: Int32Array;
  readonly instret: number;
}

const HALTED_NONE = -1;

export class Machine {
  readonly port: HostPort;
  readonly ramBytes: number;
  readonly hostId: number;
  /** Addresses where `run` stops before executing (the resumed-from pc excepted). */
  readonly breakpoints = new Set<number>();
  /** Multicore only: instructions per hart per turn in `run`. */
  quantum = 1000;

  private readonly ram: Ram;
  private readonly harts: Hart[];
  private readonly uart: Uart;
  private readonly clint: Clint;
  private readonly nic: Nic;
  private readonly bus: Bus;
  private readonly cpu: Cpu;
  /** The block engine, or null with engine 'interpreter'. */
  private readonly blockEngine: BlockEngine | null;
  readonly engine: MachineEngine;
  private readonly hasher: PageHasher;
  /** RAM offset of tohost, or -1. */
  private tohostOff = -1;
  private exitCode = HALTED_NONE;
  /** Where the last breakpoint stop happened: resuming there executes that instruction. */
  private bpStop: { hart: number; pc: number; instret: number } | null = null;

  constructor(opts: MachineOptions) {
    this.port = opts.port;
    this.ramBytes = opts.ramBytes ?? MemoryMap.ramBytesDefault;
    this.hostId = opts.hostId ?? 0;
    const nHarts = opts.harts ?? 1;
    if (!Number.isInteger(nHarts) || nHarts < 1 || nHarts > 8) throw new Error(`harts must be 1..8, got ${nHarts}`);
    this.ram = new Ram(this.ramBytes);
    this.harts = Array.from({ length: nHarts }, (_, k) => new Hart(k));
    const nondet: NondetReader = (source, half) => this.port.nondetRead(source, half, this.icount);
    this.uart = new Uart((byte) =>
      this.port.output({ device: 'uart', icount: this.icount, bytes: Uint8Array.of(byte) }));
    this.clint = new Clint(this.harts);
    this.nic = new Nic(
      this.harts[0],
      {
        write: (addr, bytes) => this.writeMemory(addr, bytes),
        read: (addr, len) => (this.bus.inRam(addr, len) ? this.readMemory(addr, len) : null),
      },
      (bytes) => this.port.output({ device: 'nic', icount: this.icount, bytes }),
    );
    this.bus = new Bus(this.ram, this.uart, this.clint, this.nic, {
      afterRamStore: (off, size) => this.afterRamStore(off, size),
      exit: (code) => this.halt(code),
      nondet,
    });
    this.cpu = new Cpu(this.ram, this.bus, nondet);
    this.cpu.afterRamStore = (off, size) => this.afterRamStore(off, size);
    this.engine = opts.engine ?? DEFAULT_ENGINE;
    if (this.engine !== 'interpreter' && this.engine !== 'blocks') throw new Error(`unknown engine ${String(this.engine)}`);
    this.blockEngine = this.engine === 'blocks' ? new BlockEngine(this.cpu, this.ram) : null;
    this.cpu.blocks = this.blockEngine;
    this.hasher = new PageHasher(this.ram);
  }

  static fromSnapshot(snap: MachineSnapshot, port: HostPort, engine?: MachineEngine): Machine {
    const m = new Machine({ port, ramBytes: snap.ramBytes, harts: snap.harts.length, hostId: snap.hostId, engine });
    m.restore(snap);
    return m;
  }

  // ── observation ────────────────────────────────────────────────────────

  /** Instructions retired (all harts). */
  get icount(): number {
    let n = 0;
    for (const h of this.harts) n += h.instret;
    return n;
  }

  /** Block-engine counters (blocks scanned, compiled, dropped by code writes); null with the interpreter. */
  get blockStats(): { readonly built: number; readonly compiled: number; readonly dropped: number } | null {
    return this.blockEngine === null ? null : { ...this.blockEngine.stats };
  }

  /** pc of hart 0. */
  get pc(): number {
    return this.harts[0].pc;
  }

  get hartCount(): number {
    return this.harts.length;
  }

  /** The exit code once the guest has halted, else null. */
  get halted(): number | null {
    return this.exitCode === HALTED_NONE ? null : this.exitCode;
  }

  /** mtimecmp of hart 0 (an unsigned 64-bit value as a number). */
  get mtimecmp(): number {
    return this.clint.mtimecmp(0);
  }

  /** mip.MTIP of hart 0: a delivered timer interrupt not yet cleared by a mtimecmp write. */
  get timerPending(): boolean {
    return (this.harts[0].mip & IRQ_MTI) !== 0;
  }

  /**
   * Should a host whose clock reads `mtime` deliver `{ kind: 'timer' }` now?
   * True when mtime ≥ mtimecmp, the guest enabled the timer (mie.MTIE) and no
   * timer interrupt is already pending.
   */
  wantsTimer(mtime: number): boolean {
    const h = this.harts[0];
    return (h.mie & IRQ_MTI) !== 0 && (h.mip & IRQ_MTI) === 0 && mtime >= this.clint.mtimecmp(0);
  }

  registers(hart = 0): Registers {
    const h = this.harts[hart];
    return { hart, pc: h.pc, x: h.x.slice(0, 32), instret: h.instret };
  }

  /** Machine-mode CSRs of a hart by name (non-deterministic ones excluded: reading them has no side effect here). */
  csrs(hart = 0): Record<string, number> {
    const h = this.harts[hart];
    const out: Record<string, number> = {};
    const noNondet: NondetReader = () => 0;
    for (const name of ['mstatus', 'misa', 'mie', 'mip', 'mtvec', 'mepc', 'mcause', 'mtval', 'mscratch', 'mhartid',
      'minstret'] as const) {
      const n = Csr[name];
      if (csrExists(n)) out[name] = csrRead(h, n, noNondet) >>> 0;
    }
    return out;
  }

  /** Copy of guest memory; bytes outside RAM read as 0 (no device side effects). */
  readMemory(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    const base = MemoryMap.ramBase;
    for (let k = 0; k < len; k++) {
      const off = (addr + k - base) >>> 0;
      if (off < this.ramBytes) out[k] = this.ram.u8[off];
    }
    return out;
  }

  /** Host write into RAM (debugger, NIC bounce buffer). False if not all in RAM. */
  writeMemory(addr: number, bytes: Uint8Array): boolean {
    if (!this.bus.inRam(addr, bytes.length)) return false;
    if (bytes.length === 0) return true;
    const off = (addr - MemoryMap.ramBase) >>> 0;
    this.ram.u8.set(bytes, off);
    this.ram.markWritten(off, bytes.length);
    this.cpu.invalidate(off, bytes.length);
    return true;
  }

  // ── loading ────────────────────────────────────────────────────────────

  /** Resets the machine and loads `image`. Returns problems (empty = loaded). */
  load(image: ProgramImage, file = 'image'): Diagnostic[] {
    const problems: Diagnostic[] = [];
    for (const s of image.segments) {
      const len = s.bytes.length + (s.zeroFill ?? 0);
      if (!this.bus.inRam(s.addr, len)) {
        problems.push({
          severity: 'error', file, line: 0, column: 0, endColumn: 0,
          message: `segment ${s.name ?? ''} at 0x${(s.addr >>> 0).toString(16)} (${len} bytes) is outside RAM ` +
            `0x${MemoryMap.ramBase.toString(16)}..0x${(MemoryMap.ramBase + this.ramBytes).toString(16)}`,
          hint: 'link the program at 0x80000000 (e.g. ld -Ttext=0x80000000)',
        });
      }
    }
    if (problems.length > 0) return problems;
    this.resetAll();
    for (const s of image.segments) this.writeMemory(s.addr, s.bytes);
    for (const h of this.harts) h.reset(image.entry);
    if (image.tohost !== undefined && this.bus.inRam(image.tohost, 4)) {
      this.setTohost(image.tohost);
    }
    return problems;
  }

  private resetAll(): void {
    // Only pages ever written can be non-zero (every store marks its page TOUCHED — snapshots rely on
    // it too): zero those, not all of RAM (a restore resets: seeks, state transfers, checkpoint hashes).
    const st = this.ram.pageState;
    const u8 = this.ram.u8;
    for (let p = 0; p < st.length; p++) {
      if (st[p] & PageState.TOUCHED) {
        u8.fill(0, p * PAGE_BYTES, (p + 1) * PAGE_BYTES);
        st[p] = PageState.DIRTY_CKPT;
      } else st[p] = 0;
    }
    this.ram.pageFlags.fill(0);
    this.hasher.resetToZero();
    this.cpu.resetDecode();
    this.cpu.stop = null;
    this.clint.reset();
    this.nic.reset();
    this.uart.load([0, 0, 0, 0, 0, 0]);
    this.tohostOff = -1;
    this.exitCode = HALTED_NONE;
  }

  private setTohost(addr: number): void {
    this.tohostOff = (addr - MemoryMap.ramBase) >>> 0;
    this.ram.pageFlags[this.tohostOff >>> PAGE_SHIFT] |= PageFlag.WATCH;
    this.ram.pageFlags[(this.tohostOff + 3) >>> PAGE_SHIFT] |= PageFlag.WATCH;
  }

  /** After a guest store into RAM that may have hit code or tohost. */
  private afterRamStore(off: number, size: number): void {
    this.cpu.invalidate(off, size);
    const t = this.tohostOff;
    if (t >= 0 && off < t + 4 && off + size > t) {
      const m = this.ram.u8;
      const v = (m[t] | (m[t + 1] << 8) | (m[t + 2] << 16) | (m[t + 3] << 24)) >>> 0;
      // riscv-tests HTIF: 1 = pass, odd v = fail with code v >> 1.
      if (v !== 0) this.halt(v === 1 ? 0 : v >>> 1);
    }
  }

  private halt(code: number): void {
    this.exitCode = code;
    this.cpu.stop = { kind: 'halted', exitCode: code };
  }

  // ── execution ──────────────────────────────────────────────────────────

  /** Runs until icount === icountTarget or something stops the machine. */
  run(icountTarget: number): StopReason {
    if (this.exitCode !== HALTED_NONE) return { kind: 'halted', exitCode: this.exitCode };
    if (this.harts.length === 1) {
      const h = this.harts[0];
      return this.runOne(h, icountTarget - h.instret) ?? (this.isIdle(h) ? { kind: 'wfi' } : { kind: 'budget' });
    }
    for (;;) {
      let progressed = false;
      for (const h of this.harts) {
        const left = icountTarget - this.icount;
        if (left <= 0) return { kind: 'budget' };
        if (this.isIdle(h)) continue;
        const before = h.instret;
        const stop = this.runOne(h, Math.min(this.quantum, left));
        if (stop) return stop;
        if (h.instret !== before) progressed = true;
      }
      if (this.icount >= icountTarget) return { kind: 'budget' };
      if (!progressed && this.harts.every((h) => this.isIdle(h))) return { kind: 'wfi' };
    }
  }

  /** Executes one instruction of hart 0 (breakpoints ignored for it). */
  step(): StopReason {
    return this.runHart(0, 1, false);
  }

  /** Runs hart `hart` for up to `steps` instructions (multicore: the host picks the interleaving). */
  runHart(hart: number, steps: number, breakpoints = true): StopReason {
    if (this.exitCode !== HALTED_NONE) return { kind: 'halted', exitCode: this.exitCode };
    const h = this.harts[hart];
    if (!h) throw new Error(`no hart ${hart}`);
    const stop = breakpoints ? this.runOne(h, steps) : this.runRaw(h, steps);
    return stop ?? (this.isIdle(h) ? { kind: 'wfi' } : { kind: 'budget' });
  }

  /** A hart parked in wfi with nothing to wake it. Wakes it if something can. */
  private isIdle(h: Hart): boolean {
    if (!h.waiting) return false;
    if ((h.mip & h.mie) !== 0) {
      h.waiting = false;
      return false;
    }
    return true;
  }

  /** Up to `steps` instructions of `h`, honouring breakpoints; null = no stop. */
  private runOne(h: Hart, steps: number): StopReason | null {
    if (steps <= 0 || this.isIdle(h)) return null;
    if (this.breakpoints.size === 0) return this.runRaw(h, steps);
    const start = h.instret;
    const b = this.bpStop;
    this.bpStop = null;
    if (b && b.hart === h.id && b.pc === h.pc && b.instret === h.instret && this.breakpoints.has(h.pc)) {
      // Resuming from the breakpoint we stopped at: execute it first.
      const stop = this.runRaw(h, 1);
      if (stop || h.waiting || h.instret - start >= steps) return stop;
    }
    this.cpu.installBreakpoints(this.breakpoints);
    let stop: StopReason | null;
    try {
      stop = this.runRaw(h, steps - (h.instret - start));
    } finally {
      this.cpu.removeBreakpoints();
    }
    if (stop?.kind === 'breakpoint') this.bpStop = { hart: h.id, pc: h.pc, instret: h.instret };
    return stop;
  }

  private runRaw(h: Hart, steps: number): StopReason | null {
    if (steps <= 0 || this.isIdle(h)) return null;
    if (this.blockEngine !== null) this.blockEngine.run(h, steps);
    else this.cpu.run(h, steps);
    const stop = this.cpu.stop;
    this.cpu.stop = null;
    return stop;
  }

  /** Injects a host event between two instructions (see InjectedEvent). */
  deliver(ev: InjectedEvent): void {
    switch (ev.kind) {
      case 'timer':
        this.harts[0].mip |= IRQ_MTI;
        break;
      case 'packet':
        this.nic.receive(ev.bytes);
        break;
      default: {
        const never: never = ev;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }

  // ── snapshots and hashes ───────────────────────────────────────────────

  snapshot(): MachineSnapshot {
    const pages = this.writtenPages();
    const pageData = new Uint8Array(pages.length * PAGE_BYTES);
    pages.forEach((p, k) => pageData.set(this.ram.u8.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES), k * PAGE_BYTES));
    return {
      version: SNAPSHOT_VERSION,
      ramBytes: this.ramBytes,
      hostId: this.hostId,
      pages: Uint32Array.from(pages),
      pageData,
      harts: this.harts.map(saveHart),
      clint: { cmpLo: this.clint.cmpLo.slice(), cmpHi: this.clint.cmpHi.slice() },
      uart: this.uart.save(),
      nic: this.nic.save(),
      tohost: this.tohostOff < 0 ? -1 : MemoryMap.ramBase + this.tohostOff,
      exitCode: this.exitCode,
    };
  }

  /** RAM pages ever written since load/restore (the only ones a snapshot keeps). */
  private writtenPages(): number[] {
    const st = this.ram.pageState;
    const pages: number[] = [];
    for (let p = 0; p < st.length; p++) if (st[p] & PageState.TOUCHED) pages.push(p);
    return pages;
  }

  /** The same snapshot in one buffer (`unpackSnapshot` reads it): for handing a checkpoint to another thread. */
  snapshotPacked(): Uint8Array {
    const pages = this.writtenPages();
    return packSnapshot({
      ramBytes: this.ramBytes,
      hostId: this.hostId,
      harts: this.harts,
      pages,
      ram: this.ram.u8,
      pageBytes: PAGE_BYTES,
      cmpLo: this.clint.cmpLo,
      cmpHi: this.clint.cmpHi,
      uart: this.uart.save(),
      nic: this.nic.save(),
      tohost: this.tohostOff < 0 ? -1 : MemoryMap.ramBase + this.tohostOff,
      exitCode: this.exitCode,
    });
  }

  restore(snap: MachineSnapshot): void {
    if (snap.version !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${snap.version} unsupported`);
    if (snap.ramBytes !== this.ramBytes || snap.harts.length !== this.harts.length) {
      throw new Error('snapshot is from a machine of a different shape (RAM size or hart count)');
    }
    this.resetAll();
    const st = this.ram.pageState;
    st.fill(0);
    snap.pages.forEach((p, k) => {
      this.ram.u8.set(snap.pageData.subarray(k * PAGE_BYTES, (k + 1) * PAGE_BYTES), p * PAGE_BYTES);
      st[p] = PageState.TOUCHED | PageState.DIRTY_HASH;
    });
    this.harts.forEach((h, k) => loadHart(h, snap.harts[k]));
    this.clint.cmpLo.set(snap.clint.cmpLo);
    this.clint.cmpHi.set(snap.clint.cmpHi);
    this.uart.load(snap.uart);
    this.nic.load(snap.nic);
    if (snap.tohost >= 0) this.setTohost(snap.tohost);
    this.exitCode = snap.exitCode;
  }

  /** Per-page RAM hashes (a copy), up to date. */
  pageHashes(): Uint32Array {
    return this.hasher.update().slice();
  }

  /**
   * Pages written since the previous call (or since load/restore), for
   * incremental checkpoints; clears the set.
   */
  dirtyPages(): Uint32Array {
    const st = this.ram.pageState;
    const out: number[] = [];
    for (let p = 0; p < st.length; p++) {
      if (st[p] & PageState.DIRTY_CKPT) {
        out.push(p);
        st[p] &= ~PageState.DIRTY_CKPT;
      }
    }
    return Uint32Array.from(out);
  }

  /** Hash of the whole machine state: RAM (cached page hashes), harts, CSRs, devices. */
  stateHash(): string {
    const mix = new Mix();
    mix.addAll(this.hasher.update());
    for (const h of this.harts) {
      for (let r = 0; r < 32; r++) mix.add(h.x[r]);
      mix.add(h.pc).addNumber(h.instret).add(h.mstatus).add(h.mie).add(h.mip).add(h.mtvec).add(h.mepc)
        .add(h.mcause).add(h.mtval).add(h.mscratch).add(h.waiting ? 1 : 0);
    }
    mix.addAll(this.clint.cmpLo).addAll(this.clint.cmpHi).addAll(this.uart.save());
    const nic = this.nic.save();
    mix.addAll(nic.regs).add(nic.queue.length);
    for (const q of nic.queue) mix.addAll(q);
    mix.add(this.tohostOff).add(this.exitCode);
    return mix.hex();
  }
}
