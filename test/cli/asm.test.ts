import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadElf } from '../../src/core/elf/loadElf';
import { hexToBytes, readFixture } from '../core/asm/golden';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ftlab-cli-asm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ftlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/ftlab.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('ftlab asm', () => {
  it('prints the .text words as hex, one per line (matches GNU as+ld)', async () => {
    const r = await ftlab('asm', 'test/fixtures/asm/program.s');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFixture('program', '.text.hex'));
  });

  it('writes bin and elf with -o', async () => {
    const bin = join(dir, 'p.bin');
    const elf = join(dir, 'p.elf');
    expect((await ftlab('asm', 'test/fixtures/asm/program.s', '--format', 'bin', '-o', bin)).code).toBe(0);
    expect(readFileSync(bin).toString('hex')).toBe(Buffer.from(hexToBytes(readFixture('program', '.bin.hex'))).toString('hex'));
    expect((await ftlab('asm', 'test/fixtures/asm/program.s', '--format', 'elf', '-o', elf)).code).toBe(0);
    const loaded = loadElf(new Uint8Array(readFileSync(elf)), elf);
    expect(loaded.ok && loaded.image.tohost).toBeGreaterThan(0x80000000);
  });

  it('reports every error as FILE:LINE:COL: error: MESSAGE on stderr and exits 1', async () => {
    const f = join(dir, 'bad.s');
    writeFileSync(f, 'start:\n  addi a0, a0, 5000\n  frob a1\n  lw a2, 0(x99)\n  j nowhere\n');
    const r = await ftlab('asm', f);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:16: error: immediate out of range: 5000 \\(.*-2048\\.\\.2047\\)$`));
    expect(lines[1]).toMatch(/:3:3: error: unknown instruction 'frob'/);
    expect(lines[2]).toMatch(/:4:12: error: bad base register 'x99'/);
    expect(lines[3]).toMatch(/:5:5: error: undefined symbol 'nowhere'/);
  });

  it('exits 1 for a missing file', async () => {
    const r = await ftlab('asm', join(dir, 'missing.s'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing\.s: error: cannot read file/);
  });

  it('rejects an unknown --format', async () => {
    const r = await ftlab('asm', 'test/fixtures/asm/program.s', '--format', 'srec');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/srec/);
  });
});
