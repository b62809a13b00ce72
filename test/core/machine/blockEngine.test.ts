/**
 * Block engine vs interpreter: the same programs run on two machines, one per
 * engine, in lockstep chunks of awkward sizes (1, 2, 3, 7, … — most targets
 * fall inside a compiled block or a looping block's iteration), with timer
 * interrupts delivered to both at the same exact icounts. After every chunk
 * the stop reason, icount, pc and stateHash must agree; so must every output
 * and every non-deterministic read (source and icount).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/assemble';
import { blockSource, compileBlock, isCompilable, isControl } from '../../../src/core/machine/blockCompiler';
import { Op } from '../../../src/core/machine/decode';
import { loadElf } from '../../../src/core/elf/loadElf';
import type { ProgramImage } from '../../../src/core/image';
import { Machine, type MachineEngine } from '../../../src/core/machine/machine';
import { SoloPort } from '../../../src/core/machine/soloPort';
import type { StopReason } from '../../../src/core/machine/stopReason';

const root = join(__dirname, '../../..');

function elf(rel: string): ProgramImage {
  const path = join(root, rel);
  const r = loadElf(new Uint8Array(readFileSync(path)), path);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.image;
}

function asm(source: string): ProgramImage {
  const r = assemble(source, { file: 'test.s' });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.line}: ${d.message}`).join('\n'));
  return r.image;
}

interface Side {
  m: Machine;
  port: SoloPort;
  outputs: string[];
}

function side(img: ProgramImage, engine: MachineEngine, harts = 1): Side {
  const outputs: string[] = [];
  const port = new SoloPort({ seed: 99, onOutput: (o) => outputs.push(`${o.device}@${o.icount}:${[...o.bytes].join(',')}`) });
  const m = new Machine({ port, engine, harts });
  expect(m.load(img)).toEqual([]);
  return { m, port, outputs };
}

/** Small deterministic PRNG (xorshift32). */
function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const CHUNKS = [1, 2, 3, 5, 7, 11, 13, 15, 16, 17, 29, 100, 127, 128, 129, 997, 4096, 65_537];

interface LockstepResult { chunks: number; icount: number; stop: StopReason; a: Side; b: Side }

/**
 * Runs `img` on both engines in lockstep until it stops or `maxIcount`.
 * Timers: delivered when the solo clock says so (as runSolo does) and, with
 * `randomTimers`, also at random chunk boundaries.
 */
function lockstep(img: ProgramImage, opts: { seed: number; maxIcount: number; randomTimers?: boolean; maxChunks?: number }): LockstepResult {
  const a = side(img, 'interpreter');
  const b = side(img, 'blocks');
  const rand = rng(opts.seed);
  let stop: StopReason = { kind: 'budget' };
  let chunks = 0;
  const maxChunks = opts.maxChunks ?? 20_000;
  while (a.m.icount < opts.maxIcount && chunks < maxChunks) {
    const ic = a.m.icount;
    const due = a.m.wantsTimer(a.port.mtimeAt(ic));
    expect(b.m.wantsTimer(b.port.mtimeAt(ic))).toBe(due);
    if (due || (opts.randomTimers && !a.m.timerPending && rand() < 0.2)) {
      a.m.deliver({ kind: 'timer' });
      b.m.deliver({ kind: 'timer' });
    }
    const target = ic + CHUNKS[Math.floor(rand() * CHUNKS.length)];
    stop = a.m.run(target);
    const stopB = b.m.run(target);
    chunks++;
    expect(stopB, `chunk ${chunks} to ${target}`).toEqual(stop);
    expect(b.m.icount, `chunk ${chunks}`).toBe(a.m.icount);
    expect(b.m.pc, `chunk ${chunks} icount ${a.m.icount}`).toBe(a.m.pc);
    if (stop.kind === 'budget') expect(a.m.icount).toBe(target);
    expect(b.m.stateHash(), `chunk ${chunks} icount ${a.m.icount}`).toBe(a.m.stateHash());
    if (stop.kind === 'wfi') {
      if (!a.m.wantsTimer(Number.MAX_VALUE)) break;
      const now = a.port.mtimeAt(a.m.icount);
      if (a.m.mtimecmp > now) {
        a.port.skippedTicks += a.m.mtimecmp - now;
        b.port.skippedTicks += b.m.mtimecmp - now;
      }
      continue;
    }
    if (stop.kind !== 'budget') break;
  }
  expect(b.outputs).toEqual(a.outputs);
  expect(b.port.reads).toEqual(a.port.reads);
  return { chunks, icount: a.m.icount, stop, a, b };
}

