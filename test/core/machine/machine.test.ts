import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/core/machine/machine';
import { PAGE_BYTES } from '../../../src/core/machine/memory';
import { unpackSnapshot } from '../../../src/core/machine/snapshot';
import { machineWith, RAM, RecordingPort } from './helpers/guest';

const hello = [
  0x100001b7, // lui x3, 0x10000        UART
  0x04800213, // addi x4, x0, 72        'H'
  0x00418023, // sb x4, 0(x3)
  0x06900213, // addi x4, x0, 105       'i'
  0x00418023, // sb x4, 0(x3)
  0x0051c283, // lbu x5, 5(x3)          LSR
  0x001000b7, // lui x1, 0x100          finisher
  0x002a3137, // lui x2, 0x2a3
  0x33310113, // addi x2, x2, 0x333     (42 << 16) | 0x3333
  0x0020a023, // sw x2, 0(x1)
];

describe('devices and exits', () => {
  it('UART bytes are outputs stamped with the icount; the finisher sets the exit code', () => {
    const { m, port } = machineWith(hello);
    expect(m.run(1000)).toEqual({ kind: 'halted', exitCode: 42 });
    expect(m.icount).toBe(10);
    expect(port.uartText()).toBe('Hi');
    expect(port.outputs.map((o) => o.icount)).toEqual([2, 4]);
    expect(m.registers().x[5]).toBe(0x60);
    expect(m.run(2000)).toEqual({ kind: 'halted', exitCode: 42 });
    expect(m.halted).toBe(42);
  });

  it('finisher 0x5555 exits 0', () => {
    const { m } = machineWith([
      0x001000b7, // lui x1, 0x100
      0x00005137, // lui x2, 0x5
      0x55510113, // addi x2, x2, 0x555
      0x0020a023, // sw x2, 0(x1)
    ]);
    expect(m.run(100)).toEqual({ kind: 'halted', exitCode: 0 });
  });

  it('the first non-zero store to tohost ends the run (odd v → v >> 1, 1 → 0)', () => {
    const prog = (v: number) => [
      0x800010b7, // lui x1, 0x80001
      0x0000a023, // sw x0, 0(x1)    (zero: keeps running)
      0x00000113 | (v << 20), // addi x2, x0, v
      0x0020a023, // sw x2, 0(x1)
      0x0000006f, // l: jal x0, l
    ];
    const a = machineWith(prog(7), { tohost: RAM + 0x1000 }).m;
    expect(a.run(100)).toEqual({ kind: 'halted', exitCode: 3 });
    expect(a.icount).toBe(4);
    const b = machineWith(prog(1), { tohost: RAM + 0x1000 }).m;
    expect(b.run(100)).toEqual({ kind: 'halted', exitCode: 0 });
    const c = machineWith(prog(7)).m; // no tohost symbol: just a store
    expect(c.run(100)).toEqual({ kind: 'budget' });
  });

  it('rejects images outside RAM with a diagnostic', () => {
    const m = new Machine({ port: new RecordingPort(), ramBytes: 1 << 20 });
    const d = m.load({ entry: 0, segments: [{ addr: 0x1000, bytes: new Uint8Array(4) }], symbols: new Map() });
    expect(d).toHaveLength(1);
    expect(d[0].message).toMatch(/outside RAM/);
  });

  it('stops at breakpoints and resumes from them', () => {
    const { m } = machineWith([
      0x00108093, // l: addi x1, x1, 1
      0xffdff06f, // jal x0, l
    ]);
    m.breakpoints.add(RAM);
    expect(m.run(100)).toEqual({ kind: 'breakpoint', pc: RAM, hart: 0 });
    expect(m.icount).toBe(0);
    expect(m.run(100)).toEqual({ kind: 'breakpoint', pc: RAM, hart: 0 });
    expect(m.icount).toBe(2);
    m.breakpoints.clear();
    expect(m.run(100)).toEqual({ kind: 'budget' });
    expect(m.registers().x[1]).toBe(50);
  });
});

