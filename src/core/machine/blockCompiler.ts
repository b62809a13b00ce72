/**
 * Block compiler: turns guest basic blocks — straight runs of pre-decoded
 * instructions (decode.ts slots) ending at a jump/branch, before a SYSTEM or
 * illegal instruction, at a page end or at BLOCK_LEN_MAX — into JavaScript
 * built with `new Function` (pure JS: the machine runs in Node workers and the
 * CLI, never under the renderer's CSP).
 *
 * One function is a REGION: the block at an entry point plus every block of
 * the same 4 KiB page reachable from it through static branch/jal targets and
 * fall-throughs (at most REGION_BLOCKS_MAX). Control moves between its blocks
 * inside the function (`switch` on the word index; a block that branches to
 * itself is a plain loop), so hot loops spanning several blocks never return
 * to the engine. Before each block the function checks the instruction budget
 * it was given: a block that would cross it is not entered (exact icount).
 *
 * A compiled region works on the hart's registers through locals (loaded from
 * `x` on entry, written back on every exit) and on RAM through the typed-array
 * views in its environment. It only does what cannot stop the machine or be
 * observed from outside: ALU, aligned loads/stores inside RAM, branches. For
 * anything else it EXITS BEFORE the instruction, with everything before it
 * retired, and the engine runs that one instruction with the interpreter:
 *
 * - a load/store that is misaligned or outside RAM (MMIO, faults),
 * - a store into a word that holds a decoded instruction (self-modifying
 *   code: the interpreter invalidates) or into a watched page (tohost),
 * - a jalr whose target is misaligned (the interpreter traps).
 *
 * So traps, MMIO, non-deterministic reads and stop reasons are always the
 * interpreter's, at the exact pc and icount.
 *
 * Calling convention: `fn(x, n, e)` — `x` the hart's Int32Array registers,
 * `n` the most instructions it may retire (≥ the entry block's length), `e`
 * the engine's BlockEnv. On return `e.io[0]` = instructions retired, and the
 * result is
 *   r ≥ 0            the word index of the next instruction (in RAM, aligned);
 *   r === EXIT_FAR   the next pc (in `e.io[1]`, as int32) is outside RAM;
 *   r < 0 otherwise  −1 − (word index) of an instruction the interpreter must run.
 *
 * Numeric-literal ops below follow decode.ts `Op` (checked by the tests).
 */
import { MemoryMap } from '../image';

export const RAM_BASE = MemoryMap.ramBase;
/** Longest compiled block (instructions). */
export const BLOCK_LEN_MAX = 128;
/** Block result: the next pc is outside RAM (see io[1]). */
export const EXIT_FAR = -0x4000_0000;
/** The largest budget `n` a region is given in one call (io[0] stays an int32). */
export const BLOCK_RETIRED_MAX = 0x3fff_ffff;

const PAGE_WORDS = 1024;
/** Most blocks in one region. */
export const REGION_BLOCKS_MAX = 64;
/** Most instructions in one region (bounds the function size and its cache key). */
export const REGION_INSNS_MAX = 1024;

/** What compiled blocks see: RAM views, decode slots, page maps, the result cells. */
export interface BlockEnv {
  readonly u8: Uint8Array;
  readonly s8: Int8Array;
  readonly u16: Uint16Array;
  readonly s16: Int16Array;
  readonly i32: Int32Array;
  readonly dec: Int32Array;
  readonly pstate: Uint8Array;
  readonly pflags: Uint8Array;
  /** io[0]: instructions retired by the call; io[1]: far pc (int32) for EXIT_FAR. */
  readonly io: Int32Array;
  /** RAM size in bytes. */
  readonly rb: number;
  readonly mulhu: (a: number, b: number) => number;
}

export type BlockFn = (x: Int32Array, n: number, e: BlockEnv) => number;

/** Ops that end a block after themselves: jal, jalr, branches. */
export function isControl(op: number): boolean {
  return op >= 2 && op <= 9;
}

/** Ops a block can hold: everything but UNDECODED (0), SLOW (46) and BREAK (47). */
export function isCompilable(op: number): boolean {
  return op >= 1 && op <= 45;
}

/**
 * Length of the block starting at word `start`: every slot in it must already
 * be decoded (the engine decodes while scanning). Returns 0 when the first
 * instruction cannot be compiled.
 */
