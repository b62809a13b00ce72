/**
 * A tiny deterministic stand-in for the guest machine, for testing the FT
 * protocol in isolation: a counter server. Each packet takes `work`
 * instructions — increment (and, if `readsSeed`, read the entropy source),
 * nothing…, send the reply — then the machine waits (wfi) for the next packet.
 */
import type { HostPort, InjectedEvent } from '../../../src/core/machine/hostPort';
import type { ReplicaMachine, ReplicaStop } from '../../../src/core/ft/replicaMachine';

interface FakeState {
  icount: number;
  counter: number;
  seeds: number[];
  queue: number[][];
  phase: number;
}

export class FakeMachine implements ReplicaMachine {
  s: FakeState = { icount: 0, counter: 0, seeds: [], queue: [], phase: 0 };
  constructor(
    private readonly port: HostPort,
    private readonly readsSeed = false,
    /** Instructions per packet (≥ 3). */
    private readonly work = 3,
  ) {}
  get icount(): number {
    return this.s.icount;
  }
  get pc(): number {
    return 0x8000_0000 + this.s.phase * 4;
  }
  /** Print one UART byte per instruction, forever (an output-heavy guest). */
  chatty = false;

  run(target: number): ReplicaStop {
    while (this.chatty && this.s.icount < target) {
      this.port.output({ device: 'uart', icount: this.s.icount, bytes: Uint8Array.of(46) });
      this.s.icount++;
    }
    while (this.s.icount < target) {
      if (this.s.queue.length === 0) return { kind: 'wfi' };
      const pkt = this.s.queue[0]!;
      if (this.s.phase === 0) {
        this.s.counter++;
        if (this.readsSeed) this.s.seeds.push(this.port.nondetRead('seed', 'lo', this.s.icount));
      } else if (this.s.phase === this.work - 1) {
        const v = this.s.counter;
        // tag | counter (no reply sequence number: clients fall back to the VMM's output number)
        const reply = new Uint8Array(12);
        reply.set(pkt.slice(0, 8));
        new DataView(reply.buffer).setUint32(8, v, true);
        this.port.output({ device: 'nic', icount: this.s.icount, bytes: reply });
        this.s.queue.shift();
      }
      this.s.phase = (this.s.phase + 1) % this.work;
      this.s.icount++;
    }
    return { kind: 'budget' };
  }
  deliver(ev: InjectedEvent): void {
    if (ev.kind === 'packet') this.s.queue.push([...ev.bytes]);
  }
  wantsTimer(): boolean {
    return false;
  }
  snapshot(): { data: unknown; byteLength: number } {
    return { data: structuredClone(this.s), byteLength: 64 };
  }
  restore(data: unknown): void {
    this.s = structuredClone(data as FakeState);
  }
  stateHash(): string {
    return JSON.stringify(this.s);
  }
  takeDirtyBytes(): number {
    return 4096;
  }
}
