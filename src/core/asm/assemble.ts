/**
 * The assembler: source text → ProgramImage + source map + diagnostics.
 *
 * Two passes over the statements:
 *  1. parse every line, define labels, learn the size of every instruction
 *     and directive (so every label gets its section offset);
 *  2. lay the sections out like GNU ld, then encode instructions and data
 *     with every symbol known.
 * Never throws: every problem in the source becomes a Diagnostic, and every
 * statement is checked so one run reports all of a file's errors.
 */
import type { Diagnostic } from '../diagnostic';
import type { ProgramImage, Segment } from '../image';
import { encode } from '../isa/encode';
import { type EvalEnv, evaluate, type Expr, type ExprError } from './expr';
import { instructionHandler, type InsnContext, pcrelHiExpr, suggestMnemonic } from './instructions';
import { lexLine, type Token } from './lexer';
import { asmError, type AsmError, type Operand, splitOperands } from './operands';
import { directive, isDirective, type DirectiveHost } from './directives';
import { layout, Section, type SectionName, SECTION_ORDER, TEXT_BASE } from './sections';

export interface AsmOptions {
  /** File name used in diagnostics. */
  readonly file: string;
}

export interface SourceMapEntry {
  readonly addr: number;
  /** 1-based source line. */
  readonly line: number;
}

export interface AsmResult {
  readonly image: ProgramImage;
  readonly diagnostics: Diagnostic[];
  readonly sourceMap: SourceMapEntry[];
}

interface InsnItem {
  readonly kind: 'insn';
  readonly line: number;
  readonly seq: number;
  readonly section: SectionName;
  readonly offset: number;
  readonly words: number;
  readonly m: Token;
  readonly ops: readonly Operand[];
}
export interface DataItem {
  readonly kind: 'data';
  readonly line: number;
  readonly seq: number;
  readonly section: SectionName;
  readonly offset: number;
  readonly width: 1 | 2 | 4 | 8;
  readonly values: readonly { readonly expr: Expr; readonly op: Operand }[];
}
export interface BytesItem {
  readonly kind: 'bytes';
  readonly section: SectionName;
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** Alignment nops in code: the line of the .align (for the source map). */
  readonly codeLine?: number;
}
type Item = InsnItem | DataItem | BytesItem;

interface LabelDef {
  readonly section: SectionName;
  readonly offset: number;
  readonly line: number;
}

const NOP = Uint8Array.of(0x13, 0x00, 0x00, 0x00);

class Unresolved {
  constructor(readonly error: ExprError) {}
}

class Assembler implements DirectiveHost {
  readonly diagnostics: Diagnostic[] = [];
  readonly sections = new Map<SectionName, Section>(SECTION_ORDER.map((n) => [n, new Section(n)]));
  current: SectionName = 'text';
  readonly items: Item[] = [];
  readonly labels = new Map<string, LabelDef>();
  /** .equ/.set: value at definition if known then, else the expression (resolved in pass 2). */
  readonly equs = new Map<string, { value?: bigint; expr: Expr; line: number }>();
  readonly locals = new Map<string, { seq: number; section: SectionName; offset: number }[]>();
  readonly globals = new Set<string>();
  bases = new Map<SectionName, number>();
  seq = 0;
  line = 0;
  ended = false;
  relax = true;
  readonly relaxStack: boolean[] = [];
  /** auipc address → its %pcrel_hi target value (pass 2). */
  readonly pcrelHi = new Map<number, bigint>();
  private resolving = new Set<string>();

  constructor(readonly file: string) {}

  section(): Section {
    return this.sections.get(this.current)!;
  }

  report(e: AsmError, line = this.line): void {
    this.diagnostics.push({
      severity: e.severity ?? 'error',
      file: this.file,
      line,
      column: e.col,
      endColumn: e.endCol,
      message: e.message,
      hint: e.hint,
    });
  }

  // ---- pass 1 -------------------------------------------------------------

  run(source: string): void {
    const lines = source.split('\n');
    let inComment = false;
    for (let i = 0; i < lines.length && !this.ended; i++) {
      this.line = i + 1;
      const lexed = lexLine(lines[i]!, inComment);
      inComment = lexed.inComment;
      for (const e of lexed.errors) this.report(e);
      if (lexed.errors.length > 0) continue;
      let start = 0;
      const toks = lexed.tokens;
      for (let j = 0; j <= toks.length; j++) {
        if (j === toks.length || (toks[j]!.kind === 'punct' && toks[j]!.text === ';')) {
          if (j > start) this.statement(toks.slice(start, j));
          start = j + 1;
        }
      }
    }
  }

