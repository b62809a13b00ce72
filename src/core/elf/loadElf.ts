/**
 * ELF loader: bytes of an ELF32 RISC-V executable → ProgramImage.
 * Never throws; anything wrong with the file is one Diagnostic naming what
 * is wrong and what to do.
 */
import type { Diagnostic } from '../diagnostic';
import type { ProgramImage, Segment } from '../image';
import {
  EF_RISCV_RVC, EHDR_SIZE, ELF_MAGIC, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EM_RISCV, ET_REL,
  MACHINE_NAMES, PHDR_SIZE, PT_LOAD, SHDR_SIZE, SHN_ABS, SHN_UNDEF, SHT_SYMTAB, SYM_SIZE,
} from './elf';
import { utf8Decode } from './utf8';

export type LoadElfResult = { readonly ok: true; readonly image: ProgramImage } | { readonly ok: false; readonly diagnostic: Diagnostic };

class ElfError {
  constructor(readonly message: string, readonly hint: string) {}
}

function fail(message: string, hint: string): never {
  throw new ElfError(message, hint);
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export function loadElf(bytes: Uint8Array, file: string): LoadElfResult {
  try {
    return { ok: true, image: parse(bytes) };
  } catch (e) {
    const err = e instanceof ElfError ? e : new ElfError(`cannot read ELF: ${String(e)}`, 'the file is damaged; rebuild it');
    return {
      ok: false,
      diagnostic: { severity: 'error', file, line: 0, column: 0, endColumn: 0, message: err.message, hint: err.hint },
    };
  }
}

function parse(b: Uint8Array): ProgramImage {
  if (b.length < 4 || ELF_MAGIC.some((m, i) => b[i] !== m)) {
    fail('not an ELF file (no \\x7fELF magic number)', 'load an ELF executable or an assembly source (.s)');
  }
  if (b.length < 6) fail(`truncated ELF header: the file has only ${b.length} bytes`, 'the file is cut short; rebuild it');
  if (b[4] === ELFCLASS64) fail('64-bit ELF (ELFCLASS64): FT Lab runs 32-bit RISC-V', 'build for RV32: -march=rv32im_zicsr -mabi=ilp32');
  if (b[4] !== ELFCLASS32) fail(`unknown ELF class ${b[4]}`, 'the file is damaged; rebuild it');
  if (b[5] === ELFDATA2MSB) fail('big-endian ELF: RISC-V is little-endian', 'build for riscv32 little-endian (the default)');
  if (b[5] !== ELFDATA2LSB) fail(`unknown ELF data encoding ${b[5]}`, 'the file is damaged; rebuild it');
  if (b.length < EHDR_SIZE) fail(`truncated ELF header: ${b.length} of ${EHDR_SIZE} bytes`, 'the file is cut short; rebuild it');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number): number => v.getUint16(o, true);
  const u32 = (o: number): number => v.getUint32(o, true);
  const machine = u16(18);
  if (machine !== EM_RISCV) {
    const what = MACHINE_NAMES[machine] ?? `machine ${machine}`;
    fail(`not a RISC-V ELF: built for ${what} (e_machine ${machine})`, 'build with a riscv32 toolchain, e.g. riscv64-unknown-elf-gcc -march=rv32im_zicsr -mabi=ilp32');
  }
  if (u16(16) === ET_REL) fail('relocatable object file (.o), not an executable', 'link it first: riscv64-unknown-elf-ld -m elf32lriscv -Ttext=0x80000000');
  const flags = u32(36);
  if (flags & EF_RISCV_RVC) fail('the ELF uses compressed instructions (C extension), which FT Lab does not run', 'rebuild with -march=rv32im_zicsr (no c)');
  const entry = u32(24);
  const phoff = u32(28);
  const shoff = u32(32);
  const phentsize = u16(42);
  const phnum = u16(44);
  const shentsize = u16(46);
  const shnum = u16(48);

  if (phnum > 0 && phentsize < PHDR_SIZE) fail(`bad program header size ${phentsize}`, 'the file is damaged; rebuild it');
  if (phoff + phnum * phentsize > b.length) {
    fail(`program headers out of range: ${phnum} × ${phentsize} bytes at offset ${hex(phoff)} but the file has ${b.length} bytes`, 'the file is truncated; rebuild it');
  }
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (u32(p) !== PT_LOAD) continue;
    const offset = u32(p + 4);
    const paddr = u32(p + 12);
    const filesz = u32(p + 16);
    const memsz = u32(p + 20);
    if (memsz === 0) continue;
    if (offset + filesz > b.length) {
      fail(`segment ${i} out of range: ${filesz} bytes at offset ${hex(offset)} but the file has ${b.length} bytes`, 'the file is truncated; rebuild it');
    }
    if (memsz < filesz) fail(`segment ${i}: memory size ${memsz} is smaller than file size ${filesz}`, 'the file is damaged; rebuild it');
    if (paddr + memsz > 2 ** 32) fail(`segment ${i} at ${hex(paddr)} runs past the end of the 32-bit address space`, 'the file is damaged; rebuild it');
    const seg: Segment = memsz > filesz
      ? { addr: paddr, bytes: b.slice(offset, offset + filesz), zeroFill: memsz - filesz }
      : { addr: paddr, bytes: b.slice(offset, offset + filesz) };
    segments.push(seg);
  }
  if (segments.length === 0) fail('no loadable segment (PT_LOAD) in the ELF', 'link it as an executable with code in .text');

  const symbols = readSymbols(b, v, shoff, shentsize, shnum);
  const tohost = symbols.get('tohost');
  return tohost === undefined ? { entry, segments, symbols } : { entry, segments, symbols, tohost };
}

