/**
 * Instructions and GNU pseudo-instructions: operands → Instruction[].
 * Every handler is called twice: in pass 1 (`ctx.final` false) only to learn
 * how many words it produces (symbols may be unknown, range checks off), and
 * in pass 2 with every symbol known.
 */
import { CSR } from '../isa/csr';
import { type Instruction, makeInstruction } from '../isa/instruction';
import { isMnemonic, type Mnemonic, SPEC_BY_OP } from '../isa/opcodes';
import { type Expr, hi20, lo12, relocOf } from './expr';
import type { Token } from './lexer';
import {
  asmError, type AsmError, isRegister, type Operand, readCsrName, readExpr, readMemory, readRegister,
} from './operands';

export interface InsnContext {
  /** Pass 2: every symbol is known and ranges are checked. */
  readonly final: boolean;
  /** Address of the first word of this statement. */
  readonly pc: number;
  /** Value of an expression at `pc` (pass 1: unknown symbols give 0). */
  value(e: Expr, pc?: number): bigint;
  /** Value that must be known already in pass 1 (li, CSR numbers). */
  constant(e: Expr, why: string): bigint;
  warn(w: AsmError): void;
}

type Handler = (ops: readonly Operand[], ctx: InsnContext, m: Token) => Instruction[];

const I = (op: Mnemonic, f: Partial<Omit<Instruction, 'op' | 'format'>>): Instruction =>
  makeInstruction(op, SPEC_BY_OP.get(op)!.format, f);

export const USAGE: Readonly<Record<string, string>> = {
  'rd,rs1,rs2': 'rd, rs1, rs2',
  'rd,rs1,imm': 'rd, rs1, imm',
  'rd,rs1,shamt': 'rd, rs1, shamt',
  'rd,imm(rs1)': 'rd, offset(rs1)',
  'rs2,imm(rs1)': 'rs2, offset(rs1)',
  'rs1,rs2,target': 'rs1, rs2, label',
  'rd,imm20': 'rd, imm20',
  'rd,target': 'rd, label',
  'rd,csr,rs1': 'rd, csr, rs1',
  'rd,csr,uimm': 'rd, csr, uimm5',
  'pred,succ': 'pred, succ',
  '': '',
};

function arity(ops: readonly Operand[], m: Token, counts: readonly number[], usage: string): void {
  if (counts.includes(ops.length)) return;
  const at = ops.length > 0 ? { col: ops[0]!.col, endCol: ops[ops.length - 1]!.endCol } : m;
  const want = counts.length === 1 ? `${counts[0]}` : counts.join(' or ');
  throw asmError(at, `${m.text} takes ${want} operand${want === '1' ? '' : 's'}, found ${ops.length}`, `write: ${m.text} ${usage}`.trim());
}

/** Signed immediate of `bits` bits. */
function simm(ctx: InsnContext, op: Operand, bits: number, what: string, m: Token): number {
  const e = readExpr(op);
  const v = ctx.value(e);
  const lo = -(2 ** (bits - 1));
  const hi = 2 ** (bits - 1) - 1;
  if (ctx.final && (v < BigInt(lo) || v > BigInt(hi))) {
    throw asmError(op, `immediate out of range: ${v}`, `${m.text} takes a signed ${bits}-bit ${what}: ${lo}..${hi}`);
  }
  return Number(BigInt.asIntN(32, v));
}

/** Unsigned immediate 0..max. */
function uimm(ctx: InsnContext, op: Operand, max: number, what: string, m: Token): number {
  const e = readExpr(op);
  const v = ctx.value(e);
  if (ctx.final && (v < 0n || v > BigInt(max))) {
    throw asmError(op, `immediate out of range: ${v}`, `${m.text} takes ${what}: 0..${max}`);
  }
  return Number(v & BigInt(max));
}

