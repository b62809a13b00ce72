import { describe, expect, it } from 'vitest';
import { Cause } from '../../../src/core/machine/trap';
import { GuestFault } from '../../../src/core/machine/stopReason';
import { machineWith, RAM } from './helpers/guest';

const NOP = 0x00000013; // addi x0, x0, 0

/**
 * A guest whose trap handler (at RAM + 0x40) copies mcause/mepc/mtval to
 * x10/x11/x12 and spins; `body` starts at RAM + 0x0c.
 */
function withHandler(body: number[]): number[] {
  const prologue = [
    0x00000297, // auipc x5, 0
    0x04028293, // addi x5, x5, 64
    0x30529073, // csrrw x0, mtvec, x5
  ];
  if (body.length > 13) throw new Error('body too long');
  const pad = Array<number>(13 - body.length).fill(NOP);
  return [
    ...prologue, ...body, ...pad,
    0x34202573, // handler: csrrs x10, mcause, x0
    0x341025f3, // csrrs x11, mepc, x0
    0x34302673, // csrrs x12, mtval, x0
    0x0000006f, // jal x0, 0
  ];
}

/** Runs to the handler's spin loop and returns [mcause, mepc, mtval]. */
function trapOf(body: number[], steps = 40): [number, number, number] {
  const { m } = machineWith(withHandler(body), { ramBytes: 64 * 1024 });
  expect(m.run(steps)).toEqual({ kind: 'budget' });
  expect(m.pc).toBe(RAM + 0x4c);
  const x = m.registers().x;
  return [x[10] >>> 0, x[11] >>> 0, x[12] >>> 0];
}

const AT = RAM + 0x0c; // address of body[0]

describe('synchronous traps (mcause, mepc, mtval)', () => {
  it('ecall → 11', () => {
    expect(trapOf([0x00000073 /* ecall */])).toEqual([Cause.ECALL_M, AT, 0]);
  });
  it('ebreak → 3 with mtval = pc', () => {
    expect(trapOf([0x00100073 /* ebreak */])).toEqual([Cause.BREAKPOINT, AT, AT]);
  });
  it('illegal instructions → 2 with mtval = the instruction', () => {
    for (const w of [
      0xc0001073, // unimp (csrrw x0, cycle, x0: write to a read-only CSR)
      0x00000000, // .word 0
      0xffffffff, // .word 0xffffffff
      0x7c0020f3, // csrrs x1, 0x7c0, x0 (no such CSR)
      0xc0109073, // csrrw x0, time, x1 (read-only)
      0xf1412073, // csrrs x0, mhartid, x2 (write to read-only)
      0x10200073, // sret (no S-mode)
      0x02a0d093, // srli with funct7 = 1 (shamt[5] set: reserved in RV32)
      0x00002063, // branch with funct3 = 2
    ]) {
      expect(trapOf([w]), w.toString(16)).toEqual([Cause.ILLEGAL_INSN, AT, w >>> 0]);
    }
  });
  it('reading a read-only CSR without writing is legal', () => {
    const [cause] = trapOf([0xf1402073 /* csrrs x0, mhartid, x0 */, 0x00000073 /* ecall */]);
    expect(cause).toBe(Cause.ECALL_M);
  });
  it('misaligned jump targets → 0 with mtval = target, on the jump', () => {
    expect(trapOf([
      0x800001b7, // lui x3, 0x80000
      0x00218193, // addi x3, x3, 2
      0x00018067, // jalr x0, 0(x3)
    ])).toEqual([Cause.INSN_MISALIGNED, AT + 8, RAM + 2]);
    expect(trapOf([0x0060006f /* jal x0, .+6 */])).toEqual([Cause.INSN_MISALIGNED, AT, AT + 6]);
    expect(trapOf([0x00000363 /* beq x0, x0, .+6 */])).toEqual([Cause.INSN_MISALIGNED, AT, AT + 6]);
    // Not taken: no trap.
    expect(trapOf([0x00001363 /* bne x0, x0, .+6 */, 0x00000073 /* ecall */])[0]).toBe(Cause.ECALL_M);
  });
  it('access faults on unmapped addresses → 1 (fetch), 5 (load), 7 (store)', () => {
    expect(trapOf([0x400000b7 /* lui x1, 0x40000 */, 0x0000a103 /* lw x2, 0(x1) */]))
      .toEqual([Cause.LOAD_ACCESS_FAULT, AT + 4, 0x4000_0000]);
    expect(trapOf([0x400000b7 /* lui x1, 0x40000 */, 0x0020a023 /* sw x2, 0(x1) */]))
      .toEqual([Cause.STORE_ACCESS_FAULT, AT + 4, 0x4000_0000]);
    expect(trapOf([0x400000b7 /* lui x1, 0x40000 */, 0x00008067 /* jalr x0, 0(x1) */]))
      .toEqual([Cause.INSN_ACCESS_FAULT, 0x4000_0000, 0x4000_0000]);
  });
});

