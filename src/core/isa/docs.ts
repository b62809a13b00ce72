/**
 * One-line documentation of every instruction, pseudo-instruction and CSR,
 * for the editor's hover and completion. `format` is the encoding format of
 * the instruction (for a pseudo-instruction: of what it expands to).
 */
import type { Format } from './fields';

export interface InstructionDoc {
  readonly syntax: string;
  readonly format: Format;
  readonly summary: string;
  /** For pseudo-instructions: what the assembler emits. */
  readonly expands?: string;
  readonly extension: 'I' | 'M' | 'Zicsr' | 'Zifencei' | 'pseudo';
}

export interface CsrDoc {
  readonly number: number;
  readonly summary: string;
  readonly readOnly: boolean;
  /** Why a read of it is non-deterministic (an input FT must log), if it is. */
  readonly nondeterministic?: string;
}

const i = (syntax: string, format: Format, summary: string, extension: InstructionDoc['extension'] = 'I'): InstructionDoc => ({ syntax, format, summary, extension });
const p = (syntax: string, format: Format, summary: string, expands: string): InstructionDoc => ({ syntax, format, summary, expands, extension: 'pseudo' });

export const INSTRUCTION_DOCS: Readonly<Record<string, InstructionDoc>> = {
  lui: i('lui rd, imm20', 'U', 'Load upper immediate: rd = imm20 << 12.'),
  auipc: i('auipc rd, imm20', 'U', 'Add upper immediate to pc: rd = pc + (imm20 << 12).'),
  jal: i('jal rd, label', 'J', 'Jump and link: rd = pc + 4; pc = label (±1 MiB).'),
  jalr: i('jalr rd, offset(rs1)', 'I', 'Jump and link register: rd = pc + 4; pc = (rs1 + offset) & ~1.'),
  beq: i('beq rs1, rs2, label', 'B', 'Branch if equal (±4 KiB).'),
  bne: i('bne rs1, rs2, label', 'B', 'Branch if not equal (±4 KiB).'),
  blt: i('blt rs1, rs2, label', 'B', 'Branch if less than, signed (±4 KiB).'),
  bge: i('bge rs1, rs2, label', 'B', 'Branch if greater or equal, signed (±4 KiB).'),
  bltu: i('bltu rs1, rs2, label', 'B', 'Branch if less than, unsigned (±4 KiB).'),
  bgeu: i('bgeu rs1, rs2, label', 'B', 'Branch if greater or equal, unsigned (±4 KiB).'),
  lb: i('lb rd, offset(rs1)', 'I', 'Load byte, sign-extended.'),
  lh: i('lh rd, offset(rs1)', 'I', 'Load halfword (16 bits), sign-extended.'),
  lw: i('lw rd, offset(rs1)', 'I', 'Load word (32 bits).'),
  lbu: i('lbu rd, offset(rs1)', 'I', 'Load byte, zero-extended.'),
  lhu: i('lhu rd, offset(rs1)', 'I', 'Load halfword, zero-extended.'),
  sb: i('sb rs2, offset(rs1)', 'S', 'Store the low byte of rs2.'),
  sh: i('sh rs2, offset(rs1)', 'S', 'Store the low halfword of rs2.'),
  sw: i('sw rs2, offset(rs1)', 'S', 'Store word rs2.'),
  addi: i('addi rd, rs1, imm', 'I', 'Add immediate: rd = rs1 + imm (imm: -2048..2047).'),
  slti: i('slti rd, rs1, imm', 'I', 'Set if less than immediate, signed: rd = rs1 < imm ? 1 : 0.'),
  sltiu: i('sltiu rd, rs1, imm', 'I', 'Set if less than immediate, unsigned (imm is sign-extended first).'),
  xori: i('xori rd, rs1, imm', 'I', 'Bitwise XOR with immediate.'),
  ori: i('ori rd, rs1, imm', 'I', 'Bitwise OR with immediate.'),
  andi: i('andi rd, rs1, imm', 'I', 'Bitwise AND with immediate.'),
  slli: i('slli rd, rs1, shamt', 'I', 'Shift left logical by 0..31.'),
  srli: i('srli rd, rs1, shamt', 'I', 'Shift right logical (zero fill) by 0..31.'),
  srai: i('srai rd, rs1, shamt', 'I', 'Shift right arithmetic (sign fill) by 0..31.'),
  add: i('add rd, rs1, rs2', 'R', 'Add: rd = rs1 + rs2 (wraps; no overflow trap).'),
  sub: i('sub rd, rs1, rs2', 'R', 'Subtract: rd = rs1 - rs2.'),
  sll: i('sll rd, rs1, rs2', 'R', 'Shift left logical by rs2[4:0].'),
  slt: i('slt rd, rs1, rs2', 'R', 'Set if less than, signed.'),
  sltu: i('sltu rd, rs1, rs2', 'R', 'Set if less than, unsigned.'),
  xor: i('xor rd, rs1, rs2', 'R', 'Bitwise XOR.'),
  srl: i('srl rd, rs1, rs2', 'R', 'Shift right logical by rs2[4:0].'),
  sra: i('sra rd, rs1, rs2', 'R', 'Shift right arithmetic by rs2[4:0].'),
  or: i('or rd, rs1, rs2', 'R', 'Bitwise OR.'),
  and: i('and rd, rs1, rs2', 'R', 'Bitwise AND.'),
  fence: i('fence pred, succ', 'I', 'Memory ordering: accesses in pred (i,o,r,w) complete before those in succ. Bare fence = iorw, iorw.'),
  'fence.tso': i('fence.tso', 'I', 'Total-store-order fence: orders loads before loads/stores and stores before stores.'),
  'fence.i': i('fence.i', 'I', 'Instruction fence: later instruction fetches see earlier stores (needed after writing code).', 'Zifencei'),
  ecall: i('ecall', 'I', 'Environment call: raise an exception to the execution environment (syscall).'),
  ebreak: i('ebreak', 'I', 'Breakpoint exception (debugger stop).'),
  mret: i('mret', 'I', 'Return from a machine-mode trap: pc = mepc, restore mstatus.MIE from MPIE.'),
  wfi: i('wfi', 'I', 'Wait for interrupt: the hart may idle until an interrupt is pending.'),
  csrrw: i('csrrw rd, csr, rs1', 'I', 'Atomic read/write CSR: rd = csr; csr = rs1.', 'Zicsr'),
  csrrs: i('csrrs rd, csr, rs1', 'I', 'Atomic read and set bits: rd = csr; csr |= rs1 (no write if rs1 is x0).', 'Zicsr'),
  csrrc: i('csrrc rd, csr, rs1', 'I', 'Atomic read and clear bits: rd = csr; csr &= ~rs1 (no write if rs1 is x0).', 'Zicsr'),
  csrrwi: i('csrrwi rd, csr, uimm5', 'I', 'Read/write CSR with a 5-bit immediate.', 'Zicsr'),
  csrrsi: i('csrrsi rd, csr, uimm5', 'I', 'Read and set CSR bits given by a 5-bit immediate.', 'Zicsr'),
  csrrci: i('csrrci rd, csr, uimm5', 'I', 'Read and clear CSR bits given by a 5-bit immediate.', 'Zicsr'),
  mul: i('mul rd, rs1, rs2', 'R', 'Multiply, low 32 bits of the product.', 'M'),
  mulh: i('mulh rd, rs1, rs2', 'R', 'Multiply signed × signed, high 32 bits.', 'M'),
  mulhsu: i('mulhsu rd, rs1, rs2', 'R', 'Multiply signed × unsigned, high 32 bits.', 'M'),
  mulhu: i('mulhu rd, rs1, rs2', 'R', 'Multiply unsigned × unsigned, high 32 bits.', 'M'),
  div: i('div rd, rs1, rs2', 'R', 'Divide signed (x/0 = -1; overflow gives the dividend). No trap.', 'M'),
  divu: i('divu rd, rs1, rs2', 'R', 'Divide unsigned (x/0 = 0xffffffff). No trap.', 'M'),
  rem: i('rem rd, rs1, rs2', 'R', 'Remainder signed (x%0 = x).', 'M'),
  remu: i('remu rd, rs1, rs2', 'R', 'Remainder unsigned (x%0 = x).', 'M'),

  nop: p('nop', 'I', 'No operation.', 'addi x0, x0, 0'),
  li: p('li rd, imm', 'I', 'Load a 32-bit constant.', 'addi rd, x0, imm  or  lui rd, %hi(imm) [+ addi rd, rd, %lo(imm)]'),
  la: p('la rd, symbol', 'U', 'Load the address of a symbol, pc-relative.', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo(...)'),
  lla: p('lla rd, symbol', 'U', 'Load a local address, pc-relative (same as la without PIC).', 'auipc rd, ...; addi rd, rd, ...'),
  mv: p('mv rd, rs', 'I', 'Copy a register.', 'addi rd, rs, 0'),
  not: p('not rd, rs', 'I', "One's complement.", 'xori rd, rs, -1'),
  neg: p('neg rd, rs', 'R', "Two's complement negation.", 'sub rd, x0, rs'),
  seqz: p('seqz rd, rs', 'I', 'Set if rs == 0.', 'sltiu rd, rs, 1'),
  snez: p('snez rd, rs', 'R', 'Set if rs != 0.', 'sltu rd, x0, rs'),
  sltz: p('sltz rd, rs', 'R', 'Set if rs < 0.', 'slt rd, rs, x0'),
  sgtz: p('sgtz rd, rs', 'R', 'Set if rs > 0.', 'slt rd, x0, rs'),
  sgt: p('sgt rd, rs1, rs2', 'R', 'Set if rs1 > rs2, signed.', 'slt rd, rs2, rs1'),
  sgtu: p('sgtu rd, rs1, rs2', 'R', 'Set if rs1 > rs2, unsigned.', 'sltu rd, rs2, rs1'),
  'zext.b': p('zext.b rd, rs', 'I', 'Zero-extend the low byte.', 'andi rd, rs, 255'),
  j: p('j label', 'J', 'Jump (±1 MiB).', 'jal x0, label'),
  jr: p('jr rs', 'I', 'Jump to the address in a register.', 'jalr x0, 0(rs)'),
  ret: p('ret', 'I', 'Return from a function.', 'jalr x0, 0(ra)'),
  call: p('call symbol', 'U', 'Call a function anywhere in the address space.', 'auipc ra, ...; jalr ra, ...(ra)'),
  tail: p('tail symbol', 'U', 'Tail call (jump, no link) anywhere.', 'auipc t1, ...; jalr x0, ...(t1)'),
  beqz: p('beqz rs, label', 'B', 'Branch if rs == 0.', 'beq rs, x0, label'),
  bnez: p('bnez rs, label', 'B', 'Branch if rs != 0.', 'bne rs, x0, label'),
  blez: p('blez rs, label', 'B', 'Branch if rs <= 0.', 'bge x0, rs, label'),
  bgez: p('bgez rs, label', 'B', 'Branch if rs >= 0.', 'bge rs, x0, label'),
  bltz: p('bltz rs, label', 'B', 'Branch if rs < 0.', 'blt rs, x0, label'),
  bgtz: p('bgtz rs, label', 'B', 'Branch if rs > 0.', 'blt x0, rs, label'),
  bgt: p('bgt rs1, rs2, label', 'B', 'Branch if rs1 > rs2, signed.', 'blt rs2, rs1, label'),
  ble: p('ble rs1, rs2, label', 'B', 'Branch if rs1 <= rs2, signed.', 'bge rs2, rs1, label'),
  bgtu: p('bgtu rs1, rs2, label', 'B', 'Branch if rs1 > rs2, unsigned.', 'bltu rs2, rs1, label'),
  bleu: p('bleu rs1, rs2, label', 'B', 'Branch if rs1 <= rs2, unsigned.', 'bgeu rs2, rs1, label'),
  csrr: p('csrr rd, csr', 'I', 'Read a CSR.', 'csrrs rd, csr, x0'),
  csrw: p('csrw csr, rs', 'I', 'Write a CSR.', 'csrrw x0, csr, rs'),
  csrs: p('csrs csr, rs', 'I', 'Set CSR bits.', 'csrrs x0, csr, rs'),
  csrc: p('csrc csr, rs', 'I', 'Clear CSR bits.', 'csrrc x0, csr, rs'),
  csrwi: p('csrwi csr, uimm5', 'I', 'Write a CSR with a 5-bit immediate.', 'csrrwi x0, csr, uimm5'),
  csrsi: p('csrsi csr, uimm5', 'I', 'Set CSR bits from a 5-bit immediate.', 'csrrsi x0, csr, uimm5'),
  csrci: p('csrci csr, uimm5', 'I', 'Clear CSR bits from a 5-bit immediate.', 'csrrci x0, csr, uimm5'),
  rdcycle: p('rdcycle rd', 'I', 'Read the cycle counter (low 32 bits). Non-deterministic: logged by FT.', 'csrrs rd, cycle, x0'),
  rdcycleh: p('rdcycleh rd', 'I', 'Read the cycle counter (high 32 bits). Non-deterministic: logged by FT.', 'csrrs rd, cycleh, x0'),
  rdtime: p('rdtime rd', 'I', 'Read wall-clock time (low 32 bits). Non-deterministic: logged by FT.', 'csrrs rd, time, x0'),
  rdtimeh: p('rdtimeh rd', 'I', 'Read wall-clock time (high 32 bits). Non-deterministic: logged by FT.', 'csrrs rd, timeh, x0'),
  rdinstret: p('rdinstret rd', 'I', 'Read instructions retired (low 32 bits). Deterministic.', 'csrrs rd, instret, x0'),
  rdinstreth: p('rdinstreth rd', 'I', 'Read instructions retired (high 32 bits). Deterministic.', 'csrrs rd, instreth, x0'),
  unimp: p('unimp', 'I', 'Guaranteed illegal instruction (traps).', 'csrrw x0, cycle, x0  (0xc0001073)'),
  scall: p('scall', 'I', 'Old name of ecall.', 'ecall'),
  sbreak: p('sbreak', 'I', 'Old name of ebreak.', 'ebreak'),
};

const TIME_WHY = 'wall-clock time differs between primary and backup; the primary logs the value it read and the backup replays it';
const CYCLE_WHY = 'cycle counts depend on the host (speed, scheduling); the primary logs the value and the backup replays it';

export const CSR_DOCS: Readonly<Record<string, CsrDoc>> = {
  cycle: { number: 0xc00, readOnly: true, summary: 'Cycle counter, low 32 bits (user read-only shadow of mcycle).', nondeterministic: CYCLE_WHY },
  cycleh: { number: 0xc80, readOnly: true, summary: 'Cycle counter, high 32 bits.', nondeterministic: CYCLE_WHY },
  time: { number: 0xc01, readOnly: true, summary: 'Real-time clock (CLINT mtime), low 32 bits.', nondeterministic: TIME_WHY },
  timeh: { number: 0xc81, readOnly: true, summary: 'Real-time clock, high 32 bits.', nondeterministic: TIME_WHY },
  instret: { number: 0xc02, readOnly: true, summary: 'Instructions retired, low 32 bits (deterministic: same on primary and backup).' },
  instreth: { number: 0xc82, readOnly: true, summary: 'Instructions retired, high 32 bits.' },
  seed: {
    number: 0x015, readOnly: false, summary: 'Entropy source (Zkr): returns random bits with a status in [31:30].',
    nondeterministic: 'true randomness from the host; the primary logs each value so the backup reads the same bits',
  },
  mhostid: {
    number: 0xfc0, readOnly: true, summary: 'FT Lab host id (custom): which physical host runs this hart.',
    nondeterministic: 'primary and backup run on different hosts; the backup replays the primary\'s id so both stay identical',
  },
  mvendorid: { number: 0xf11, readOnly: true, summary: 'Vendor id (0: non-commercial).' },
  marchid: { number: 0xf12, readOnly: true, summary: 'Architecture id.' },
  mimpid: { number: 0xf13, readOnly: true, summary: 'Implementation id.' },
  mhartid: { number: 0xf14, readOnly: true, summary: 'Id of this hart (0 on a single-hart machine).' },
  mstatus: { number: 0x300, readOnly: false, summary: 'Machine status: MIE (bit 3) enables interrupts, MPIE (7) and MPP (12:11) are saved on a trap.' },
  mstatush: { number: 0x310, readOnly: false, summary: 'Upper half of mstatus (RV32).' },
  misa: { number: 0x301, readOnly: false, summary: 'ISA and extensions: MXL=1 (32-bit), bits for I and M.' },
  medeleg: { number: 0x302, readOnly: false, summary: 'Machine exception delegation (unused without S-mode).' },
  mideleg: { number: 0x303, readOnly: false, summary: 'Machine interrupt delegation (unused without S-mode).' },
  mie: { number: 0x304, readOnly: false, summary: 'Interrupt enable bits: MSIE (3), MTIE (7), MEIE (11).' },
  mtvec: { number: 0x305, readOnly: false, summary: 'Trap vector base address; mode in bits 1:0 (0 direct, 1 vectored).' },
  mcounteren: { number: 0x306, readOnly: false, summary: 'Counter access enable for lower privilege modes.' },
  mscratch: { number: 0x340, readOnly: false, summary: 'Scratch register for trap handlers.' },
  mepc: { number: 0x341, readOnly: false, summary: 'Exception pc: address of the trapping (or interrupted) instruction.' },
  mcause: { number: 0x342, readOnly: false, summary: 'Trap cause: bit 31 = interrupt, low bits = code (e.g. 2 illegal instruction, 7 timer).' },
  mtval: { number: 0x343, readOnly: false, summary: 'Trap value: faulting address or instruction bits.' },
  mip: { number: 0x344, readOnly: false, summary: 'Interrupt pending bits: MSIP (3), MTIP (7), MEIP (11).' },
  mcycle: { number: 0xb00, readOnly: false, summary: 'Machine cycle counter, low 32 bits.', nondeterministic: CYCLE_WHY },
  mcycleh: { number: 0xb80, readOnly: false, summary: 'Machine cycle counter, high 32 bits.', nondeterministic: CYCLE_WHY },
  minstret: { number: 0xb02, readOnly: false, summary: 'Machine instructions-retired counter, low 32 bits.' },
  minstreth: { number: 0xb82, readOnly: false, summary: 'Machine instructions-retired counter, high 32 bits.' },
};

export function instructionDoc(mnemonic: string): InstructionDoc | undefined {
  return Object.prototype.hasOwnProperty.call(INSTRUCTION_DOCS, mnemonic) ? INSTRUCTION_DOCS[mnemonic] : undefined;
}

export function csrDoc(name: string): CsrDoc | undefined {
  return Object.prototype.hasOwnProperty.call(CSR_DOCS, name) ? CSR_DOCS[name] : undefined;
}
