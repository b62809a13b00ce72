/**
 * The block engine: runs a hart through compiled basic blocks (blockCompiler.ts)
 * with the pre-decoded interpreter (cpu.ts) for everything a block does not do.
 * Same contract as `Cpu.run(h, steps)`: retires exactly `steps` instructions
 * unless something stops the hart; `h.pc`, `h.instret` and `cpu.stop` as the
 * interpreter leaves them.
 *
 * Dispatch, per block start (word index i):
 * - the first visit scans the straight-line run from i (decoding it) into a
 *   descriptor {start, len}; it is interpreted (`Cpu.run(h, len)`, which ends
 *   exactly at the block's end unless it traps) until it has been visited
 *   BLOCK_HOT times, then compiled as a region: the block plus the blocks of
 *   its page already seen (they have descriptors) that it reaches through
 *   static branch/jal targets and fall-throughs — so only code that really
 *   ran is decoded and compiled;
 * - a region is entered only when its entry block fits in the remaining
 *   budget, and gets the remaining budget: it does not start a block that would
 *   cross it. The tail shorter than a block is interpreted, so `run` stops at
 *   the exact icount;
 * - a block exit "before instruction k" (MMIO, misalignment, a store into code
 *   or a watched page) runs that one instruction with the interpreter, which
 *   takes any trap, nondet read, output or halt at the exact pc and icount.
 *
 * Interrupts: the interpreter checks for a pending enabled interrupt at the
 * start of `run`, after SYSTEM instructions and after slow (MMIO) stores — the
 * only places where mip/mie/mstatus can change. The engine does the start
 * check itself and calls the interpreter without its start check, so checks
 * happen at exactly the same instruction boundaries.
 *
 * Code invalidation: every word of a block is decoded, so any store into it
 * leaves the fast path (decode slot ≠ 0) and reaches `Cpu.invalidate`, which
 * calls `invalidate` here: all blocks of that page are dropped. Decode-cache
 * resets and breakpoint removal (which zero decode slots) drop blocks too.
 * Breakpoints installed ⇒ the interpreter runs alone.
 */
import {
  BLOCK_RETIRED_MAX, blockLength, compileRegion, EXIT_FAR, RAM_BASE, REGION_BLOCKS_MAX, REGION_INSNS_MAX, successors,
  type BlockEnv, type BlockFn, type BlockSpan,
} from './blockCompiler';
import { decodeInto } from './decode';
import { mulhu, type Cpu } from './cpu';
import type { Hart } from './hart';
import type { Ram } from './memory';

/** Interpreted visits of a block before it is compiled. */
export const BLOCK_HOT = 8;

interface Block {
  readonly start: number;
  readonly len: number;
  fn: BlockFn | null;
  /** Visits left before compiling; < 0: never compile. */
  heat: number;
  /** False when the first instruction cannot be compiled (len is then 1). */
  readonly compilable: boolean;
}

export class BlockEngine {
  private readonly env: BlockEnv;
  private readonly io: Int32Array;
  private readonly ramWords: number;
  private readonly ramBytes: number;
  /** Block id + 1 of the block starting at each word, or 0. */
  private readonly blockOf: Int32Array;
  private readonly blocks: (Block | null)[] = [];
  private readonly freeIds: number[] = [];
  /** Per page: ids of the blocks in it (or undefined). */
  private readonly pageBlocks: (number[] | undefined)[];
  /** Counters for tests and the bench. */
  readonly stats = { built: 0, compiled: 0, dropped: 0 };

  constructor(private readonly cpu: Cpu, private readonly ram: Ram) {
    this.ramWords = ram.bytes >>> 2;
    this.ramBytes = ram.bytes;
    this.io = new Int32Array(2);
    this.env = {
      u8: ram.u8, s8: ram.s8, u16: ram.u16, s16: ram.s16, i32: ram.i32,
      dec: cpu.dec, pstate: ram.pageState, pflags: ram.pageFlags,
      io: this.io, rb: ram.bytes, mulhu,
    };
    this.blockOf = new Int32Array(this.ramWords);
    this.pageBlocks = new Array<number[] | undefined>(ram.pages).fill(undefined);
  }

  /** Drops every block (decode cache reset: load, restore). */
  reset(): void {
    // blockOf is set only in pages that have blocks (pageBlocks): clear those, not all 16 MiB of it.
    const pb = this.pageBlocks;
    for (let p = 0; p < pb.length; p++) if (pb[p] !== undefined) this.blockOf.fill(0, p << 10, Math.min((p + 1) << 10, this.blockOf.length));
    this.blocks.length = 0;
    this.freeIds.length = 0;
    this.pageBlocks.fill(undefined);
  }

