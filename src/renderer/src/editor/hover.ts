/**
 * Hover text for a word in the editor. The ISA documentation table
 * (src/core/isa/docs.ts) is the source; this file only formats it as
 * Markdown and adds what the editor knows itself (registers, directives).
 */
import { classifyWord, registerNumber, registerRole } from './vocabulary';

/** One documented thing, as the docs table gives it (fields are optional so any shape fits). */
export interface DocEntry {
  readonly name: string;
  readonly summary?: string;
  readonly syntax?: string;
  readonly format?: string;
  readonly expansion?: string;
  readonly operation?: string;
  readonly encoding?: string;
  readonly extension?: string;
  readonly nondeterministic?: string;
  readonly number?: number;
}

export type DocLookup = (name: string) => DocEntry | undefined;

/** Why reading these CSRs is a non-deterministic input that FT must log. */
const nondetWhy: Readonly<Record<string, string>> = {
  cycle: 'The cycle counter depends on the host CPU and on when the VM was scheduled: primary and backup read different values.',
  cycleh: 'High half of the cycle counter: host-dependent, so it differs between primary and backup.',
  mcycle: 'The machine cycle counter depends on the host: primary and backup read different values.',
  mcycleh: 'High half of the machine cycle counter: host-dependent.',
  time: 'Wall-clock time: the backup runs later than the primary, so it would read a later time.',
  timeh: 'High half of wall-clock time: differs between primary and backup.',
  seed: 'Entropy source: true randomness is different on every read, on every host.',
  mhostid: 'Which physical host runs this machine: by definition different on the primary and the backup.',
};

const directiveDocs: Readonly<Record<string, string>> = {
  '.text': 'Switch to the code section (starts at 0x80000000).',
  '.data': 'Switch to the initialised-data section.',
  '.rodata': 'Switch to the read-only data section.',
  '.bss': 'Switch to the zero-filled data section.',
  '.section': 'Switch to a named section.',
  '.globl': 'Make a symbol visible outside this file (e.g. `_start`).',
  '.global': 'Make a symbol visible outside this file (e.g. `_start`).',
  '.align': 'Align to 2^N bytes.',
  '.p2align': 'Align to 2^N bytes.',
  '.balign': 'Align to N bytes.',
  '.byte': 'Emit 8-bit values.',
  '.half': 'Emit 16-bit values.',
  '.short': 'Emit 16-bit values.',
  '.word': 'Emit 32-bit values.',
  '.long': 'Emit 32-bit values.',
  '.dword': 'Emit 64-bit values.',
  '.quad': 'Emit 64-bit values.',
  '.string': 'Emit a NUL-terminated string.',
  '.asciz': 'Emit a NUL-terminated string.',
  '.ascii': 'Emit a string without a terminating NUL.',
  '.zero': 'Emit N zero bytes.',
  '.space': 'Emit N zero bytes (or N copies of a fill byte).',
  '.skip': 'Emit N zero bytes.',
  '.equ': 'Give a symbol a constant value: `.equ NAME, value`.',
  '.set': 'Give a symbol a constant value: `.set NAME, value`.',
};

function hex(n: number, digits = 3): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** Markdown paragraphs for `word`, or undefined when there is nothing to say. */
export function hoverMarkdown(word: string, lookup: DocLookup | undefined): string[] | undefined {
  const kind = classifyWord(word);
  const lower = word.toLowerCase();
  const doc = lookup?.(lower);
  if (kind === 'register') {
    const n = registerNumber(word)!;
    return [`**${word}** — register x${n}`, registerRole(word)!];
  }
  if (kind === 'directive') {
    const text = directiveDocs[lower];
    return text ? [`**${lower}** — assembler directive`, text] : undefined;
  }
  if (!doc && !kind) return undefined;
  const out: string[] = [];
  const what = kind === 'pseudo' ? 'pseudo-instruction' : kind === 'csr' ? 'CSR' : 'instruction';
  const tags = [what, doc?.extension, doc?.format ? `${doc.format}-type` : undefined].filter(Boolean).join(' · ');
  out.push(`**${doc?.name ?? lower}** — ${tags}${doc?.number !== undefined ? ` · ${hex(doc.number)}` : ''}`);
  if (doc?.syntax) out.push('```riscv-asm\n' + doc.syntax + '\n```');
  if (doc?.summary) out.push(doc.summary);
  if (doc?.operation) out.push('`' + doc.operation + '`');
  if (doc?.expansion) out.push(`Expands to: \`${doc.expansion}\``);
  if (doc?.encoding) out.push(`Encoding: \`${doc.encoding}\``);
  const why = doc?.nondeterministic ?? nondetWhy[lower];
  if (why) {
    const ft = /\blog/i.test(why) ? '' : " FT's primary logs the value it read; the backup uses the logged value instead of reading its own.";
    out.push(`⚠ **Non-deterministic input.** ${why}${ft}`);
  }
  if (out.length === 1 && !doc) out.push('(documentation is not available yet)');
  return out;
}