/** pc-relative offset to a label (B: 13-bit, J: 21-bit signed, even). */
function target(ctx: InsnContext, op: Operand, bits: number, m: Token, pc = ctx.pc): number {
  const e = readExpr(op);
  const dest = ctx.value(e, pc);
  const off = BigInt.asIntN(32, dest - BigInt(pc));
  if (ctx.final) {
    const lo = -(2 ** (bits - 1));
    const hi = 2 ** (bits - 1) - 2;
    if (off < BigInt(lo) || off > BigInt(hi)) {
      const kb = bits === 13 ? '±4 KiB' : '±1 MiB';
      throw asmError(op, `branch target out of range: offset ${off}`,
        bits === 13
          ? `a branch reaches ${kb} (${lo}..${hi}); branch over a 'j' (inverted condition) instead`
          : `jal reaches ${kb} (${lo}..${hi}); use 'call' or 'tail' (auipc+jalr) instead`);
    }
    if (off & 1n) throw asmError(op, `branch target is not 2-byte aligned: offset ${off}`, 'branch targets must be instruction addresses');
  }
  return Number(off);
}

function csrOperand(ctx: InsnContext, op: Operand): number {
  const named = readCsrName(op);
  if (named !== undefined) return named;
  if (op.tokens.length === 1 && op.tokens[0]!.kind === 'ident' && !isRegister(op)) {
    // A plain name that is neither a CSR nor an .equ constant.
    const t = op.tokens[0]!;
    const e = readExpr(op);
    let v: bigint;
    try {
      v = ctx.constant(e, 'a CSR');
    } catch {
      throw asmError(op, `unknown CSR '${t.text}'`, 'use a CSR name such as mstatus, mepc, mcause, cycle, mhostid or a number 0..0xfff');
    }
    return Number(v & 0xfffn);
  }
  const v = ctx.constant(readExpr(op), 'a CSR number');
  if (v < 0n || v > 0xfffn) throw asmError(op, `CSR number out of range: ${v}`, 'CSR numbers are 12-bit: 0..0xfff (4095)');
  return Number(v);
}

function fenceSet(op: Operand): number {
  const t = op.tokens[0]!;
  const bad = (): never => {
    throw asmError(op, `bad fence operand '${op.tokens.map((x) => x.text).join('')}'`, 'write a non-empty subset of i, o, r, w in that order, e.g. rw or iorw');
  };
  if (op.tokens.length !== 1 || t.kind !== 'ident' || !/^i?o?r?w?$/.test(t.text) || t.text === '') bad();
  let v = 0;
  if (t.text.includes('i')) v |= 8;
  if (t.text.includes('o')) v |= 4;
  if (t.text.includes('r')) v |= 2;
  if (t.text.includes('w')) v |= 1;
  return v;
}