describe('snapshots and hashes', () => {
  const counter = [
    0x800010b7, // lui x1, 0x80001
    0x0000a103, // l: lw x2, 0(x1)
    0x00110113, // addi x2, x2, 1
    0x0020a023, // sw x2, 0(x1)
    0xff5ff06f, // jal x0, l
  ];

  it('round-trips through a snapshot: same hash, same future', () => {
    const { m } = machineWith(counter);
    m.run(1001);
    const snap = m.snapshot();
    const h = m.stateHash();
    const clone = structuredClone(snap);
    const other = Machine.fromSnapshot(clone, new RecordingPort());
    expect(other.stateHash()).toBe(h);
    expect(other.icount).toBe(1001);
    m.run(5000);
    other.run(5000);
    expect(other.stateHash()).toBe(m.stateHash());
    expect(other.readMemory(RAM + 0x1000, 4)).toEqual(m.readMemory(RAM + 0x1000, 4));
    m.restore(snap);
    expect(m.stateHash()).toBe(h);
  });

  it('packs a snapshot into one buffer that unpacks to the very same snapshot (two harts, queued packets, a timer set)', () => {
    const { m } = machineWith(counter, { harts: 2 });
    m.run(2001);
    // Packets the guest has not taken yet sit in the NIC's queue: they are state too.
    m.deliver({ kind: 'packet', bytes: Uint8Array.of(1, 2, 3) });
    m.deliver({ kind: 'packet', bytes: Uint8Array.of(9, 8, 7, 6, 5) });
    const packed = m.snapshotPacked();
    expect(packed.byteLength).toBe(packed.buffer.byteLength); // one private buffer: it can be transferred
    const snap = m.snapshot();
    expect(snap.harts).toHaveLength(2);
    expect(snap.nic.queue.length).toBeGreaterThan(0);
    expect(unpackSnapshot(packed, PAGE_BYTES)).toEqual(snap);
    const other = Machine.fromSnapshot(unpackSnapshot(packed, PAGE_BYTES), new RecordingPort());
    expect(other.stateHash()).toBe(m.stateHash());
    m.run(9000);
    other.run(9000);
    expect(other.stateHash()).toBe(m.stateHash());
  });

  it.each(['blocks', 'interpreter'] as const)('restores over other code and data (%s): nothing decoded or written before survives', (engine) => {
    // Machine m runs the counter (its code decoded, its data page written); then it takes the
    // snapshot of a machine that ran different code at the same addresses and never wrote that page.
    const other = [
      0x00100093, // addi x1, x0, 1
      0x00108093, // l: addi x1, x1, 1
      0xffdff06f, // jal x0, l
    ];
    const { m } = machineWith(counter);
    const mine = new Machine({ port: new RecordingPort(), ramBytes: 1 << 20, engine });
    mine.restore(m.snapshot());
    mine.run(20_000); // decodes (and compiles) the counter, writes its page
    expect(mine.readMemory(RAM + 0x1000, 4)).not.toEqual(new Uint8Array(4));
    const { m: fresh } = machineWith(other);
    fresh.run(500);
    mine.restore(fresh.snapshot());
    expect(mine.readMemory(RAM + 0x1000, 4)).toEqual(new Uint8Array(4));
    expect(mine.stateHash()).toBe(fresh.stateHash());
    mine.run(5_000);
    fresh.run(5_000);
    expect(mine.registers(0).x[1]).toBe(fresh.registers(0).x[1]);
    expect(mine.stateHash()).toBe(fresh.stateHash());
  });

  it('refuses a buffer that is not a packed snapshot, or is cut short', () => {
    const { m } = machineWith(counter);
    m.run(100);
    const packed = m.snapshotPacked();
    expect(() => unpackSnapshot(new Uint8Array(256), PAGE_BYTES)).toThrow(/bad magic/);
    expect(() => unpackSnapshot(packed.slice(0, packed.byteLength - PAGE_BYTES), PAGE_BYTES)).toThrow(/truncated/);
    expect(() => unpackSnapshot(new Uint8Array(8), PAGE_BYTES)).toThrow(/too short/);
  });

  it('changes the hash on a memory write, a register write, or a pending event', () => {
    const { m } = machineWith(counter);
    m.run(1);
    const h0 = m.stateHash();
    expect(m.stateHash()).toBe(h0);
    m.run(5); // icount target 5: stores 1 to memory
    const h1 = m.stateHash();
    expect(h1).not.toBe(h0);
    const pages0 = m.pageHashes();
    m.run(13);
    const pages1 = m.pageHashes();
    const changed = Array.from(pages1.keys()).filter((p) => pages0[p] !== pages1[p]);
    expect(changed).toEqual([1]);
    const h2 = m.stateHash();
    m.deliver({ kind: 'timer' });
    expect(m.stateHash()).not.toBe(h2);
    const { m: n } = machineWith(counter);
    n.run(13);
    expect(n.stateHash()).toBe(h2);
  });

  it('reports dirty pages since the last call', () => {
    const { m } = machineWith(counter);
    expect(Array.from(m.dirtyPages())).toEqual([0]); // the loaded code
    expect(Array.from(m.dirtyPages())).toEqual([]);
    m.run(10);
    expect(Array.from(m.dirtyPages())).toEqual([1]);
    expect(Array.from(m.dirtyPages())).toEqual([]);
  });
});
