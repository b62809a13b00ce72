/**
 * The execute engine: a pre-decoded interpreter over RAM (see decode.ts for
 * the slot layout). `run(h, steps)` retires at most `steps` instructions of
 * hart `h` — exactly `steps` unless something stops it — with the retired
 * count kept in a local and written back to `h.instret` at the end.
 *
 * Fast path: aligned loads/stores inside RAM, ALU, branches — all inline in
 * one switch. A store checks the decode slot of the word it wrote: non-zero
 * means code was overwritten (self-modifying code) and the slot is dropped. Everything else (MMIO, misaligned accesses, SYSTEM
 * instructions, faults, traps) leaves the switch for a method below.
 *
 * The block engine (blockEngine.ts) drives this interpreter for everything
 * its compiled code does not do, with the same contract: same Hart state in,
 * same state and `stop` out, `afterRamStore` honoured for self-modifying code;
 * `invalidate` also drops its compiled blocks.
 */
import { MemoryMap } from '../image';
import type { BlockEngine } from './blockEngine';
import type { Bus } from './bus';
import { csrExists, csrRead, csrReadOnly, csrWrite, MSTATUS_MIE, MSTATUS_MPIE, type NondetReader } from './csr';
import { decodeInto, immB, immJ, Op } from './decode';
import type { Hart } from './hart';
import type { Ram } from './memory';
import type { StopReason } from './stopReason';
import { GuestFault } from './stopReason';
import { Cause, enterTrap, pendingInterrupt } from './trap';

const RAM_BASE = MemoryMap.ramBase;
const OP_BREAK = Op.BREAK;
/** `addr ^ RAM_XOR` is the RAM offset of an int32 address (RAM starts at 2^31). */
const RAM_XOR = RAM_BASE | 0;
if (RAM_BASE !== 0x8000_0000) throw new Error('cpu.ts assumes RAM at 0x80000000');

/*
 * Hot-loop note: case labels and constants inside `run` are numeric literals
 * (with the Op name in a comment), never imported bindings: bundlers turn an
 * imported `Op.ADD` into a getter call, and a switch over non-literal labels
 * compiles to a chain of comparisons instead of a jump table (80x slower).
 * test/core/machine/decode.test.ts checks the literals against `Op`.
 */

/** mulhu of two 32-bit values, exact, without BigInt. */
export function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

export class Cpu {
  /** Decoded slots, one per RAM word plus a sentinel (always UNDECODED) after the end. */
  readonly dec: Int32Array;
  readonly imm: Int32Array;
  readonly ramWords: number;
  /**
   * Pages (1024 words) that may hold decoded slots: a reset clears only those —
   * clearing all of `dec` is 16 MiB of writes for 16 MiB of RAM, and a restore
   * (seek, state transfer, a checkpoint's hash) resets.
   */
  readonly decodedPages: Uint8Array;
  /** Why the last `run` stopped early (null: budget, or a hart parked in wfi). */
  stop: StopReason | null = null;
  /** The pc of the sentinel slot: where a jump out of RAM went (or RAM's end). */
  private farPc: number;
  /** Set by loadSlow when the load trapped. */
  private trapped = false;
  private readonly ramEnd: number;
  private installed: number[] = [];
  /** The block engine sharing this decode cache, told when decoded code changes. */
  blocks: BlockEngine | null = null;

  constructor(
    private readonly ram: Ram,
    private readonly bus: Bus,
    private readonly nondet: NondetReader,
  ) {
    this.ramWords = ram.bytes >>> 2;
    this.dec = new Int32Array(this.ramWords + 1);
    this.imm = new Int32Array(this.ramWords + 1);
    this.decodedPages = new Uint8Array((this.ramWords >>> 10) + 1);
    this.ramEnd = (RAM_BASE + ram.bytes) >>> 0;
    this.farPc = this.ramEnd;
  }

  /** Forgets every decoded instruction (after restore / load). */
  resetDecode(): void {
    const pages = this.decodedPages;
    for (let p = 0; p < pages.length; p++) {
      if (pages[p] === 0) continue;
      this.dec.fill(0, p << 10, Math.min((p + 1) << 10, this.dec.length));
      pages[p] = 0;
    }
    this.blocks?.reset();
  }