describe('unhandled traps are values', () => {
  it('stops with a trap StopReason when mtvec is 0', () => {
    const { m } = machineWith([NOP, NOP, NOP, NOP, 0x00000000 /* .word 0 */]);
    const stop = m.run(100);
    expect(stop).toMatchObject({ kind: 'trap', cause: 2, pc: RAM + 16, tval: 0, insn: 0 });
    expect(m.icount).toBe(4);
    expect(m.pc).toBe(RAM + 16);
    expect(GuestFault.format(stop)).toBe('illegal instruction 0x00000000 at pc 0x80000010');
  });
  it('stops on a trap loop (the handler entry itself faults)', () => {
    const { m } = machineWith([
      0x00000297, // auipc x5, 0
      0x04028293, // addi x5, x5, 64 → handler at RAM+0x40 holds zeros: illegal
      0x30529073, // csrrw x0, mtvec, x5
      0x00000073, // ecall
    ]);
    const stop = m.run(100);
    expect(stop).toMatchObject({ kind: 'trap', cause: 2, pc: RAM + 0x40 });
  });
  it('running off the end of RAM is an instruction access fault', () => {
    const { m } = machineWith([
      0x801000b7, // lui x1, 0x80100
      0xffc08067, // jalr x0, -4(x1)      → the last word of the 1 MiB RAM
    ], { data: [{ addr: RAM + (1 << 20) - 4, bytes: Uint8Array.of(0x13, 0, 0, 0) /* nop */ }] });
    const stop = m.run(1_000_000);
    expect(stop).toMatchObject({ kind: 'trap', cause: 1, pc: RAM + (1 << 20), tval: RAM + (1 << 20), insn: 0 });
    expect(m.icount).toBe(3);
    expect(GuestFault.format(stop)).toBe('instruction access fault: target 0x80100000 at pc 0x80100000');
  });
});

