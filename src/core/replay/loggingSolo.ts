/**
 * A primary with no backup that still logs every non-deterministic event, as
 * if a backup were attached: the workload of the recorder's tests and
 * benchmarks, and of `recordSoloRun`. Its host is a SoloPort (virtual clock,
 * seeded entropy); timer interrupts are injected at the exact icount where
 * mtime reaches mtimecmp; packets at the icounts given. Every entry and
 * output becomes an FtEvent on `emit`; a checkpoint is offered every
 * `checkpointEvery` instructions.
 *
 * `forget` lists sources whose reads are NOT logged (the "forget to log seed"
 * fault): a replay of such a recording must report the mismatch.
 */
import type { EventSink } from '../ft/events';
import type { LogEntry, NodeId } from '../ft/protocol';
import type { HostPort, MachineOutput, NondetSource } from '../machine/hostPort';
import { Machine } from '../machine/machine';
import { SOLO_INSNS_PER_TICK, SoloPort } from '../machine/soloPort';
import type { StopReason } from '../machine/stopReason';

export interface LoggingSoloOptions {
  readonly machine: (port: HostPort) => Machine;
  readonly emit: EventSink;
  readonly node?: NodeId;
  readonly seed?: number;
  readonly forget?: readonly NondetSource[];
  /** Instructions per slice; a heartbeat entry closes each slice. */
  readonly sliceInstructions?: number;
  /** Packets to deliver (sorted by icount). */
  readonly packets?: readonly { readonly icount: number; readonly bytes: Uint8Array }[];
  /** Called every `checkpointEvery` instructions (and at the start) between two instructions. */
  readonly onCheckpoint?: (host: LoggingSolo) => void;
  readonly checkpointEvery?: number;
}

export class LoggingSolo implements HostPort {
  readonly node: NodeId;
  readonly machine: Machine;
  readonly solo: SoloPort;
  private readonly emit: EventSink;
  private readonly forget: ReadonlySet<NondetSource>;
  private readonly slice: number;
  private packets: readonly { readonly icount: number; readonly bytes: Uint8Array }[];
  private nextPacket = 0;
  private nextSeq = 1;
  private nextCheckpoint = 0;
  private lastHeartbeat = 0;
  outputs = 0;
  logged = 0;
  released = 0;
  stop: StopReason | null = null;

  constructor(private readonly opts: LoggingSoloOptions) {
    this.node = opts.node ?? 'A';
    this.emit = opts.emit;
    this.forget = new Set(opts.forget ?? []);
    this.slice = opts.sliceInstructions ?? 100_000;
    this.packets = opts.packets ?? [];
    this.solo = new SoloPort({ seed: opts.seed ?? 1, hostId: 1 });
    this.machine = opts.machine(this);
  }

  private log(e: LogEntry): void {
    this.logged++;
    this.emit({ type: 'logged', node: this.node, entry: e });
  }

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    const value = this.solo.nondetRead(source, half, icount) >>> 0;
    if (!this.forget.has(source)) this.log({ kind: 'nondet', seq: this.nextSeq++, icount, source, half, value });
    return value;
  }

  output(out: MachineOutput): void {
    const index = this.outputs++;
    this.log({ kind: 'output', seq: this.nextSeq++, icount: out.icount, index });
    this.released = index + 1;
    this.emit({ type: 'output', node: this.node, index, icount: out.icount, device: out.device, bytes: out.bytes, fate: 'released', heldMs: 0 });
  }

  /** Run until `icountMax` or the guest stops for good. */
  run(icountMax: number): StopReason {
    const m = this.machine;
    const every = this.opts.checkpointEvery ?? 0;
    for (let turn = 0; turn < Number.MAX_SAFE_INTEGER; turn++) {
      if (every > 0 && m.icount >= this.nextCheckpoint) {
        this.opts.onCheckpoint?.(this);
        this.nextCheckpoint = m.icount + every;
      }
      const p = this.packets[this.nextPacket];
      if (p !== undefined && p.icount <= m.icount) {
        this.nextPacket++;
        this.log({ kind: 'packet', seq: this.nextSeq++, icount: m.icount, bytes: p.bytes });
        m.deliver({ kind: 'packet', bytes: p.bytes });
      }
      if (m.wantsTimer(this.solo.mtimeAt(m.icount))) {
        this.log({ kind: 'timer', seq: this.nextSeq++, icount: m.icount });
        m.deliver({ kind: 'timer' });
      }
      if (m.icount >= icountMax) return (this.stop = { kind: 'budget' });
      let target = Math.min(icountMax, m.icount + this.slice);
      if (every > 0) target = Math.min(target, Math.max(m.icount + 1, this.nextCheckpoint));
      const nextP = this.packets[this.nextPacket];
      if (nextP !== undefined) target = Math.min(target, Math.max(m.icount + 1, nextP.icount));
      const timerArmed = m.wantsTimer(Number.MAX_VALUE);
      if (timerArmed) {
        const due = Math.max(0, (m.mtimecmp - this.solo.skippedTicks) * SOLO_INSNS_PER_TICK);
        target = Math.min(target, Math.max(m.icount + 1, due));
      }
      const before = m.icount;
      const stop = m.run(target);
      if (stop.kind === 'halted' || stop.kind === 'trap') {
        this.heartbeat();
        return (this.stop = stop);
      }
      if (stop.kind === 'wfi' && m.icount === before) {
        if (!timerArmed && nextP === undefined) {
          this.heartbeat();
          return (this.stop = stop);
        }
        if (timerArmed) {
          const now = this.solo.mtimeAt(m.icount);
          if (m.mtimecmp > now) this.solo.skippedTicks += m.mtimecmp - now;
        } else if (nextP !== undefined) {
          // Idle until the packet arrives: it is delivered at the current icount.
          this.packets = [...this.packets.slice(0, this.nextPacket), { ...nextP, icount: m.icount }, ...this.packets.slice(this.nextPacket + 1)];
        }
      }
      if (m.icount - this.lastHeartbeat >= this.slice || m.icount >= icountMax) this.heartbeat();
    }
    return (this.stop = { kind: 'budget' });
  }

  private heartbeat(): void {
    this.lastHeartbeat = this.machine.icount;
    this.log({ kind: 'heartbeat', seq: this.nextSeq++, icount: this.machine.icount, released: this.released });
  }
}
