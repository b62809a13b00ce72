/**
 * `ftlab exec FILE.s|FILE.elf [--max-steps N] [--trace]` — run one machine
 * alone (no replication) on a solo host port: time/mtime from a virtual 10 MHz
 * clock derived from the icount, seed from a fixed-seed PRNG, a fixed host id.
 *
 * UART output → stdout. Exit status: the guest's exit code (finisher or
 * tohost); 2 when it traps with no handler, exhausts the step budget or waits
 * for an interrupt that can never come (reported on stderr with pc and cause);
 * 1 for a bad ELF or assembly (diagnostics on stderr). `--trace` prints one
 * disassembled line per instruction on stderr.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { assemble } from '../../core/asm/assemble';
import { formatDiagnostic, type Diagnostic } from '../../core/diagnostic';
import { loadElf } from '../../core/elf/loadElf';
import type { ProgramImage } from '../../core/image';
import { disassemble } from '../../core/isa/disassemble';
import { Machine } from '../../core/machine/machine';
import { runSolo, SoloPort } from '../../core/machine/soloPort';
import { GuestFault, type StopReason } from '../../core/machine/stopReason';

export const EXEC_MAX_STEPS_DEFAULT = 1_000_000_000;

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** Reads and builds FILE into an image, or returns the diagnostics. */
export function loadProgram(file: string): { image: ProgramImage } | { diagnostics: Diagnostic[] } {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    return { diagnostics: [{ severity: 'error', file, line: 0, column: 0, endColumn: 0, message: `cannot read file: ${(e as Error).message}` }] };
  }
  const isElf = bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  if (isElf || /\.elf$/i.test(file)) {
    const r = loadElf(bytes, file);
    return r.ok ? { image: r.image } : { diagnostics: [r.diagnostic] };
  }
  const r = assemble(new TextDecoder().decode(bytes), { file });
  if (r.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: r.diagnostics };
  for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  return { image: r.image };
}

export function register(program: Command): void {
  program
    .command('exec')
    .description('run a guest program on one machine (no replication); UART → stdout, exit status = guest exit code')
    .argument('<file>', 'assembly source (.s) or RV32 ELF executable')
    .option('--max-steps <n>', 'instruction budget (a runaway guest stops here, status 2)', String(EXEC_MAX_STEPS_DEFAULT))
    .option('--trace', 'print every executed instruction (disassembled) on stderr')
    .action((file: string, opts: { maxSteps: string; trace?: boolean }) => {
      const maxSteps = Number(opts.maxSteps);
      if (!Number.isSafeInteger(maxSteps) || maxSteps < 0) {
        process.stderr.write(`ftlab exec: --max-steps must be a non-negative integer, got ${opts.maxSteps}\n`);
        process.exitCode = 1;
        return;
      }
      const loaded = loadProgram(file);
      if ('diagnostics' in loaded) {
        for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
        process.exitCode = 1;
        return;
      }
      let pending: number[] = [];
      const flush = (): void => {
        if (pending.length > 0) process.stdout.write(Uint8Array.from(pending));
        pending = [];
      };
      const port = new SoloPort({
        onOutput: (o) => {
          if (o.device !== 'uart') return;
          for (const b of o.bytes) pending.push(b);
          if (pending.length >= 4096) flush();
        },
      });
      const m = new Machine({ port, hostId: port.hostId });
      const problems = m.load(loaded.image, file);
      if (problems.length > 0) {
        for (const d of problems) process.stderr.write(`${formatDiagnostic(d)}\n`);
        process.exitCode = 1;
        return;
      }
      let stop: StopReason;
      if (opts.trace) {
        stop = { kind: 'budget' };
        while (m.icount < maxSteps) {
          const pc = m.pc;
          const word = m.readMemory(pc, 4);
          const w = (word[0] | (word[1] << 8) | (word[2] << 16) | (word[3] << 24)) >>> 0;
          flush();
          process.stderr.write(`${m.icount}\t${hex(pc).slice(2)}:\t${w.toString(16).padStart(8, '0')}\t${disassemble(w, pc, { aliases: true })}\n`);
          stop = runSolo(m, port, m.icount + 1);
          if (stop.kind !== 'budget') break;
        }
      } else {
        stop = runSolo(m, port, maxSteps);
      }
      flush();
      process.exitCode = exitStatus(stop, m);
    });
}

function exitStatus(stop: StopReason, m: Machine): number {
  switch (stop.kind) {
    case 'halted':
      return stop.exitCode;
    case 'trap':
      process.stderr.write(`ftlab exec: unhandled trap (mcause ${stop.cause >>> 0}): ${stop.message}\n`);
      return 2;
    case 'budget':
      process.stderr.write(`ftlab exec: step budget exhausted after ${m.icount} instructions at pc ${hex(m.pc)} (use --max-steps)\n`);
      return 2;
    case 'wfi':
      process.stderr.write(`ftlab exec: guest waits for an interrupt that never comes (wfi, no timer armed) at pc ${hex(m.pc)}\n`);
      return 2;
    case 'breakpoint':
      process.stderr.write(`ftlab exec: ${GuestFault.format(stop)}\n`);
      return 2;
    default: {
      const never: never = stop;
      return never;
    }
  }
}
