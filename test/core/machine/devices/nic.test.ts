import { describe, expect, it } from 'vitest';
import { Hart } from '../../../../src/core/machine/hart';
import { IRQ_MEI } from '../../../../src/core/machine/csr';
import { Nic, NicReg, NIC_RX_QUEUE_MAX } from '../../../../src/core/machine/devices/nic';

function nicWithMemory() {
  const mem = new Uint8Array(0x1000);
  const sent: Uint8Array[] = [];
  const hart = new Hart(0);
  const nic = new Nic(
    hart,
    {
      write: (addr, bytes) => { if (addr < 0 || addr + bytes.length > mem.length) return false; mem.set(bytes, addr); return true; },
      read: (addr, len) => (addr + len <= mem.length ? mem.slice(addr, addr + len) : null),
    },
    (b) => sent.push(b),
  );
  return { nic, mem, sent, hart };
}

describe('FT Lab NIC', () => {
  it('holds packets until a buffer is configured, then copies one at a time', () => {
    const { nic, mem, hart } = nicWithMemory();
    nic.receive(Uint8Array.of(1, 2, 3));
    nic.receive(Uint8Array.of(4, 5));
    expect(nic.read(NicReg.RX_LEN)).toBe(0);
    expect(nic.read(NicReg.RX_QUEUED)).toBe(2);
    nic.write(NicReg.RX_ADDR, 0x100);
    nic.write(NicReg.RX_CTRL, 2); // IE
    nic.write(NicReg.RX_CAP, 2); // truncates
    expect(nic.read(NicReg.RX_LEN)).toBe(2);
    expect(nic.read(NicReg.RX_CTRL)).toBe(3);
    expect(Array.from(mem.subarray(0x100, 0x103))).toEqual([1, 2, 0]);
    expect(hart.mip & IRQ_MEI).toBe(IRQ_MEI);
    nic.write(NicReg.RX_CTRL, 3); // ACK, keep IE: the next one is copied at once
    expect(Array.from(mem.subarray(0x100, 0x102))).toEqual([4, 5]);
    expect(nic.read(NicReg.RX_QUEUED)).toBe(0);
    nic.write(NicReg.RX_CTRL, 3);
    expect(nic.read(NicReg.RX_CTRL)).toBe(2);
    expect(hart.mip & IRQ_MEI).toBe(0);
  });

  it('drops packets beyond the queue bound and counts them', () => {
    const { nic } = nicWithMemory();
    for (let k = 0; k < NIC_RX_QUEUE_MAX + 3; k++) nic.receive(Uint8Array.of(k));
    expect(nic.read(NicReg.RX_QUEUED)).toBe(NIC_RX_QUEUE_MAX);
    expect(nic.read(NicReg.RX_DROPPED)).toBe(3);
  });

  it('transmits guest memory on TX_GO, and reports a bad range', () => {
    const { nic, mem, sent } = nicWithMemory();
    mem.set([9, 8, 7], 0x20);
    nic.write(NicReg.TX_ADDR, 0x20);
    nic.write(NicReg.TX_LEN, 3);
    nic.write(NicReg.TX_GO, 1);
    expect(sent.map((b) => Array.from(b))).toEqual([[9, 8, 7]]);
    expect(nic.read(NicReg.TX_GO)).toBe(0);
    nic.write(NicReg.TX_ADDR, 0xfff);
    nic.write(NicReg.TX_GO, 1);
    expect(nic.read(NicReg.TX_GO)).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('saves and loads its state including the queue', () => {
    const { nic } = nicWithMemory();
    nic.receive(Uint8Array.of(1));
    nic.write(NicReg.RX_ADDR, 0x40);
    const s = nic.save();
    const { nic: other } = nicWithMemory();
    other.load(structuredClone(s));
    expect(other.save()).toEqual(s);
  });
});
