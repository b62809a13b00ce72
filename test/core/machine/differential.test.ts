/**
 * Differential test against QEMU: the same ELF runs on our machine and on
 * `qemu-system-riscv32 -machine virt -bios none` (RV32IM only); UART output
 * and exit status must agree. Fixtures are committed (test/fixtures/machine,
 * rebuilt by its build.sh), so only qemu is needed. No qemu → the test FAILS.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runElf } from './helpers/runElf';

const root = join(__dirname, '../../..');
const fixtures = join(root, 'test/fixtures/machine');
const QEMU = 'qemu-system-riscv32';

function qemuAvailable(): boolean {
  return spawnSync(QEMU, ['--version'], { encoding: 'utf8' }).status === 0;
}

function runQemu(elf: string): { uart: string; status: number | null } {
  const r = spawnSync(QEMU, [
    '-machine', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-cpu', 'rv32,a=off,c=off,f=off,d=off', '-kernel', elf,
  ], { timeout: 30_000, encoding: 'latin1', maxBuffer: 1 << 24 });
  if (r.error) throw r.error;
  return { uart: r.stdout, status: r.status };
}

const programs: [string, string][] = [
  ['hello (UART + finisher)', join(fixtures, 'hello.elf')],
  ['C program (crt0 + gcc -O2)', join(root, 'resources/examples/c/main.elf')],
  ['quicksort / insertion sort', join(fixtures, 'sort.elf')],
  ['CRC-32, exit code 7', join(fixtures, 'crc.elf')],
  ['M extension edge values in hex', join(fixtures, 'muldiv.elf')],
  ['misaligned access, self-modifying code, shifts, exit code 5', join(fixtures, 'quirks.elf')],
  ['bench compute loop (short)', join(fixtures, 'loop-short.elf')],
  ['timer interrupts through the CLINT (ticker)', join(fixtures, 'ticker.elf')],
];

describe('differential: FT Lab machine vs QEMU virt', () => {
  it('has qemu-system-riscv32 installed', () => {
    expect(qemuAvailable(), `${QEMU} not found: install it (Debian: apt-get install qemu-system-misc); CI installs it`)
      .toBe(true);
  });

  for (const [name, elf] of programs) {
    it(name, () => {
      if (!qemuAvailable()) throw new Error(`${QEMU} not found: install it (Debian: apt-get install qemu-system-misc)`);
      const q = runQemu(elf);
      const ours = runElf(elf);
      expect(ours.stop.kind).toBe('halted');
      expect(ours.uart).toBe(q.uart);
      expect(ours.uart.length).toBeGreaterThan(0);
      expect(ours.stop.kind === 'halted' ? ours.stop.exitCode : -1).toBe(q.status);
    });
  }
});
