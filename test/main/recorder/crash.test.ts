import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifySession } from '../../../src/main/replay/replaySession';
import { listSessions, openSessionFile } from '../../../src/main/replay/sessions';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('ftlab-crash-');
afterAll(() => tmp.cleanup());

const child = fileURLToPath(new URL('./recordForever.mjs', import.meta.url));

function committed(file: string): { entries: number; checkpoints: number } {
  if (!existsSync(file)) return { entries: 0, checkpoints: 0 };
  try {
    const db = openSessionFile(file);
    try {
      const s = listSessions(db)[0];
      return { entries: s?.logEntries ?? 0, checkpoints: s?.checkpoints ?? 0 };
    } finally {
      db.close();
    }
  } catch {
    return { entries: 0, checkpoints: 0 }; // not created yet
  }
}

describe('a recording process killed with SIGKILL', () => {
  it('leaves an incomplete session that replays and verifies up to its last committed batch', async () => {
    const file = join(tmp.dir, 'killed.sqlite');
    const proc = spawn(process.execPath, [child, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const c = committed(file);
      if (c.entries >= 3000 && c.checkpoints >= 3) break;
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the recorder child did not get going: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const db = openSessionFile(file);
    const [s] = listSessions(db);
    expect(s).toMatchObject({ status: 'incomplete', name: 'killed mid-run', endedAt: null });
    const v = verifySession(db, s!.id);
    expect(v.firstMismatch).toBeNull();
    expect(v.verified).toBe(true);
    const a = v.nodes[0]!;
    expect(a.icount).toBe(a.endIcount);
    expect(a.icount).toBeGreaterThanOrEqual(200_000);
    expect(a.checkpointsVerified).toBe(s!.checkpoints);
    expect(a.entriesReplayed).toBe(s!.logEntries); // every committed entry, no more
    db.close();
  });
});
