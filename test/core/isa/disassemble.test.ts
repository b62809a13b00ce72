/**
 * Decoder + disassembler against GNU objdump on 4000 pseudo-random words
 * (test/fixtures/asm/random-words.*, made by scripts/gen-golden.sh), plus
 * decode/encode round trips.
 */
import { describe, expect, it } from 'vitest';
import { csrName } from '../../../src/core/isa/csr';
import { decode } from '../../../src/core/isa/decode';
import { disassemble } from '../../../src/core/isa/disassemble';
import { encode } from '../../../src/core/isa/encode';
import { normalizeAsm, parseObjdump, readFixture } from '../asm/golden';

const BASE = 0x80000000;
const words = readFixture('random-words', '.txt').trim().split('\n').map((h) => parseInt(h, 16));

/** objdump on a raw binary prints unknown words as .4byte and targets with 0x. */
function normalizeRaw(text: string): string {
  const four = /^\.4byte 0x([0-9a-f]+)$/.exec(text);
  if (four) return `.word 0x${four[1]!.padStart(8, '0')}`;
  return text.replace(/0x([0-9a-f]{8})\b/g, '$1');
}

/** Major opcodes of RV32IM + Zicsr + Zifencei (objdump also knows F, D, A, ... which we do not). */
const OUR_OPCODES = new Set([0x03, 0x0f, 0x13, 0x17, 0x23, 0x33, 0x37, 0x63, 0x67, 0x6f, 0x73]);

function goldenLines(ext: string): { addr: number; word: number; text: string }[] {
  return parseObjdump(readFixture('random-words', ext))
    .filter((l) => (l.addr - BASE) % 4 === 0 && words[(l.addr - BASE) / 4] === l.word && OUR_OPCODES.has(l.word & 0x7f))
    .map((l) => ({ ...l, text: normalizeRaw(l.text) }));
}

describe.each([
  ['.objdump.txt', true],
  ['.noaliases.txt', false],
] as const)('random words vs objdump%s', (ext, aliases) => {
  const golden = goldenLines(ext);

  it('covers most of the words', () => {
    expect(golden.length).toBeGreaterThan(3000);
    expect(golden.filter((g) => !g.text.startsWith('.word')).length).toBeGreaterThan(1500);
  });

  it('prints every word exactly as objdump (CSRs outside our table: mnemonic only)', () => {
    const mismatches: string[] = [];
    for (const g of golden) {
      const ours = normalizeAsm(disassemble(g.word, g.addr, { aliases }));
      const i = decode(g.word);
      const csrUnnamed = i !== undefined && i.op.startsWith('csr') && csrName(i.csr) === undefined && !/^(unimp|rd)/.test(ours);
      const same = csrUnnamed ? ours.split(' ')[0] === g.text.split(' ')[0] : ours === g.text;
      if (!same) mismatches.push(`${g.word.toString(16).padStart(8, '0')}: ours "${ours}" objdump "${g.text}"`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('decode/encode', () => {
  it('encode(decode(w)) === w for every decodable random word', () => {
    let n = 0;
    for (const w of words) {
      const i = decode(w);
      if (!i) continue;
      n++;
      expect(encode(i).toString(16)).toBe((w >>> 0).toString(16));
    }
    expect(n).toBeGreaterThan(1500);
  });

  it('decodes fields with the spec names', () => {
    // 0x00c58533: add a0, a1, a2
    expect(decode(0x00c58533)).toEqual({ op: 'add', format: 'R', rd: 10, rs1: 11, rs2: 12, imm: 0, csr: 0 });
    // 0xfea12e23: sw a0, -4(sp)
    expect(decode(0xfea12e23)).toMatchObject({ op: 'sw', format: 'S', rs1: 2, rs2: 10, imm: -4 });
    // 0xfab506e3: beq a0, a1, -84
    expect(decode(0xfab506e3)).toMatchObject({ op: 'beq', format: 'B', rs1: 10, rs2: 11, imm: -84 });
    // 0x123457b7: lui a5, 0x12345
    expect(decode(0x123457b7)).toMatchObject({ op: 'lui', format: 'U', rd: 15, imm: 0x12345000 });
    // 0x800000ef: jal ra, -1 MiB
    expect(decode(0x800000ef)).toMatchObject({ op: 'jal', format: 'J', rd: 1, imm: -(1 << 20) });
    // 0x41f5d593: srai a1, a1, 31
    expect(decode(0x41f5d593)).toMatchObject({ op: 'srai', rd: 11, rs1: 11, imm: 31 });
    // 0x3042d073: csrrwi zero, mie, 5
    expect(decode(0x3042d073)).toMatchObject({ op: 'csrrwi', csr: 0x304, imm: 5 });
    // 0xfc002573: csrrs a0, mhostid, zero
    expect(decode(0xfc002573)).toMatchObject({ op: 'csrrs', rd: 10, csr: 0xfc0 });
    // fence.tso, fence.i, ecall, ebreak, mret, wfi
    expect([0x8330000f, 0x0000100f, 0x73, 0x00100073, 0x30200073, 0x10500073].map((w) => decode(w)?.op)).toEqual([
      'fence.tso', 'fence.i', 'ecall', 'ebreak', 'mret', 'wfi',
    ]);
  });

  it('rejects illegal encodings', () => {
    expect(decode(0x00000000)).toBeUndefined(); // all zeros is illegal
    expect(decode(0xffffffff)).toBeUndefined();
    expect(decode(0x02051513)).toBeUndefined(); // slli with shamt[5]=1 (RV64 only)
    expect(decode(0x4000c533)).toBeUndefined(); // funct7=0x20 with xor
    expect(decode(0x00001067)).toBeUndefined(); // jalr with funct3 != 0
  });
});

describe('disassemble', () => {
  it('prints the CSR mhostid by name and unknown words as .word', () => {
    expect(disassemble(0xfc002573, BASE, { aliases: true })).toBe('csrr\ta0,mhostid');
    expect(disassemble(0xfc002573, BASE, { aliases: false })).toBe('csrrs\ta0,mhostid,zero');
    expect(disassemble(0, BASE, { aliases: true })).toBe('.word\t0x00000000');
  });

  it('computes pc-relative targets from pc', () => {
    expect(disassemble(0xfab506e3, 0x80000054, { aliases: true })).toBe('beq\ta0,a1,80000000');
    expect(disassemble(0x0000006f, 0x80000010, { aliases: true })).toBe('j\t80000010');
    expect(disassemble(0x0000006f, 0x80000010, { aliases: false })).toBe('jal\tzero,80000010');
  });
});
