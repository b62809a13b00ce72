/** Assembler diagnostics → Monaco marker data (plain objects; severity numbers are Monaco's). */
import type { Diagnostic } from '../../../core/diagnostic';

/** monaco.MarkerSeverity values, repeated here so this file stays DOM-free. */
export const MarkerSeverity = { Warning: 4, Error: 8 } as const;

export interface MarkerData {
  readonly severity: number;
  readonly message: string;
  readonly startLineNumber: number;
  readonly startColumn: number;
  readonly endLineNumber: number;
  readonly endColumn: number;
  readonly source: string;
}

export function diagnosticsToMarkers(diagnostics: readonly Diagnostic[], lineLengths: (line: number) => number): MarkerData[] {
  return diagnostics.map((d) => {
    const line = Math.max(1, d.line);
    const startColumn = d.line > 0 ? Math.max(1, d.column) : 1;
    // A zero-width diagnostic still needs something to underline.
    const endColumn = d.endColumn > startColumn ? d.endColumn : Math.max(startColumn + 1, lineLengths(line) + 1);
    return {
      severity: d.severity === 'error' ? MarkerSeverity.Error : MarkerSeverity.Warning,
      message: d.hint ? `${d.message}\n${d.hint}` : d.message,
      startLineNumber: line,
      startColumn,
      endLineNumber: line,
      endColumn,
      source: 'assembler',
    };
  });
}

/** One line for the status bar: "2 errors, 1 warning" or "no problems". */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors === 0 && warnings === 0) return 'no problems';
  const parts: string[] = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}
