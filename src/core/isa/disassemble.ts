/**
 * Disassembler in the style of GNU objdump 2.40 (`objdump -d`, and with
 * `aliases: false` like `objdump -d -M no-aliases`). Differences from objdump:
 * branch/jump targets are printed as a bare hex address without the
 * `<symbol+off>` annotation (we have no symbol table here), no `# comment`
 * is appended, and CSR 0xfc0 prints as FT Lab's `mhostid`.
 */
import { csrName } from './csr';
import { decode } from './decode';
import type { Instruction } from './instruction';
import { registerName as r } from './registers';

export interface DisassembleOptions {
  /** Use pseudo-instructions (li, mv, ret, j, ...) like objdump's default. */
  readonly aliases: boolean;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const addr = (n: number): string => (n >>> 0).toString(16);
const csr = (n: number): string => csrName(n) ?? hex(n);

function fenceSet(bits: number): string {
  let s = '';
  if (bits & 8) s += 'i';
  if (bits & 4) s += 'o';
  if (bits & 2) s += 'r';
  if (bits & 1) s += 'w';
  return s === '' ? '0' : s;
}

const COUNTER_ALIAS: ReadonlyMap<number, string> = new Map([
  [0xc00, 'rdcycle'], [0xc01, 'rdtime'], [0xc02, 'rdinstret'],
  [0xc80, 'rdcycleh'], [0xc81, 'rdtimeh'], [0xc82, 'rdinstreth'],
]);

/** Operands in the raw (no-aliases) form. */
function raw(i: Instruction, pc: number): string {
  switch (i.op) {
    case 'lui':
    case 'auipc':
      return `${i.op}\t${r(i.rd)},${hex(i.imm >>> 12)}`;
    case 'jal':
      return `jal\t${r(i.rd)},${addr(pc + i.imm)}`;
    case 'jalr':
    case 'lb': case 'lh': case 'lw': case 'lbu': case 'lhu':
      return `${i.op}\t${r(i.rd)},${i.imm}(${r(i.rs1)})`;
    case 'sb': case 'sh': case 'sw':
      return `${i.op}\t${r(i.rs2)},${i.imm}(${r(i.rs1)})`;
    case 'beq': case 'bne': case 'blt': case 'bge': case 'bltu': case 'bgeu':
      return `${i.op}\t${r(i.rs1)},${r(i.rs2)},${addr(pc + i.imm)}`;
    case 'addi': case 'slti': case 'sltiu': case 'xori': case 'ori': case 'andi':
      return `${i.op}\t${r(i.rd)},${r(i.rs1)},${i.imm}`;
    case 'slli': case 'srli': case 'srai':
      return `${i.op}\t${r(i.rd)},${r(i.rs1)},${hex(i.imm)}`;
    case 'add': case 'sub': case 'sll': case 'slt': case 'sltu': case 'xor': case 'srl': case 'sra':
    case 'or': case 'and': case 'mul': case 'mulh': case 'mulhsu': case 'mulhu': case 'div': case 'divu':
    case 'rem': case 'remu':
      return `${i.op}\t${r(i.rd)},${r(i.rs1)},${r(i.rs2)}`;
    case 'fence':
      return `fence\t${fenceSet((i.imm >> 4) & 15)},${fenceSet(i.imm & 15)}`;
    case 'fence.tso': case 'fence.i': case 'ecall': case 'ebreak': case 'mret': case 'wfi':
      return i.op;
    case 'csrrw': case 'csrrs': case 'csrrc':
      return `${i.op}\t${r(i.rd)},${csr(i.csr)},${r(i.rs1)}`;
    case 'csrrwi': case 'csrrsi': case 'csrrci':
      return `${i.op}\t${r(i.rd)},${csr(i.csr)},${i.imm}`;
  }
}

/** objdump's alias choice (order as in binutils' riscv-opc.c), or undefined for the raw form. */
function alias(i: Instruction, pc: number): string | undefined {
  const { rd, rs1, rs2, imm } = i;
  switch (i.op) {
    case 'jal':
      if (rd === 0) return `j\t${addr(pc + imm)}`;
      if (rd === 1) return `jal\t${addr(pc + imm)}`;
      return undefined;
    case 'jalr':
      if (rd === 0 && rs1 === 1 && imm === 0) return 'ret';
      if (rd === 0) return imm === 0 ? `jr\t${r(rs1)}` : `jr\t${imm}(${r(rs1)})`;
      if (rd === 1) return imm === 0 ? `jalr\t${r(rs1)}` : `jalr\t${imm}(${r(rs1)})`;
      return imm === 0 ? `jalr\t${r(rd)},${r(rs1)}` : undefined;
    case 'beq': return rs2 === 0 ? `beqz\t${r(rs1)},${addr(pc + imm)}` : undefined;
    case 'bne': return rs2 === 0 ? `bnez\t${r(rs1)},${addr(pc + imm)}` : undefined;
    case 'bge':
      if (rs1 === 0) return `blez\t${r(rs2)},${addr(pc + imm)}`;
      if (rs2 === 0) return `bgez\t${r(rs1)},${addr(pc + imm)}`;
      return undefined;
    case 'blt':
      if (rs2 === 0) return `bltz\t${r(rs1)},${addr(pc + imm)}`;
      if (rs1 === 0) return `bgtz\t${r(rs2)},${addr(pc + imm)}`;
      return undefined;
    case 'addi':
      if (rd === 0 && rs1 === 0 && imm === 0) return 'nop';
      if (rs1 === 0) return `li\t${r(rd)},${imm}`;
      if (imm === 0) return `mv\t${r(rd)},${r(rs1)}`;
      return `add\t${r(rd)},${r(rs1)},${imm}`;
    case 'andi': return imm === 255 ? `zext.b\t${r(rd)},${r(rs1)}` : `and\t${r(rd)},${r(rs1)},${imm}`;
    case 'ori': return `or\t${r(rd)},${r(rs1)},${imm}`;
    case 'xori': return imm === -1 ? `not\t${r(rd)},${r(rs1)}` : `xor\t${r(rd)},${r(rs1)},${imm}`;
    case 'sltiu': return imm === 1 ? `seqz\t${r(rd)},${r(rs1)}` : undefined;
    case 'slli': return `sll\t${r(rd)},${r(rs1)},${hex(imm)}`;
    case 'srli': return `srl\t${r(rd)},${r(rs1)},${hex(imm)}`;
    case 'srai': return `sra\t${r(rd)},${r(rs1)},${hex(imm)}`;
    case 'sub': return rs1 === 0 ? `neg\t${r(rd)},${r(rs2)}` : undefined;
    case 'sltu': return rs1 === 0 ? `snez\t${r(rd)},${r(rs2)}` : undefined;
    case 'slt':
      if (rs2 === 0) return `sltz\t${r(rd)},${r(rs1)}`;
      if (rs1 === 0) return `sgtz\t${r(rd)},${r(rs2)}`;
      return undefined;
    case 'fence': return imm === 0xff ? 'fence' : undefined;
    case 'csrrw':
      if (i.csr === 0xc00 && rd === 0 && rs1 === 0) return 'unimp';
      return rd === 0 ? `csrw\t${csr(i.csr)},${r(rs1)}` : undefined;
    case 'csrrs': {
      const counter = COUNTER_ALIAS.get(i.csr);
      if (rs1 === 0 && counter) return `${counter}\t${r(rd)}`;
      if (rs1 === 0) return `csrr\t${r(rd)},${csr(i.csr)}`;
      return rd === 0 ? `csrs\t${csr(i.csr)},${r(rs1)}` : undefined;
    }
    case 'csrrc': return rd === 0 ? `csrc\t${csr(i.csr)},${r(rs1)}` : undefined;
    case 'csrrwi': return rd === 0 ? `csrw\t${csr(i.csr)},${imm}` : `csrrw\t${r(rd)},${csr(i.csr)},${imm}`;
    case 'csrrsi': return rd === 0 ? `csrs\t${csr(i.csr)},${imm}` : `csrrs\t${r(rd)},${csr(i.csr)},${imm}`;
    case 'csrrci': return rd === 0 ? `csrc\t${csr(i.csr)},${imm}` : `csrrc\t${r(rd)},${csr(i.csr)},${imm}`;
    default:
      return undefined;
  }
}

/** One instruction as objdump prints it after the hex word, e.g. `addi\ta0,a0,1`. */
export function disassemble(word: number, pc: number, opts: DisassembleOptions): string {
  const w = word >>> 0;
  const i = decode(w);
  if (!i) return `.word\t0x${w.toString(16).padStart(8, '0')}`;
  if (i.op === 'csrrw' && i.csr === 0xc00 && i.rd === 0 && i.rs1 === 0) return 'unimp';
  return (opts.aliases ? alias(i, pc) : undefined) ?? raw(i, pc);
}
