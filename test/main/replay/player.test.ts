import { afterAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openWorkspaceDb } from '../../../src/main/db/workspaceDb';
import { recordSoloRun } from '../../../src/main/recorder/recordSolo';
import { ReplayPlayer, type PlayerFrame } from '../../../src/main/replay/player';
import { openReplayer } from '../../../src/main/replay/replaySession';
import { tempDir } from '../../helpers/tmp';
import { churnImage } from './helpers';

const tmp = tempDir('ftlab-player-');
afterAll(() => tmp.cleanup());

describe('replay player', () => {
  it('plays forward at the chosen speed and stops at the end of the recording', () => {
    vi.useFakeTimers();
    try {
      const db = openWorkspaceDb(join(tmp.dir, 'p.sqlite'));
      const id = recordSoloRun(db, { name: 'p', engine: 'sim' }, { image: churnImage(), instructions: 100_000, checkpointEvery: 50_000 }).sessionId;
      const r = openReplayer(db, id);
      r.seek(0);
      const frames: PlayerFrame[] = [];
      const p = new ReplayPlayer(r, (f) => frames.push(f));
      p.play(300_000); // ≈ 9,900 instructions per 33 ms frame
      vi.advanceTimersByTime(33 * 3);
      expect(frames.map((f) => f.icount)).toEqual([9900, 19800, 29700]);
      vi.advanceTimersByTime(33 * 20);
      expect(frames.at(-1)).toEqual({ icount: 100_000, endIcount: 100_000, playing: false });
      expect(p.playing).toBe(false);
      db.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