  /** RAM [off, off+size) changed: drops the blocks of the pages it touches. */
  invalidate(off: number, size: number): void {
    if (size <= 0) return;
    const pb = this.pageBlocks;
    const last = Math.min((off + size - 1) >>> 12, pb.length - 1);
    for (let p = off >>> 12; p <= last; p++) {
      const ids = pb[p];
      if (ids === undefined) continue;
      for (const id of ids) {
        const b = this.blocks[id];
        if (b === null) continue;
        this.blockOf[b.start] = 0;
        this.blocks[id] = null;
        this.freeIds.push(id);
        this.stats.dropped++;
      }
      pb[p] = undefined;
    }
  }

  /** Scans (and decodes) the block at word `i` and registers its descriptor. Returns its id. */
  private build(i: number): number {
    const dec = this.cpu.dec, imm = this.cpu.imm, m32 = this.ram.i32;
    const pageEnd = Math.min((i | 1023) + 1, this.ramWords);
    // Decode the straight-line run first: blockLength reads decoded slots.
    for (let k = i; k < pageEnd; k++) {
      if (dec[k] === 0) {
        decodeInto(dec, imm, k, m32[k]);
        this.cpu.decodedPages[k >>> 10] = 1;
      }
      const op = dec[k] & 0xff;
      if (op === 0 || op >= 46 || (op >= 2 && op <= 9) || k - i >= 127) break;
    }
    const len = blockLength(dec, i, this.ramWords);
    const b: Block = { start: i, len: len === 0 ? 1 : len, fn: null, heat: len === 0 ? -1 : BLOCK_HOT, compilable: len > 0 };
    const id = this.freeIds.length > 0 ? (this.freeIds.pop() as number) : this.blocks.length;
    this.blocks[id] = b;
    this.blockOf[i] = id + 1;
    const p = i >>> 10;
    const ids = this.pageBlocks[p];
    if (ids === undefined) this.pageBlocks[p] = [id];
    else ids.push(id);
    this.stats.built++;
    return id + 1;
  }

  /** Compiles the region entered at block `b` (see the file comment). */
  private compile(b: Block): BlockFn {
    const dec = this.cpu.dec, imm = this.cpu.imm;
    const spans: BlockSpan[] = [{ start: b.start, len: b.len }];
    const seen = new Set<number>([b.start]);
    let insns = b.len;
    for (let q = 0; q < spans.length && spans.length < REGION_BLOCKS_MAX; q++) {
      for (const t of successors(dec, imm, spans[q])) {
        if (seen.has(t) || spans.length >= REGION_BLOCKS_MAX) continue;
        seen.add(t);
        const id = this.blockOf[t];
        const d = id === 0 ? null : this.blocks[id - 1];
        if (d && d.compilable && insns + d.len <= REGION_INSNS_MAX) {
          spans.push({ start: t, len: d.len });
          insns += d.len;
        }
      }
    }
    this.stats.compiled++;
    return compileRegion(dec, imm, spans, this.ramWords);
  }

  /** Retires up to `steps` instructions of `h` (exactly `steps` unless stopped). Precondition: cpu.stop is null. */
  run(h: Hart, steps: number): void {
    const cpu = this.cpu;
    if (cpu.hasBreakpoints) {
      cpu.run(h, steps);
      return;
    }
    cpu.takeInterrupt(h);
    if (cpu.stop !== null) return;
    const x = h.x, io = this.io, env = this.env, blockOf = this.blockOf, blocks = this.blocks;
    const ramBytes = this.ramBytes;
    const base = h.instret;
    let ic = 0;
    let pc = h.pc >>> 0;
    let off = (pc - RAM_BASE) >>> 0;
    let i = off < ramBytes && (off & 3) === 0 ? off >>> 2 : -1;
    while (ic < steps) {
      let n = 1;
      if (i >= 0) {
        let id = blockOf[i];
        if (id === 0) id = this.build(i);
        const b = blocks[id - 1] as Block;
        const left = steps - ic;
        const len = b.len;
        let fn = b.fn;
        if (fn === null && b.heat >= 0 && --b.heat < 0) {
          fn = b.fn = this.compile(b);
        }
        if (fn !== null && len <= left) {
          const r = fn(x, left < BLOCK_RETIRED_MAX ? left : BLOCK_RETIRED_MAX, env);
          ic += io[0];
          if (r >= 0) { i = r; continue; }
          if (r === EXIT_FAR) { pc = io[1] >>> 0; i = -1; }
          else { i = -1 - r; pc = (RAM_BASE + i * 4) >>> 0; }
          if (ic >= steps) break;
        } else {
          pc = (RAM_BASE + i * 4) >>> 0;
          n = len <= left ? len : left;
        }
      }
      // The interpreter: one instruction after a block exit or at a far pc, a whole cold block, or the tail.
      h.pc = pc;
      h.instret = base + ic;
      cpu.run(h, n, false);
      ic = h.instret - base;
      if (cpu.stop !== null || h.waiting) return;
      pc = h.pc;
      off = (pc - RAM_BASE) >>> 0;
      i = off < ramBytes && (off & 3) === 0 ? off >>> 2 : -1;
    }
    h.pc = i >= 0 ? (RAM_BASE + i * 4) >>> 0 : pc;
    h.instret = base + ic;
  }
}
