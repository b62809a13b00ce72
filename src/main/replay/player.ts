/**
 * Play a replay at a chosen speed (instructions per second of the guest):
 * ~30 frames a second, each stepping the replayer forward by its share, and
 * reporting where it is. Stops at the end of the recording or at the first
 * mismatch the replay finds.
 */
import type { Replayer } from '../../core/replay/replayer';

export interface PlayerFrame {
  readonly icount: number;
  readonly endIcount: number;
  readonly playing: boolean;
}

const FRAME_MS = 33;

export class ReplayPlayer {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly replayer: Replayer,
    private readonly onFrame: (f: PlayerFrame) => void,
  ) {}

  get playing(): boolean {
    return this.timer !== null;
  }

  /** Play forward at `instructionsPerSec` (≥ 1). */
  play(instructionsPerSec: number): void {
    this.pause();
    const perFrame = Math.max(1, Math.round((instructionsPerSec * FRAME_MS) / 1000));
    this.timer = setInterval(() => {
      const r = this.replayer;
      const before = r.icount;
      r.step(perFrame);
      const done = r.icount >= r.endIcount || r.icount === before || r.firstMismatch !== null;
      if (done) this.pause();
      this.onFrame({ icount: r.icount, endIcount: r.endIcount, playing: !done });
    }, FRAME_MS);
  }

  pause(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
