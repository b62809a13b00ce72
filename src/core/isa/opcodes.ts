/**
 * The instruction table: every real (non-pseudo) instruction of RV32I, M,
 * Zicsr and Zifencei with its format, opcode/funct fields and assembly syntax.
 * Decoder, encoder, assembler and disassembler are all driven by this table.
 */
import { type Format, Opcode } from './fields';

/** How the operands are written in assembly (GNU syntax). */
export type Syntax =
  | 'rd,rs1,rs2' // R-type
  | 'rd,rs1,imm' // I-type arithmetic
  | 'rd,rs1,shamt' // slli/srli/srai
  | 'rd,imm(rs1)' // loads, jalr
  | 'rs2,imm(rs1)' // stores
  | 'rs1,rs2,target' // branches
  | 'rd,imm20' // lui, auipc
  | 'rd,target' // jal
  | 'rd,csr,rs1' // csrrw/csrrs/csrrc
  | 'rd,csr,uimm' // csrrwi/csrrsi/csrrci
  | 'pred,succ' // fence
  | ''; // no operands

export interface OpSpec {
  readonly op: Mnemonic;
  readonly format: Format;
  readonly opcode: number;
  readonly funct3: number;
  /** funct7 for R-type, and imm[11:5] for shifts. */
  readonly funct7: number;
  readonly syntax: Syntax;
  /** Instructions without operands are one exact word. */
  readonly word?: number;
  readonly extension: 'I' | 'M' | 'Zicsr' | 'Zifencei';
}

export const MNEMONICS = [
  'lui', 'auipc', 'jal', 'jalr',
  'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu',
  'lb', 'lh', 'lw', 'lbu', 'lhu', 'sb', 'sh', 'sw',
  'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai',
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'fence', 'fence.tso', 'fence.i',
  'ecall', 'ebreak', 'mret', 'wfi',
  'csrrw', 'csrrs', 'csrrc', 'csrrwi', 'csrrsi', 'csrrci',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
] as const;
export type Mnemonic = (typeof MNEMONICS)[number];

const O = Opcode;
function spec(
  op: Mnemonic, format: Format, opcode: number, funct3: number, funct7: number, syntax: Syntax,
  extension: OpSpec['extension'] = 'I', word?: number,
): OpSpec {
  return word === undefined
    ? { op, format, opcode, funct3, funct7, syntax, extension }
    : { op, format, opcode, funct3, funct7, syntax, extension, word };
}