/**
 * Calls, loads/stores of every width, a logical shift by 0 of a negative value, M-extension ops, a misaligned load,
 * UART stores and rdcycle reads inside hot loops, an access fault taken and
 * skipped by the handler, timer interrupts, and an instruction of the hot
 * inner loop rewritten (immediate + 1) on every outer iteration.
 */
const MIXED = `
        .equ UART, 0x10000000
        .equ MTIMECMP, 0x02004000
        .equ FINISHER, 0x00100000
        .text
        .globl _start
_start: li      sp, 0x80100000
        la      t0, handler
        csrw    mtvec, t0
        li      t0, 0x80
        csrw    mie, t0
        csrsi   mstatus, 8
        li      s0, 0
        li      s2, 600
        li      s3, 0
outer:  mv      a0, s0
        call    work
        add     s3, s3, a0
        li      t5, UART
        andi    t6, s0, 31
        addi    t6, t6, 65
        sb      t6, 0(t5)
        rdcycle s4
        add     s3, s3, s4
        la      t0, patch
        lw      t1, 0(t0)
        li      t2, 0x00100000
        add     t1, t1, t2
        sw      t1, 0(t0)
        fence.i
        andi    t0, s0, 63
        bnez    t0, 2f
        li      t0, 0x100
        lw      t1, 0(t0)
2:      addi    s0, s0, 1
        blt     s0, s2, outer
        li      t0, FINISHER
        li      t1, 0x5555
        sw      t1, 0(t0)
1:      j       1b

        .balign 4096                   # work on its own page: the patching block above stays compiled
work:   la      t1, buf
        li      t2, 24
1:      mul     t3, a0, t2
        addi    t3, t3, 7
        divu    t4, t3, t2
        rem     t5, t3, t2
        mulh    t6, t3, a0
        mulhu   a5, t3, t4
        mulhsu  a6, t3, t5
        div     a7, t3, t5
        remu    a4, t3, t4
        add     a0, a0, a4
        xor     a0, a0, a7
        sub     a0, a0, t6
        andi    t6, t3, 252
        add     t6, t6, t1
        lw      a1, 0(t6)
        add     a1, a1, t3
        sw      a1, 0(t6)
        sb      a1, 1(t6)
        sh      a0, 2(t6)
        lh      a2, 2(t6)
        lbu     a3, 3(t6)
        lb      a5, 1(t6)
        lhu     a6, 0(t6)
        lw      a7, 1(t6)
        add     a0, a0, a2
        xor     a0, a0, a3
        add     a0, a0, a5
        add     a0, a0, a6
        add     a0, a0, a7
        sltu    a2, a0, a1
        slt     a3, a0, a1
        sltiu   a4, a0, 100
        slti    a5, a0, -100
        srai    a6, a0, 3
        srl     a7, a0, t2
        sra     a1, a0, t2
        srl     a3, a0, zero           # a0 may be negative: srl by 0 keeps all 32 bits
        slt     a3, a3, zero
        add     a0, a0, a3
        or      a2, a2, a3
        sll     a4, a4, a5
        ori     a4, a4, 5
        xori    a2, a2, -1
        add     a0, a0, a2
        add     a0, a0, a4
        add     a0, a0, a6
        add     a0, a0, a7
        add     a0, a0, a1
patch:  addi    a0, a0, 0
        auipc   a1, 0
        add     a0, a0, a1
        addi    t2, t2, -1
        bgeu    t2, zero, 3f
3:      bnez    t2, 1b
        ret

handler:
        csrr    s11, mcause
        bltz    s11, 4f
        csrr    s11, mepc
        addi    s11, s11, 4
        csrw    mepc, s11
        addi    s7, s7, 1
        mret
4:      li      s11, MTIMECMP
        li      s10, -1
        sw      s10, 4(s11)
        sw      s10, 0(s11)
        addi    s9, s9, 1
        rdcycle s8
        mret

        .data
        .balign 4096
buf:    .space  1024
`;