export function blockLength(dec: Int32Array, start: number, ramWords: number): number {
  const pageEnd = Math.min((start | (PAGE_WORDS - 1)) + 1, ramWords);
  let n = 0;
  for (let i = start; i < pageEnd && n < BLOCK_LEN_MAX; i++) {
    const op = dec[i] & 0xff;
    if (!isCompilable(op)) break;
    n++;
    if (isControl(op)) break;
  }
  return n;
}

const sourceCache = new Map<string, BlockFn>();
const SOURCE_CACHE_MAX = 8192;

/** Compiled functions are shared between machines running the same code (same decoded slots): how many are cached. */
export function compiledBlockCount(): number {
  return sourceCache.size;
}


/** A basic block inside a region: word index of its first instruction and its length. */
export interface BlockSpan {
  readonly start: number;
  readonly len: number;
}

/**
 * Static successors of a block that a region may follow: branch/jal targets
 * and fall-throughs inside the same page (a jalr's target is dynamic).
 */
export function successors(dec: Int32Array, imm: Int32Array, b: BlockSpan): number[] {
  const lastIdx = b.start + b.len - 1;
  const op = dec[lastIdx] & 0xff;
  const page = b.start >>> 10;
  const out: number[] = [];
  const add = (t: number): void => { if (t >= 0 && t >>> 10 === page) out.push(t); };
  if (op === 2) add(imm[lastIdx]);
  else if (op >= 4 && op <= 9) { add(imm[lastIdx]); add(lastIdx + 1); }
  else if (op !== 3) add(lastIdx + 1);
  return out;
}

/** Compiles a region: `blocks[0]` is the entry; all blocks decoded, compilable, in one page. */
export function compileRegion(dec: Int32Array, imm: Int32Array, blocks: readonly BlockSpan[], ramWords: number): BlockFn {
  // The source is a function of exactly these numbers: a cheap key that skips generating it again.
  const key: number[] = [ramWords];
  for (const b of blocks) {
    key.push(b.start, b.len);
    for (let i = b.start; i < b.start + b.len; i++) key.push(dec[i], imm[i]);
  }
  const k = key.join(',');
  let fn = sourceCache.get(k);
  if (fn === undefined) {
    if (sourceCache.size >= SOURCE_CACHE_MAX) sourceCache.clear();
    fn = new Function('x', 'n', 'e', regionSource(dec, imm, blocks, ramWords)) as BlockFn;
    sourceCache.set(k, fn);
  }
  return fn;
}

/** Single-block form of compileRegion (tests, tools). */
export function compileBlock(dec: Int32Array, imm: Int32Array, start: number, len: number, ramWords: number): BlockFn {
  return compileRegion(dec, imm, [{ start, len }], ramWords);
}

export function blockSource(dec: Int32Array, imm: Int32Array, start: number, len: number, ramWords: number): string {
  return regionSource(dec, imm, [{ start, len }], ramWords);
}

