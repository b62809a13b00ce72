/**
 * Time series sampled from the live state for the plots (backup lag, log
 * bandwidth, output latency) and the bytes each replication scheme shipped
 * for the same program (log vs checkpoint). Column arrays as uPlot wants
 * them; bounded by halving the resolution when full.
 */
import type { LabState } from '../../../shared/labApi';

export interface SchemeCurve {
  readonly scheme: 'log' | 'checkpoint';
  readonly program: string;
  /** Primary instructions executed → bytes shipped to the backup so far. */
  readonly icount: number[];
  readonly bytes: number[];
}

export class SeriesRecorder {
  /** Seconds since the run started. */
  t: number[] = [];
  lag: number[] = [];
  /** Bytes per second over the logging channel. */
  bandwidth: number[] = [];
  /** Median time an output was held by the output rule (µs); null when none yet. */
  latency: (number | null)[] = [];
  /** The primary's instruction count at each sample (maps a log entry to a moment). */
  icount: number[] = [];
  private lastBytes = 0;
  private lastMs = 0;
  /** The latest run of each scheme, per program (image hash). */
  readonly curves = new Map<string, SchemeCurve>();

  constructor(readonly maxPoints = 4000) {}

  clear(): void {
    this.t = [];
    this.lag = [];
    this.bandwidth = [];
    this.latency = [];
    this.icount = [];
    this.lastBytes = 0;
    this.lastMs = 0;
  }

  record(s: LabState): void {
    if (s.run !== 'running' && s.run !== 'paused' && s.run !== 'stopped') return;
    const last = this.t[this.t.length - 1];
    const tSec = s.atMs / 1000;
    if (last !== undefined && tSec <= last) return;
    const backup = s.machines.find((m) => m.role === 'backup');
    const dtMs = s.atMs - this.lastMs;
    const bw = dtMs > 0 ? ((s.logChannel.bytes - this.lastBytes) * 1000) / dtMs : 0;
    this.lastBytes = s.logChannel.bytes;
    this.lastMs = s.atMs;
    this.t.push(tSec);
    this.lag.push(backup ? backup.lagIcount : 0);
    this.bandwidth.push(Math.max(0, bw));
    this.latency.push(s.outputs.heldUsMedian);
    this.icount.push(s.machines.find((m) => m.role === 'primary')?.icount ?? this.icount[this.icount.length - 1] ?? 0);
    if (this.t.length > this.maxPoints) this.halve();
    this.recordScheme(s);
  }

  private recordScheme(s: LabState): void {
    if (!s.program) return;
    const primary = s.machines.find((m) => m.role === 'primary');
    if (!primary) return;
    const key = `${s.program.imageHash}/${s.settings.scheme}`;
    let curve = this.curves.get(key);
    if (!curve || (curve.icount.length && primary.icount < curve.icount[curve.icount.length - 1]!)) {
      // A new run of this program under this scheme replaces the previous one.
      curve = { scheme: s.settings.scheme, program: s.program.imageHash, icount: [], bytes: [] };
      this.curves.set(key, curve);
    }
    const lastI = curve.icount[curve.icount.length - 1];
    if (lastI !== undefined && primary.icount === lastI) return;
    curve.icount.push(primary.icount);
    curve.bytes.push(s.logChannel.bytes);
    if (curve.icount.length > this.maxPoints) {
      const keep = (_: number, i: number) => i % 2 === 0;
      curve.icount.splice(0, curve.icount.length, ...curve.icount.filter(keep));
      curve.bytes.splice(0, curve.bytes.length, ...curve.bytes.filter(keep));
    }
  }

  /** Curves of both schemes for one program (for the log-vs-checkpoint plot). */
  schemeCurves(program: string): SchemeCurve[] {
    return [...this.curves.values()].filter((c) => c.program === program);
  }

  private halve(): void {
    const keep = (_: unknown, i: number) => i % 2 === 0;
    this.t = this.t.filter(keep);
    this.lag = this.lag.filter(keep);
    this.bandwidth = this.bandwidth.filter(keep);
    this.latency = this.latency.filter(keep);
    this.icount = this.icount.filter(keep);
  }

  /** Seconds into the run when the primary reached `icount` (first sample at or after it). */
  timeOfIcount(icount: number): number | undefined {
    let lo = 0;
    let hi = this.icount.length - 1;
    let best: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.icount[mid]! >= icount) {
        best = mid;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return best === undefined ? this.t[this.t.length - 1] : this.t[best];
  }
}
