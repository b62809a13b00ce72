/**
 * FT Lab NIC at MemoryMap.nicBase (0x1020_0000) — the one place its registers
 * are defined. All registers are 32-bit; byte/halfword accesses see the same
 * little-endian word.
 *
 * | off  | name       | access | meaning                                                    |
 * |------|------------|--------|------------------------------------------------------------|
 * | 0x00 | RX_ADDR    | rw     | guest physical address of the receive buffer (in RAM)      |
 * | 0x04 | RX_CAP     | rw     | capacity of that buffer in bytes; 0 = no buffer yet        |
 * | 0x08 | RX_LEN     | r      | bytes the VMM copied for the current packet (0 = none)     |
 * | 0x0C | RX_CTRL    | rw     | read: bit 0 RX_FULL (a packet is in the buffer, not yet acknowledged), bit 1 IE. write: bit 0 = 1 → ACK (release the buffer), bit 1 → IE (interrupt enable) |
 * | 0x10 | RX_QUEUED  | r      | packets waiting behind the current one (≤ NIC_RX_QUEUE_MAX) |
 * | 0x14 | RX_DROPPED | r      | packets dropped: queue full, or the buffer is not in RAM   |
 * | 0x18 | TX_ADDR    | rw     | guest address of the packet to send                        |
 * | 0x1C | TX_LEN     | rw     | its length in bytes (≤ NIC_PACKET_MAX)                     |
 * | 0x20 | TX_GO      | rw     | write: send bytes [TX_ADDR, TX_ADDR+TX_LEN) as one output packet; read: 0 = last send ok, 1 = range not in RAM (nothing sent) |
 *
 * Receive (the bounce buffer): `Machine.deliver({ kind: 'packet', bytes })`
 * arrives between two instructions. If the buffer is free (RX_FULL = 0) and
 * configured (RX_CAP > 0), the VMM copies min(len, RX_CAP) bytes to RX_ADDR
 * *at that moment*, sets RX_LEN and RX_FULL. Otherwise the packet waits in a
 * FIFO of at most NIC_RX_QUEUE_MAX packets; a packet arriving at a full FIFO is
 * dropped and counted in RX_DROPPED. On ACK (or when the guest first sets
 * RX_CAP) the next waiting packet is copied in immediately. Every copy happens
 * at an instruction boundary fixed by the guest or by a logged event, so the
 * backup's memory evolves exactly like the primary's.
 *
 * Interrupt: machine external interrupt of hart 0 (mip.MEIP, mcause
 * 0x8000000B), level-triggered: MEIP = RX_FULL && IE. There is no PLIC; the
 * guest clears it by acknowledging (or clearing IE).
 *
 * Transmit: a write to TX_GO emits a HostPort output `{ device: 'nic', bytes }`.
 */
import type { Hart } from '../hart';
import { IRQ_MEI } from '../csr';

export const NIC_SIZE = 0x100;
export const NIC_RX_QUEUE_MAX = 16;
export const NIC_PACKET_MAX = 65536;

export const NicReg = {
  RX_ADDR: 0x00, RX_CAP: 0x04, RX_LEN: 0x08, RX_CTRL: 0x0c, RX_QUEUED: 0x10, RX_DROPPED: 0x14,
  TX_ADDR: 0x18, TX_LEN: 0x1c, TX_GO: 0x20,
} as const;

export const RX_CTRL_FULL = 1;
export const RX_CTRL_IE = 2;

/** What the NIC needs from the machine: guest RAM copy in/out. */
export interface NicMemory {
  /** Copies `bytes` into guest RAM; false when the range is not all RAM. */
  write(addr: number, bytes: Uint8Array): boolean;
  /** A copy of guest RAM [addr, addr+len), or null when not all RAM. */
  read(addr: number, len: number): Uint8Array | null;
}

export interface NicState {
  readonly regs: Uint32Array; // rxAddr, rxCap, rxLen, full, ie, dropped, txAddr, txLen, txStatus
  readonly queue: readonly Uint8Array[];
}

