/**
 * Constant expressions with GNU as operators and precedence
 * (as manual §"Infix Operators"):
 *   highest  unary - ~ !
 *            * / % << >>
 *            | & ^ !
 *            + - == != < > <= >=
 *   lowest   && ||
 * plus the RISC-V relocation functions %hi %lo %pcrel_hi %pcrel_lo.
 * Values are 64-bit two's complement (BigInt), like GNU as on a 64-bit host.
 */
import type { Token } from './lexer';

export type RelocFn = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';

export type Expr = { readonly col: number; readonly endCol: number } & (
  | { readonly k: 'num'; readonly v: bigint }
  | { readonly k: 'sym'; readonly name: string }
  | { readonly k: 'local'; readonly n: bigint; readonly dir: 'b' | 'f'; readonly text: string }
  | { readonly k: 'dot' }
  | { readonly k: 'un'; readonly op: string; readonly e: Expr }
  | { readonly k: 'bin'; readonly op: string; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'reloc'; readonly fn: RelocFn; readonly e: Expr }
);

export interface ExprError {
  readonly col: number;
  readonly endCol: number;
  readonly message: string;
  readonly hint: string;
}

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: ExprError };

const LEVELS: readonly (readonly string[])[] = [
  ['&&', '||'],
  ['+', '-', '==', '!=', '<', '>', '<=', '>='],
  ['|', '&', '^', '!'],
  ['*', '/', '%', '<<', '>>'],
];

const RELOCS: ReadonlyMap<string, RelocFn> = new Map([
  ['%hi', 'hi'], ['%lo', 'lo'], ['%pcrel_hi', 'pcrel_hi'], ['%pcrel_lo', 'pcrel_lo'],
]);

class ExprParser {
  i = 0;
  constructor(private readonly t: readonly Token[], private readonly endCol: number) {}

  fail(message: string, hint: string, tok?: Token): never {
    const col = tok ? tok.col : this.endCol;
    throw { col, endCol: tok ? tok.endCol : col + 1, message, hint } satisfies ExprError;
  }

  peek(): Token | undefined {
    return this.t[this.i];
  }

