/** Readers for the committed binutils fixtures (see scripts/gen-golden.sh). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgramImage } from '../../../src/core/image';

export const FIXTURES = join(__dirname, '../../fixtures/asm');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.s')).map((f) => f.slice(0, -2)).sort();
}

export function readFixture(name: string, ext: string): string {
  return readFileSync(join(FIXTURES, `${name}${ext}`), 'utf8');
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface ObjdumpLine {
  readonly addr: number;
  readonly word: number;
  /** Mnemonic and operands, whitespace-normalized, without `<sym>` and `# comment`. */
  readonly text: string;
}

/** Normalize one objdump instruction text (ours or GNU's) for comparison. */
export function normalizeAsm(text: string): string {
  return text
    .replace(/\s*#.*$/, '')
    .replace(/\s*<[^>]*>/g, '')
    .replace(/\bmhostid\b/g, '0xfc0')
    .trim()
    .replace(/\s+/g, ' ');
}

/** 32-bit instruction lines (`addr:\tword \ttext`) of an objdump -d listing. */
export function parseObjdump(listing: string): ObjdumpLine[] {
  const out: ObjdumpLine[] = [];
  for (const line of listing.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \s*\t(.*)$/.exec(line);
    if (!m) continue;
    out.push({ addr: parseInt(m[1]!, 16), word: parseInt(m[2]!, 16), text: normalizeAsm(m[3]!) });
  }
  return out;
}

/** objcopy -O binary equivalent: bytes from the lowest address to the end of the last loaded byte. */
export function flatBinary(image: ProgramImage): Uint8Array {
  const segs = image.segments.filter((s) => s.bytes.length > 0);
  if (segs.length === 0) return new Uint8Array(0);
  const start = Math.min(...segs.map((s) => s.addr));
  const end = Math.max(...segs.map((s) => s.addr + s.bytes.length));
  const out = new Uint8Array(end - start);
  for (const s of segs) out.set(s.bytes, s.addr - start);
  return out;
}

export interface NmSymbol {
  readonly addr: number;
  readonly type: string;
  readonly name: string;
}

const LINKER_SYMBOLS = /^(__|_edata$|_end$|edata$|end$|\$)/;

/** Symbols the source defines as labels (not ld's __bss_start etc., not absolute .equ). */
export function sourceLabels(nm: string): NmSymbol[] {
  return nm
    .split('\n')
    .map((l) => /^([0-9a-f]{8}) (\w) (\S+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ addr: parseInt(m[1]!, 16), type: m[2]!, name: m[3]! }))
    .filter((s) => /[tTdDbBrR]/.test(s.type) && !LINKER_SYMBOLS.test(s.name));
}
