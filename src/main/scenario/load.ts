/**
 * Load what `ftlab run` was given: an assembly file, an ELF, or a scenario
 * JSON (whose program path is relative to the scenario file). Problems come
 * back as printable messages, never exceptions.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { assemble } from '../../core/asm/assemble';
import { formatDiagnostic } from '../../core/diagnostic';
import { loadElf } from '../../core/elf/loadElf';
import type { ProgramImage } from '../../core/image';
import { DEFAULT_SCENARIO_SETTINGS, parseScenarioText, type Scenario } from '../../core/sim/scenario';

export type Loaded =
  | { readonly ok: true; readonly scenario: Scenario; readonly image: ProgramImage; readonly programFile: string }
  | { readonly ok: false; readonly errors: string[] };

function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/** Assemble (or load as ELF, by its magic number) a program file, or assemble `source`. */
export function loadProgram(
  file: string,
  source?: string,
): { ok: true; image: ProgramImage; source: string | null } | { ok: false; errors: string[] } {
  let text = source;
  if (text === undefined) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (e) {
      return { ok: false, errors: [`${file}: cannot read: ${(e as Error).message}`] };
    }
    if (isElf(bytes) || /\.elf$/i.test(file)) {
      const r = loadElf(bytes, file);
      return r.ok ? { ok: true, image: r.image, source: null } : { ok: false, errors: [formatDiagnostic(r.diagnostic)] };
    }
    text = new TextDecoder().decode(bytes);
  }
  const r = assemble(text, { file });
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, image: r.image, source: text };
}

/** A bare program runs with default settings and two counter clients. */
export function defaultScenarioFor(file: string): Scenario {
  return {
    name: basename(file),
    description: '',
    program: file,
    source: null,
    settings: DEFAULT_SCENARIO_SETTINGS,
    clients: [{ workload: /kv/i.test(basename(file)) ? 'kv' : 'counter', count: 2, requests: 20, intervalMs: 2 }],
    faults: [],
    stop: { ms: 300 },
    seed: 1,
    expect: {},
  };
}

export function loadRunTarget(file: string): Loaded {
  if (!/\.json$/i.test(file)) {
    const p = loadProgram(file);
    return p.ok ? { ok: true, scenario: { ...defaultScenarioFor(file), source: p.source }, image: p.image, programFile: file } : p;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, errors: [`${file}: cannot read: ${(e as Error).message}`] };
  }
  const parsed = parseScenarioText(text, basename(file, '.json'));
  if (!parsed.ok) return { ok: false, errors: parsed.problems.map((p) => `${file}: ${p.path}: ${p.message}`) };
  const sc = parsed.scenario;
  const programFile = sc.program !== null ? resolve(dirname(file), sc.program) : `${file}#source`;
  const p = sc.program !== null ? loadProgram(programFile) : loadProgram(programFile, sc.source ?? '');
  // The loaded scenario carries its program's text too (recorded with the session, shown on replay).
  return p.ok ? { ok: true, scenario: { ...sc, source: p.source }, image: p.image, programFile } : p;
}
