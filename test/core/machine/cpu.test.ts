import { describe, expect, it } from 'vitest';
import { machineWith, RAM } from './helpers/guest';

const u = (v: number): number => v >>> 0;

/** Runs `words` for exactly `words.length` instructions (or `n`) and returns x0..x31 unsigned. */
function regsAfter(words: number[], n = words.length, data: { addr: number; bytes: Uint8Array }[] = []) {
  const { m } = machineWith(words, { data, ramBytes: 64 * 1024 });
  expect(m.run(n)).toEqual({ kind: 'budget' });
  expect(m.icount).toBe(n);
  return Array.from(m.registers().x, u);
}

describe('RV32I ALU', () => {
  it('wraps add/sub on overflow and compares signed vs unsigned', () => {
    const x = regsAfter([
      0x800000b7, // lui x1, 0x80000
      0xfff00113, // addi x2, x0, -1
      0x002081b3, // add x3, x1, x2
      0x40208233, // sub x4, x1, x2
      0x001082b3, // add x5, x1, x1
      0x0020a333, // slt x6, x1, x2
      0x0020b3b3, // sltu x7, x1, x2
      0x00113413, // sltiu x8, x2, 1
      0x0000a493, // slti x9, x1, 0
      0x55514513, // xori x10, x2, 0x555
      0x80006593, // ori x11, x0, -2048
      0x7f017613, // andi x12, x2, 0x7f0
    ]);
    expect(x.slice(1, 13)).toEqual([
      0x8000_0000, 0xffff_ffff, 0x7fff_ffff, 0x8000_0001, 0, 1, 1, 0, 1, 0xffff_faaa, 0xffff_f800, 0x7f0,
    ]);
  });

  it('masks shift amounts to 5 bits', () => {
    const x = regsAfter([
      0xff800093, // addi x1, x0, -8
      0x02100113, // addi x2, x0, 33
      0x002091b3, // sll x3, x1, x2
      0x0020d233, // srl x4, x1, x2
      0x4020d2b3, // sra x5, x1, x2
      0x01f09313, // slli x6, x1, 31
      0x01c0d393, // srli x7, x1, 28
      0x4010d413, // srai x8, x1, 1
      0x02000493, // addi x9, x0, 32
      0x00909533, // sll x10, x1, x9
    ]);
    expect(x.slice(3, 11)).toEqual([0xffff_fff0, 0x7fff_fffc, 0xffff_fffc, 0, 0xf, 0xffff_fffc, 32, 0xffff_fff8]);
  });

  it('ignores writes to x0 (ALU and loads)', () => {
    const x = regsAfter([
      0x00500013, // addi x0, x0, 5
      0x800000b7, // lui x1, 0x80000
      0x0000a003, // lw x0, 0(x1)
      0x00000133, // add x2, x0, x0
    ]);
    expect(x[0]).toBe(0);
    expect(x[2]).toBe(0);
  });
});