  statement(toks: Token[]): void {
    let i = 0;
    // Labels: `name:` or `1:`.
    while (i + 1 < toks.length && toks[i + 1]!.text === ':' && (toks[i]!.kind === 'ident' || toks[i]!.kind === 'num')) {
      this.defineLabel(toks[i]!);
      i += 2;
    }
    if (i >= toks.length) return;
    const head = toks[i]!;
    const rest = toks.slice(i + 1);
    this.seq++;
    if (head.kind !== 'ident') {
      this.report(asmError(head, `expected an instruction or directive, found '${head.text}'`, 'a statement is [label:] mnemonic operands'));
      return;
    }
    // `name = expr` is .set
    if (rest.length > 0 && rest[0]!.text === '=') {
      this.directiveCall('.set', head, [{ tokens: [head], col: head.col, endCol: head.endCol }, ...this.operands(rest.slice(1), rest[0]!.endCol)]);
      return;
    }
    if (head.text.startsWith('.') && !instructionHandler(head.text)) {
      let ops: Operand[];
      try {
        ops = splitOperands(rest, head.endCol);
      } catch (e) {
        this.report(e as AsmError);
        return;
      }
      this.directiveCall(head.text, head, ops);
      return;
    }
    this.instruction(head, rest);
  }

  operands(toks: Token[], afterCol: number): Operand[] {
    return splitOperands(toks, afterCol);
  }

  directiveCall(name: string, head: Token, ops: Operand[]): void {
    if (!isDirective(name)) {
      this.report(asmError(head, `unknown directive '${name}'`, 'supported: .text .data .bss .section .globl .equ .set .word .half .byte .ascii .asciz .string .space .zero .align .p2align .balign .option .type .size'));
      return;
    }
    try {
      directive(this, name, head, ops);
    } catch (e) {
      if (e instanceof Unresolved) this.report(e.error);
      else this.report(e as AsmError);
    }
  }

  defineLabel(t: Token): void {
    const sec = this.section();
    if (t.kind === 'num') {
      const key = String(t.value);
      const list = this.locals.get(key) ?? [];
      list.push({ seq: ++this.seq, section: this.current, offset: sec.size });
      this.locals.set(key, list);
      return;
    }
    const prev = this.labels.get(t.text);
    if (prev || this.equs.has(t.text)) {
      const where = prev ? `line ${prev.line}` : `line ${this.equs.get(t.text)!.line}`;
      this.report(asmError(t, `duplicate label '${t.text}'`, `'${t.text}' is already defined on ${where}; rename one of them`));
      return;
    }
    this.seq++;
    this.labels.set(t.text, { section: this.current, offset: sec.size, line: this.line });
  }

  instruction(m: Token, rest: Token[]): void {
    const handler = instructionHandler(m.text);
    if (!handler) {
      const lower = instructionHandler(m.text.toLowerCase()) ? m.text.toLowerCase() : undefined;
      const guess = lower ?? suggestMnemonic(m.text);
      this.report(asmError(m, `unknown instruction '${m.text}'`, guess ? `did you mean '${guess}'?` : 'see the instruction list (RV32IM, Zicsr, Zifencei and GNU pseudo-instructions)'));
      this.emitPlaceholder(m, 1);
      return;
    }
    if (this.current === 'bss') {
      this.report(asmError(m, 'instruction in .bss', '.bss holds only zeros: put code in .text'));
      return;
    }
    const sec = this.section();
    let ops: Operand[];
    let words: number;
    try {
      ops = splitOperands(rest, m.endCol);
      words = handler(ops, this.ctx(false, sec.size, this.seq), m).length;
    } catch (e) {
      this.report(e instanceof Unresolved ? e.error : (e as AsmError));
      this.emitPlaceholder(m, 1);
      return;
    }
    this.items.push({ kind: 'insn', line: this.line, seq: this.seq, section: this.current, offset: sec.size, words, m, ops });
    this.advance(words * 4);
  }

  /** Keep addresses of later statements sensible after an error. */
  emitPlaceholder(_m: Token, words: number): void {
    if (this.current !== 'bss') this.advance(words * 4);
  }

  advance(bytes: number): void {
    const s = this.section();
    s.size += bytes;
    s.gasSize += bytes;
    if (bytes > 0) s.used = true;
  }

  addBytes(bytes: Uint8Array, code = false): void {
    const s = this.section();
    if (this.current !== 'bss') {
      const item: BytesItem = code
        ? { kind: 'bytes', section: this.current, offset: s.size, bytes, codeLine: this.line }
        : { kind: 'bytes', section: this.current, offset: s.size, bytes };
      this.items.push(item);
    }
    this.advance(bytes.length);
  }

  addData(width: 1 | 2 | 4 | 8, values: { expr: Expr; op: Operand }[]): void {
    const s = this.section();
    this.items.push({ kind: 'data', line: this.line, seq: this.seq, section: this.current, offset: s.size, width, values });
    this.advance(width * values.length);
  }

