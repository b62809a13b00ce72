/**
 * The words of RISC-V assembly as FT Lab's editor knows them: for highlighting,
 * completion and hovers. Plain data (no Monaco, no DOM) so it is unit-tested.
 */
import { MNEMONICS } from '../../../core/isa/opcodes';
import { ABI_NAMES } from '../../../core/isa/registers';
import { CSR } from '../../../core/isa/csr';

/** RV32I, M, Zicsr, Zifencei and privileged instructions (the real ones): the assembler's own table. */
export const baseMnemonics: readonly string[] = MNEMONICS;

/** GNU pseudo-instructions the assembler accepts. */
export const pseudoMnemonics: readonly string[] = [
  'nop', 'li', 'la', 'lla', 'mv', 'not', 'neg', 'seqz', 'snez', 'sltz', 'sgtz', 'zext.b', 'sgt', 'sgtu',
  'j', 'jr', 'ret', 'call', 'tail',
  'beqz', 'bnez', 'blez', 'bgez', 'bltz', 'bgtz', 'bgt', 'ble', 'bgtu', 'bleu',
  'csrr', 'csrw', 'csrs', 'csrc', 'csrwi', 'csrsi', 'csrci',
  'rdcycle', 'rdtime', 'rdinstret', 'rdcycleh', 'rdtimeh', 'rdinstreth',
  'unimp', 'scall', 'sbreak',
];

export const abiRegisterNames: readonly string[] = ABI_NAMES;

export const registerNames: readonly string[] = [
  ...Array.from({ length: 32 }, (_, i) => `x${i}`),
  ...abiRegisterNames,
  'fp',
];

/** CSR names the assembler knows. */
export const csrNames: readonly string[] = Object.keys(CSR);

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
