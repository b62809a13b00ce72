/**
 * A problem in something a user gave us (assembly, an ELF, a scenario file, a
 * database). Diagnostics are values: they are collected and shown, never thrown.
 */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** File name as the user knows it (may be a pseudo name such as "editor.s"). */
  readonly file: string;
  /** 1-based line and column; 0 when the problem has no position (e.g. a whole file). */
  readonly line: number;
  readonly column: number;
  /** Column one past the end of the offending text, for editor squiggles (same line). */
  readonly endColumn: number;
  readonly message: string;
  /** How to fix it, in one short sentence. */
  readonly hint?: string;
}

/** `FILE:LINE:COL: error: MESSAGE` — the GNU style used by the CLI. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}: ${d.severity}: ${d.message}${hint}`;
}
