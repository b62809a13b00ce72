/**
 * Instruction fields and formats (RISC-V unprivileged spec v20191213, §2.2–2.3,
 * "Base Instruction Formats" and "Immediate Encoding Variants").
 *
 *   31        25 24   20 19   15 14  12 11        7 6      0
 *  | funct7     | rs2   | rs1   |funct3| rd        | opcode |  R
 *  | imm[11:0]          | rs1   |funct3| rd        | opcode |  I
 *  | imm[11:5]  | rs2   | rs1   |funct3| imm[4:0]  | opcode |  S
 *  |imm[12|10:5]| rs2   | rs1   |funct3|imm[4:1|11]| opcode |  B
 *  | imm[31:12]                        | rd        | opcode |  U
 *  | imm[20|10:1|11|19:12]             | rd        | opcode |  J
 */
export type Format = 'R' | 'I' | 'S' | 'B' | 'U' | 'J';

/** Major opcodes (spec table 24.1, "RISC-V base opcode map"). */
export const Opcode = {
  LOAD: 0x03,
  MISC_MEM: 0x0f,
  OP_IMM: 0x13,
  AUIPC: 0x17,
  STORE: 0x23,
  OP: 0x33,
  LUI: 0x37,
  BRANCH: 0x63,
  JALR: 0x67,
  JAL: 0x6f,
  SYSTEM: 0x73,
} as const;

export const opcodeOf = (w: number): number => w & 0x7f;
export const rdOf = (w: number): number => (w >>> 7) & 0x1f;
export const funct3Of = (w: number): number => (w >>> 12) & 0x7;
export const rs1Of = (w: number): number => (w >>> 15) & 0x1f;
export const rs2Of = (w: number): number => (w >>> 20) & 0x1f;
export const funct7Of = (w: number): number => w >>> 25;
/** CSR number: bits 31:20 of a SYSTEM instruction. */
export const csrOf = (w: number): number => w >>> 20;

/** Sign-extended immediates, as signed 32-bit numbers. */
export const immI = (w: number): number => w >> 20;
export const immS = (w: number): number => ((w >> 25) << 5) | ((w >>> 7) & 0x1f);
export const immB = (w: number): number =>
  ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 0x3f) << 5) | (((w >>> 8) & 0xf) << 1);
/** U-type: the value added to the register (imm[31:12] << 12), signed 32-bit. */
export const immU = (w: number): number => w & 0xfffff000;
export const immJ = (w: number): number =>
  ((w >> 31) << 20) | (((w >>> 12) & 0xff) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 0x3ff) << 1);

export function encodeR(opcode: number, rd: number, funct3: number, rs1: number, rs2: number, funct7: number): number {
  return ((funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
}
export function encodeI(opcode: number, rd: number, funct3: number, rs1: number, imm: number): number {
  return (((imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
}
export function encodeS(opcode: number, funct3: number, rs1: number, rs2: number, imm: number): number {
  return ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((imm & 0x1f) << 7) | opcode) >>> 0;
}
export function encodeB(opcode: number, funct3: number, rs1: number, rs2: number, imm: number): number {
  return (
    ((((imm >> 12) & 1) << 31) |
      (((imm >> 5) & 0x3f) << 25) |
      (rs2 << 20) |
      (rs1 << 15) |
      (funct3 << 12) |
      (((imm >> 1) & 0xf) << 8) |
      (((imm >> 11) & 1) << 7) |
      opcode) >>>
    0
  );
}
/** `imm` is the value added (imm[31:12] << 12); its low 12 bits are ignored. */
export function encodeU(opcode: number, rd: number, imm: number): number {
  return ((imm & 0xfffff000) | (rd << 7) | opcode) >>> 0;
}
export function encodeJ(opcode: number, rd: number, imm: number): number {
  return (
    ((((imm >> 20) & 1) << 31) |
      (((imm >> 1) & 0x3ff) << 21) |
      (((imm >> 11) & 1) << 20) |
      (((imm >> 12) & 0xff) << 12) |
      (rd << 7) |
      opcode) >>>
    0
  );
}

/** Sign-extend the low `bits` bits of `v`. */
export function signExtend(v: number, bits: number): number {
  const shift = 32 - bits;
  return (v << shift) >> shift;
}