/** The function body for a region (exported for tests and debugging). */
export function regionSource(dec: Int32Array, imm: Int32Array, blocks: readonly BlockSpan[], ramWords: number): string {
  if (blocks.length < 1 || blocks.length > REGION_BLOCKS_MAX) throw new Error(`region of ${blocks.length} blocks`);
  const inRegion = new Set<number>();
  const used = new Set<number>();
  const written = new Set<number>();
  const views = new Set<string>();
  for (const b of blocks) {
    if (b.len < 1 || b.len > BLOCK_LEN_MAX) throw new Error(`block length ${b.len} out of range`);
    if (b.start >>> 10 !== (b.start + b.len - 1) >>> 10) throw new Error('a block crosses a page');
    inRegion.add(b.start);
    for (let k = 0; k < b.len; k++) {
      const w = dec[b.start + k];
      const op = w & 0xff;
      if (!isCompilable(op) || (isControl(op) && k !== b.len - 1)) throw new Error(`op ${op} at ${b.start + k} in a block`);
      const rd = (w >>> 8) & 63, rs1 = (w >>> 14) & 31, rs2 = (w >>> 20) & 31;
      if (op !== 1 && op !== 2 && op !== 45 && rs1 !== 0) used.add(rs1);
      if (((op >= 4 && op <= 9) || (op >= 15 && op <= 17) || (op >= 27 && op <= 44)) && rs2 !== 0) used.add(rs2);
      const writes = op !== 45 && !(op >= 4 && op <= 9) && !(op >= 15 && op <= 17);
      if (writes && rd !== 32) { used.add(rd); written.add(rd); }
      if (op >= 10 && op <= 17) {
        views.add(['s8', 's16', 'i32', 'u8', 'u16', 'u8', 'u16', 'i32'][op - 10]);
        if (op >= 15) { views.add('dec'); views.add('pstate'); views.add('pflags'); }
      }
    }
  }

  const R = (n: number): string => (n === 0 ? '0' : `r${n}`);
  const wb = [...written].sort((a, b) => a - b).map((n) => `x[${n}] = r${n};`).join(' ');
  const leave = (result: string): string => `{ ${wb} io[0] = ic; return ${result}; }`;
  /** Control to word index `t` after the current block retired (ic already counts it). */
  const goTo = (t: number, self: number): string => {
    if (t === self) return `continue b${self};`;
    if (inRegion.has(t)) return `{ pc = ${t}; continue region; }`;
    if (t >= 0 && t < ramWords) return leave(`${t}`);
    return `{ ${wb} io[0] = ic; io[1] = ${(RAM_BASE + t * 4) | 0}; return ${EXIT_FAR}; }`;
  };

  const out: string[] = [];
  out.push(`"use strict";`);
  out.push(`const io = e.io, rb = e.rb${[...views].sort().map((v) => `, ${v} = e.${v}`).join('')};`);
  const regs = [...used].sort((a, b) => a - b);
  if (regs.length > 0) out.push(`let ${regs.map((n) => `r${n} = x[${n}]`).join(', ')};`);
  out.push(`let a = 0, b = 0, t = 0, ic = 0, pc = ${blocks[0].start};`);
  out.push('region: for (;;) {', 'switch (pc) {');

  for (const blk of blocks) {
    const S = blk.start, L = blk.len;
    const exitBefore = (k: number): string => `{ ${wb} io[0] = ic + ${k}; return ${-1 - (S + k)}; }`;
    out.push(`case ${S}: b${S}: for (;;) {`);
    // The engine enters a region only when its entry block fits in the budget.
    out.push(`if (ic > n - ${L}) ${leave(`${S}`)}`);
    for (let k = 0; k < L; k++) {
      const i = S + k;
      const w = dec[i];
      const op = w & 0xff;
      const rd = (w >>> 8) & 63, s1 = R((w >>> 14) & 31), s2 = R((w >>> 20) & 31);
      const im = imm[i];
      const set = (expr: string): string => (rd === 32 ? '' : `r${rd} = ${expr};`);
      const link = (RAM_BASE + i * 4 + 4) | 0;
      const cmp = (): string => {
        switch (op) {
          case 4: return `${s1} === ${s2}`;
          case 5: return `${s1} !== ${s2}`;
          case 6: return `${s1} < ${s2}`;
          case 7: return `${s1} >= ${s2}`;
          case 8: return `(${s1} >>> 0) < (${s2} >>> 0)`;
          case 9: return `(${s1} >>> 0) >= (${s2} >>> 0)`;
          default: throw new Error(`not a branch: ${op}`);
        }
      };
      const load = (view: string, index: string, alignMask: number): string =>
        `a = (${s1} + ${im}) ^ ${RAM_BASE | 0}; ` +
        `if (${alignMask ? `(a & ${alignMask}) !== 0 || ` : ''}a >>> 0 >= rb) ${exitBefore(k)} ` +
        (rd === 32 ? '' : `r${rd} = ${view}[${index}];`);
      const store = (view: string, index: string, alignMask: number): string =>
        `a = (${s1} + ${im}) ^ ${RAM_BASE | 0}; ` +
        `if (${alignMask ? `(a & ${alignMask}) !== 0 || ` : ''}a >>> 0 >= rb || dec[a >> 2] !== 0 || pflags[a >>> 12] !== 0) ${exitBefore(k)} ` +
        `${view}[${index}] = ${s2}; pstate[a >>> 12] = 7;`;
      let line: string;
      switch (op) {
        case 1 /* LI */: line = set(`${im}`); break;
        case 2 /* JAL */: line = `${set(`${link}`)} ic += ${L}; ${goTo(im, S)}`; break;
        case 3 /* JALR */:
          line = `t = (${s1} + ${im}) & -2; if ((t & 2) !== 0) ${exitBefore(k)} ${set(`${link}`)} ` +
            `ic += ${L}; a = t ^ ${RAM_BASE | 0}; ${wb} io[0] = ic; ` +
            `if (a >>> 0 < rb) return a >>> 2; io[1] = t; return ${EXIT_FAR};`;
          break;
        case 4: case 5: case 6: case 7: case 8: case 9: /* branches */
          line = `ic += ${L}; if (${cmp()}) ${goTo(im, S)} ${goTo(i + 1, S)}`;
          break;
        case 10 /* LB */: line = load('s8', 'a', 0); break;
        case 11 /* LH */: line = load('s16', 'a >> 1', 1); break;
        case 12 /* LW */: line = load('i32', 'a >> 2', 3); break;
        case 13 /* LBU */: line = load('u8', 'a', 0); break;
        case 14 /* LHU */: line = load('u16', 'a >> 1', 1); break;
        case 15 /* SB */: line = store('u8', 'a', 0); break;
        case 16 /* SH */: line = store('u16', 'a >> 1', 1); break;
        case 17 /* SW */: line = store('i32', 'a >> 2', 3); break;
        case 18 /* ADDI */: line = set(`(${s1} + ${im}) | 0`); break;
        case 19 /* SLTI */: line = set(`${s1} < ${im} ? 1 : 0`); break;
        case 20 /* SLTIU */: line = set(`(${s1} >>> 0) < ${im >>> 0} ? 1 : 0`); break;
        case 21 /* XORI */: line = set(`${s1} ^ ${im}`); break;
        case 22 /* ORI */: line = set(`${s1} | ${im}`); break;
        case 23 /* ANDI */: line = set(`${s1} & ${im}`); break;
        case 24 /* SLLI */: line = set(`${s1} << ${im}`); break;
        case 25 /* SRLI */: line = set(`(${s1} >>> ${im}) | 0`); break;
        case 26 /* SRAI */: line = set(`${s1} >> ${im}`); break;
        case 27 /* ADD */: line = set(`(${s1} + ${s2}) | 0`); break;
        case 28 /* SUB */: line = set(`(${s1} - ${s2}) | 0`); break;
        case 29 /* SLL */: line = set(`${s1} << ${s2}`); break;
        case 30 /* SLT */: line = set(`${s1} < ${s2} ? 1 : 0`); break;
        case 31 /* SLTU */: line = set(`(${s1} >>> 0) < (${s2} >>> 0) ? 1 : 0`); break;
        case 32 /* XOR */: line = set(`${s1} ^ ${s2}`); break;
        case 33 /* SRL */: line = set(`(${s1} >>> ${s2}) | 0`); break;
        case 34 /* SRA */: line = set(`${s1} >> ${s2}`); break;
        case 35 /* OR */: line = set(`${s1} | ${s2}`); break;
        case 36 /* AND */: line = set(`${s1} & ${s2}`); break;
        case 37 /* MUL */: line = set(`Math.imul(${s1}, ${s2})`); break;
        case 38 /* MULH */:
          line = rd === 32 ? '' : `a = ${s1}; b = ${s2}; r${rd} = (e.mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;`;
          break;
        case 39 /* MULHSU */:
          line = rd === 32 ? '' : `a = ${s1}; b = ${s2}; r${rd} = (e.mulhu(a, b) - (a < 0 ? b : 0)) | 0;`;
          break;
        case 40 /* MULHU */: line = set(`e.mulhu(${s1}, ${s2})`); break;
        case 41 /* DIV */:
          line = rd === 32 ? '' : `a = ${s1}; b = ${s2}; r${rd} = b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0;`;
          break;
        case 42 /* DIVU */:
          line = rd === 32 ? '' : `a = ${s1}; b = ${s2} >>> 0; r${rd} = b === 0 ? -1 : ((a >>> 0) / b) | 0;`;
          break;
        case 43 /* REM */:
          line = rd === 32 ? '' : `a = ${s1}; b = ${s2}; r${rd} = b === 0 ? a : b === -1 ? 0 : (a % b) | 0;`;
          break;
        case 44 /* REMU */:
          line = rd === 32 ? '' : `a = ${s1}; b = ${s2} >>> 0; r${rd} = b === 0 ? a : ((a >>> 0) % b) | 0;`;
          break;
        case 45 /* NOP */: line = ''; break;
        default: throw new Error(`op ${op} cannot be compiled`);
      }
      out.push(`// ${i}: op ${op}`, line);
    }
    if (!isControl(dec[S + L - 1] & 0xff)) out.push(`ic += ${L}; ${goTo(S + L, S)}`);
    out.push('}');
  }
  out.push(`default: ${leave('pc')}`, '}', '}');
  return out.join('\n');
}
