/**
 * Lexer for GNU-style RISC-V assembly. Works line by line; `#` starts a
 * comment, `/* ... *\/` comments may span lines, `;` separates statements.
 * Columns are 1-based; `endCol` is one past the last character.
 */

export type TokenKind =
  | 'ident' // names, mnemonics, directives (.text), registers
  | 'num' // integer or character literal
  | 'localref' // 1b / 1f
  | 'str' // "..." (value in `bytes`)
  | 'reloc' // %hi, %lo, %pcrel_hi, %pcrel_lo
  | 'punct'; // , ( ) : + - * / % << >> & | ^ ~ ! = ;

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly col: number;
  readonly endCol: number;
  /** num: value; localref: the label number. */
  readonly value?: bigint;
  /** localref: 'b' or 'f'. */
  readonly dir?: 'b' | 'f';
  /** str: the decoded bytes. */
  readonly bytes?: readonly number[];
}

export interface LexError {
  readonly col: number;
  readonly endCol: number;
  readonly message: string;
  readonly hint: string;
}

export interface LexedLine {
  readonly tokens: Token[];
  readonly errors: LexError[];
}

const isIdentStart = (c: string): boolean => /[A-Za-z_.$@]/.test(c);
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_.$]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '\\': 92, '"': 34, "'": 39, '0': 0,
};

/**
 * Decode one escape sequence starting after the backslash at s[i].
 * Returns the byte and the index after the escape.
 */
function readEscape(s: string, i: number): { byte: number; next: number } | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  if (c === 'x' || c === 'X') {
    let j = i + 1;
    let v = 0;
    while (j < s.length && /[0-9a-fA-F]/.test(s[j]!)) v = (v * 16 + parseInt(s[j]!, 16)) & 0xff, j++;
    if (j === i + 1) return undefined;
    return { byte: v, next: j };
  }
  if (c >= '0' && c <= '7') {
    let j = i;
    let v = 0;
    while (j < s.length && j < i + 3 && s[j]! >= '0' && s[j]! <= '7') v = v * 8 + Number(s[j]), j++;
    return { byte: v & 0xff, next: j };
  }
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { byte: simple, next: i + 1 };
  return { byte: c.charCodeAt(0) & 0xff, next: i + 1 };
}

function utf8(c: string): number[] {
  const code = c.codePointAt(0)!;
  if (code < 0x80) return [code];
  if (code < 0x800) return [0xc0 | (code >> 6), 0x80 | (code & 63)];
  if (code < 0x10000) return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
  return [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
}

const PUNCT2 = ['<<', '>>', '==', '!=', '<=', '>=', '&&', '||'];
const PUNCT1 = ',():+-*/%&|^~!=;<>';

/**
 * Lex one line. `inComment` says whether the line starts inside a block
 * comment; the returned `inComment` is the state at the end of the line.
 */
export function lexLine(line: string, inComment: boolean): LexedLine & { inComment: boolean } {
  const tokens: Token[] = [];
  const errors: LexError[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (inComment) {
      const end = line.indexOf('*/', i);
      if (end < 0) return { tokens, errors, inComment: true };
      i = end + 2;
      inComment = false;
      continue;
    }
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === '/' && line[i + 1] === '*') {
      inComment = true;
      i += 2;
      continue;
    }
    const col = i + 1;
    if (c === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = line[j]!;
        if (d === '"') {
          closed = true;
          j++;
          break;
        }
        if (d === '\\') {
          const e = readEscape(line, j + 1);
          if (!e) {
            j = n;
            break;
          }
          bytes.push(e.byte);
          j = e.next;
          continue;
        }
        const cp = line.codePointAt(j)!;
        const ch = String.fromCodePoint(cp);
        bytes.push(...utf8(ch));
        j += ch.length;
      }
      if (!closed) {
        errors.push({ col, endCol: n + 1, message: 'unterminated string', hint: 'close the string with " on the same line' });
        return { tokens, errors, inComment };
      }
      tokens.push({ kind: 'str', text: line.slice(i, j), col, endCol: j + 1, bytes });
      i = j;
      continue;
    }
    if (c === "'") {
      // Character literal: 'a' or 'a (GNU accepts both), escapes allowed.
      let j = i + 1;
      let v: number;
      if (line[j] === '\\') {
        const e = readEscape(line, j + 1);
        if (!e) {
          errors.push({ col, endCol: n + 1, message: 'bad character literal', hint: "write a character constant like 'a' or '\\n'" });
          return { tokens, errors, inComment };
        }
        v = e.byte;
        j = e.next;
      } else if (j < n) {
        const cp = line.codePointAt(j)!;
        v = cp;
        j += String.fromCodePoint(cp).length;
      } else {
        errors.push({ col, endCol: n + 1, message: 'bad character literal', hint: "write a character constant like 'a' or '\\n'" });
        return { tokens, errors, inComment };
      }
      if (line[j] === "'") j++;
      tokens.push({ kind: 'num', text: line.slice(i, j), col, endCol: j + 1, value: BigInt(v) });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < n && isIdentChar(line[j]!)) j++;
      const text = line.slice(i, j);
      const local = /^([0-9]+)([bf])$/.exec(text);
      let value: bigint | undefined;
      if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = BigInt(text);
      else if (/^0[bB][01]+$/.test(text)) value = BigInt(text);
      else if (local) {
        tokens.push({ kind: 'localref', text, col, endCol: j + 1, value: BigInt(local[1]!), dir: local[2] as 'b' | 'f' });
        i = j;
        continue;
      } else if (/^0[0-7]+$/.test(text)) value = BigInt('0o' + text.slice(1));
      else if (/^[0-9]+$/.test(text)) value = BigInt(text);
      if (value === undefined) {
        errors.push({ col, endCol: j + 1, message: `bad number '${text}'`, hint: 'numbers are decimal (42), hex (0x2a), binary (0b101) or octal (052)' });
      } else {
        tokens.push({ kind: 'num', text, col, endCol: j + 1, value });
      }
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(line[j]!)) j++;
      tokens.push({ kind: 'ident', text: line.slice(i, j), col, endCol: j + 1 });
      i = j;
      continue;
    }
    if (c === '%' && /[A-Za-z_]/.test(line[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(line[j]!)) j++;
      tokens.push({ kind: 'reloc', text: line.slice(i, j), col, endCol: j + 1 });
      i = j;
      continue;
    }
    const two = line.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      tokens.push({ kind: 'punct', text: two, col, endCol: col + 2 });
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      tokens.push({ kind: 'punct', text: c, col, endCol: col + 1 });
      i++;
      continue;
    }
    errors.push({ col, endCol: col + 1, message: `unexpected character '${c}'`, hint: 'remove it, or start a comment with #' });
    i++;
  }
  return { tokens, errors, inComment };
}
