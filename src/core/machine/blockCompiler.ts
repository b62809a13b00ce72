/**
 * Block compiler: turns a guest basic block — a straight run of pre-decoded
 * instructions (decode.ts slots) ending at a jump/branch, before a SYSTEM or
 * illegal instruction, at a page end or at BLOCK_LEN_MAX — into a JavaScript
 * function built with `new Function` (pure JS: the machine runs in Node
 * workers and the CLI, never under the renderer's CSP).
 *
 * A compiled block works on the hart's registers through locals (loaded from
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
 * `n` the most loop iterations allowed (a block whose branch or jal goes back
 * to its own start loops inside the function; others ignore `n`), `e` the
 * engine's BlockEnv. On return `e.io[0]` = instructions retired, and the
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
/** The highest iteration count × length a looping block may run in one call (io[0] stays an int32). */
export const BLOCK_RETIRED_MAX = 0x3fff_ffff;

const PAGE_WORDS = 1024;

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

/** Compiled functions are shared between machines running the same code (same source text). */
export function compiledBlockCount(): number {
  return sourceCache.size;
}

/** Compiles the block [start, start+len) from the decode slots (all decoded, all compilable). */
export function compileBlock(dec: Int32Array, imm: Int32Array, start: number, len: number, ramWords: number): BlockFn {
  const src = blockSource(dec, imm, start, len, ramWords);
  let fn = sourceCache.get(src);
  if (fn === undefined) {
    if (sourceCache.size >= SOURCE_CACHE_MAX) sourceCache.clear();
    fn = new Function('x', 'n', 'e', src) as BlockFn;
    sourceCache.set(src, fn);
  }
  return fn;
}

/** The function body for a block (exported for tests and debugging). */
export function blockSource(dec: Int32Array, imm: Int32Array, start: number, len: number, ramWords: number): string {
  if (len < 1 || len > BLOCK_LEN_MAX) throw new Error(`block length ${len} out of range`);
  const last = dec[start + len - 1] & 0xff;
  const lastImm = imm[start + len - 1];
  // A block whose final jal/branch targets its own start loops inside the function.
  const loops = (last === 2 || (last >= 4 && last <= 9)) && lastImm === start;

  const used = new Set<number>();
  const written = new Set<number>();
  const views = new Set<string>();
  for (let k = 0; k < len; k++) {
    const w = dec[start + k];
    const op = w & 0xff;
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

  const R = (n: number): string => (n === 0 ? '0' : `r${n}`);
  const regsSorted = [...used].sort((a, b) => a - b);
  const wb = [...written].sort((a, b) => a - b).map((n) => `x[${n}] = r${n};`).join(' ');
  const count = (k: number): string => (loops ? `it * ${len} + ${k}` : `${k}`);
  const exitBefore = (k: number): string => `{ ${wb} io[0] = ${count(k)}; return ${-1 - (start + k)}; }`;
  const goTo = (target: number, retired: string): string => {
    if (target >= 0 && target < ramWords) return `{ ${wb} io[0] = ${retired}; return ${target}; }`;
    const pc = (RAM_BASE + target * 4) | 0;
    return `{ ${wb} io[0] = ${retired}; io[1] = ${pc}; return ${EXIT_FAR}; }`;
  };

  const out: string[] = [];
  out.push(`"use strict";`);
  out.push(`const io = e.io, rb = e.rb${[...views].sort().map((v) => `, ${v} = e.${v}`).join('')};`);
  if (regsSorted.length > 0) out.push(`let ${regsSorted.map((n) => `r${n} = x[${n}]`).join(', ')};`);
  out.push('let a = 0, b = 0, t = 0;');
  if (loops) out.push('let it = 0;', 'for (;;) {');

  for (let k = 0; k < len; k++) {
    const i = start + k;
    const w = dec[i];
    const op = w & 0xff;
    const rd = (w >>> 8) & 63, s1 = R((w >>> 14) & 31), s2 = R((w >>> 20) & 31);
    const im = imm[i];
    const set = (expr: string): string => (rd === 32 ? '' : `r${rd} = ${expr};`);
    const link = (RAM_BASE + i * 4 + 4) | 0;
    const endCount = loops ? `it * ${len}` : `${len}`;
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
      case 2 /* JAL */:
        line = set(`${link}`);
        if (loops) line += ` it++; if (it < n) continue; ${goTo(start, endCount)}`;
        else line += ` ${goTo(im, endCount)}`;
        break;
      case 3 /* JALR */:
        line = `t = (${s1} + ${im}) & -2; if ((t & 2) !== 0) ${exitBefore(k)} ${set(`${link}`)} ` +
          `a = t ^ ${RAM_BASE | 0}; ${wb} io[0] = ${endCount}; ` +
          `if (a >>> 0 < rb) return a >>> 2; io[1] = t; return ${EXIT_FAR};`;
        break;
      case 4: case 5: case 6: case 7: case 8: case 9: /* branches */
        if (loops) line = `it++; if (${cmp()}) { if (it < n) continue; ${goTo(start, endCount)} } ${goTo(i + 1, endCount)}`;
        else line = `if (${cmp()}) ${goTo(im, endCount)} ${goTo(i + 1, endCount)}`;
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
    out.push(`// ${k}: op ${op}`, line);
  }
  const lastOp = dec[start + len - 1] & 0xff;
  if (!isControl(lastOp)) out.push(goTo(start + len, `${len}`).slice(2, -2));
  if (loops) out.push('}');
  return out.join('\n');
}
