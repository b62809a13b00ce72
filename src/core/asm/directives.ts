/**
 * Assembler directives (GNU as syntax). Each runs in pass 1: it switches
 * sections, defines constants, or reserves/emits bytes. Values in data
 * directives may use labels; they are evaluated in pass 2.
 */
import type { Expr } from './expr';
import type { Token } from './lexer';
import { asmError, type AsmError, type Operand, readExpr } from './operands';
import { alignUp, type Section, type SectionName, sectionFromName } from './sections';

/** What a directive may do to the assembler. */
export interface DirectiveHost {
  current: SectionName;
  ended: boolean;
  /** Linker relaxation (.option relax/norelax): changes how GNU as pads .align in code. */
  relax: boolean;
  readonly relaxStack: boolean[];
  readonly line: number;
  readonly equs: Map<string, { value?: bigint; expr: Expr; line: number }>;
  readonly labels: ReadonlyMap<string, { line: number }>;
  readonly globals: Set<string>;
  section(): Section;
  advance(bytes: number): void;
  addBytes(bytes: Uint8Array, code?: boolean): void;
  addData(width: 1 | 2 | 4 | 8, values: { expr: Expr; op: Operand }[]): void;
  constant(e: Expr, why: string): bigint;
  report(e: AsmError): void;
}

type Handler = (h: DirectiveHost, head: Token, ops: readonly Operand[]) => void;

const NOP = Uint8Array.of(0x13, 0x00, 0x00, 0x00);

function want(head: Token, ops: readonly Operand[], min: number, max: number, usage: string): void {
  if (ops.length >= min && ops.length <= max) return;
  throw asmError(ops.length > 0 ? { col: ops[0]!.col, endCol: ops[ops.length - 1]!.endCol } : head,
    `${head.text} takes ${min === max ? min : `${min} to ${max}`} operand${max === 1 ? '' : 's'}, found ${ops.length}`, `write: ${head.text} ${usage}`);
}

function symbolName(op: Operand): string {
  const t = op.tokens[0]!;
  if (op.tokens.length !== 1 || t.kind !== 'ident') throw asmError(op, 'expected a symbol name', 'symbol names are letters, digits, _ . $ (not starting with a digit)');
  return t.text;
}

const data = (width: 1 | 2 | 4 | 8): Handler => (h, head, ops) => {
  want(head, ops, 1, Infinity, 'value, value, ...');
  h.addData(width, ops.map((op) => ({ expr: readExpr(op), op })));
};

const strings = (zero: boolean): Handler => (h, head, ops) => {
  want(head, ops, 1, Infinity, '"text", ...');
  if (h.current === 'bss') throw asmError(head, `${head.text} in .bss`, '.bss is zero-filled: put strings in .data or .rodata');
  for (const op of ops) {
    const t = op.tokens[0]!;
    if (op.tokens.length !== 1 || t.kind !== 'str') throw asmError(op, `${head.text} expects a string in double quotes`, `write: ${head.text} "hello\\n"`);
    const bytes = [...t.bytes!];
    if (zero) bytes.push(0);
    h.addBytes(Uint8Array.from(bytes));
  }
};

function space(h: DirectiveHost, head: Token, ops: readonly Operand[]): void {
  want(head, ops, 1, 2, 'size[, fill]');
  const size = h.constant(readExpr(ops[0]!), head.text);
  if (size < 0n || size > 0x1000000n) throw asmError(ops[0]!, `${head.text} size out of range: ${size}`, 'the size is 0..16 MiB');
  const fill = ops[1] ? Number(BigInt.asUintN(8, h.constant(readExpr(ops[1]), `${head.text} fill`))) : 0;
  if (h.current === 'bss') {
    if (fill !== 0) throw asmError(ops[1]!, 'non-zero fill in .bss', '.bss is zero-filled');
    h.advance(Number(size));
    return;
  }
  h.addBytes(new Uint8Array(Number(size)).fill(fill));
}

/** .align/.p2align n (power of two) or .balign n (bytes). */
const align = (powerOfTwo: boolean): Handler => (h, head, ops) => {
  want(head, ops, 1, 3, powerOfTwo ? 'log2(bytes)[, fill[, max]]' : 'bytes[, fill[, max]]');
  const n = h.constant(readExpr(ops[0]!), head.text);
  let bytes: number;
  if (powerOfTwo) {
    if (n < 0n || n > 16n) throw asmError(ops[0]!, `alignment out of range: ${n}`, `${head.text} takes a power of two exponent 0..16 (.align 2 = 4 bytes)`);
    bytes = 2 ** Number(n);
  } else {
    if (n <= 0n || n > 65536n || (n & (n - 1n)) !== 0n) {
      throw asmError(ops[0]!, `alignment must be a power of two: ${n}`, `${head.text} takes a byte count 1, 2, 4, 8, ... 65536`);
    }
    bytes = Number(n);
  }
  const fillOp = ops[1] && ops[1].tokens.length > 0 ? ops[1] : undefined;
  const fill = fillOp ? Number(BigInt.asUintN(8, h.constant(readExpr(fillOp), `${head.text} fill`))) : undefined;
  const max = ops[2] ? Number(h.constant(readExpr(ops[2]), `${head.text} max`)) : Infinity;
  const s = h.section();
  const pad = alignUp(s.size, bytes) - s.size;
  if (pad > max) return;
  s.align = Math.max(s.align, bytes);
  if (h.current === 'bss') {
    h.advance(pad);
    return;
  }
  if (h.current === 'text' && fill === undefined) {
    // Code: pad with zero bytes to a 4-byte boundary, then nops.
    const zeros = (4 - (s.size % 4)) % 4;
    const out = new Uint8Array(pad);
    for (let i = zeros; i + 4 <= pad; i += 4) out.set(NOP, i);
    h.addBytes(out, true);
    // GNU as (relaxation on) emits 2^n − 4 bytes worst case; ld removes the surplus.
    const worst = h.relax && bytes > 4 ? bytes - 4 : pad;
    s.gasSize += worst - pad;
    return;
  }
  h.addBytes(new Uint8Array(pad).fill(fill ?? 0));
};

