/**
 * ELF writer: ProgramImage → an ELF32 RISC-V executable (one PT_LOAD per
 * segment, named sections, a symbol table) that loadElf, GNU objdump and
 * qemu-system-riscv32 accept.
 */
import type { ProgramImage, Segment } from '../image';
import {
  EHDR_SIZE, ELFCLASS32, ELFDATA2LSB, EM_RISCV, ET_EXEC, EV_CURRENT, PF_R, PF_W, PF_X, PHDR_SIZE, PT_LOAD,
  SHDR_SIZE, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHT_NOBITS, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB,
  STB_GLOBAL, STT_NOTYPE, SYM_SIZE,
} from './elf';
import { utf8Encode } from './utf8';

const SEGMENT_ALIGN = 16;

class StringTable {
  readonly parts: number[] = [0];
  add(s: string): number {
    const at = this.parts.length;
    for (const c of utf8Encode(s)) this.parts.push(c);
    this.parts.push(0);
    return at;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function kindOf(seg: Segment, i: number): { name: string; flags: number; pflags: number; nobits: boolean } {
  const name = seg.name ?? (i === 0 ? '.text' : `.seg${i}`);
  const nobits = seg.bytes.length === 0 && (seg.zeroFill ?? 0) > 0;
  if (name.startsWith('.text')) return { name, flags: SHF_ALLOC | SHF_EXECINSTR, pflags: PF_R | PF_X, nobits };
  if (name.startsWith('.rodata')) return { name, flags: SHF_ALLOC, pflags: PF_R, nobits };
  if (name.startsWith('.data') || name.startsWith('.bss')) return { name, flags: SHF_ALLOC | SHF_WRITE, pflags: PF_R | PF_W, nobits };
  return { name, flags: SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR, pflags: PF_R | PF_W | PF_X, nobits };
}

export function writeElf(image: ProgramImage): Uint8Array {
  const segs = [...image.segments].sort((a, b) => a.addr - b.addr);
  const kinds = segs.map(kindOf);
  const phnum = segs.length;
  const chunks: { off: number; bytes: Uint8Array }[] = [];
  let off = EHDR_SIZE + PHDR_SIZE * phnum;
  // Segment data, each at a file offset congruent to its address (mod SEGMENT_ALIGN).
  const segOff: number[] = [];
  for (const s of segs) {
    off += (((s.addr - off) % SEGMENT_ALIGN) + SEGMENT_ALIGN) % SEGMENT_ALIGN;
    segOff.push(off);
    chunks.push({ off, bytes: s.bytes });
    off += s.bytes.length;
  }
  // Symbol table (all global, NOTYPE) + string tables.
  const strtab = new StringTable();
  const shstrtab = new StringTable();
  const symEntries = [...image.symbols].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const symtab = new Uint8Array(SYM_SIZE * (symEntries.length + 1));
  const sv = new DataView(symtab.buffer);
  symEntries.forEach(([name, addr], k) => {
    const o = SYM_SIZE * (k + 1);
    const secIndex = segs.findIndex((s) => addr >= s.addr && addr <= s.addr + s.bytes.length + (s.zeroFill ?? 0));
    sv.setUint32(o, strtab.add(name), true);
    sv.setUint32(o + 4, addr >>> 0, true);
    sv.setUint32(o + 8, 0, true);
    sv.setUint8(o + 12, (STB_GLOBAL << 4) | STT_NOTYPE);
    sv.setUint8(o + 13, 0);
    sv.setUint16(o + 14, secIndex < 0 ? SHN_ABS : secIndex + 1, true);
  });
  const strBytes = strtab.bytes();
  const names = kinds.map((k) => shstrtab.add(k.name));
  const symName = shstrtab.add('.symtab');
  const strName = shstrtab.add('.strtab');
  const shstrName = shstrtab.add('.shstrtab');
  const shstrBytes = shstrtab.bytes();
  off = Math.ceil(off / 4) * 4;
  const symOff = off;
  chunks.push({ off: symOff, bytes: symtab });
  off += symtab.length;
  const strOff = off;
  chunks.push({ off: strOff, bytes: strBytes });
  off += strBytes.length;
  const shstrOff = off;
  chunks.push({ off: shstrOff, bytes: shstrBytes });
  off += shstrBytes.length;
  off = Math.ceil(off / 4) * 4;
  const shoff = off;
  const shnum = 1 + segs.length + 3;
  const total = shoff + SHDR_SIZE * shnum;

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  // ELF header.
  out.set([0x7f, 0x45, 0x4c, 0x46, ELFCLASS32, ELFDATA2LSB, EV_CURRENT], 0);
  v.setUint16(16, ET_EXEC, true);
  v.setUint16(18, EM_RISCV, true);
  v.setUint32(20, EV_CURRENT, true);
  v.setUint32(24, image.entry >>> 0, true);
  v.setUint32(28, EHDR_SIZE, true);
  v.setUint32(32, shoff, true);
  v.setUint32(36, 0, true); // e_flags: soft-float ABI, no RVC
  v.setUint16(40, EHDR_SIZE, true);
  v.setUint16(42, PHDR_SIZE, true);
  v.setUint16(44, phnum, true);
  v.setUint16(46, SHDR_SIZE, true);
  v.setUint16(48, shnum, true);
  v.setUint16(50, shnum - 1, true);
  // Program headers.
  segs.forEach((s, i) => {
    const p = EHDR_SIZE + i * PHDR_SIZE;
    v.setUint32(p, PT_LOAD, true);
    v.setUint32(p + 4, segOff[i]!, true);
    v.setUint32(p + 8, s.addr >>> 0, true);
    v.setUint32(p + 12, s.addr >>> 0, true);
    v.setUint32(p + 16, s.bytes.length, true);
    v.setUint32(p + 20, s.bytes.length + (s.zeroFill ?? 0), true);
    v.setUint32(p + 24, kinds[i]!.pflags, true);
    v.setUint32(p + 28, SEGMENT_ALIGN, true);
  });
  for (const c of chunks) out.set(c.bytes, c.off);
  // Section headers: [0] null, one per segment, .symtab, .strtab, .shstrtab.
  const shdr = (i: number, f: number[]): void => f.forEach((x, k) => v.setUint32(shoff + i * SHDR_SIZE + 4 * k, x >>> 0, true));
  segs.forEach((s, i) => {
    const k = kinds[i]!;
    const size = k.nobits ? s.zeroFill ?? 0 : s.bytes.length;
    shdr(i + 1, [names[i]!, k.nobits ? SHT_NOBITS : SHT_PROGBITS, k.flags, s.addr, segOff[i]!, size, 0, 0, 1, 0]);
  });
  const nSeg = segs.length;
  shdr(nSeg + 1, [symName, SHT_SYMTAB, 0, 0, symOff, symtab.length, nSeg + 2, 1, 4, SYM_SIZE]);
  shdr(nSeg + 2, [strName, SHT_STRTAB, 0, 0, strOff, strBytes.length, 0, 0, 1, 0]);
  shdr(nSeg + 3, [shstrName, SHT_STRTAB, 0, 0, shstrOff, shstrBytes.length, 0, 0, 1, 0]);
  return out;
}
