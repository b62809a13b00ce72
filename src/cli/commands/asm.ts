/**
 * `ftlab asm FILE.s [-o OUT] [--format hex|bin|elf]` — assemble a file.
 *   hex: the .text section, one 8-hex-digit little-endian word per line;
 *   bin: the raw text+data image (like objcopy -O binary);
 *   elf: an ELF32 executable (writeElf).
 * Diagnostics go to stderr as FILE:LINE:COL: error: MESSAGE; exit status 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { assemble } from '../../core/asm/assemble';
import { formatDiagnostic } from '../../core/diagnostic';
import { writeElf } from '../../core/elf/writeElf';
import type { ProgramImage } from '../../core/image';

type Format = 'hex' | 'bin' | 'elf';

function textHex(image: ProgramImage): string {
  const text = image.segments.find((s) => s.name === '.text');
  if (!text) return '';
  const v = new DataView(text.bytes.buffer, text.bytes.byteOffset, text.bytes.byteLength);
  const lines: string[] = [];
  for (let i = 0; i + 4 <= text.bytes.length; i += 4) lines.push(v.getUint32(i, true).toString(16).padStart(8, '0'));
  return lines.map((l) => `${l}\n`).join('');
}

/** Bytes from the lowest loaded address to the end of the last initialized byte (no .bss). */
export function flatImage(image: ProgramImage): Uint8Array {
  const segs = image.segments.filter((s) => s.bytes.length > 0);
  if (segs.length === 0) return new Uint8Array(0);
  const start = Math.min(...segs.map((s) => s.addr));
  const end = Math.max(...segs.map((s) => s.addr + s.bytes.length));
  const out = new Uint8Array(end - start);
  for (const s of segs) out.set(s.bytes, s.addr - start);
  return out;
}

export function register(program: Command): void {
  program
    .command('asm')
    .description('assemble a RISC-V (RV32IM, Zicsr, Zifencei) source file')
    .argument('<file>', 'assembly source (.s)')
    .option('-o, --output <out>', 'write the output to this file instead of stdout')
    .addOption(new Option('--format <format>', 'output format').choices(['hex', 'bin', 'elf']).default('hex'))
    .action((file: string, opts: { output?: string; format: Format }) => {
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch (e) {
        process.stderr.write(`${file}: error: cannot read file: ${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const result = assemble(source, { file });
      for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (result.diagnostics.some((d) => d.severity === 'error')) {
        process.exitCode = 1;
        return;
      }
      const out: string | Uint8Array =
        opts.format === 'hex' ? textHex(result.image) : opts.format === 'bin' ? flatImage(result.image) : writeElf(result.image);
      if (opts.output) writeFileSync(opts.output, out);
      else process.stdout.write(out);
    });
}
