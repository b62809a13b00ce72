/**
 * The words of RISC-V assembly as FT Lab's editor knows them: for highlighting,
 * completion and hovers. Plain data (no Monaco, no DOM) so it is unit-tested.
 */

/** RV32I, M, Zicsr, Zifencei and privileged instructions (the real ones). */
export const baseMnemonics: readonly string[] = [
  'lui', 'auipc', 'jal', 'jalr',
  'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu',
  'lb', 'lh', 'lw', 'lbu', 'lhu', 'sb', 'sh', 'sw',
  'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai',
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'fence', 'fence.tso', 'fence.i',
  'ecall', 'ebreak', 'mret', 'wfi',
  'csrrw', 'csrrs', 'csrrc', 'csrrwi', 'csrrsi', 'csrrci',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
];

/** GNU pseudo-instructions the assembler accepts. */
export const pseudoMnemonics: readonly string[] = [
  'nop', 'li', 'la', 'lla', 'mv', 'not', 'neg', 'seqz', 'snez', 'sltz', 'sgtz', 'zext.b', 'sgt', 'sgtu',
  'j', 'jr', 'ret', 'call', 'tail',
  'beqz', 'bnez', 'blez', 'bgez', 'bltz', 'bgtz', 'bgt', 'ble', 'bgtu', 'bleu',
  'csrr', 'csrw', 'csrs', 'csrc', 'csrwi', 'csrsi', 'csrci',
  'rdcycle', 'rdtime', 'rdinstret', 'rdcycleh', 'rdtimeh', 'rdinstreth',
  'unimp', 'scall', 'sbreak',
];

export const abiRegisterNames: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

export const registerNames: readonly string[] = [
  ...Array.from({ length: 32 }, (_, i) => `x${i}`),
  ...abiRegisterNames,
  'fp',
];

/** CSR names the assembler knows (see src/core/isa/csr.ts). */
export const csrNames: readonly string[] = [
  'cycle', 'time', 'instret', 'cycleh', 'timeh', 'instreth', 'seed',
  'mvendorid', 'marchid', 'mimpid', 'mhartid',
  'mstatus', 'misa', 'medeleg', 'mideleg', 'mie', 'mtvec', 'mcounteren', 'mstatush',
  'mscratch', 'mepc', 'mcause', 'mtval', 'mip',
  'mcycle', 'minstret', 'mcycleh', 'minstreth', 'mhostid',
];

export const directives: readonly string[] = [
  '.text', '.data', '.rodata', '.bss', '.section', '.globl', '.global', '.local', '.weak',
  '.align', '.balign', '.p2align', '.byte', '.half', '.short', '.2byte', '.word', '.long', '.4byte',
  '.quad', '.dword', '.8byte', '.string', '.asciz', '.ascii', '.zero', '.space', '.skip', '.fill',
  '.equ', '.set', '.equiv', '.option', '.type', '.size', '.file', '.ident', '.org',
];

/** Which registers the calling convention gives which role (psABI). */
export function registerRole(name: string): string | undefined {
  const n = registerNumber(name);
  if (n === undefined) return undefined;
  if (n === 0) return 'hard-wired zero: reads 0, writes are ignored';
  if (n === 1) return 'return address (link register)';
  if (n === 2) return 'stack pointer';
  if (n === 3) return 'global pointer';
  if (n === 4) return 'thread pointer';
  if (n === 8) return 'saved register / frame pointer (callee-saved)';
  if ((n >= 5 && n <= 7) || n >= 28) return 'temporary (caller-saved)';
  if (n === 9 || (n >= 18 && n <= 27)) return 'saved register (callee-saved)';
  if (n === 10 || n === 11) return 'function argument / return value';
  return 'function argument (caller-saved)';
}

export function registerNumber(name: string): number | undefined {
  const x = /^x(\d{1,2})$/.exec(name);
  if (x) {
    const n = Number(x[1]);
    return n < 32 ? n : undefined;
  }
  if (name === 'fp') return 8;
  const i = abiRegisterNames.indexOf(name);
  return i >= 0 ? i : undefined;
}

export type WordKind = 'instruction' | 'pseudo' | 'register' | 'csr' | 'directive';

export function classifyWord(word: string): WordKind | undefined {
  const w = word.toLowerCase();
  if (baseMnemonics.includes(w)) return 'instruction';
  if (pseudoMnemonics.includes(w)) return 'pseudo';
  if (registerNumber(word) !== undefined) return 'register';
  if (csrNames.includes(w)) return 'csr';
  if (w.startsWith('.') && directives.includes(w)) return 'directive';
  return undefined;
}