/** A hot loop that rewrites its own next instruction (same block) every iteration. */
const SMC_SAME_BLOCK = `
        .text
        .globl _start
_start: la      t0, target
        li      t2, 0x00100000
        li      s0, 100
        li      a0, 0
loop:   lw      t1, 0(t0)
        add     t1, t1, t2
        sw      t1, 0(t0)
target: addi    a0, a0, 1
        addi    s0, s0, -1
        bnez    s0, loop
        li      t0, 0x00100000
        li      t1, 0x5555
        sw      t1, 0(t0)
1:      j       1b
`;

const fixtures = [
  'test/fixtures/machine/hello.elf',
  'resources/examples/c/main.elf',
  'test/fixtures/machine/sort.elf',
  'test/fixtures/machine/crc.elf',
  'test/fixtures/machine/muldiv.elf',
  'test/fixtures/machine/quirks.elf',
  'test/fixtures/machine/loop-short.elf',
  'test/fixtures/machine/ticker.elf',
];

describe('block engine vs interpreter, lockstep', () => {
  for (const f of fixtures) {
    it(`${f}: same state at every chunk boundary`, () => {
      const r = lockstep(elf(f), { seed: f.length * 7919, maxIcount: 3_000_000 });
      expect(r.stop.kind).toBe('halted');
      expect(r.b.m.blockStats?.built ?? 0).toBeGreaterThan(0);
    });
  }

  it('mixed program with random timer interrupts, faults, MMIO, nondet reads and rewritten code', () => {
    const img = asm(MIXED);
    for (const seed of [1, 2, 3]) {
      const r = lockstep(img, { seed, maxIcount: 5_000_000, randomTimers: true });
      expect(r.stop).toEqual({ kind: 'halted', exitCode: 0 });
      const s = r.b.m.blockStats;
      expect(s?.compiled ?? 0).toBeGreaterThan(600); // the patched loop is recompiled every outer iteration
      expect(s?.dropped ?? 0).toBeGreaterThan(600);
      const x = r.a.m.registers().x;
      expect(x[7 + 16]).toBe(10); // s7: faults taken (s0 = 0, 64, …, 576)
      expect(x[9 + 16]).toBeGreaterThan(10); // s9: timer interrupts taken
      expect(r.a.outputs.length).toBe(600);
    }
  });

  it('the same program run in one go (huge chunks): blocks and interpreter end identical', () => {
    const img = asm(MIXED);
    const a = side(img, 'interpreter');
    const b = side(img, 'blocks');
    expect(b.m.run(1e9)).toEqual(a.m.run(1e9));
    expect(b.m.icount).toBe(a.m.icount);
    expect(b.m.stateHash()).toBe(a.m.stateHash());
    expect(b.outputs).toEqual(a.outputs);
  });

  it('a store into the running block itself takes effect on the next instruction', () => {
    for (const engine of ['interpreter', 'blocks'] as const) {
      const s = side(asm(SMC_SAME_BLOCK), engine);
      expect(s.m.run(10_000)).toEqual({ kind: 'halted', exitCode: 0 });
      expect(s.m.registers().x[10]).toBe(100 + (100 * 101) / 2); // a0 = Σ (1 + k), k = 1..100
    }
    lockstep(asm(SMC_SAME_BLOCK), { seed: 5, maxIcount: 10_000 });
  });
});

/**
 * A random straight-line-and-forward-branch program (every RV32IM ALU, M,
 * load and store form; misaligned offsets; edge-value registers) inside a
 * loop of `iterations`, so its blocks get hot and compiled.
 */
