/**
 * Sections and how GNU ld (`-N -Ttext=0x80000000`, default script) lays them
 * out: .text at 0x80000000, then .rodata, .data, .bss, each at the next
 * multiple of its own alignment (the largest .align used in it).
 *
 * GNU as quirk we reproduce for byte-exact images: with linker relaxation on
 * (the default), `.align` in code emits the worst case (2^n − 4 bytes of nops)
 * plus an R_RISCV_ALIGN relocation, and the section's size is rounded up to
 * its alignment; ld (even with --no-relax) then deletes the surplus nops but
 * keeps that rounded tail. So the final .text size is
 *   alignUp(worstCaseEnd, textAlign) − (worstCaseEnd − realEnd).
 */
export type SectionName = 'text' | 'rodata' | 'data' | 'bss';
export const SECTION_ORDER: readonly SectionName[] = ['text', 'rodata', 'data', 'bss'];
export const TEXT_BASE = 0x8000_0000;

export class Section {
  /** Bytes emitted so far (real offsets). */
  size = 0;
  /** GNU as's worst-case offset (differs from `size` only after relaxable .align in .text). */
  gasSize = 0;
  /** Alignment in bytes (a power of two). */
  align: number;
  /** Something was put in this section (labels alone do not make ld keep it). */
  used = false;
  constructor(readonly name: SectionName) {
    this.align = name === 'text' ? 4 : 1;
  }

  /** Size ld gives the output section. */
  finalSize(): number {
    if (this.name !== 'text') return this.size;
    const slack = this.gasSize - this.size;
    return alignUp(this.gasSize, this.align) - slack;
  }
}

export function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}

export function sectionFromName(name: string): SectionName | undefined {
  if (/^\.text(\.|$)/.test(name)) return 'text';
  if (/^\.s?rodata(\.|$)/.test(name)) return 'rodata';
  if (/^\.s?data(\.|$)/.test(name) || name === '.tohost') return 'data';
  if (/^\.s?bss(\.|$)/.test(name)) return 'bss';
  return undefined;
}

/** Base address of each used section, ld-style. */
export function layout(sections: ReadonlyMap<SectionName, Section>): Map<SectionName, number> {
  const bases = new Map<SectionName, number>();
  let at = TEXT_BASE;
  for (const name of SECTION_ORDER) {
    const s = sections.get(name)!;
    if (name === 'text') {
      bases.set(name, TEXT_BASE);
      at = TEXT_BASE + s.finalSize();
      continue;
    }
    const base = alignUp(at, s.align);
    bases.set(name, s.used ? base : at);
    if (s.used) at = base + s.finalSize();
  }
  return bases;
}
