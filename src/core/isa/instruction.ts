import type { Format } from './fields';
import type { Mnemonic } from './opcodes';

/**
 * A decoded instruction: the mnemonic plus the spec's field names. Fields an
 * instruction does not have are 0.
 *
 * `imm` holds the sign-extended immediate as a signed 32-bit number:
 * - I/S/B/J: the offset or operand (B and J: byte offset from pc);
 * - U (lui/auipc): the value added, i.e. imm[31:12] << 12;
 * - slli/srli/srai: shamt (0..31);
 * - csrrwi/csrrsi/csrrci: the 5-bit zero-extended uimm (also in `rs1`, where it is encoded);
 * - fence: the raw 12-bit field fm[11:8] | pred[7:4] | succ[3:0].
 */
export interface Instruction {
  readonly op: Mnemonic;
  readonly format: Format;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly imm: number;
  /** CSR number (Zicsr only). */
  readonly csr: number;
}

export function makeInstruction(op: Mnemonic, format: Format, fields: Partial<Omit<Instruction, 'op' | 'format'>>): Instruction {
  return {
    op,
    format,
    rd: fields.rd ?? 0,
    rs1: fields.rs1 ?? 0,
    rs2: fields.rs2 ?? 0,
    imm: fields.imm ?? 0,
    csr: fields.csr ?? 0,
  };
}
