import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/assemble';
import { loadElf } from '../../../src/core/elf/loadElf';
import { writeElf } from '../../../src/core/elf/writeElf';
import type { ProgramImage } from '../../../src/core/image';
import { FIXTURES, fixtureNames, flatBinary, hexToBytes, parseObjdump, readFixture } from '../asm/golden';

function ok(r: ReturnType<typeof loadElf>): ProgramImage {
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.image;
}

function sortedSymbols(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m].sort((a, b) => a[0].localeCompare(b[0]));
}

function have(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.each(fixtureNames())('GNU-linked %s.elf', (name) => {
  const elf = new Uint8Array(readFileSync(join(FIXTURES, `${name}.elf`)));
  const ours = assemble(readFixture(name, '.s'), { file: `${name}.s` }).image;

  it('loads to the same image as our assembler produces', () => {
    const img = ok(loadElf(elf, `${name}.elf`));
    expect(img.entry).toBe(ours.entry);
    expect(Buffer.from(flatBinary(img)).toString('hex')).toBe(Buffer.from(hexToBytes(readFixture(name, '.bin.hex'))).toString('hex'));
    for (const [sym, addr] of ours.symbols) expect([sym, img.symbols.get(sym)]).toEqual([sym, addr]);
    expect(img.tohost).toBe(ours.tohost);
    // ld's one RWX segment covers .bss: same end address as ours.
    const end = (i: ProgramImage): number => Math.max(...i.segments.map((s) => s.addr + s.bytes.length + (s.zeroFill ?? 0)));
    expect(end(img).toString(16)).toBe(end(ours).toString(16));
  });

  it('writeElf → loadElf round-trips segments, symbols, entry and tohost', () => {
    const back = ok(loadElf(writeElf(ours), 'out.elf'));
    expect(back.entry).toBe(ours.entry);
    expect(back.segments.map((s) => [s.addr, Buffer.from(s.bytes).toString('hex'), s.zeroFill ?? 0])).toEqual(
      ours.segments.map((s) => [s.addr, Buffer.from(s.bytes).toString('hex'), s.zeroFill ?? 0]),
    );
    expect(sortedSymbols(back.symbols)).toEqual(sortedSymbols(ours.symbols));
    expect(back.tohost).toBe(ours.tohost);
  });

  it('objdump reads our ELF and disassembles it as the GNU one', () => {
    if (!have('riscv64-unknown-elf-objdump')) throw new Error('riscv64-unknown-elf-objdump not found: apt-get install binutils-riscv64-unknown-elf (.ci/run does)');
    const dir = mkdtempSync(join(tmpdir(), 'ftlab-elf-'));
    try {
      const f = join(dir, 'ours.elf');
      writeFileSync(f, writeElf(ours));
      const listing = execFileSync('riscv64-unknown-elf-objdump', ['-d', '-M', 'no-aliases', f], { encoding: 'utf8' });
      const golden = parseObjdump(readFixture(name, '.noaliases.txt'));
      expect(parseObjdump(listing)).toEqual(golden);
      execFileSync('riscv64-unknown-elf-readelf', ['-a', '-W', f], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeElf output runs on qemu-system-riscv32', () => {
  it('prints through the UART and exits through the test finisher', () => {
    if (!have('qemu-system-riscv32')) throw new Error('qemu-system-riscv32 not found: apt-get install qemu-system-misc (.ci/run does)');
    const src = `
      .text
      .globl _start
_start:
      li   a0, 0x10000000
      la   a1, msg
1:    lbu  a2, 0(a1)
      beqz a2, 2f
      sb   a2, 0(a0)
      addi a1, a1, 1
      j    1b
2:    li   a0, 0x100000
      li   a1, 0x5555
      sw   a1, 0(a0)
3:    j    3b
      .data
msg:  .asciz "hello from ftlab\\n"
`;
    const r = assemble(src, { file: 'q.s' });
    expect(r.diagnostics).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'ftlab-qemu-'));
    try {
      const f = join(dir, 'q.elf');
      writeFileSync(f, writeElf(r.image));
      const out = execFileSync('qemu-system-riscv32', ['-M', 'virt', '-bios', 'none', '-kernel', f, '-nographic', '-monitor', 'none', '-serial', 'stdio'], {
        encoding: 'utf8', timeout: 20_000,
      });
      expect(out).toContain('hello from ftlab');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A minimal valid ELF32 RISC-V executable to corrupt in the error tests. */
function validElf(): Uint8Array {
  const r = assemble('.globl _start\n_start: li a0, 1\n.data\nx: .word 7\n.bss\ny: .space 8\n', { file: 't.s' });
  return writeElf(r.image);
}

function errorOf(bytes: Uint8Array): string {
  const r = loadElf(bytes, 'bad.elf');
  if (r.ok) throw new Error('expected a diagnostic');
  expect(r.diagnostic.file).toBe('bad.elf');
  expect(r.diagnostic.severity).toBe('error');
  expect(r.diagnostic.hint).toBeTruthy();
  return r.diagnostic.message;
}

describe('loadElf errors', () => {
  it('accepts the valid base file with .bss zero fill and symbols', () => {
    const img = ok(loadElf(validElf(), 'ok.elf'));
    expect(img.symbols.get('x')).toBeDefined();
    expect(img.segments.find((s) => s.zeroFill)?.zeroFill).toBe(8);
  });

  it('not an ELF', () => {
    expect(errorOf(new TextEncoder().encode('.text\nnop\n'))).toMatch(/not an ELF/);
    expect(errorOf(new Uint8Array(0))).toMatch(/not an ELF/);
  });

  it('64-bit ELF', () => {
    const b = validElf();
    b[4] = 2;
    expect(errorOf(b)).toMatch(/64-bit/);
  });

  it('big-endian ELF', () => {
    const b = validElf();
    b[5] = 2;
    expect(errorOf(b)).toMatch(/big-endian/);
  });

  it('non-RISC-V machine names the machine', () => {
    const b = validElf();
    new DataView(b.buffer).setUint16(18, 62, true);
    expect(errorOf(b)).toMatch(/not a RISC-V ELF.*x86-64/);
  });

  it('truncated header', () => {
    expect(errorOf(validElf().slice(0, 30))).toMatch(/truncated ELF header/);
  });

  it('program headers out of range', () => {
    const b = validElf();
    new DataView(b.buffer).setUint32(28, b.length - 8, true);
    expect(errorOf(b)).toMatch(/program headers out of range/);
  });

  it('segment out of range', () => {
    const b = validElf();
    new DataView(b.buffer).setUint32(52 + 16, 0x100000, true); // p_filesz of segment 0
    expect(errorOf(b)).toMatch(/segment 0 out of range/);
  });

  it('truncated file (segments cut off)', () => {
    const b = validElf();
    expect(errorOf(b.slice(0, 60))).toMatch(/out of range/);
  });

  it('section headers out of range', () => {
    const b = validElf();
    new DataView(b.buffer).setUint32(32, b.length - 4, true);
    expect(errorOf(b)).toMatch(/section headers out of range/);
  });

  it('no loadable segment', () => {
    const b = validElf();
    const v = new DataView(b.buffer);
    const phnum = v.getUint16(44, true);
    for (let i = 0; i < phnum; i++) v.setUint32(52 + 32 * i, 0, true); // PT_NULL
    expect(errorOf(b)).toMatch(/no loadable segment/);
  });

  it('relocatable object and compressed code are refused with a hint', () => {
    const rel = validElf();
    new DataView(rel.buffer).setUint16(16, 1, true);
    expect(errorOf(rel)).toMatch(/relocatable/);
    const rvc = validElf();
    new DataView(rvc.buffer).setUint32(36, 1, true);
    expect(errorOf(rvc)).toMatch(/compressed/);
  });

  it('never throws on random corruption', () => {
    const base = validElf();
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let k = 0; k < 300; k++) {
      const b = base.slice(0, rnd(base.length + 1));
      for (let j = 0; j < 4; j++) if (b.length > 0) b[rnd(b.length)] = rnd(256);
      expect(() => loadElf(b, 'fuzz.elf')).not.toThrow();
    }
  });
});
