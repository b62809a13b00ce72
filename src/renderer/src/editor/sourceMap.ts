/**
 * The assembler's source map (instruction address → source line), both ways:
 * the line a replica's pc is on (to highlight it) and the addresses a line
 * holds (to set a breakpoint on it).
 */
export interface SourceMapEntry {
  readonly addr: number;
  readonly line: number;
}

export class SourceLines {
  private readonly byAddr: Map<number, number>;
  private readonly byLine: Map<number, number[]>;

  constructor(entries: readonly SourceMapEntry[]) {
    this.byAddr = new Map();
    this.byLine = new Map();
    for (const e of entries) {
      this.byAddr.set(e.addr >>> 0, e.line);
      const list = this.byLine.get(e.line);
      if (list) list.push(e.addr >>> 0);
      else this.byLine.set(e.line, [e.addr >>> 0]);
    }
  }

  /** The source line of the instruction at `pc`, if it came from this source. */
  lineOf(pc: number): number | undefined {
    return this.byAddr.get(pc >>> 0);
  }

  /** The first address a line assembled to (a pseudo-instruction may make several). */
  addressOf(line: number): number | undefined {
    return this.byLine.get(line)?.[0];
  }

  /** Whether a breakpoint can go on this line (it holds an instruction). */
  hasCode(line: number): boolean {
    return this.byLine.has(line);
  }

  /** The nearest line at or after `line` that holds an instruction. */
  nearestCodeLine(line: number, lastLine: number): number | undefined {
    for (let l = line; l <= lastLine; l++) if (this.byLine.has(l)) return l;
    return undefined;
  }
}
