/**
 * Labels in assembly source: where each is defined, so the editor can "go to
 * definition" (Ctrl+click or F12) on a symbol and on GNU local labels (1b, 1f).
 */

export interface LabelDefinition {
  readonly name: string;
  /** 1-based line and column of the label's first character. */
  readonly line: number;
  readonly column: number;
}

/** `name:` at the start of a statement (after optional spaces or an earlier label). */
const labelRe = /([A-Za-z_.$][\w.$]*|\d+)\s*:/y;

/** Strips a `#` comment, ignoring `#` inside strings. */
function codeOf(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (c === '#' && !inString) return line.slice(0, i);
  }
  return line;
}

/** Every label defined in `source`, in order. Numeric local labels may repeat. */
export function findLabelDefinitions(source: string): LabelDefinition[] {
  const found: LabelDefinition[] = [];
  const lines = source.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const code = codeOf(lines[l]!);
    let pos = code.length - code.trimStart().length;
    // Several labels may precede a statement: `a: b: nop`.
    for (;;) {
      labelRe.lastIndex = pos;
      const m = labelRe.exec(code);
      if (!m) break;
      found.push({ name: m[1]!, line: l + 1, column: pos + 1 });
      pos = labelRe.lastIndex;
      while (code[pos] === ' ' || code[pos] === '\t') pos++;
    }
  }
  return found;
}

/**
 * Where the symbol `word`, used on line `fromLine`, is defined. `1b` is the
 * nearest `1:` at or before the line, `1f` the nearest after it.
 */
export function resolveLabel(source: string, word: string, fromLine: number): LabelDefinition | undefined {
  const defs = findLabelDefinitions(source);
  const local = /^(\d+)([bf])$/.exec(word);
  if (local) {
    const name = local[1]!;
    if (local[2] === 'b') {
      let best: LabelDefinition | undefined;
      for (const d of defs) if (d.name === name && d.line <= fromLine) best = d;
      return best;
    }
    return defs.find((d) => d.name === name && d.line > fromLine);
  }
  return defs.find((d) => d.name === word);
}