  /** A store hit RAM [off, off+size): drop the decoded slots it overwrote (breakpoints stay). */
  invalidate(off: number, size: number): void {
    const dec = this.dec;
    const last = (off + size - 1) >>> 2;
    for (let k = off >>> 2; k <= last && k < this.ramWords; k++) {
      if (dec[k] !== OP_BREAK) dec[k] = 0;
    }
    if (this.blocks !== null) this.blocks.invalidate(off, size);
  }

  /** Makes `run` stop before executing any instruction at these addresses. */
  installBreakpoints(addrs: Iterable<number>): void {
    for (const a of addrs) {
      const off = (a - RAM_BASE) >>> 0;
      if (off >= this.ram.bytes || (off & 3) !== 0) continue;
      const k = off >>> 2;
      this.dec[k] = OP_BREAK;
      this.decodedPages[k >>> 10] = 1;
      this.installed.push(k);
    }
  }

  removeBreakpoints(): void {
    for (const k of this.installed) {
      this.dec[k] = 0;
      // Compiled blocks over k relied on its decode slot to catch stores into it.
      this.blocks?.invalidate(k * 4, 4);
    }
    this.installed = [];
  }

  get hasBreakpoints(): boolean {
    return this.installed.length > 0;
  }

  indexOf(pc: number): number {
    const off = (pc - RAM_BASE) >>> 0;
    if (off < this.ram.bytes && (off & 3) === 0) return off >>> 2;
    this.farPc = pc >>> 0;
    return this.ramWords;
  }

  pcOf(i: number): number {
    return i === this.ramWords ? this.farPc : (RAM_BASE + i * 4) >>> 0;
  }

  /** The instruction word at `pc`, or 0 when it is not in RAM. */
  fetchWord(pc: number): number {
    const off = (pc - RAM_BASE) >>> 0;
    return off < this.ram.bytes && (off & 3) === 0 ? this.ram.i32[off >>> 2] >>> 0 : 0;
  }

  /** Takes a trap on `h` at `pc`: h.pc = handler, or `stop` when unhandled. */
  trap(h: Hart, cause: number, tval: number, pc: number): void {
    const target = enterTrap(h, cause, tval, pc);
    if (target !== null) {
      h.pc = target;
      return;
    }
    h.pc = pc >>> 0;
    const insn = cause >= 0x8000_0000 ? 0 : this.fetchWord(pc);
    this.stop = {
      kind: 'trap', cause: cause >>> 0, pc: pc >>> 0, tval: tval >>> 0, insn, hart: h.id,
      message: GuestFault.message(cause >>> 0, pc, tval, insn),
    };
  }

  /** If an interrupt is pending and enabled, enters its handler (h.pc = handler, or `stop`). */
  takeInterrupt(h: Hart): void {
    const c = pendingInterrupt(h);
    if (c >= 0) this.trap(h, c, 0, h.pc >>> 0);
  }

  /** If an interrupt is pending and enabled, enters its handler. Returns the new slot. */
  private interrupt(h: Hart, i: number): number {
    const c = pendingInterrupt(h);
    if (c < 0) return i;
    this.trap(h, c, 0, this.pcOf(i));
    return this.indexOf(h.pc);
  }

