/**
 * Encoder: Instruction → 32-bit word (unsigned). The inverse of decode() for
 * every valid instruction; field values are masked to their widths (range
 * checking is the assembler's job, where it can say which operand is wrong).
 */
import { encodeB, encodeI, encodeJ, encodeR, encodeS, encodeU } from './fields';
import type { Instruction } from './instruction';
import { SPEC_BY_OP } from './opcodes';

export function encode(ins: Instruction): number {
  const s = SPEC_BY_OP.get(ins.op);
  if (!s) throw new Error(`encode: unknown op ${ins.op}`); // our own bug: Mnemonic is a closed set
  if (s.word !== undefined) return s.word;
  const rd = ins.rd & 31;
  const rs1 = ins.rs1 & 31;
  const rs2 = ins.rs2 & 31;
  switch (s.syntax) {
    case 'rd,rs1,rs2':
      return encodeR(s.opcode, rd, s.funct3, rs1, rs2, s.funct7);
    case 'rd,rs1,shamt':
      return encodeR(s.opcode, rd, s.funct3, rs1, ins.imm & 31, s.funct7);
    case 'rd,rs1,imm':
    case 'rd,imm(rs1)':
      return encodeI(s.opcode, rd, s.funct3, rs1, ins.imm);
    case 'rs2,imm(rs1)':
      return encodeS(s.opcode, s.funct3, rs1, rs2, ins.imm);
    case 'rs1,rs2,target':
      return encodeB(s.opcode, s.funct3, rs1, rs2, ins.imm);
    case 'rd,imm20':
      return encodeU(s.opcode, rd, ins.imm);
    case 'rd,target':
      return encodeJ(s.opcode, rd, ins.imm);
    case 'rd,csr,rs1':
      return encodeI(s.opcode, rd, s.funct3, rs1, ins.csr);
    case 'rd,csr,uimm':
      return encodeI(s.opcode, rd, s.funct3, ins.imm & 31, ins.csr);
    case 'pred,succ':
      return encodeI(s.opcode, 0, s.funct3, 0, ins.imm & 0xfff);
    case '':
      throw new Error(`encode: ${ins.op} has no fixed word`);
  }
}
