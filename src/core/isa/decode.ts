/**
 * Decoder: 32-bit word → Instruction (or undefined for an illegal/unsupported
 * encoding). Table-driven from OP_SPECS; reserved bits are checked the way
 * GNU objdump does, so a word we decode is exactly one a GNU tool would print
 * as that instruction.
 */
import {
  csrOf, funct3Of, funct7Of, immB, immI, immJ, immS, immU, Opcode, opcodeOf, rdOf, rs1Of, rs2Of,
} from './fields';
import { type Instruction, makeInstruction } from './instruction';
import { OP_SPECS, type OpSpec } from './opcodes';

/** Key for instructions identified by opcode + funct3 (+ funct7 for R-type and shifts). */
function key(opcode: number, funct3: number, funct7: number): number {
  return opcode | (funct3 << 7) | (funct7 << 10);
}

const BY_KEY = new Map<number, OpSpec>();
const BY_WORD = new Map<number, OpSpec>();
for (const s of OP_SPECS) {
  if (s.word !== undefined) BY_WORD.set(s.word, s);
  else if (s.format === 'R' || s.syntax === 'rd,rs1,shamt') BY_KEY.set(key(s.opcode, s.funct3, s.funct7), s);
  else if (s.format === 'U' || s.format === 'J') BY_KEY.set(key(s.opcode, 0, 0), s);
  else BY_KEY.set(key(s.opcode, s.funct3, 0), s);
}

export function decode(word: number): Instruction | undefined {
  const w = word >>> 0;
  const exact = BY_WORD.get(w);
  if (exact) return makeInstruction(exact.op, exact.format, {});
  const opcode = opcodeOf(w);
  const funct3 = funct3Of(w);
  const rd = rdOf(w);
  const rs1 = rs1Of(w);
  const rs2 = rs2Of(w);
  switch (opcode) {
    case Opcode.LUI:
    case Opcode.AUIPC: {
      const s = BY_KEY.get(key(opcode, 0, 0))!;
      return makeInstruction(s.op, 'U', { rd, imm: immU(w) });
    }
    case Opcode.JAL:
      return makeInstruction('jal', 'J', { rd, imm: immJ(w) });
    case Opcode.JALR:
      if (funct3 !== 0) return undefined;
      return makeInstruction('jalr', 'I', { rd, rs1, imm: immI(w) });
    case Opcode.BRANCH: {
      const s = BY_KEY.get(key(opcode, funct3, 0));
      return s && makeInstruction(s.op, 'B', { rs1, rs2, imm: immB(w) });
    }
    case Opcode.LOAD: {
      const s = BY_KEY.get(key(opcode, funct3, 0));
      return s && makeInstruction(s.op, 'I', { rd, rs1, imm: immI(w) });
    }
    case Opcode.STORE: {
      const s = BY_KEY.get(key(opcode, funct3, 0));
      return s && makeInstruction(s.op, 'S', { rs1, rs2, imm: immS(w) });
    }
    case Opcode.OP_IMM: {
      if (funct3 === 1 || funct3 === 5) {
        // Shifts: imm[11:5] is funct7; RV32 requires shamt[5] = 0 (it is inside funct7 here).
        const s = BY_KEY.get(key(opcode, funct3, funct7Of(w)));
        return s && makeInstruction(s.op, 'I', { rd, rs1, imm: rs2 });
      }
      const s = BY_KEY.get(key(opcode, funct3, 0));
      return s && makeInstruction(s.op, 'I', { rd, rs1, imm: immI(w) });
    }
    case Opcode.OP: {
      const s = BY_KEY.get(key(opcode, funct3, funct7Of(w)));
      return s && makeInstruction(s.op, 'R', { rd, rs1, rs2 });
    }
    case Opcode.MISC_MEM:
      // fence: rd, rs1 are reserved (GNU objdump requires them zero); fence.tso matched exactly above.
      if (funct3 === 0 && rd === 0 && rs1 === 0 && w >>> 28 === 0) {
        return makeInstruction('fence', 'I', { imm: (w >>> 20) & 0xfff });
      }
      return undefined;
    case Opcode.SYSTEM: {
      if (funct3 === 0 || funct3 === 4) return undefined;
      const s = BY_KEY.get(key(opcode, funct3, 0));
      if (!s) return undefined;
      return funct3 >= 5
        ? makeInstruction(s.op, 'I', { rd, rs1, imm: rs1, csr: csrOf(w) })
        : makeInstruction(s.op, 'I', { rd, rs1, csr: csrOf(w) });
    }
    default:
      return undefined;
  }
}