/** Handler for a real instruction, from its syntax in the op table. */
function real(op: Mnemonic): Handler {
  const s = SPEC_BY_OP.get(op)!;
  const usage = USAGE[s.syntax]!;
  return (ops, ctx, m) => {
    switch (s.syntax) {
      case 'rd,rs1,rs2':
        arity(ops, m, [3], usage);
        return [I(op, { rd: readRegister(ops[0]!), rs1: readRegister(ops[1]!), rs2: readRegister(ops[2]!) })];
      case 'rd,rs1,imm':
        arity(ops, m, [3], usage);
        return [I(op, { rd: readRegister(ops[0]!), rs1: readRegister(ops[1]!), imm: simm(ctx, ops[2]!, 12, 'immediate', m) })];
      case 'rd,rs1,shamt':
        arity(ops, m, [3], usage);
        return [I(op, { rd: readRegister(ops[0]!), rs1: readRegister(ops[1]!), imm: uimm(ctx, ops[2]!, 31, 'a shift amount', m) })];
      case 'rd,imm(rs1)':
      case 'rs2,imm(rs1)': {
        const isStore = s.syntax === 'rs2,imm(rs1)';
        arity(ops, m, isStore ? [2, 3] : [2], usage);
        const r = readRegister(ops[0]!);
        const mem = readMemory(ops[1]!);
        if (!mem) return loadStoreSymbol(op, isStore, r, ops, ctx, m);
        if (ops.length !== 2) arity(ops, m, [2], usage);
        const imm = mem.offset ? offset12(ctx, ops[1]!, mem.offset, m) : 0;
        return [isStore ? I(op, { rs2: r, rs1: mem.base, imm }) : I(op, { rd: r, rs1: mem.base, imm })];
      }
      case 'rs1,rs2,target':
        arity(ops, m, [3], usage);
        return [I(op, { rs1: readRegister(ops[0]!), rs2: readRegister(ops[1]!), imm: target(ctx, ops[2]!, 13, m) })];
      case 'rd,imm20': {
        arity(ops, m, [2], usage);
        const rd = readRegister(ops[0]!);
        const v = uimm(ctx, ops[1]!, 0xfffff, 'a 20-bit upper immediate', m);
        return [I(op, { rd, imm: (v << 12) | 0 })];
      }
      case 'rd,target':
        arity(ops, m, [1, 2], usage);
        if (ops.length === 1) return [I('jal', { rd: 1, imm: target(ctx, ops[0]!, 21, m) })];
        return [I('jal', { rd: readRegister(ops[0]!), imm: target(ctx, ops[1]!, 21, m) })];
      case 'rd,csr,rs1':
      case 'rd,csr,uimm': {
        arity(ops, m, [3], usage);
        const rd = readRegister(ops[0]!);
        const csr = csrOperand(ctx, ops[1]!);
        if (isRegister(ops[2]!)) {
          if (s.syntax === 'rd,csr,uimm') readExpr(ops[2]!); // throws the "expected an immediate" error
          return [I(op, { rd, csr, rs1: readRegister(ops[2]!) })];
        }
        // GNU accepts csrrw rd, csr, imm as csrrwi (and s/c likewise).
        const iop = (s.syntax === 'rd,csr,uimm' ? op : `${op}i`) as Mnemonic;
        const u = uimm(ctx, ops[2]!, 31, 'a 5-bit unsigned immediate', m);
        return [I(iop, { rd, csr, rs1: u, imm: u })];
      }
      case 'pred,succ':
        arity(ops, m, [0, 2], 'pred, succ   (or no operands for iorw, iorw)');
        if (ops.length === 0) return [I('fence', { imm: 0xff })];
        return [I('fence', { imm: (fenceSet(ops[0]!) << 4) | fenceSet(ops[1]!) })];
      case '':
        arity(ops, m, [0], '');
        return [I(op, {})];
    }
  };
}

/** Load/store offset: signed 12 bits (usually %lo(...) or a small number). */
function offset12(ctx: InsnContext, op: Operand, e: Expr, m: Token): number {
  const v = ctx.value(e);
  if (ctx.final && (v < -2048n || v > 2047n)) {
    throw asmError(op, `offset out of range: ${v}`, `${m.text} takes a signed 12-bit offset: -2048..2047`);
  }
  return Number(BigInt.asIntN(32, v));
}

/** `lw rd, symbol` and `sw rs, symbol, rt`: auipc + load/store, pc-relative. */
function loadStoreSymbol(op: Mnemonic, isStore: boolean, r: number, ops: readonly Operand[], ctx: InsnContext, m: Token): Instruction[] {
  if (isStore && ops.length !== 3) {
    throw asmError(ops[1]!, `${m.text} to a symbol needs a temporary register`, `write: ${m.text} rs2, offset(rs1)  or  ${m.text} rs2, symbol, rt`);
  }
  const e = readExpr(ops[1]!);
  const tmp = isStore ? readRegister(ops[2]!) : r;
  const off = pcrel(ctx, e);
  const hi = Number(hi20(off));
  const lo = Number(lo12(off));
  return [
    I('auipc', { rd: tmp, imm: (hi << 12) | 0 }),
    isStore ? I(op, { rs2: r, rs1: tmp, imm: lo }) : I(op, { rd: r, rs1: tmp, imm: lo }),
  ];
}

/** Offset from this statement's pc to the value of `e`, as a signed 32-bit BigInt. */
function pcrel(ctx: InsnContext, e: Expr): bigint {
  return BigInt.asIntN(32, ctx.value(e) - BigInt(ctx.pc));
}