  /**
   * Retires up to `steps` instructions of `h`. Precondition: `stop` is null.
   * `checkIrq` false: the caller (the block engine, mid-run) has already
   * checked for interrupts at this boundary as a single `run` would.
   */
  run(h: Hart, steps: number, checkIrq = true): void {
    const x = h.x;
    const ram = this.ram;
    const m8 = ram.u8, s8 = ram.s8, m16 = ram.u16, s16 = ram.s16, m32 = ram.i32;
    const pstate = ram.pageState, pflags = ram.pageFlags;
    const ramBytes = ram.bytes;
    const ramWords = this.ramWords;
    const dec = this.dec, imm = this.imm;
    const base = h.instret;
    let ic = 0;
    let i = checkIrq ? this.interrupt(h, this.indexOf(h.pc)) : this.indexOf(h.pc);
    if (this.stop !== null) return;

    loop: while (ic < steps) {
      const w = dec[i];
      switch (w & 0xff) {
        case 0 /* UNDECODED */: {
          if (i === ramWords) {
            const pc = this.farPc;
            this.farPc = this.ramEnd;
            this.trap(h, (pc & 3) !== 0 ? Cause.INSN_MISALIGNED : Cause.INSN_ACCESS_FAULT, pc, pc);
            if (this.stop !== null) { i = this.indexOf(pc); break loop; }
            i = this.indexOf(h.pc);
            continue loop;
          }
          decodeInto(dec, imm, i, m32[i]);
          this.decodedPages[i >>> 10] = 1;
          continue loop;
        }
        case 1 /* LI */: x[(w >>> 8) & 63] = imm[i]; i++; break;
        case 2 /* JAL */: {
          x[(w >>> 8) & 63] = (RAM_BASE + i * 4 + 4) | 0;
          const t = imm[i];
          if (t >>> 0 < ramWords) i = t;
          else { this.farPc = (RAM_BASE + t * 4) >>> 0; i = ramWords; }
          break;
        }
        case 3 /* JALR */: {
          const t = (x[(w >>> 14) & 31] + imm[i]) & ~1;
          if ((t & 2) !== 0) {
            const pc = this.pcOf(i);
            this.trap(h, Cause.INSN_MISALIGNED, t, pc);
            if (this.stop !== null) break loop;
            i = this.indexOf(h.pc);
            continue loop;
          }
          x[(w >>> 8) & 63] = (RAM_BASE + i * 4 + 4) | 0;
          const off = t ^ RAM_XOR;
          if (off >>> 0 < ramBytes) i = off >>> 2;
          else { this.farPc = t >>> 0; i = ramWords; }
          break;
        }
        case 4 /* BEQ */:
          if (x[(w >>> 14) & 31] === x[(w >>> 20) & 31]) {
            const t = imm[i];
            if (t >>> 0 < ramWords) i = t; else { this.farPc = (RAM_BASE + t * 4) >>> 0; i = ramWords; }
          } else i++;
          break;
        case 5 /* BNE */:
          if (x[(w >>> 14) & 31] !== x[(w >>> 20) & 31]) {
            const t = imm[i];
            if (t >>> 0 < ramWords) i = t; else { this.farPc = (RAM_BASE + t * 4) >>> 0; i = ramWords; }
          } else i++;
          break;
        case 6 /* BLT */:
          if (x[(w >>> 14) & 31] < x[(w >>> 20) & 31]) {
            const t = imm[i];
            if (t >>> 0 < ramWords) i = t; else { this.farPc = (RAM_BASE + t * 4) >>> 0; i = ramWords; }
          } else i++;
          break;
        case 7 /* BGE */:
          if (x[(w >>> 14) & 31] >= x[(w >>> 20) & 31]) {
            const t = imm[i];
            if (t >>> 0 < ramWords) i = t; else { this.farPc = (RAM_BASE + t * 4) >>> 0; i = ramWords; }
          } else i++;
          break;
        case 8 /* BLTU */:
          if (x[(w >>> 14) & 31] >>> 0 < x[(w >>> 20) & 31] >>> 0) {
            const t = imm[i];
            if (t >>> 0 < ramWords) i = t; else { this.farPc = (RAM_BASE + t * 4) >>> 0; i = ramWords; }
          } else i++;
          break;
        case 9 /* BGEU */:
          if (x[(w >>> 14) & 31] >>> 0 >= x[(w >>> 20) & 31] >>> 0) {
            const t = imm[i];
            if (t >>> 0 < ramWords) i = t; else { this.farPc = (RAM_BASE + t * 4) >>> 0; i = ramWords; }
          } else i++;
          break;

        // Loads: aligned RAM inline; the rest (MMIO, misaligned, faults) through loadSlow.
        case 10 /* LB */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if (a >>> 0 < ramBytes) { x[(w >>> 8) & 63] = s8[a]; i++; break; }
          h.instret = base + ic;
          i = this.loadSlow(h, i, (a ^ RAM_XOR) >>> 0, 1, true, (w >>> 8) & 63);
          if (this.trapped) { this.trapped = false; if (this.stop !== null) break loop; continue loop; }
          break;
        }
        case 11 /* LH */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if ((a & 1) === 0 && a >>> 0 < ramBytes) { x[(w >>> 8) & 63] = s16[a >> 1]; i++; break; }
          h.instret = base + ic;
          i = this.loadSlow(h, i, (a ^ RAM_XOR) >>> 0, 2, true, (w >>> 8) & 63);
          if (this.trapped) { this.trapped = false; if (this.stop !== null) break loop; continue loop; }
          break;
        }
        case 12 /* LW */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if ((a & 3) === 0 && a >>> 0 < ramBytes) { x[(w >>> 8) & 63] = m32[a >> 2]; i++; break; }
          h.instret = base + ic;
          i = this.loadSlow(h, i, (a ^ RAM_XOR) >>> 0, 4, true, (w >>> 8) & 63);
          if (this.trapped) { this.trapped = false; if (this.stop !== null) break loop; continue loop; }
          break;
        }
        case 13 /* LBU */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if (a >>> 0 < ramBytes) { x[(w >>> 8) & 63] = m8[a]; i++; break; }
          h.instret = base + ic;
          i = this.loadSlow(h, i, (a ^ RAM_XOR) >>> 0, 1, false, (w >>> 8) & 63);
          if (this.trapped) { this.trapped = false; if (this.stop !== null) break loop; continue loop; }
          break;
        }
        case 14 /* LHU */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if ((a & 1) === 0 && a >>> 0 < ramBytes) { x[(w >>> 8) & 63] = m16[a >> 1]; i++; break; }
          h.instret = base + ic;
          i = this.loadSlow(h, i, (a ^ RAM_XOR) >>> 0, 2, false, (w >>> 8) & 63);
          if (this.trapped) { this.trapped = false; if (this.stop !== null) break loop; continue loop; }
          break;
        }
        case 17 /* SW */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if ((a & 3) === 0 && a >>> 0 < ramBytes) {
            m32[a >> 2] = x[(w >>> 20) & 31];
            const p = a >>> 12;
            pstate[p] = 7; // PageState.ALL
            if (dec[a >> 2] !== 0 || pflags[p] !== 0) {
              h.instret = base + ic;
              this.afterRamStore(a, 4);
              if (this.stop !== null) { i++; ic++; break loop; }
            }
            i++;
            break;
          }
          h.instret = base + ic;
          i = this.storeSlow(h, i, (a ^ RAM_XOR) >>> 0, 4, x[(w >>> 20) & 31]);
          if (h.instret !== base + ic) ic++;
          if (this.stop !== null) break loop;
          continue loop;
        }
        case 16 /* SH */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if ((a & 1) === 0 && a >>> 0 < ramBytes) {
            m16[a >> 1] = x[(w >>> 20) & 31];
            const p = a >>> 12;
            pstate[p] = 7; // PageState.ALL
            if (dec[a >> 2] !== 0 || pflags[p] !== 0) {
              h.instret = base + ic;
              this.afterRamStore(a, 2);
              if (this.stop !== null) { i++; ic++; break loop; }
            }
            i++;
            break;
          }
          h.instret = base + ic;
          i = this.storeSlow(h, i, (a ^ RAM_XOR) >>> 0, 2, x[(w >>> 20) & 31]);
          if (h.instret !== base + ic) ic++;
          if (this.stop !== null) break loop;
          continue loop;
        }
        case 15 /* SB */: {
          const a = (x[(w >>> 14) & 31] + imm[i]) ^ RAM_XOR;
          if (a >>> 0 < ramBytes) {
            m8[a] = x[(w >>> 20) & 31];
            const p = a >>> 12;
            pstate[p] = 7; // PageState.ALL
            if (dec[a >> 2] !== 0 || pflags[p] !== 0) {
              h.instret = base + ic;
              this.afterRamStore(a, 1);
              if (this.stop !== null) { i++; ic++; break loop; }
            }
            i++;
            break;
          }
          h.instret = base + ic;
          i = this.storeSlow(h, i, (a ^ RAM_XOR) >>> 0, 1, x[(w >>> 20) & 31]);
          if (h.instret !== base + ic) ic++;
          if (this.stop !== null) break loop;
          continue loop;
        }

        case 18 /* ADDI */: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] + imm[i]) | 0; i++; break;
        case 19 /* SLTI */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < imm[i] ? 1 : 0; i++; break;
        case 20 /* SLTIU */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> 0 < imm[i] >>> 0 ? 1 : 0; i++; break;
        case 21 /* XORI */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ imm[i]; i++; break;
        case 22 /* ORI */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | imm[i]; i++; break;
        case 23 /* ANDI */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & imm[i]; i++; break;
        case 24 /* SLLI */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << imm[i]; i++; break;
        case 25 /* SRLI */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> imm[i]; i++; break;
        case 26 /* SRAI */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> imm[i]; i++; break;

        // Shifts use the low 5 bits of rs2: JS shift operators mask the same way.
        case 27 /* ADD */: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] + x[(w >>> 20) & 31]) | 0; i++; break;
        case 28 /* SUB */: x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] - x[(w >>> 20) & 31]) | 0; i++; break;
        case 29 /* SLL */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << x[(w >>> 20) & 31]; i++; break;
        case 30 /* SLT */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < x[(w >>> 20) & 31] ? 1 : 0; i++; break;
        case 31 /* SLTU */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> 0 < x[(w >>> 20) & 31] >>> 0 ? 1 : 0; i++; break;
        case 32 /* XOR */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ x[(w >>> 20) & 31]; i++; break;
        case 33 /* SRL */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> x[(w >>> 20) & 31]; i++; break;
        case 34 /* SRA */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> x[(w >>> 20) & 31]; i++; break;
        case 35 /* OR */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | x[(w >>> 20) & 31]; i++; break;
        case 36 /* AND */: x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & x[(w >>> 20) & 31]; i++; break;

        // M extension (§13): division by zero and overflow are defined, never trap.
        case 37 /* MUL */: x[(w >>> 8) & 63] = Math.imul(x[(w >>> 14) & 31], x[(w >>> 20) & 31]); i++; break;
        case 38 /* MULH */: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 20) & 31];
          x[(w >>> 8) & 63] = (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
          i++;
          break;
        }
        case 39 /* MULHSU */: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 20) & 31];
          x[(w >>> 8) & 63] = (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
          i++;
          break;
        }
        case 40 /* MULHU */: x[(w >>> 8) & 63] = mulhu(x[(w >>> 14) & 31], x[(w >>> 20) & 31]); i++; break;
        case 41 /* DIV */: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 20) & 31];
          x[(w >>> 8) & 63] = b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0;
          i++;
          break;
        }
        case 42 /* DIVU */: {
          const b = x[(w >>> 20) & 31] >>> 0;
          x[(w >>> 8) & 63] = b === 0 ? -1 : ((x[(w >>> 14) & 31] >>> 0) / b) | 0;
          i++;
          break;
        }
        case 43 /* REM */: {
          const a = x[(w >>> 14) & 31], b = x[(w >>> 20) & 31];
          x[(w >>> 8) & 63] = b === 0 ? a : b === -1 ? 0 : a % b;
          i++;
          break;
        }
        case 44 /* REMU */: {
          const b = x[(w >>> 20) & 31] >>> 0;
          x[(w >>> 8) & 63] = b === 0 ? x[(w >>> 14) & 31] : (x[(w >>> 14) & 31] >>> 0) % b;
          i++;
          break;
        }
        case 45 /* NOP */: i++; break;
        case 46 /* SLOW */: {
          h.pc = this.pcOf(i);
          h.instret = base + ic;
          this.system(h, imm[i]);
          ic = h.instret - base;
          i = this.indexOf(h.pc);
          if (this.stop !== null || h.waiting) break loop;
          i = this.interrupt(h, i);
          if (this.stop !== null) break loop;
          continue loop;
        }
        case 47 /* BREAK */:
          this.stop = { kind: 'breakpoint', pc: this.pcOf(i), hart: h.id };
          break loop;
        default:
          throw new Error(`decode cache holds unknown op ${w & 0xff}`);
      }
      ic++;
    }
    h.pc = this.pcOf(i);
    h.instret = base + ic;
  }

  /**
   * Slow-path load at slot `i` into x[rd]. Returns the next slot; on a fault
   * the trap is taken (h.pc = handler, or `stop`), `trapped` is set and the
   * returned slot is the handler's (or `i` when stopped).
   */
  private loadSlow(h: Hart, i: number, addr: number, size: 1 | 2 | 4, signed: boolean, rd: number): number {
    const v = this.bus.load(addr, size, signed);
    if (this.bus.fault) {
      this.trapped = true;
      this.trap(h, Cause.LOAD_ACCESS_FAULT, addr, this.pcOf(i));
      return this.stop !== null ? i : this.indexOf(h.pc);
    }
    h.x[rd] = v;
    return i + 1;
  }

  /** Slow-path store at instruction slot `i`; returns the next slot (retired: h.instret+1). */
  private storeSlow(h: Hart, i: number, addr: number, size: 1 | 2 | 4, value: number): number {
    const pc = this.pcOf(i);
    this.bus.store(addr, size, value);
    if (this.bus.fault) {
      this.trap(h, Cause.STORE_ACCESS_FAULT, addr, pc);
      return this.stop !== null ? i : this.indexOf(h.pc);
    }
    h.instret++;
    if (this.stop !== null) return i + 1;
    // An MMIO store may have raised an interrupt (CLINT msip, NIC IE).
    return this.interrupt(h, i + 1);
  }

  /** Set by the machine: tohost checks and code invalidation after a RAM store. */
  afterRamStore: (off: number, size: number) => void = (off, size) => this.invalidate(off, size);

  /**
   * SYSTEM instructions (ecall, ebreak, mret, wfi, csr*), illegal encodings and
   * branches/jal with a misaligned target. `h.pc`/`h.instret` are current; on
   * return they are updated (instret + 1 only when the instruction retired).
   */
  private system(h: Hart, w: number): void {
    const pc = h.pc;
    const opcode = w & 0x7f;
    const f3 = (w >>> 12) & 7;
    if (opcode === 0x6f) {
      this.trap(h, Cause.INSN_MISALIGNED, (pc + immJ(w)) >>> 0, pc);
      return;
    }
    if (opcode === 0x63 && f3 !== 2 && f3 !== 3) {
      const a = h.x[(w >>> 15) & 31], b = h.x[(w >>> 20) & 31];
      const taken = [a === b, a !== b, false, false, a < b, a >= b, a >>> 0 < b >>> 0, a >>> 0 >= b >>> 0][f3];
      if (taken) {
        this.trap(h, Cause.INSN_MISALIGNED, (pc + immB(w)) >>> 0, pc);
        return;
      }
      h.pc = (pc + 4) >>> 0;
      h.instret++;
      return;
    }
    if (opcode !== 0x73) {
      this.trap(h, Cause.ILLEGAL_INSN, w, pc);
      return;
    }
    if (f3 === 0) {
      switch (w >>> 0) {
        case 0x0000_0073: this.trap(h, Cause.ECALL_M, 0, pc); return; // ecall
        case 0x0010_0073: this.trap(h, Cause.BREAKPOINT, pc, pc); return; // ebreak
        case 0x3020_0073: { // mret (§3.3.2)
          const mpie = h.mstatus & MSTATUS_MPIE;
          h.mstatus = (h.mstatus & ~MSTATUS_MIE) | (mpie ? MSTATUS_MIE : 0) | MSTATUS_MPIE;
          h.pc = h.mepc;
          h.instret++;
          return;
        }
        case 0x1050_0073: // wfi (§3.3.3): retires; the hart stalls until (mip & mie) != 0
          h.pc = (pc + 4) >>> 0;
          h.instret++;
          if ((h.mip & h.mie) === 0) h.waiting = true;
          return;
        default:
          this.trap(h, Cause.ILLEGAL_INSN, w, pc);
          return;
      }
    }
    if (f3 === 4) {
      this.trap(h, Cause.ILLEGAL_INSN, w, pc);
      return;
    }
    // Zicsr: csrrw/csrrs/csrrc (f3 1–3) and their immediate forms (5–7).
    const csr = w >>> 20;
    const rd = (w >>> 7) & 31;
    const rs1 = (w >>> 15) & 31;
    const kind = f3 & 3;
    const src = f3 >= 5 ? rs1 : h.x[rs1];
    const writes = kind === 1 || rs1 !== 0;
    const reads = kind !== 1 || rd !== 0;
    if (!csrExists(csr) || (writes && csrReadOnly(csr))) {
      this.trap(h, Cause.ILLEGAL_INSN, w, pc);
      return;
    }
    const old = reads ? csrRead(h, csr, this.nondet) : 0;
    if (writes) csrWrite(h, csr, kind === 1 ? src : kind === 2 ? old | src : old & ~src);
    if (rd !== 0) h.x[rd] = old;
    h.pc = (pc + 4) >>> 0;
    h.instret++;
  }
}