function readSymbols(b: Uint8Array, v: DataView, shoff: number, shentsize: number, shnum: number): Map<string, number> {
  const symbols = new Map<string, number>();
  if (shoff === 0 || shnum === 0) return symbols;
  if (shentsize < SHDR_SIZE) fail(`bad section header size ${shentsize}`, 'the file is damaged; rebuild it');
  if (shoff + shnum * shentsize > b.length) {
    fail(`section headers out of range: ${shnum} × ${shentsize} bytes at offset ${hex(shoff)} but the file has ${b.length} bytes`, 'the file is truncated; rebuild it');
  }
  const u32 = (o: number): number => v.getUint32(o, true);
  const sh = (i: number, field: number): number => u32(shoff + i * shentsize + field);
  for (let i = 0; i < shnum; i++) {
    if (sh(i, 4) !== SHT_SYMTAB) continue;
    const off = sh(i, 16);
    const size = sh(i, 20);
    const link = sh(i, 24);
    if (off + size > b.length) fail(`symbol table out of range (offset ${hex(off)}, ${size} bytes)`, 'the file is truncated; rebuild it');
    if (link >= shnum) fail(`symbol table names a missing string table (section ${link})`, 'the file is damaged; rebuild it');
    const stroff = sh(link, 16);
    const strsize = sh(link, 20);
    if (stroff + strsize > b.length) fail(`string table out of range (offset ${hex(stroff)}, ${strsize} bytes)`, 'the file is truncated; rebuild it');
    for (let s = off + SYM_SIZE; s + SYM_SIZE <= off + size; s += SYM_SIZE) {
      const name = u32(s);
      const value = u32(s + 4);
      const info = b[s + 12]!;
      const shndx = v.getUint16(s + 14, true);
      const type = info & 0xf;
      if (name === 0 || name >= strsize || type > 2 || shndx === SHN_UNDEF || shndx === SHN_ABS) continue;
      let end = stroff + name;
      while (end < stroff + strsize && b[end] !== 0) end++;
      const str = utf8Decode(b.subarray(stroff + name, end));
      if (str.startsWith('$') || str === '') continue;
      if (!symbols.has(str) || (info >> 4) !== 0) symbols.set(str, value);
    }
  }
  return symbols;
}