/** GNU `li` for RV32 (binutils riscv_build_li / load_const). */
export function expandLi(rd: number, value: bigint): Instruction[] {
  const v = BigInt.asIntN(32, value);
  if (v >= -2048n && v <= 2047n) return [I('addi', { rd, rs1: 0, imm: Number(v) })];
  const hi = Number(hi20(v));
  const lo = Number(lo12(v));
  const out = [I('lui', { rd, imm: (hi << 12) | 0 })];
  if (lo !== 0) out.push(I('addi', { rd, rs1: rd, imm: lo }));
  return out;
}

function li(ops: readonly Operand[], ctx: InsnContext, m: Token): Instruction[] {
  arity(ops, m, [2], 'rd, imm');
  const rd = readRegister(ops[0]!);
  const e = readExpr(ops[1]!);
  const v = ctx.constant(e, 'li');
  if (!ctx.final && (v < -(2n ** 31n) || v > 2n ** 32n - 1n)) {
    ctx.warn({ ...asmError(ops[1]!, `li value ${v} does not fit in 32 bits; it is truncated`, 'RV32 registers are 32-bit: use a value in -2^31..2^32-1'), severity: 'warning' });
  }
  return expandLi(rd, v);
}

function la(ops: readonly Operand[], ctx: InsnContext, m: Token): Instruction[] {
  arity(ops, m, [2], 'rd, symbol');
  const rd = readRegister(ops[0]!);
  const off = pcrel(ctx, readExpr(ops[1]!));
  return [I('auipc', { rd, imm: (Number(hi20(off)) << 12) | 0 }), I('addi', { rd, rs1: rd, imm: Number(lo12(off)) })];
}

function callLike(link: number, tmp: number | undefined): Handler {
  return (ops, ctx, m) => {
    let rd = link;
    let t = tmp ?? link;
    let symOp = ops[0];
    if (tmp === undefined && ops.length === 2) {
      // GNU `call rd, symbol` links rd but keeps t1 as the auipc temporary.
      rd = readRegister(ops[0]!);
      t = 6;
      symOp = ops[1];
    } else {
      arity(ops, m, [1], 'symbol');
    }
    const off = pcrel(ctx, readExpr(symOp!));
    return [I('auipc', { rd: t, imm: (Number(hi20(off)) << 12) | 0 }), I('jalr', { rd, rs1: t, imm: Number(lo12(off)) })];
  };
}

/** Two-register pseudo: `name rd, rs` → one instruction. */
const rr = (make: (rd: number, rs: number) => Instruction): Handler => (ops, _ctx, m) => {
  arity(ops, m, [2], 'rd, rs');
  return [make(readRegister(ops[0]!), readRegister(ops[1]!))];
};

/** Branch against zero: `name rs, label`. */
const bz = (op: Mnemonic, rsFirst: boolean): Handler => (ops, ctx, m) => {
  arity(ops, m, [2], 'rs, label');
  const rs = readRegister(ops[0]!);
  const imm = target(ctx, ops[1]!, 13, m);
  return [rsFirst ? I(op, { rs1: rs, rs2: 0, imm }) : I(op, { rs1: 0, rs2: rs, imm })];
};

/** Swapped branch: `bgt a, b, l` = `blt b, a, l`. */
const bswap = (op: Mnemonic): Handler => (ops, ctx, m) => {
  arity(ops, m, [3], 'rs1, rs2, label');
  return [I(op, { rs1: readRegister(ops[1]!), rs2: readRegister(ops[0]!), imm: target(ctx, ops[2]!, 13, m) })];
};

/** R-type mnemonic with an immediate third operand → its I-type twin (GNU `add a0, a0, 1`). */
const rOrI = (rop: Mnemonic, iop: Mnemonic): Handler => {
  const r = real(rop);
  const i = real(iop);
  return (ops, ctx, m) => (ops.length === 3 && !looksLikeRegister(ops[2]!) ? i(ops, ctx, m) : r(ops, ctx, m));
};

/** A register, or a misspelt one (x32, a9): report it as a bad register, not an unknown symbol. */
function looksLikeRegister(op: Operand): boolean {
  const t = op.tokens[0]!;
  return isRegister(op) || (op.tokens.length === 1 && t.kind === 'ident' && /^(x\d+|[ast]\d+|zero|ra|sp|gp|tp|fp)$/i.test(t.text));
}