function randomProgram(seed: number, iterations: number): string {
  const rand = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const reg = (): string => `x${Math.floor(rand() * 32)}`;
  const dst = (): string => `x${1 + Math.floor(rand() * 29)}`; // x30 = loop counter, x31 = buffer
  const edge = [0, 1, -1, 0x7fffffff, -0x80000000, 0x8000, 0xffff, 31, 32, -2048, 2047];
  const lines: string[] = ['.text', '.globl _start', '_start:'];
  for (let r = 1; r <= 29; r++) lines.push(`li x${r}, ${rand() < 0.6 ? pick(edge) : (Math.floor(rand() * 0x1_0000_0000) | 0)}`);
  lines.push('la x31, buf', `li x30, ${iterations}`, 'loop:');
  const n = 120;
  const r3 = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
    'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
  const ri = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
  const sh = ['slli', 'srli', 'srai'];
  const ld = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
  const st = ['sb', 'sh', 'sw'];
  const br = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
  for (let k = 0; k < n; k++) {
    lines.push(`L${k}:`);
    const kind = rand();
    if (kind < 0.35) lines.push(`${pick(r3)} ${dst()}, ${reg()}, ${reg()}`);
    else if (kind < 0.5) lines.push(`${pick(ri)} ${dst()}, ${reg()}, ${Math.floor(rand() * 4096) - 2048}`);
    else if (kind < 0.58) lines.push(`${pick(sh)} ${dst()}, ${reg()}, ${Math.floor(rand() * 32)}`);
    else if (kind < 0.62) lines.push(`${pick(['lui', 'auipc'])} ${dst()}, ${Math.floor(rand() * 0x100000)}`);
    else if (kind < 0.75) lines.push(`${pick(ld)} ${dst()}, ${Math.floor(rand() * 1020)}(x31)`);
    else if (kind < 0.88) lines.push(`${pick(st)} ${reg()}, ${Math.floor(rand() * 1020)}(x31)`);
    else lines.push(`${pick(br)} ${reg()}, ${reg()}, L${Math.min(n, k + 1 + Math.floor(rand() * 12))}`);
  }
  lines.push(`L${n}:`, 'addi x30, x30, -1', 'bnez x30, loop',
    'li x1, 0x00100000', 'li x2, 0x5555', 'sw x2, 0(x1)', '1: j 1b',
    '.data', '.balign 4096', 'buf: .space 1028');
  return lines.join('\n');
}

describe('block engine vs interpreter, random programs', () => {
  it('40 random RV32IM programs agree at every chunk boundary', () => {
    let compiled = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = lockstep(asm(randomProgram(seed, 30)), { seed: seed * 31, maxIcount: 1_000_000 });
      expect(r.stop, `program ${seed}`).toEqual({ kind: 'halted', exitCode: 0 });
      compiled += r.b.m.blockStats?.compiled ?? 0;
    }
    expect(compiled).toBeGreaterThan(40);
  });
});

describe('block engine: multicore and packets', () => {
  it('two harts (round-robin quanta) with packets delivered at exact icounts stay identical', () => {
    const path = join(root, 'resources/scenarios/programs/multicore.s');
    const img = asm(readFileSync(path, 'utf8'));
    const a = side(img, 'interpreter', 2);
    const b = side(img, 'blocks', 2);
    const rand = rng(17);
    let req = 0;
    for (let chunk = 0; chunk < 3000; chunk++) {
      if (rand() < 0.05) {
        const tag = Uint8Array.of(1, 0, 0, 0, req & 255, (req >> 8) & 255, 0, 0);
        req++;
        a.m.deliver({ kind: 'packet', bytes: tag });
        b.m.deliver({ kind: 'packet', bytes: tag });
      }
      for (const s of [a, b]) s.m.quantum = 1 + Math.floor(((chunk * 7919) % 1000) * 1.3);
      const target = a.m.icount + CHUNKS[Math.floor(rand() * CHUNKS.length)];
      const stop = a.m.run(target);
      expect(b.m.run(target), `chunk ${chunk}`).toEqual(stop);
      expect(b.m.icount).toBe(a.m.icount);
      expect(b.m.stateHash(), `chunk ${chunk} icount ${a.m.icount}`).toBe(a.m.stateHash());
    }
    expect(req).toBeGreaterThan(50);
    expect(b.outputs).toEqual(a.outputs);
    expect(a.outputs.length).toBeGreaterThan(50); // replies
    expect(b.m.blockStats?.compiled ?? 0).toBeGreaterThan(0);
  });
});