  // ---- symbols --------------------------------------------------------------

  /** Pass 1 (bases unknown): labels are unresolved. */
  labelValue(name: string, final: boolean): bigint | undefined {
    const l = this.labels.get(name);
    if (!l || !final) return undefined;
    return BigInt(this.bases.get(l.section)! + l.offset);
  }

  env(final: boolean, pc: number | undefined, seq: number): EvalEnv {
    return {
      pc: pc === undefined ? undefined : BigInt(pc),
      symbol: (name) => {
        const l = this.labelValue(name, final);
        if (l !== undefined) return l;
        const q = this.equs.get(name);
        if (!q) return undefined;
        if (q.value !== undefined) return q.value;
        if (!final || this.resolving.has(name)) return undefined;
        this.resolving.add(name);
        const r = evaluate(q.expr, this.env(true, undefined, seq));
        this.resolving.delete(name);
        return r.ok ? r.v : undefined;
      },
      local: (n, dir) => {
        if (!final) return undefined;
        const list = this.locals.get(String(n)) ?? [];
        const def = dir === 'b' ? [...list].reverse().find((d) => d.seq < seq) : list.find((d) => d.seq > seq);
        return def && BigInt(this.bases.get(def.section)! + def.offset);
      },
      pcrelHiOffset: (labelAddr) => this.pcrelHi.get(Number(BigInt.asUintN(32, labelAddr))),
      unresolved: (at) => {
        if (at.k === 'local') {
          return {
            col: at.col, endCol: at.endCol,
            message: `undefined local label '${at.text}'`,
            hint: at.dir === 'b' ? `no '${at.n}:' label before this line` : `no '${at.n}:' label after this line`,
          };
        }
        if (at.k === 'sym') {
          return {
            col: at.col, endCol: at.endCol,
            message: `undefined symbol '${at.name}'`,
            hint: `define the label (${at.name}:) or the constant (.equ ${at.name}, value)`,
          };
        }
        return { col: at.col, endCol: at.endCol, message: "'.' is not known here", hint: 'use a label instead of .' };
      },
    };
  }

  /** Evaluate; in pass 1 unknown symbols give 0 (only sizes matter then). */
  value(e: Expr, final: boolean, pc: number | undefined, seq: number): bigint {
    const r = evaluate(e, this.env(final, pc, seq));
    if (r.ok) return r.v;
    if (!final) return 0n;
    throw new Unresolved(r.error);
  }

  /** Evaluate an expression that must be a constant now (sizes, li, .equ at definition). */
  constant(e: Expr, why: string): bigint {
    const r = evaluate(e, this.env(false, undefined, this.seq));
    if (r.ok) return r.v;
    const err = r.error;
    if (err.message.startsWith('undefined symbol')) {
      const name = err.message.slice('undefined symbol '.length);
      throw asmError(err, `${why} needs a constant known at this point, but ${name} is not`,
        'labels are addresses: use la to load one; constants must be defined with .equ before this line');
    }
    throw err;
  }

  ctx(final: boolean, pc: number, seq: number): InsnContext {
    return {
      final,
      pc,
      value: (e, at) => this.value(e, final, at ?? pc, seq),
      constant: (e, why) => {
        if (final) return this.value(e, true, pc, seq);
        return this.constant(e, why);
      },
      warn: (w) => this.report(w),
    };
  }

  // ---- pass 2 -------------------------------------------------------------

  finish(): AsmResult {
    this.bases = layout(this.sections);
    const buffers = new Map<SectionName, Uint8Array>();
    for (const name of SECTION_ORDER) {
      if (name !== 'bss') buffers.set(name, new Uint8Array(this.sections.get(name)!.finalSize()));
    }
    // %pcrel_hi targets first, so %pcrel_lo may refer to any auipc.
    for (const it of this.items) {
      if (it.kind !== 'insn') continue;
      const e = pcrelHiExpr(it.m.text, it.ops);
      if (!e) continue;
      const addr = this.bases.get(it.section)! + it.offset;
      const r = evaluate(e, this.env(true, addr, it.seq));
      if (r.ok) this.pcrelHi.set(addr, BigInt.asIntN(32, r.v - BigInt(addr)));
    }
    const sourceMap: SourceMapEntry[] = [];
    for (const it of this.items) {
      const buf = buffers.get(it.section);
      if (it.kind === 'bytes') {
        buf!.set(it.bytes, it.offset);
        if (it.codeLine !== undefined) {
          const base = this.bases.get(it.section)!;
          for (let k = (4 - (it.offset % 4)) % 4; k + 4 <= it.bytes.length; k += 4) sourceMap.push({ addr: base + it.offset + k, line: it.codeLine });
        }
        continue;
      }
      this.line = it.line;
      if (it.kind === 'insn') this.encodeInsn(it, buf!, sourceMap);
      else this.encodeData(it, buf);
    }
    // Without relaxation GNU as pads the end of .text to its alignment with nops.
    const text = this.sections.get('text')!;
    if (!this.relax) {
      const buf = buffers.get('text')!;
      for (let off = Math.ceil(text.size / 4) * 4; off + 4 <= buf.length; off += 4) buf.set(NOP, off);
    }
    sourceMap.sort((a, b) => a.addr - b.addr);
    return { image: this.image(buffers), diagnostics: this.sortedDiagnostics(), sourceMap };
  }