export class Nic {
  rxAddr = 0;
  rxCap = 0;
  rxLen = 0;
  full = false;
  ie = false;
  dropped = 0;
  txAddr = 0;
  txLen = 0;
  txStatus = 0;
  queue: Uint8Array[] = [];

  constructor(
    private readonly hart0: Hart,
    private readonly mem: NicMemory,
    private readonly send: (bytes: Uint8Array) => void,
  ) {}

  reset(): void {
    this.load({ regs: new Uint32Array(9), queue: [] });
  }

  /** A packet from the network (bytes are copied; the caller may reuse them). */
  receive(bytes: Uint8Array): void {
    if (this.queue.length >= NIC_RX_QUEUE_MAX) {
      this.dropped = (this.dropped + 1) >>> 0;
      return;
    }
    this.queue.push(bytes.slice(0, NIC_PACKET_MAX));
    this.pump();
  }

  read(off: number): number {
    switch (off) {
      case NicReg.RX_ADDR: return this.rxAddr | 0;
      case NicReg.RX_CAP: return this.rxCap | 0;
      case NicReg.RX_LEN: return this.rxLen;
      case NicReg.RX_CTRL: return (this.full ? RX_CTRL_FULL : 0) | (this.ie ? RX_CTRL_IE : 0);
      case NicReg.RX_QUEUED: return this.queue.length;
      case NicReg.RX_DROPPED: return this.dropped | 0;
      case NicReg.TX_ADDR: return this.txAddr | 0;
      case NicReg.TX_LEN: return this.txLen | 0;
      case NicReg.TX_GO: return this.txStatus;
      default: return 0;
    }
  }

  write(off: number, value: number): void {
    const v = value >>> 0;
    switch (off) {
      case NicReg.RX_ADDR: this.rxAddr = v; break;
      case NicReg.RX_CAP: this.rxCap = Math.min(v, NIC_PACKET_MAX); this.pump(); break;
      case NicReg.RX_CTRL:
        this.ie = (v & RX_CTRL_IE) !== 0;
        if ((v & RX_CTRL_FULL) && this.full) {
          this.full = false;
          this.rxLen = 0;
          this.pump();
        }
        break;
      case NicReg.TX_ADDR: this.txAddr = v; break;
      case NicReg.TX_LEN: this.txLen = Math.min(v, NIC_PACKET_MAX); break;
      case NicReg.TX_GO: {
        const bytes = this.mem.read(this.txAddr, this.txLen);
        this.txStatus = bytes ? 0 : 1;
        if (bytes) this.send(bytes);
        break;
      }
      default: break;
    }
    this.updateIrq();
  }

  /** Moves the next waiting packet into the guest buffer if it is free. */
  private pump(): void {
    while (!this.full && this.rxCap > 0 && this.queue.length > 0) {
      const pkt = this.queue.shift()!;
      const n = Math.min(pkt.length, this.rxCap);
      if (this.mem.write(this.rxAddr, pkt.subarray(0, n))) {
        this.rxLen = n;
        this.full = true;
      } else {
        this.dropped = (this.dropped + 1) >>> 0;
      }
    }
    this.updateIrq();
  }

  private updateIrq(): void {
    const h = this.hart0;
    if (this.full && this.ie) {
      h.mip |= IRQ_MEI;
      if (h.mie & IRQ_MEI) h.waiting = false;
    } else {
      h.mip &= ~IRQ_MEI;
    }
  }

  save(): NicState {
    return {
      regs: Uint32Array.of(this.rxAddr, this.rxCap, this.rxLen, this.full ? 1 : 0, this.ie ? 1 : 0,
        this.dropped, this.txAddr, this.txLen, this.txStatus),
      queue: this.queue.map((q) => q.slice()),
    };
  }

  load(s: NicState): void {
    const r = s.regs;
    this.rxAddr = r[0]; this.rxCap = r[1]; this.rxLen = r[2]; this.full = r[3] !== 0; this.ie = r[4] !== 0;
    this.dropped = r[5]; this.txAddr = r[6]; this.txLen = r[7]; this.txStatus = r[8];
    this.queue = s.queue.map((q) => q.slice());
  }
}