export const OP_SPECS: readonly OpSpec[] = [
  spec('lui', 'U', O.LUI, 0, 0, 'rd,imm20'),
  spec('auipc', 'U', O.AUIPC, 0, 0, 'rd,imm20'),
  spec('jal', 'J', O.JAL, 0, 0, 'rd,target'),
  spec('jalr', 'I', O.JALR, 0, 0, 'rd,imm(rs1)'),
  spec('beq', 'B', O.BRANCH, 0, 0, 'rs1,rs2,target'),
  spec('bne', 'B', O.BRANCH, 1, 0, 'rs1,rs2,target'),
  spec('blt', 'B', O.BRANCH, 4, 0, 'rs1,rs2,target'),
  spec('bge', 'B', O.BRANCH, 5, 0, 'rs1,rs2,target'),
  spec('bltu', 'B', O.BRANCH, 6, 0, 'rs1,rs2,target'),
  spec('bgeu', 'B', O.BRANCH, 7, 0, 'rs1,rs2,target'),
  spec('lb', 'I', O.LOAD, 0, 0, 'rd,imm(rs1)'),
  spec('lh', 'I', O.LOAD, 1, 0, 'rd,imm(rs1)'),
  spec('lw', 'I', O.LOAD, 2, 0, 'rd,imm(rs1)'),
  spec('lbu', 'I', O.LOAD, 4, 0, 'rd,imm(rs1)'),
  spec('lhu', 'I', O.LOAD, 5, 0, 'rd,imm(rs1)'),
  spec('sb', 'S', O.STORE, 0, 0, 'rs2,imm(rs1)'),
  spec('sh', 'S', O.STORE, 1, 0, 'rs2,imm(rs1)'),
  spec('sw', 'S', O.STORE, 2, 0, 'rs2,imm(rs1)'),
  spec('addi', 'I', O.OP_IMM, 0, 0, 'rd,rs1,imm'),
  spec('slti', 'I', O.OP_IMM, 2, 0, 'rd,rs1,imm'),
  spec('sltiu', 'I', O.OP_IMM, 3, 0, 'rd,rs1,imm'),
  spec('xori', 'I', O.OP_IMM, 4, 0, 'rd,rs1,imm'),
  spec('ori', 'I', O.OP_IMM, 6, 0, 'rd,rs1,imm'),
  spec('andi', 'I', O.OP_IMM, 7, 0, 'rd,rs1,imm'),
  spec('slli', 'I', O.OP_IMM, 1, 0x00, 'rd,rs1,shamt'),
  spec('srli', 'I', O.OP_IMM, 5, 0x00, 'rd,rs1,shamt'),
  spec('srai', 'I', O.OP_IMM, 5, 0x20, 'rd,rs1,shamt'),
  spec('add', 'R', O.OP, 0, 0x00, 'rd,rs1,rs2'),
  spec('sub', 'R', O.OP, 0, 0x20, 'rd,rs1,rs2'),
  spec('sll', 'R', O.OP, 1, 0x00, 'rd,rs1,rs2'),
  spec('slt', 'R', O.OP, 2, 0x00, 'rd,rs1,rs2'),
  spec('sltu', 'R', O.OP, 3, 0x00, 'rd,rs1,rs2'),
  spec('xor', 'R', O.OP, 4, 0x00, 'rd,rs1,rs2'),
  spec('srl', 'R', O.OP, 5, 0x00, 'rd,rs1,rs2'),
  spec('sra', 'R', O.OP, 5, 0x20, 'rd,rs1,rs2'),
  spec('or', 'R', O.OP, 6, 0x00, 'rd,rs1,rs2'),
  spec('and', 'R', O.OP, 7, 0x00, 'rd,rs1,rs2'),
  spec('fence', 'I', O.MISC_MEM, 0, 0, 'pred,succ'),
  spec('fence.tso', 'I', O.MISC_MEM, 0, 0, '', 'I', 0x8330000f),
  spec('fence.i', 'I', O.MISC_MEM, 1, 0, '', 'Zifencei', 0x0000100f),
  spec('ecall', 'I', O.SYSTEM, 0, 0, '', 'I', 0x00000073),
  spec('ebreak', 'I', O.SYSTEM, 0, 0, '', 'I', 0x00100073),
  spec('mret', 'I', O.SYSTEM, 0, 0, '', 'I', 0x30200073),
  spec('wfi', 'I', O.SYSTEM, 0, 0, '', 'I', 0x10500073),
  spec('csrrw', 'I', O.SYSTEM, 1, 0, 'rd,csr,rs1', 'Zicsr'),
  spec('csrrs', 'I', O.SYSTEM, 2, 0, 'rd,csr,rs1', 'Zicsr'),
  spec('csrrc', 'I', O.SYSTEM, 3, 0, 'rd,csr,rs1', 'Zicsr'),
  spec('csrrwi', 'I', O.SYSTEM, 5, 0, 'rd,csr,uimm', 'Zicsr'),
  spec('csrrsi', 'I', O.SYSTEM, 6, 0, 'rd,csr,uimm', 'Zicsr'),
  spec('csrrci', 'I', O.SYSTEM, 7, 0, 'rd,csr,uimm', 'Zicsr'),
  spec('mul', 'R', O.OP, 0, 0x01, 'rd,rs1,rs2', 'M'),
  spec('mulh', 'R', O.OP, 1, 0x01, 'rd,rs1,rs2', 'M'),
  spec('mulhsu', 'R', O.OP, 2, 0x01, 'rd,rs1,rs2', 'M'),
  spec('mulhu', 'R', O.OP, 3, 0x01, 'rd,rs1,rs2', 'M'),
  spec('div', 'R', O.OP, 4, 0x01, 'rd,rs1,rs2', 'M'),
  spec('divu', 'R', O.OP, 5, 0x01, 'rd,rs1,rs2', 'M'),
  spec('rem', 'R', O.OP, 6, 0x01, 'rd,rs1,rs2', 'M'),
  spec('remu', 'R', O.OP, 7, 0x01, 'rd,rs1,rs2', 'M'),
];

export const SPEC_BY_OP: ReadonlyMap<string, OpSpec> = new Map(OP_SPECS.map((s) => [s.op, s]));

export function isMnemonic(name: string): name is Mnemonic {
  return SPEC_BY_OP.has(name);
}