describe('RV32M', () => {
  it('defines division by zero and INT_MIN / -1', () => {
    const x = regsAfter([
      0x800000b7, // lui x1, 0x80000
      0xfff00113, // addi x2, x0, -1
      0x00700193, // addi x3, x0, 7
      0x0220c233, // div x4, x1, x2
      0x0220e2b3, // rem x5, x1, x2
      0x0201c333, // div x6, x3, x0
      0x0201d3b3, // divu x7, x3, x0
      0x0201e433, // rem x8, x3, x0
      0x0201f4b3, // remu x9, x3, x0
      0xff900513, // addi x10, x0, -7
      0x023545b3, // div x11, x10, x3
      0x02356633, // rem x12, x10, x3
      0x023556b3, // divu x13, x10, x3
      0x02357733, // remu x14, x10, x3
    ]);
    expect(x.slice(4, 15)).toEqual([
      0x8000_0000, 0, 0xffff_ffff, 0xffff_ffff, 7, 7, 0xffff_fff9, 0xffff_ffff, 0, 613566755, 4,
    ]);
  });

  it('computes mulh/mulhsu/mulhu with the right signs', () => {
    const x = regsAfter([
      0xffe00093, // addi x1, x0, -2
      0x00300113, // addi x2, x0, 3
      0x022081b3, // mul x3, x1, x2
      0x02209233, // mulh x4, x1, x2
      0x0220a2b3, // mulhsu x5, x1, x2
      0x0220b333, // mulhu x6, x1, x2
      0x021123b3, // mulhsu x7, x2, x1
      0x80000437, // lui x8, 0x80000
      0x028414b3, // mulh x9, x8, x8
      0x02843533, // mulhu x10, x8, x8
      0x0210b5b3, // mulhu x11, x1, x1
      0x02109633, // mulh x12, x1, x1
      0x028406b3, // mul x13, x8, x8
    ]);
    expect(x.slice(3, 14)).toEqual([
      u(-6), 0xffff_ffff, 0xffff_ffff, 2, 2, 0x8000_0000, 0x4000_0000, 0x4000_0000, 0xffff_fffc, 0, 0,
    ]);
  });

  // Edge values against a BigInt reference, operands loaded from memory.
  const edges = [0, 1, -1, 2, -2, 7, -7, 0x7fff_ffff, -0x8000_0000, 0x1234_5678, -0x1234_5678, 0xffff, 0x10000];
  const ops: [string, number, (a: bigint, b: bigint) => bigint][] = [
    ['mul', 0x022081b3, (a, b) => a * b], // mul x3, x1, x2
    ['mulh', 0x022091b3, (a, b) => (a * b) >> 32n], // mulh x3, x1, x2
    ['mulhsu', 0x0220a1b3, (a, b) => (a * BigInt.asUintN(32, b)) >> 32n], // mulhsu x3, x1, x2
    ['mulhu', 0x0220b1b3, (a, b) => (BigInt.asUintN(32, a) * BigInt.asUintN(32, b)) >> 32n], // mulhu x3, x1, x2
    ['div', 0x0220c1b3, (a, b) => (b === 0n ? -1n : a === -(2n ** 31n) && b === -1n ? a : a / b)], // div x3, x1, x2
    ['divu', 0x0220d1b3, (a, b) => (b === 0n ? -1n : BigInt.asUintN(32, a) / BigInt.asUintN(32, b))], // divu x3, x1, x2
    ['rem', 0x0220e1b3, (a, b) => (b === 0n ? a : a === -(2n ** 31n) && b === -1n ? 0n : a % b)], // rem x3, x1, x2
    ['remu', 0x0220f1b3, (a, b) => (b === 0n ? a : BigInt.asUintN(32, a) % BigInt.asUintN(32, b))], // remu x3, x1, x2
  ];
  for (const [name, word, ref] of ops) {
    it(`${name} matches a BigInt reference on edge values`, () => {
      for (const a of edges) {
        for (const b of edges) {
          const data = new Uint8Array(new Int32Array([a, b]).buffer);
          const x = regsAfter([
            0x800010b7, // lui x1, 0x80001
            0x0040a103, // lw x2, 4(x1)
            0x0000a083, // lw x1, 0(x1)
            word,
          ], 4, [{ addr: RAM + 0x1000, bytes: data }]);
          expect(x[3], `${name} ${a} ${b}`).toBe(Number(BigInt.asUintN(32, ref(BigInt(a), BigInt(b)))));
        }
      }
    });
  }
});

