import { describe, expect, it } from 'vitest';
import { machineWith, RAM } from './helpers/guest';

describe('CSRs and the non-determinism boundary', () => {
  const clock = [
    0xc00020f3, // csrrs x1, cycle, x0
    0xc0102173, // csrrs x2, time, x0
    0x015011f3, // csrrw x3, seed, x0
    0xfc002273, // csrrs x4, mhostid (0xfc0), x0
    0xc80022f3, // csrrs x5, cycleh, x0
    0xc8102373, // csrrs x6, timeh, x0
    0xc02023f3, // csrrs x7, instret, x0
    0xb0202473, // csrrs x8, minstret, x0
    0x0200c4b7, // lui x9, 0x200c
    0xff84a503, // lw x10, -8(x9)      CLINT mtime lo
    0xffc4a583, // lw x11, -4(x9)      CLINT mtime hi
    0x34039073, // csrrw x0, mscratch, x7
    0xf1402673, // csrrs x12, mhartid, x0
    0x301026f3, // csrrs x13, misa, x0
    0xb0002773, // csrrs x14, mcycle, x0
    0xc82027f3, // csrrs x15, instreth, x0
  ];

  it('calls nondetRead exactly for cycle/time/seed/mhostid/mtime, with the icount before the read', () => {
    const { m, port } = machineWith(clock);
    expect(m.run(clock.length)).toEqual({ kind: 'budget' });
    expect(port.reads).toEqual([
      { source: 'cycle', half: 'lo', icount: 0 },
      { source: 'time', half: 'lo', icount: 1 },
      { source: 'seed', half: 'lo', icount: 2 },
      { source: 'hostid', half: 'lo', icount: 3 },
      { source: 'cycle', half: 'hi', icount: 4 },
      { source: 'time', half: 'hi', icount: 5 },
      { source: 'mtime', half: 'lo', icount: 9 },
      { source: 'mtime', half: 'hi', icount: 10 },
      { source: 'cycle', half: 'lo', icount: 14 },
    ]);
    const x = Array.from(m.registers().x, (v) => v >>> 0);
    expect(x.slice(1, 7)).toEqual(Array(6).fill(0x1234_5678));
    expect([x[7], x[8], x[10], x[11], x[12], x[13], x[15]]).toEqual([6, 7, 0x1234_5678, 0x1234_5678, 0, 0x4000_1100, 0]);
    expect(m.csrs().mscratch).toBe(6);
  });

  it('keeps mip interrupt bits read-only and mie/mtvec WARL', () => {
    const { m } = machineWith([
      0xfff00113, // addi x2, x0, -1
      0x34411073, // csrrw x0, mip, x2
      0x30411073, // csrrw x0, mie, x2
      0x30511073, // csrrw x0, mtvec, x2
      0x34111073, // csrrw x0, mepc, x2
    ]);
    m.run(5);
    expect(m.csrs()).toMatchObject({ mip: 0, mie: 0x888, mtvec: 0xffff_fffd, mepc: 0xffff_fffc });
  });

  it('gives each hart its mhartid in multicore mode', () => {
    const { m } = machineWith([
      0xf1402673, // csrrs x12, mhartid, x0
      0x0000006f, // l: jal x0, l
    ], { harts: 2 });
    m.runHart(1, 3);
    expect(m.registers(1).x[12]).toBe(1);
    expect(m.registers(0).x[12]).toBe(0);
    expect(m.icount).toBe(3);
    expect(m.run(103)).toEqual({ kind: 'budget' });
    expect(m.icount).toBe(103);
    expect(m.registers(0).x[12]).toBe(0);
    expect(m.registers(0).pc).toBe(RAM + 4);
  });
});