/** csrr-family pseudo on CSR `csr` (counters: rdcycle rd). */
const readCounter = (csr: number): Handler => (ops, _ctx, m) => {
  arity(ops, m, [1], 'rd');
  return [I('csrrs', { rd: readRegister(ops[0]!), csr, rs1: 0 })];
};

/** csrw/csrs/csrc csr, rs|imm  and  csrwi/csrsi/csrci csr, imm. */
const csrWrite = (regOp: Mnemonic, immOp: Mnemonic, immOnly: boolean): Handler => (ops, ctx, m) => {
  arity(ops, m, [2], immOnly ? 'csr, uimm5' : 'csr, rs');
  const csr = csrOperand(ctx, ops[0]!);
  if (!immOnly && isRegister(ops[1]!)) return [I(regOp, { rd: 0, csr, rs1: readRegister(ops[1]!) })];
  const u = uimm(ctx, ops[1]!, 31, 'a 5-bit unsigned immediate', m);
  return [I(immOp, { rd: 0, csr, rs1: u, imm: u })];
};

function jalr(ops: readonly Operand[], ctx: InsnContext, m: Token): Instruction[] {
  arity(ops, m, [1, 2, 3], 'rd, offset(rs1)');
  if (ops.length === 1) {
    const mem = readMemory(ops[0]!);
    if (mem) return [I('jalr', { rd: 1, rs1: mem.base, imm: mem.offset ? offset12(ctx, ops[0]!, mem.offset, m) : 0 })];
    return [I('jalr', { rd: 1, rs1: readRegister(ops[0]!), imm: 0 })];
  }
  const rd = readRegister(ops[0]!);
  if (ops.length === 3) {
    return [I('jalr', { rd, rs1: readRegister(ops[1]!), imm: simm(ctx, ops[2]!, 12, 'offset', m) })];
  }
  const mem = readMemory(ops[1]!);
  if (mem) return [I('jalr', { rd, rs1: mem.base, imm: mem.offset ? offset12(ctx, ops[1]!, mem.offset, m) : 0 })];
  return [I('jalr', { rd, rs1: readRegister(ops[1]!), imm: 0 })];
}

function jr(ops: readonly Operand[], ctx: InsnContext, m: Token): Instruction[] {
  arity(ops, m, [1, 2], 'rs  or  jr offset(rs)');
  if (ops.length === 2) return [I('jalr', { rd: 0, rs1: readRegister(ops[0]!), imm: simm(ctx, ops[1]!, 12, 'offset', m) })];
  const mem = readMemory(ops[0]!);
  if (mem) return [I('jalr', { rd: 0, rs1: mem.base, imm: mem.offset ? offset12(ctx, ops[0]!, mem.offset, m) : 0 })];
  return [I('jalr', { rd: 0, rs1: readRegister(ops[0]!), imm: 0 })];
}

const none = (ins: Instruction): Handler => (ops, _ctx, m) => {
  arity(ops, m, [0], '');
  return [ins];
};

