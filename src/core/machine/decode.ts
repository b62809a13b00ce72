/**
 * Pre-decoding for the interpreter (unprivileged spec ch. 2, 13; "RV32/64G
 * Instruction Set Listings"). Every RAM word that is executed is decoded once
 * into two parallel Int32Array slots:
 *
 *   dec[i] = op | rd << 8 | rs1 << 14 | rs2 << 20      (rd = 32 stands for x0)
 *   imm[i] = immediate, specialised to the address:
 *            LI (lui/auipc) → the final value; JAL/branches → target word index;
 *            SLOW → the raw instruction word
 *
 * where i = (pc - RAM base) / 4. `dec[i] === 0` means "not decoded yet". A
 * store into a page holding decoded instructions clears the affected slots
 * (exact self-modifying-code semantics, so fence.i has nothing left to do).
 *
 * Writing x0: the decoder redirects rd = 0 to the scratch register x[32], so
 * the execute loop never tests for x0.
 */
import { MemoryMap } from '../image';

export const Op = {
  UNDECODED: 0,
  LI: 1, JAL: 2, JALR: 3,
  BEQ: 4, BNE: 5, BLT: 6, BGE: 7, BLTU: 8, BGEU: 9,
  LB: 10, LH: 11, LW: 12, LBU: 13, LHU: 14,
  SB: 15, SH: 16, SW: 17,
  ADDI: 18, SLTI: 19, SLTIU: 20, XORI: 21, ORI: 22, ANDI: 23, SLLI: 24, SRLI: 25, SRAI: 26,
  ADD: 27, SUB: 28, SLL: 29, SLT: 30, SLTU: 31, XOR: 32, SRL: 33, SRA: 34, OR: 35, AND: 36,
  MUL: 37, MULH: 38, MULHSU: 39, MULHU: 40, DIV: 41, DIVU: 42, REM: 43, REMU: 44,
  /** fence, fence.i (the decode cache is always coherent). */
  NOP: 45,
  /** SYSTEM, illegal encodings, branches/jal to a misaligned target: the slow path. */
  SLOW: 46,
  /** An installed breakpoint (replaces the real slot while `run` is active). */
  BREAK: 47,
} as const;

/** The register number used in place of x0 as a destination. */
export const X_SCRATCH = 32;

const RAM_BASE = MemoryMap.ramBase;

/** Field extractors (unprivileged spec §2.2–2.3, immediate encoding variants). */
export const immI = (w: number): number => w >> 20;
export const immS = (w: number): number => ((w >> 20) & ~0x1f) | ((w >>> 7) & 0x1f);
export const immB = (w: number): number =>
  ((w >> 19) & ~0xfff) | ((w << 4) & 0x800) | ((w >>> 20) & 0x7e0) | ((w >>> 7) & 0x1e);
export const immU = (w: number): number => w & 0xfffff000;
export const immJ = (w: number): number =>
  ((w >> 11) & ~0xfffff) | (w & 0xff000) | ((w >>> 9) & 0x800) | ((w >>> 20) & 0x7fe);

const BRANCH_OPS: readonly number[] = [Op.BEQ, Op.BNE, -1, -1, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
const LOAD_OPS: readonly number[] = [Op.LB, Op.LH, Op.LW, -1, Op.LBU, Op.LHU, -1, -1];
const ALU_OPS: readonly number[] = [Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND];

/** Decodes `w`, fetched from word index `i`, into `dec[i]`/`imm[i]`. */
export function decodeInto(dec: Int32Array, imms: Int32Array, i: number, w: number): void {
  const opcode = w & 0x7f;
  const rd0 = (w >>> 7) & 31;
  const rd = rd0 === 0 ? X_SCRATCH : rd0;
  const f3 = (w >>> 12) & 7;
  const rs1 = (w >>> 15) & 31;
  const rs2 = (w >>> 20) & 31;
  const f7 = w >>> 25;
  const pc = (RAM_BASE + i * 4) | 0;
  let op: number = Op.SLOW;
  let imm = w;
  switch (opcode) {
    case 0x37: op = Op.LI; imm = immU(w); break; // lui
    case 0x17: op = Op.LI; imm = (pc + immU(w)) | 0; break; // auipc
    case 0x6f: { // jal
      const off = immJ(w);
      if ((off & 3) === 0) { op = Op.JAL; imm = i + (off >> 2); }
      break;
    }
    case 0x67: if (f3 === 0) { op = Op.JALR; imm = immI(w); } break;
    case 0x63: { // branches
      const off = immB(w);
      if (BRANCH_OPS[f3] >= 0 && (off & 3) === 0) { op = BRANCH_OPS[f3]; imm = i + (off >> 2); }
      break;
    }
    case 0x03: {
      if (LOAD_OPS[f3] >= 0) { op = LOAD_OPS[f3]; imm = immI(w); }
      break;
    }
    case 0x23: if (f3 <= 2) { op = Op.SB + f3; imm = immS(w); } break;
    case 0x13: {
      imm = immI(w);
      switch (f3) {
        case 0: op = Op.ADDI; break;
        case 2: op = Op.SLTI; break;
        case 3: op = Op.SLTIU; break;
        case 4: op = Op.XORI; break;
        case 6: op = Op.ORI; break;
        case 7: op = Op.ANDI; break;
        case 1: if (f7 === 0) { op = Op.SLLI; imm = rs2; } break;
        case 5: if (f7 === 0) { op = Op.SRLI; imm = rs2; } else if (f7 === 0x20) { op = Op.SRAI; imm = rs2; } break;
      }
      if (op === Op.SLOW) imm = w;
      break;
    }
    case 0x33:
      if (f7 === 0) op = ALU_OPS[f3];
      else if (f7 === 1) op = Op.MUL + f3;
      else if (f7 === 0x20 && f3 === 0) op = Op.SUB;
      else if (f7 === 0x20 && f3 === 5) op = Op.SRA;
      break;
    case 0x0f: if (f3 === 0 || f3 === 1) op = Op.NOP; break; // fence, fence.i
    default: break;
  }
  dec[i] = op | (rd << 8) | (rs1 << 14) | (rs2 << 20);
  imms[i] = imm;
}