describe('block engine: exact icount, breakpoints, snapshots', () => {
  it('the compiler\'s op ranges match decode.ts', () => {
    const control: number[] = [Op.JAL, Op.JALR, Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
    for (const [name, op] of Object.entries(Op)) {
      expect(isControl(op), name).toBe(control.includes(op));
      expect(isCompilable(op), name).toBe(op !== Op.UNDECODED && op !== Op.SLOW && op !== Op.BREAK);
    }
    expect([Op.LB, Op.LH, Op.LW, Op.LBU, Op.LHU, Op.SB, Op.SH, Op.SW]).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    expect([Op.LI, Op.ADDI, Op.SRAI, Op.ADD, Op.AND, Op.MUL, Op.REMU, Op.NOP]).toEqual([1, 18, 26, 27, 36, 37, 44, 45]);
  });

  const loop = (): Machine => side(elf('test/fixtures/machine/loop-long.elf'), 'blocks').m;

  it('stops exactly at targets inside a looping block (15 instructions per iteration)', () => {
    const m = loop();
    let target = 0;
    for (let k = 1; k <= 200; k++) {
      target += (k * 7919) % 1000 + 1;
      expect(m.run(target)).toEqual({ kind: 'budget' });
      expect(m.icount).toBe(target);
    }
    expect(m.blockStats?.compiled ?? 0).toBeGreaterThan(0);
    const ref = side(elf('test/fixtures/machine/loop-long.elf'), 'interpreter').m;
    ref.run(target);
    expect(m.stateHash()).toBe(ref.stateHash());
  });

  it('breakpoints inside a compiled loop stop both engines at the same icounts', () => {
    const stops: Record<string, number[]> = {};
    for (const engine of ['interpreter', 'blocks'] as const) {
      const m = side(elf('test/fixtures/machine/loop-long.elf'), engine).m;
      m.run(100_000); // the loop is hot (compiled) by now
      const bp = m.pc; // somewhere in the loop
      m.breakpoints.add(bp);
      const at: number[] = [];
      for (let k = 0; k < 5; k++) {
        const stop = m.run(10_000_000);
        expect(stop.kind).toBe('breakpoint');
        expect(m.pc).toBe(bp);
        at.push(m.icount);
      }
      m.breakpoints.clear();
      expect(m.run(m.icount + 12_345)).toEqual({ kind: 'budget' });
      at.push(m.icount);
      stops[engine] = at;
    }
    expect(stops.blocks).toEqual(stops.interpreter);
  });

  it('snapshot/restore in mid-loop continues identically, dirty pages as the interpreter marks them', () => {
    const a = side(elf('test/fixtures/machine/loop-long.elf'), 'interpreter').m;
    const b = loop();
    for (const m of [a, b]) m.run(123_457);
    expect(b.stateHash()).toBe(a.stateHash());
    expect([...b.dirtyPages()]).toEqual([...a.dirtyPages()]);
    const snap = b.snapshot();
    const c = Machine.fromSnapshot(structuredClone(snap), new SoloPort(), 'blocks');
    for (const m of [a, b, c]) m.run(1_000_003);
    expect(b.stateHash()).toBe(a.stateHash());
    expect(c.stateHash()).toBe(a.stateHash());
    expect([...b.dirtyPages()]).toEqual([...a.dirtyPages()]);
    b.restore(snap);
    b.run(1_000_003);
    expect(b.stateHash()).toBe(a.stateHash());
  });

  it('the interpreter engine never builds blocks; an unknown engine is refused', () => {
    const m = side(elf('test/fixtures/machine/loop-short.elf'), 'interpreter').m;
    m.run(10_000);
    expect(m.blockStats).toBeNull();
    expect(() => new Machine({ port: new SoloPort(), engine: 'jit' as MachineEngine })).toThrow(/unknown engine/);
  });

  it('compiled source for identical code is shared; a looping block loops inside the function within its budget', () => {
    // addi a0, a0, 1 ; bne a0, a1, -4   (a loop of 2 instructions at word 0)
    const dec = new Int32Array(4);
    const imm = new Int32Array(4);
    dec[0] = 18 | (10 << 8) | (10 << 14); imm[0] = 1;
    dec[1] = 5 | (32 << 8) | (10 << 14) | (11 << 20); imm[1] = 0;
    const src = blockSource(dec, imm, 0, 2, 1024);
    expect(src).toContain('for (;;)');
    expect(compileBlock(dec, imm, 0, 2, 1024)).toBe(compileBlock(dec, imm, 0, 2, 1024));
    const io = new Int32Array(2);
    const env = { io, rb: 4096 } as unknown as Parameters<ReturnType<typeof compileBlock>>[2];
    const x = new Int32Array(33);
    x[11] = 10;
    const fn = compileBlock(dec, imm, 0, 2, 1024);
    expect(fn(x, 7, env)).toBe(0); // budget 7: 3 iterations (a 4th would cross it), back at the start, a0 = 3
    expect(io[0]).toBe(6);
    expect(x[10]).toBe(3);
    expect(fn(x, 200, env)).toBe(2); // runs until a0 = a1 = 10, falls through
    expect(io[0]).toBe(14);
    expect(x[10]).toBe(10);
  });
});
