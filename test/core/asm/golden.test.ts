/**
 * Byte-exact comparison with GNU as + ld (binutils 2.40), and disassembly
 * comparison with GNU objdump, against the committed fixtures of
 * scripts/gen-golden.sh. When binutils are installed, the fixtures are also
 * regenerated live and compared to the committed ones.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/assemble';
import { disassemble } from '../../../src/core/isa/disassemble';
import {
  FIXTURES, fixtureNames, flatBinary, hexToBytes, normalizeAsm, parseObjdump, readFixture, sourceLabels,
} from './golden';

const names = fixtureNames();

describe.each(names)('fixture %s.s', (name) => {
  const src = readFixture(name, '.s');
  const result = assemble(src, { file: `${name}.s` });
  const image = result.image;

  it('assembles without errors', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('produces the same bytes as as+ld (objcopy -O binary)', () => {
    const golden = hexToBytes(readFixture(name, '.bin.hex'));
    const ours = flatBinary(image);
    expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(golden).toString('hex'));
  });

  it('produces the same .text words', () => {
    const golden = readFixture(name, '.text.hex').trim().split('\n');
    const text = image.segments.find((s) => s.name === '.text')!;
    const view = new DataView(text.bytes.buffer, text.bytes.byteOffset, text.bytes.byteLength);
    const ours: string[] = [];
    for (let i = 0; i + 4 <= text.bytes.length; i += 4) ours.push(view.getUint32(i, true).toString(16).padStart(8, '0'));
    expect(ours).toEqual(golden);
  });

  it('lays out sections and the entry point like ld', () => {
    const lines = readFixture(name, '.layout.txt').trim().split('\n');
    const entry = parseInt(lines[0]!.split(' ')[1]!, 16);
    expect(image.entry.toString(16)).toBe(entry.toString(16));
    for (const line of lines.slice(1)) {
      const [sec, addr, size] = line.split(' ');
      const seg = image.segments.find((s) => s.name === sec);
      expect(seg, sec).toBeDefined();
      expect([sec, seg!.addr.toString(16), (seg!.bytes.length + (seg!.zeroFill ?? 0)).toString(16)]).toEqual([
        sec, parseInt(addr!, 16).toString(16), parseInt(size!, 16).toString(16),
      ]);
    }
    expect(image.segments.length).toBe(lines.length - 1);
  });

  it('defines the same labels at the same addresses', () => {
    const golden = sourceLabels(readFixture(name, '.nm.txt'));
    expect(golden.length).toBeGreaterThan(0);
    for (const s of golden) expect([s.name, image.symbols.get(s.name)?.toString(16)]).toEqual([s.name, s.addr.toString(16)]);
    if (image.symbols.has('tohost')) expect(image.tohost).toBe(image.symbols.get('tohost'));
  });

  for (const [ext, aliases] of [['.objdump.txt', true], ['.noaliases.txt', false]] as const) {
    it(`disassembles like objdump ${aliases ? '-d' : '-d -M no-aliases'}`, () => {
      const golden = parseObjdump(readFixture(name, ext));
      expect(golden.length).toBeGreaterThan(0);
      const ours = golden.map((g) => ({ ...g, text: normalizeAsm(disassemble(g.word, g.addr, { aliases })) }));
      expect(ours).toEqual(golden);
    });
  }

  it('maps every instruction word to a source line', () => {
    const golden = parseObjdump(readFixture(name, '.noaliases.txt'));
    const mapped = new Set(result.sourceMap.map((e) => e.addr));
    // Every instruction except the nops that only pad the end of .text.
    for (const g of golden.filter((x) => x.word !== 0x13)) expect(mapped.has(g.addr), g.addr.toString(16)).toBe(true);
    const lines = src.split('\n');
    for (const e of result.sourceMap) expect(lines[e.line - 1]).toMatch(/\S/);
  });
});

function hasBinutils(): boolean {
  try {
    execFileSync('riscv64-unknown-elf-as', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('committed fixtures are current', () => {
  // Live oracle: only meaningful where binutils are installed (the fixtures make it optional).
  it('regenerating with binutils reproduces the committed files ', () => {
    // CI installs binutils (.ci/run); a machine without them must say so, not pass silently.
    if (!hasBinutils()) throw new Error('riscv64-unknown-elf binutils not found: apt-get install binutils-riscv64-unknown-elf (.ci/run does)');
    const dir = mkdtempSync(join(tmpdir(), 'ftlab-golden-'));
    try {
      for (const name of names) {
        const o = join(dir, `${name}.o`);
        const elf = join(dir, `${name}.elf`);
        execFileSync('riscv64-unknown-elf-as', ['-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-o', o, join(FIXTURES, `${name}.s`)]);
        execFileSync('riscv64-unknown-elf-ld', ['-m', 'elf32lriscv', '--no-relax', '-N', '-Ttext=0x80000000', '-o', elf, o], { stdio: 'ignore' });
        const bin = join(dir, `${name}.bin`);
        execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', elf, bin]);
        const live = readFileSync(bin).toString('hex');
        expect(live, name).toBe(Buffer.from(hexToBytes(readFixture(name, '.bin.hex'))).toString('hex'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