describe('loads and stores', () => {
  const data = [{ addr: RAM + 0x1000, bytes: Uint8Array.of(0x80, 0xff, 0x01, 0x7f, 0xaa, 0x55, 0x00, 0x11) }];

  it('sign- and zero-extends, and completes misaligned loads', () => {
    const x = regsAfter([
      0x800010b7, // lui x1, 0x80001
      0x00008103, // lb x2, 0(x1)
      0x0000c183, // lbu x3, 0(x1)
      0x00009203, // lh x4, 0(x1)
      0x0000d283, // lhu x5, 0(x1)
      0x0000a303, // lw x6, 0(x1)
      0x0010a383, // lw x7, 1(x1)
      0x00309403, // lh x8, 3(x1)
      0xfff0d483, // lhu x9, -1(x1)
      0x0040a503, // lw x10, 4(x1)
    ], 10, data);
    expect(x.slice(2, 11)).toEqual([
      0xffff_ff80, 0x80, 0xffff_ff80, 0xff80, 0x7f01_ff80, 0xaa7f_01ff, 0xffff_aa7f, 0x8000, 0x1100_55aa,
    ]);
  });

  it('completes misaligned stores byte by byte', () => {
    const { m } = machineWith([
      0x800010b7, // lui x1, 0x80001
      0x12345137, // lui x2, 0x12345
      0x67810113, // addi x2, x2, 0x678
      0x0020a0a3, // sw x2, 1(x1)
      0x002093a3, // sh x2, 7(x1)
      0x002084a3, // sb x2, 9(x1)
      0x0020a623, // sw x2, 12(x1)
      0x0010a183, // lw x3, 1(x1)
    ]);
    expect(m.run(8)).toEqual({ kind: 'budget' });
    expect(Array.from(m.readMemory(RAM + 0x1000, 16))).toEqual([
      0, 0x78, 0x56, 0x34, 0x12, 0, 0, 0x78, 0x56, 0x78, 0, 0, 0x78, 0x56, 0x34, 0x12,
    ]);
    expect(u(m.registers().x[3])).toBe(0x1234_5678);
  });
});

describe('control transfer', () => {
  it('links and branches (jal, auipc+jalr, all six branches)', () => {
    const { m } = machineWith([
      0x008000ef, // jal x1, t1
      0x00100293, // addi x5, x0, 1
      0x00000317, // t1: auipc x6, 0
      0x00c303e7, // jalr x7, 12(x6)
      0x00200293, // addi x5, x0, 2
      0x00300293, // addi x5, x0, 3
      0x00400413, // addi x8, x0, 4
      0x00000463, // beq x0, x0, t2
      0x00500413, // addi x8, x0, 5
      0x00546663, // t2: bltu x8, x5, t3
      0x00545463, // bge x8, x5, t3
      0x00600413, // addi x8, x0, 6
      0x0082c463, // t3: blt x5, x8, t4
      0x00700413, // addi x8, x0, 7
      0x00807663, // t4: bgeu x0, x8, t5
      0x00041463, // bne x8, x0, t5
      0x00800413, // addi x8, x0, 8
      0x00900493, // t5: addi x9, x0, 9
    ]);
    expect(m.run(12)).toEqual({ kind: 'budget' });
    const x = Array.from(m.registers().x, u);
    expect([x[1], x[5], x[6], x[7], x[8], x[9]]).toEqual([RAM + 4, 3, RAM + 8, RAM + 0x10, 4, 9]);
    expect(m.pc).toBe(RAM + 0x48);
  });

  it('executes rewritten code after fence.i (self-modifying code)', () => {
    const { m } = machineWith([
      0x00000097, // auipc x1, 0
      0x01c001ef, // jal x3, target
      0x0280a103, // lw x2, 40(x1)
      0x0220a023, // sw x2, 32(x1)
      0x0000100f, // fence.i
      0x00c001ef, // jal x3, target
      0x0000006f, // jal x0, 0
      0x00000013, // addi x0, x0, 0
      0x00100293, // target: addi x5, x0, 1
      0x00018067, // jalr x0, 0(x3)
      0x00200293, // .word (addi x5, x0, 2): the replacement
    ]);
    m.run(4); // auipc, jal, addi x5 = 1, jalr
    expect(m.registers().x[5]).toBe(1);
    m.run(10);
    expect(m.registers().x[5]).toBe(2);
  });

  it('is bounded by the icount target on a runaway loop', () => {
    const { m } = machineWith([
      0x0000006f, // l: jal x0, l
    ]);
    expect(m.run(1_000_000)).toEqual({ kind: 'budget' });
    expect(m.icount).toBe(1_000_000);
    expect(m.step()).toEqual({ kind: 'budget' });
    expect(m.icount).toBe(1_000_001);
  });
});
