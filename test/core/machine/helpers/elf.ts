/**
 * Test-only minimal ELF32 little-endian RISC-V reader (PT_LOAD segments, entry,
 * symbols, tohost). Used by the machine tests until src/core/elf/loadElf.ts
 * lands; kept tiny on purpose.
 */
import type { ProgramImage, Segment } from '../../../../src/core/image';

export function readElf(bytes: Uint8Array): ProgramImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46 || bytes[4] !== 1 || bytes[5] !== 1) throw new Error('not an ELF32 LE file');
  if (dv.getUint16(18, true) !== 243) throw new Error('not RISC-V');
  const entry = dv.getUint32(24, true);
  const phoff = dv.getUint32(28, true);
  const shoff = dv.getUint32(32, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  const shentsize = dv.getUint16(46, true);
  const shnum = dv.getUint16(48, true);
  const segments: Segment[] = [];
  for (let k = 0; k < phnum; k++) {
    const o = phoff + k * phentsize;
    if (dv.getUint32(o, true) !== 1) continue; // PT_LOAD
    const off = dv.getUint32(o + 4, true);
    const paddr = dv.getUint32(o + 12, true);
    const filesz = dv.getUint32(o + 16, true);
    const memsz = dv.getUint32(o + 20, true);
    segments.push({ addr: paddr, bytes: bytes.slice(off, off + filesz), zeroFill: memsz - filesz });
  }
  const symbols = new Map<string, number>();
  for (let k = 0; k < shnum; k++) {
    const o = shoff + k * shentsize;
    if (dv.getUint32(o + 4, true) !== 2) continue; // SHT_SYMTAB
    const symOff = dv.getUint32(o + 16, true);
    const symSize = dv.getUint32(o + 20, true);
    const link = dv.getUint32(o + 24, true);
    const strOff = dv.getUint32(shoff + link * shentsize + 16, true);
    for (let s = symOff; s < symOff + symSize; s += 16) {
      const nameOff = dv.getUint32(s, true);
      if (nameOff === 0) continue;
      let end = strOff + nameOff;
      while (bytes[end] !== 0) end++;
      const name = new TextDecoder().decode(bytes.subarray(strOff + nameOff, end));
      symbols.set(name, dv.getUint32(s + 4, true));
    }
  }
  return { entry, segments, symbols, tohost: symbols.get('tohost') };
}