  binary(level: number): Expr {
    if (level >= LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (;;) {
      const tok = this.peek();
      if (!tok || tok.kind !== 'punct' || !LEVELS[level]!.includes(tok.text)) return a;
      this.i++;
      const b = this.binary(level + 1);
      a = { k: 'bin', op: tok.text, a, b, col: a.col, endCol: b.endCol };
    }
  }

  unary(): Expr {
    const tok = this.peek();
    if (!tok) this.fail('missing expression', 'write a number, a symbol or an expression');
    if (tok.kind === 'punct' && (tok.text === '-' || tok.text === '~' || tok.text === '!' || tok.text === '+')) {
      this.i++;
      const e = this.unary();
      return tok.text === '+' ? e : { k: 'un', op: tok.text, e, col: tok.col, endCol: e.endCol };
    }
    return this.primary();
  }

  primary(): Expr {
    const tok = this.peek()!;
    this.i++;
    switch (tok.kind) {
      case 'num':
        return { k: 'num', v: tok.value!, col: tok.col, endCol: tok.endCol };
      case 'localref':
        return { k: 'local', n: tok.value!, dir: tok.dir!, text: tok.text, col: tok.col, endCol: tok.endCol };
      case 'ident':
        if (tok.text === '.') return { k: 'dot', col: tok.col, endCol: tok.endCol };
        return { k: 'sym', name: tok.text, col: tok.col, endCol: tok.endCol };
      case 'reloc': {
        const fn = RELOCS.get(tok.text);
        if (!fn) this.fail(`unknown relocation function '${tok.text}'`, 'use %hi, %lo, %pcrel_hi or %pcrel_lo', tok);
        const open = this.peek();
        if (!open || open.text !== '(') this.fail(`expected '(' after ${tok.text}`, `write ${tok.text}(symbol)`, open);
        this.i++;
        const e = this.binary(0);
        const close = this.peek();
        if (!close || close.text !== ')') this.fail("expected ')'", 'close the parenthesis', close);
        this.i++;
        return { k: 'reloc', fn, e, col: tok.col, endCol: close.endCol };
      }
      case 'punct':
        if (tok.text === '(') {
          const e = this.binary(0);
          const close = this.peek();
          if (!close || close.text !== ')') this.fail("expected ')'", 'close the parenthesis', close);
          this.i++;
          return e;
        }
        return this.fail(`unexpected '${tok.text}' in expression`, 'write a number, a symbol or an expression', tok);
      case 'str':
        return this.fail('a string is not allowed here', 'strings go in .ascii/.asciz/.string', tok);
    }
  }
}

/** Parse all of `tokens` as one expression. */
export function parseExpr(tokens: readonly Token[], endCol: number): ParseResult {
  const p = new ExprParser(tokens, endCol);
  try {
    if (tokens.length === 0) p.fail('missing expression', 'write a number, a symbol or an expression');
    const expr = p.binary(0);
    const extra = p.peek();
    if (extra) p.fail(`unexpected '${extra.text}' after expression`, 'separate operands with commas', extra);
    return { ok: true, expr };
  } catch (e) {
    return { ok: false, error: e as ExprError };
  }
}

/** What an expression may refer to while it is evaluated. */
export interface EvalEnv {
  /** Value of a named symbol; `undefined` if not (yet) defined. */
  symbol(name: string, at: Expr): bigint | undefined;
  /** Value of a numeric local label reference (1b/1f). */
  local(n: bigint, dir: 'b' | 'f', at: Expr): bigint | undefined;
  /** Address of the current instruction/data (`.`), and of the instruction for %pcrel_hi. */
  readonly pc: bigint | undefined;
  /** For %pcrel_lo(label): the pc-relative offset computed by the auipc at `label`. */
  pcrelHiOffset(labelAddr: bigint, at: Expr): bigint | undefined;
  /** Message when a symbol cannot be resolved (pass 1 says "not a constant"). */
  unresolved(at: Expr): ExprError;
}

export type EvalResult = { ok: true; v: bigint } | { ok: false; error: ExprError };

const I64 = (v: bigint): bigint => BigInt.asIntN(64, v);

export const hi20 = (v: bigint): bigint => ((v + 0x800n) >> 12n) & 0xfffffn;
export const lo12 = (v: bigint): bigint => BigInt.asIntN(12, v);

export function evaluate(e: Expr, env: EvalEnv): EvalResult {
  try {
    return { ok: true, v: ev(e, env) };
  } catch (err) {
    return { ok: false, error: err as ExprError };
  }
}

function ev(e: Expr, env: EvalEnv): bigint {
  switch (e.k) {
    case 'num':
      return I64(e.v);
    case 'sym': {
      const v = env.symbol(e.name, e);
      if (v === undefined) throw env.unresolved(e);
      return v;
    }
    case 'local': {
      const v = env.local(e.n, e.dir, e);
      if (v === undefined) throw env.unresolved(e);
      return v;
    }
    case 'dot':
      if (env.pc === undefined) throw env.unresolved(e);
      return env.pc;
    case 'un': {
      const v = ev(e.e, env);
      if (e.op === '-') return I64(-v);
      if (e.op === '~') return I64(~v);
      return v === 0n ? 1n : 0n;
    }
    case 'reloc': {
      const v = ev(e.e, env);
      switch (e.fn) {
        case 'hi':
          return hi20(v);
        case 'lo':
          return lo12(v);
        case 'pcrel_hi':
          if (env.pc === undefined) throw env.unresolved(e);
          return hi20(BigInt.asIntN(32, v - env.pc));
        case 'pcrel_lo': {
          const off = env.pcrelHiOffset(v, e);
          if (off === undefined) {
            throw {
              col: e.col, endCol: e.endCol,
              message: '%pcrel_lo must name the label of an auipc that uses %pcrel_hi',
              hint: 'write  1: auipc a0, %pcrel_hi(sym)  then  addi a0, a0, %pcrel_lo(1b)',
            } satisfies ExprError;
          }
          return lo12(off);
        }
      }
    }
    case 'bin':
      return evBin(e, env);
  }
}

function evBin(e: Extract<Expr, { k: 'bin' }>, env: EvalEnv): bigint {
  const a = ev(e.a, env);
  const b = ev(e.b, env);
  switch (e.op) {
    case '+': return I64(a + b);
    case '-': return I64(a - b);
    case '*': return I64(a * b);
    case '/':
    case '%':
      if (b === 0n) {
        throw { col: e.b.col, endCol: e.b.endCol, message: 'division by zero', hint: 'the divisor evaluates to 0' } satisfies ExprError;
      }
      return I64(e.op === '/' ? a / b : a % b);
    case '<<': return I64(a << (b & 63n));
    case '>>': return a >> (b & 63n);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '!': return I64(a | ~b); // GNU "or not"
    case '==': return a === b ? -1n : 0n;
    case '!=': return a !== b ? -1n : 0n;
    case '<': return a < b ? -1n : 0n;
    case '>': return a > b ? -1n : 0n;
    case '<=': return a <= b ? -1n : 0n;
    case '>=': return a >= b ? -1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
  }
  throw new Error(`unreachable operator ${e.op}`);
}

/** Does the expression mention a symbol/label (not just numbers)? */
export function mentionsSymbol(e: Expr): boolean {
  switch (e.k) {
    case 'num': return false;
    case 'sym': case 'local': case 'dot': return true;
    case 'un': case 'reloc': return mentionsSymbol(e.e);
    case 'bin': return mentionsSymbol(e.a) || mentionsSymbol(e.b);
  }
}

/** Top-level relocation function of an operand, if any. */
export function relocOf(e: Expr): RelocFn | undefined {
  return e.k === 'reloc' ? e.fn : undefined;
}