function setSection(name: SectionName): Handler {
  return (h, head, ops) => {
    want(head, ops, 0, 1, '');
    h.current = name;
  };
}

function section(h: DirectiveHost, head: Token, ops: readonly Operand[]): void {
  want(head, ops, 1, 4, 'name[, "flags"[, @type]]');
  const nameTok = ops[0]!;
  const name = nameTok.tokens.map((t) => t.text).join('');
  const s = sectionFromName(name);
  if (!s) throw asmError(nameTok, `unsupported section '${name}'`, 'use .text, .rodata, .data or .bss (or .text.*, .data.*, ...)');
  h.current = s;
}

function equ(h: DirectiveHost, head: Token, ops: readonly Operand[]): void {
  want(head, ops, 2, 2, 'name, value');
  const name = symbolName(ops[0]!);
  const expr = readExpr(ops[1]!);
  const label = h.labels.get(name);
  if (label) throw asmError(ops[0]!, `'${name}' is already a label (line ${label.line})`, 'a name is either a label or a constant; rename one');
  const prev = h.equs.get(name);
  if (prev && head.text === '.equ') {
    throw asmError(ops[0]!, `duplicate constant '${name}'`, `'${name}' is already defined on line ${prev.line}; use .set to redefine it`);
  }
  let value: bigint | undefined;
  try {
    value = h.constant(expr, head.text);
  } catch {
    value = undefined; // refers to labels or later constants: resolved in pass 2
  }
  h.equs.set(name, value === undefined ? { expr, line: h.line } : { value, expr, line: h.line });
}

function option(h: DirectiveHost, head: Token, ops: readonly Operand[]): void {
  want(head, ops, 1, 2, 'norelax | relax | nopic | pic | push | pop | norvc');
  const t = ops[0]!.tokens.map((x) => x.text).join('');
  if (t === 'rvc') throw asmError(ops[0]!, 'compressed instructions (C extension) are not supported', 'FT Lab runs RV32IM with Zicsr/Zifencei: remove .option rvc');
  if (t === 'arch') {
    const arg = ops.slice(1).map((o) => o.tokens.map((x) => x.text).join('')).join(',');
    if (/c/.test(arg.replace(/zicsr|zifencei/g, '')) && /^\+/.test(arg)) {
      throw asmError(ops[0]!, 'compressed instructions (C extension) are not supported', 'FT Lab runs RV32IM with Zicsr/Zifencei');
    }
    return;
  }
  if (t === 'relax' || t === 'norelax') h.relax = t === 'relax';
  if (t === 'push') h.relaxStack.push(h.relax);
  if (t === 'pop') h.relax = h.relaxStack.pop() ?? h.relax;
  if (!['norelax', 'relax', 'nopic', 'pic', 'push', 'pop', 'norvc', 'csr-check', 'no-csr-check'].includes(t)) {
    throw asmError(ops[0]!, `unknown .option '${t}'`, 'use norelax, relax, nopic, pic, push, pop or norvc');
  }
}

function globl(h: DirectiveHost, head: Token, ops: readonly Operand[]): void {
  want(head, ops, 1, Infinity, 'symbol, ...');
  for (const op of ops) h.globals.add(symbolName(op));
}

const ignore: Handler = () => undefined;

const DIRECTIVES: Readonly<Record<string, Handler>> = {
  '.text': setSection('text'),
  '.data': setSection('data'),
  '.bss': setSection('bss'),
  '.rodata': setSection('rodata'),
  '.section': section,
  '.globl': globl,
  '.global': globl,
  '.local': globl,
  '.weak': globl,
  '.equ': equ,
  '.set': equ,
  '.word': data(4),
  '.long': data(4),
  '.4byte': data(4),
  '.half': data(2),
  '.short': data(2),
  '.2byte': data(2),
  '.byte': data(1),
  '.dword': data(8),
  '.8byte': data(8),
  '.quad': data(8),
  '.ascii': strings(false),
  '.asciz': strings(true),
  '.string': strings(true),
  '.space': space,
  '.skip': space,
  '.zero': space,
  '.align': align(true),
  '.p2align': align(true),
  '.balign': align(false),
  '.option': option,
  '.type': ignore,
  '.size': ignore,
  '.file': ignore,
  '.ident': ignore,
  '.attribute': ignore,
  '.end': (h) => {
    h.ended = true;
  },
};

export function isDirective(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(DIRECTIVES, name) || name.startsWith('.cfi_');
}

export const DIRECTIVE_NAMES: readonly string[] = Object.keys(DIRECTIVES);

export function directive(h: DirectiveHost, name: string, head: Token, ops: readonly Operand[]): void {
  if (name.startsWith('.cfi_')) return;
  DIRECTIVES[name]!(h, head, ops);
}
