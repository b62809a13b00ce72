/** Helpers for machine tests: images from hand-encoded words, a recording host port. */
import { MemoryMap, type ProgramImage } from '../../../../src/core/image';
import type { HostPort, MachineOutput, NondetSource } from '../../../../src/core/machine/hostPort';
import { Machine } from '../../../../src/core/machine/machine';

export const RAM = MemoryMap.ramBase;

/** An image whose code is `words` at 0x80000000, plus optional data segments. */
export function imageOf(words: readonly number[], data: { addr: number; bytes: Uint8Array }[] = [], tohost?: number): ProgramImage {
  const code = new Uint8Array(new Uint32Array(words.map((w) => w >>> 0)).buffer);
  return { entry: RAM, segments: [{ addr: RAM, bytes: code }, ...data], symbols: new Map(), tohost };
}

export class RecordingPort implements HostPort {
  readonly reads: { source: NondetSource; half: 'lo' | 'hi'; icount: number }[] = [];
  readonly outputs: MachineOutput[] = [];
  value = 0x1234_5678;

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    this.reads.push({ source, half, icount });
    return this.value;
  }

  output(out: MachineOutput): void {
    this.outputs.push(out);
  }

  uartText(): string {
    return this.outputs.filter((o) => o.device === 'uart').map((o) => String.fromCharCode(...o.bytes)).join('');
  }
}

/** A machine loaded with `words`; run it with `m.run(n)`. */
export function machineWith(words: readonly number[], opts: { harts?: number; tohost?: number; ramBytes?: number; data?: { addr: number; bytes: Uint8Array }[] } = {}): { m: Machine; port: RecordingPort } {
  const port = new RecordingPort();
  const m = new Machine({ port, ramBytes: opts.ramBytes ?? 1 << 20, harts: opts.harts });
  const problems = m.load(imageOf(words, opts.data ?? [], opts.tohost));
  if (problems.length > 0) throw new Error(problems[0].message);
  return { m, port };
}
