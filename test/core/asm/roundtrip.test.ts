/** disassemble → assemble gives back the same words (both objdump styles). */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/assemble';
import { disassemble } from '../../../src/core/isa/disassemble';
import { fixtureNames, readFixture } from './golden';

const BASE = 0x80000000;

/** objdump prints targets as bare hex addresses; the assembler wants 0x. */
function toSource(words: readonly number[], aliases: boolean): string {
  return words
    .map((w, i) => disassemble(w, BASE + 4 * i, { aliases }).replace(/([,\t])([0-9a-f]{8})$/, '$10x$2'))
    .join('\n');
}

function textWords(hex: string): number[] {
  return hex.trim().split('\n').map((h) => parseInt(h, 16));
}

function reassembled(src: string): number[] {
  const r = assemble(src, { file: 'roundtrip.s' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const text = r.image.segments.find((s) => s.name === '.text')!;
  const v = new DataView(text.bytes.buffer, text.bytes.byteOffset, text.bytes.byteLength);
  return Array.from({ length: text.bytes.length / 4 }, (_, i) => v.getUint32(4 * i, true));
}

describe.each([true, false])('round trip with aliases=%s', (aliases) => {
  it.each(fixtureNames())('%s.s .text', (name) => {
    const words = textWords(readFixture(name, '.text.hex'));
    expect(reassembled(toSource(words, aliases))).toEqual(words);
  });

  it('4000 random words (undecodable ones as .word)', () => {
    const words = textWords(readFixture('random-words', '.txt'));
    expect(reassembled(toSource(words, aliases))).toEqual(words);
  });
});