  encodeInsn(it: InsnItem, buf: Uint8Array, sourceMap: SourceMapEntry[]): void {
    const addr = this.bases.get(it.section)! + it.offset;
    try {
      const ins = instructionHandler(it.m.text)!(it.ops, this.ctx(true, addr, it.seq), it.m);
      if (ins.length !== it.words) {
        throw asmError(it.m, `${it.m.text} changed size between passes (${it.words} → ${ins.length} words)`, 'a constant it uses was redefined later with .set; define it once');
      }
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      ins.forEach((i, k) => {
        view.setUint32(it.offset + 4 * k, encode(i), true);
        sourceMap.push({ addr: addr + 4 * k, line: it.line });
      });
    } catch (e) {
      this.report(e instanceof Unresolved ? e.error : (e as AsmError));
    }
  }

  encodeData(it: DataItem, buf: Uint8Array | undefined): void {
    const addr = this.bases.get(it.section)! + it.offset;
    it.values.forEach(({ expr, op }, k) => {
      try {
        const v = this.value(expr, true, addr + k * it.width, it.seq);
        const bits = BigInt(it.width * 8);
        const min = -(1n << (bits - 1n));
        const max = (1n << bits) - 1n;
        if (it.width < 8 && (v < min || v > max)) {
          this.report({ ...asmError(op, `value ${v} does not fit in ${it.width} byte${it.width > 1 ? 's' : ''}; it is truncated`, `the range is ${min}..${max}`), severity: 'warning' });
        }
        if (!buf) {
          if (v !== 0n) throw asmError(op, 'non-zero value in .bss', '.bss is zero-filled: put initialized data in .data');
          return;
        }
        let u = BigInt.asUintN(Number(bits), v);
        for (let b = 0; b < it.width; b++) {
          buf[it.offset + k * it.width + b] = Number(u & 0xffn);
          u >>= 8n;
        }
      } catch (e) {
        this.report(e instanceof Unresolved ? e.error : (e as AsmError));
      }
    });
  }

  image(buffers: Map<SectionName, Uint8Array>): ProgramImage {
    const segments: Segment[] = [];
    for (const name of SECTION_ORDER) {
      const s = this.sections.get(name)!;
      if (!s.used) continue;
      const addr = this.bases.get(name)!;
      if (name === 'bss') {
        // ld's default script ends .bss at a 4-byte boundary.
        const end = Math.ceil((addr + s.size) / 4) * 4;
        segments.push({ addr, bytes: new Uint8Array(0), zeroFill: end - addr, name: '.bss' });
      } else {
        segments.push({ addr, bytes: buffers.get(name)!, name: `.${name}` });
      }
    }
    const symbols = new Map<string, number>();
    for (const [name, l] of this.labels) {
      if (name.startsWith('.L')) continue;
      symbols.set(name, (this.bases.get(l.section)! + l.offset) >>> 0);
    }
    const entry = symbols.get('_start') ?? TEXT_BASE;
    const tohost = symbols.get('tohost');
    return tohost === undefined ? { entry, segments, symbols } : { entry, segments, symbols, tohost };
  }

  sortedDiagnostics(): Diagnostic[] {
    return [...this.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}

export function assemble(source: string, opts: AsmOptions): AsmResult {
  const a = new Assembler(opts.file);
  try {
    a.run(source);
    return a.finish();
  } catch (e) {
    // A bug of ours, not of the source: still a value, never an exception.
    a.diagnostics.push({
      severity: 'error', file: opts.file, line: a.line, column: 0, endColumn: 0,
      message: `internal assembler error: ${e instanceof Error ? e.message : String(e)}`,
      hint: 'please report this with the source file',
    });
    return { image: { entry: TEXT_BASE, segments: [], symbols: new Map() }, diagnostics: a.diagnostics, sourceMap: [] };
  }
}

/** True when the result has no error (warnings allowed). */
export function asmOk(r: AsmResult): boolean {
  return r.diagnostics.every((d) => d.severity !== 'error');
}
