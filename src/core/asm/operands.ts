/**
 * Operands of one statement: splitting at top-level commas, and the readers
 * an instruction uses (register, expression, memory `imm(reg)`, CSR).
 * Readers throw an AsmError (a plain value, caught per statement by the
 * assembler and turned into a Diagnostic).
 */
import { csrNumber } from '../isa/csr';
import { parseRegister } from '../isa/registers';
import { type Expr, parseExpr } from './expr';
import type { Token } from './lexer';

export interface AsmError {
  readonly col: number;
  readonly endCol: number;
  readonly message: string;
  readonly hint: string;
  readonly severity?: 'error' | 'warning';
}

export interface Operand {
  readonly tokens: readonly Token[];
  readonly col: number;
  readonly endCol: number;
}

export function asmError(at: { col: number; endCol: number }, message: string, hint: string): AsmError {
  return { col: at.col, endCol: at.endCol, message, hint };
}

export const REGISTER_HINT = 'registers are x0–x31 or ABI names: zero ra sp gp tp t0–t6 s0–s11 (fp) a0–a7';

/** Split tokens at commas outside parentheses. An empty operand is an error. */
export function splitOperands(tokens: readonly Token[], afterCol: number): Operand[] {
  const ops: Operand[] = [];
  if (tokens.length === 0) return ops;
  let depth = 0;
  let cur: Token[] = [];
  let startCol = afterCol;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    if (t.kind === 'punct' && t.text === ',' && depth === 0) {
      if (cur.length === 0) throw asmError(t, 'missing operand before comma', 'remove the extra comma or add the operand');
      ops.push({ tokens: cur, col: cur[0]!.col, endCol: cur[cur.length - 1]!.endCol });
      cur = [];
      startCol = t.endCol;
      continue;
    }
    cur.push(t);
  }
  if (cur.length === 0) throw asmError({ col: startCol, endCol: startCol + 1 }, 'missing operand after comma', 'remove the trailing comma or add the operand');
  ops.push({ tokens: cur, col: cur[0]!.col, endCol: cur[cur.length - 1]!.endCol });
  return ops;
}

export function isRegister(op: Operand): boolean {
  return op.tokens.length === 1 && op.tokens[0]!.kind === 'ident' && parseRegister(op.tokens[0]!.text) !== undefined;
}

export function readRegister(op: Operand): number {
  const t = op.tokens[0]!;
  if (op.tokens.length === 1 && t.kind === 'ident') {
    const r = parseRegister(t.text);
    if (r !== undefined) return r;
    const lower = parseRegister(t.text.toLowerCase());
    if (lower !== undefined) {
      throw asmError(op, `bad register '${t.text}'`, `register names are lower case: write '${t.text.toLowerCase()}'`);
    }
    throw asmError(op, `bad register '${t.text}'`, REGISTER_HINT);
  }
  const text = op.tokens.map((x) => x.text).join('');
  throw asmError(op, `expected a register, found '${text}'`, REGISTER_HINT);
}

export function readExpr(op: Operand): Expr {
  if (isRegister(op)) {
    throw asmError(op, `expected an immediate or a symbol, found register '${op.tokens[0]!.text}'`, 'this operand is a number, a label or an expression');
  }
  const r = parseExpr(op.tokens, op.endCol);
  if (!r.ok) throw r.error;
  return r.expr;
}

/** `imm(reg)`, `(reg)` or `%lo(sym)(reg)`. Returns undefined if the operand has no `(reg)` suffix. */
export function readMemory(op: Operand): { base: number; offset: Expr | undefined } | undefined {
  const t = op.tokens;
  const n = t.length;
  if (n < 3 || t[n - 1]!.text !== ')' || t[n - 3]!.text !== '(' || t[n - 2]!.kind !== 'ident') return undefined;
  const regTok = t[n - 2]!;
  if (parseRegister(regTok.text) === undefined) {
    // `(sym)` alone is an expression; `x(sym)` with a non-register is an error.
    if (n === 3) return undefined;
    throw asmError(regTok, `bad base register '${regTok.text}'`, REGISTER_HINT);
  }
  const base = parseRegister(regTok.text)!;
  if (n === 3) return { base, offset: undefined };
  const offTokens = t.slice(0, n - 3);
  const r = parseExpr(offTokens, t[n - 3]!.col);
  if (!r.ok) throw r.error;
  return { base, offset: r.expr };
}

/** A CSR operand: a name from the CSR table or an expression (the number). */
export function readCsrName(op: Operand): number | undefined {
  const t = op.tokens[0]!;
  if (op.tokens.length === 1 && t.kind === 'ident') return csrNumber(t.text);
  return undefined;
}