const HANDLERS = new Map<string, Handler>();
for (const s of SPEC_BY_OP.values()) HANDLERS.set(s.op, real(s.op));
const PSEUDO: Record<string, Handler> = {
  nop: none(I('addi', {})),
  li,
  la,
  lla: la,
  mv: rr((rd, rs) => I('addi', { rd, rs1: rs, imm: 0 })),
  not: rr((rd, rs) => I('xori', { rd, rs1: rs, imm: -1 })),
  neg: rr((rd, rs) => I('sub', { rd, rs1: 0, rs2: rs })),
  seqz: rr((rd, rs) => I('sltiu', { rd, rs1: rs, imm: 1 })),
  snez: rr((rd, rs) => I('sltu', { rd, rs1: 0, rs2: rs })),
  sltz: rr((rd, rs) => I('slt', { rd, rs1: rs, rs2: 0 })),
  sgtz: rr((rd, rs) => I('slt', { rd, rs1: 0, rs2: rs })),
  'zext.b': rr((rd, rs) => I('andi', { rd, rs1: rs, imm: 255 })),
  sgt: (ops, _c, m) => (arity(ops, m, [3], 'rd, rs1, rs2'), [I('slt', { rd: readRegister(ops[0]!), rs1: readRegister(ops[2]!), rs2: readRegister(ops[1]!) })]),
  sgtu: (ops, _c, m) => (arity(ops, m, [3], 'rd, rs1, rs2'), [I('sltu', { rd: readRegister(ops[0]!), rs1: readRegister(ops[2]!), rs2: readRegister(ops[1]!) })]),
  j: (ops, ctx, m) => (arity(ops, m, [1], 'label'), [I('jal', { rd: 0, imm: target(ctx, ops[0]!, 21, m) })]),
  jr,
  jalr,
  ret: none(I('jalr', { rd: 0, rs1: 1, imm: 0 })),
  call: callLike(1, undefined),
  tail: callLike(0, 6),
  beqz: bz('beq', true),
  bnez: bz('bne', true),
  blez: bz('bge', false),
  bgez: bz('bge', true),
  bltz: bz('blt', true),
  bgtz: bz('blt', false),
  bgt: bswap('blt'),
  ble: bswap('bge'),
  bgtu: bswap('bltu'),
  bleu: bswap('bgeu'),
  add: rOrI('add', 'addi'),
  and: rOrI('and', 'andi'),
  or: rOrI('or', 'ori'),
  xor: rOrI('xor', 'xori'),
  sll: rOrI('sll', 'slli'),
  srl: rOrI('srl', 'srli'),
  sra: rOrI('sra', 'srai'),
  slt: rOrI('slt', 'slti'),
  sltu: rOrI('sltu', 'sltiu'),
  csrr: (ops, ctx, m) => (arity(ops, m, [2], 'rd, csr'), [I('csrrs', { rd: readRegister(ops[0]!), csr: csrOperand(ctx, ops[1]!), rs1: 0 })]),
  csrw: csrWrite('csrrw', 'csrrwi', false),
  csrs: csrWrite('csrrs', 'csrrsi', false),
  csrc: csrWrite('csrrc', 'csrrci', false),
  csrwi: csrWrite('csrrw', 'csrrwi', true),
  csrsi: csrWrite('csrrs', 'csrrsi', true),
  csrci: csrWrite('csrrc', 'csrrci', true),
  rdcycle: readCounter(CSR.cycle),
  rdtime: readCounter(CSR.time),
  rdinstret: readCounter(CSR.instret),
  rdcycleh: readCounter(CSR.cycleh),
  rdtimeh: readCounter(CSR.timeh),
  rdinstreth: readCounter(CSR.instreth),
  unimp: none(I('csrrw', { rd: 0, csr: CSR.cycle, rs1: 0 })),
  scall: none(I('ecall', {})),
  sbreak: none(I('ebreak', {})),
};
for (const [k, v] of Object.entries(PSEUDO)) HANDLERS.set(k, v);

export const PSEUDO_MNEMONICS: readonly string[] = Object.keys(PSEUDO).filter((k) => !isMnemonic(k));
export const ALL_MNEMONICS: readonly string[] = [...HANDLERS.keys()];

export function instructionHandler(mnemonic: string): Handler | undefined {
  return HANDLERS.get(mnemonic);
}

/** The known mnemonic closest to `name` (for "did you mean"), if reasonably close. */
export function suggestMnemonic(name: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const m of HANDLERS.keys()) {
    const d = editDistance(name.toLowerCase(), m);
    if (d < bestD) {
      bestD = d;
      best = m;
    }
  }
  return bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** For %pcrel_lo: the auipc at this statement, if its immediate is %pcrel_hi(expr). */
export function pcrelHiExpr(mnemonic: string, ops: readonly Operand[]): Expr | undefined {
  if (mnemonic !== 'auipc' || ops.length !== 2) return undefined;
  try {
    const e = readExpr(ops[1]!);
    return relocOf(e) === 'pcrel_hi' && e.k === 'reloc' ? e.e : undefined;
  } catch {
    return undefined;
  }
}
