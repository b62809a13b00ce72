import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';

const root = join(__dirname, '../..');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function ftlab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/ftlab.mjs'), 'exec', ...args], {
    cwd: root, encoding: 'utf8', timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function source(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

describe('ftlab exec', () => {
  it('assembles and runs a .s file: UART to stdout, finisher exit 0', () => {
    const r = ftlab('resources/examples/hello.s');
    expect(r.stdout).toBe('Hello from FT Lab!\n');
    expect(r.status).toBe(0);
  });

  it('runs an ELF and exits with the guest exit code', () => {
    const r = ftlab('test/fixtures/machine/crc.elf');
    expect(r.stdout).toBe('crc32 0xd9f6ab0b 0xd9f6ab0b\n');
    expect(r.status).toBe(7);
  });

  it('delivers timer interrupts in solo mode (ticker)', () => {
    const r = ftlab('resources/examples/ticker.s');
    expect(r.stdout).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    expect(r.status).toBe(0);
  });

  it('reports an unhandled trap with pc and cause, status 2', () => {
    const r = ftlab(source('trap.s', '_start:\n  nop\n  .word 0\n'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('illegal instruction 0x00000000 at pc 0x80000004');
  });

  it('stops a runaway guest at --max-steps, status 2', () => {
    const r = ftlab(source('spin.s', '_start:\n1: j 1b\n'), '--max-steps', '1000');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/step budget exhausted after 1000 instructions at pc 0x80000000/);
  });

  it('prints assembly diagnostics GNU-style, status 1', () => {
    const path = source('bad.s', '_start:\n  addi x1, x2\n');
    const r = ftlab(path);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${path}:2:`);
    expect(r.stderr).toContain('error');
    expect(r.stdout).toBe('');
  });

  it('rejects a bad ELF, status 1', () => {
    const r = ftlab(source('junk.elf', '\x7fELF not really'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/junk\.elf.*error/);
  });

  it('--trace prints one disassembled line per instruction on stderr', () => {
    const r = ftlab(source('t.s', '_start:\n  li a0, 5\n  addi a0, a0, 1\n1: j 1b\n'), '--trace', '--max-steps', '3');
    const lines = r.stderr.split('\n').filter((l) => /^\d+\t/.test(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^0\t80000000:\t00500513\tli\s+a0,\s*5/);
    expect(lines[2]).toMatch(/^2\t80000008:\t0000006f\tj\s/);
    expect(r.status).toBe(2);
  });
});