describe('interrupts', () => {
  const timerGuest = withHandler([
    0x08000313, // addi x6, x0, 0x80
    0x30431073, // csrrw x0, mie, x6      (MTIE)
    0x30046073, // csrrsi x0, mstatus, 8  (MIE)
    0x0000006f, // l: jal x0, l
  ]);

  it('timer interrupt → 0x80000007, mepc = next instruction, MIE→MPIE', () => {
    const { m } = machineWith(timerGuest);
    m.run(20);
    expect(m.wantsTimer(0)).toBe(false); // mtimecmp resets to all ones
    m.deliver({ kind: 'timer' });
    expect(m.timerPending).toBe(true);
    m.run(30);
    const x = m.registers().x;
    expect([x[10] >>> 0, x[11] >>> 0]).toEqual([Cause.M_TIMER_INTERRUPT, RAM + 0x18]);
    expect(m.csrs().mstatus).toBe(0x1880); // MPP = M, MPIE = 1, MIE = 0
  });

  it('vectored mtvec sends interrupts to base + 4·cause, exceptions to base', () => {
    const words = withHandler([
      0x00000297, // auipc x5, 0            (at +0x0c)
      0x03528293, // addi x5, x5, 53 → RAM+0x41: base RAM+0x40, vectored
      0x30529073, // csrrw x0, mtvec, x5
      0x08000313, // addi x6, x0, 0x80
      0x30431073, // csrrw x0, mie, x6
      0x30046073, // csrrsi x0, mstatus, 8
      0x0000006f, // l: jal x0, l
    ]);
    words[(0x5c) / 4] = 0x00700a13; // addi x20, x0, 7 (timer vector)
    words[(0x60) / 4] = 0x0000006f; // jal x0, 0
    const { m } = machineWith(words);
    m.run(20);
    m.deliver({ kind: 'timer' });
    m.run(30);
    expect(m.registers().x[20]).toBe(7);
    expect(m.pc).toBe(RAM + 0x60);
  });

  it('NIC receive → machine external interrupt 0x8000000B', () => {
    const words = withHandler([
      0x102000b7, // lui x1, 0x10200       NIC
      0x80001137, // lui x2, 0x80001
      0x0020a023, // sw x2, 0(x1)           RX_ADDR = 0x80001000
      0x10000113, // addi x2, x0, 256
      0x0020a223, // sw x2, 4(x1)           RX_CAP = 256
      0x00200113, // addi x2, x0, 2
      0x0020a623, // sw x2, 12(x1)          RX_CTRL = IE
      0x00001337, // lui x6, 0x1
      0x80030313, // addi x6, x6, -2048     MEIE
      0x30431073, // csrrw x0, mie, x6
      0x30046073, // csrrsi x0, mstatus, 8
      0x0000006f, // l: jal x0, l
    ]);
    const { m } = machineWith(words);
    m.run(30);
    m.deliver({ kind: 'packet', bytes: Uint8Array.of(1, 2, 3) });
    m.run(40);
    const x = m.registers().x;
    expect(x[10] >>> 0).toBe(Cause.M_EXTERNAL_INTERRUPT);
    expect(Array.from(m.readMemory(RAM + 0x1000, 4))).toEqual([1, 2, 3, 0]);
  });

  it('mret restores MIE from MPIE and sets MPIE', () => {
    const { m } = machineWith([
      0x08000313, // addi x6, x0, 0x80
      0x30031073, // csrrw x0, mstatus, x6   (MPIE = 1, MIE = 0)
      0x00000397, // auipc x7, 0
      0x01438393, // addi x7, x7, 20          → RAM + 0x1c
      0x34139073, // csrrw x0, mepc, x7
      0x30200073, // mret
      0x00100413, // addi x8, x0, 1 (skipped)
      0x300024f3, // csrrs x9, mstatus, x0
    ]);
    m.run(7);
    expect(m.registers().x[8]).toBe(0);
    expect(m.registers().x[9]).toBe(0x1888);
  });

  it('wfi parks the hart until an enabled interrupt is pending (even with MIE clear)', () => {
    const { m } = machineWith([
      0x08000313, // addi x6, x0, 0x80
      0x30431073, // csrrw x0, mie, x6   (MTIE, MIE stays 0)
      0x10500073, // wfi
      0x00100413, // addi x8, x0, 1
    ]);
    expect(m.run(100)).toEqual({ kind: 'wfi' });
    expect(m.icount).toBe(3);
    expect(m.run(100)).toEqual({ kind: 'wfi' });
    expect(m.icount).toBe(3);
    m.deliver({ kind: 'timer' });
    expect(m.run(4)).toEqual({ kind: 'budget' });
    expect(m.registers().x[8]).toBe(1);
  });

  it('CLINT msip raises a software interrupt 0x80000003', () => {
    const { m } = machineWith(withHandler([
      0x00800313, // addi x6, x0, 8
      0x30431073, // csrrw x0, mie, x6   (MSIE)
      0x30046073, // csrrsi x0, mstatus, 8
      0x00100113, // addi x2, x0, 1
      0x020001b7, // lui x3, 0x2000
      0x0021a023, // sw x2, 0(x3)       msip[0] = 1
      0x0000006f, // l: jal x0, l
    ]));
    m.run(30);
    expect(m.registers().x[10] >>> 0).toBe(Cause.M_SOFTWARE_INTERRUPT);
    expect(m.registers().x[11] >>> 0).toBe(RAM + 0x24);
  });
});
