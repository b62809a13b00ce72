import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Machine } from '../../../src/core/machine/machine';
import { LoggingSolo } from '../../../src/core/replay/loggingSolo';
import { OffThreadRecorder } from '../../../src/main/recorder/offThreadRecorder';
import { machineCheckpoint } from '../../../src/main/recorder/recordSolo';
import { snapshotStateHash } from '../../../src/main/recorder/snapshotHash';
import { verifySession } from '../../../src/main/replay/replaySession';
import { listSessions, openSessionFile } from '../../../src/main/replay/sessions';
import { tempDir } from '../../helpers/tmp';
import { churnImage } from '../replay/helpers';

const tmp = tempDir('ftlab-offthread-');
afterAll(() => tmp.cleanup());

describe('off-thread recorder', () => {
  it('records everything the machine logged in a worker; counts match and the session replays', async () => {
    const file = join(tmp.dir, 'off.sqlite');
    let host: LoggingSolo | null = null;
    const rec = await OffThreadRecorder.open(file, { name: 'off-thread', engine: 'live', seed: 2 }, { now: () => (host?.machine.icount ?? 0) / 1e5, batchEntries: 300, flushRows: 200 });
    const image = churnImage();
    let events = 0;
    host = new LoggingSolo({
      machine: (port) => {
        const m = new Machine({ port });
        m.load(image);
        return m;
      },
      emit: (ev) => {
        if (ev.type !== 'logged') events++;
        rec.sink(ev);
      },
      seed: 2,
      checkpointEvery: 100_000,
      onCheckpoint: (h) => rec.checkpoint(h.node, machineCheckpoint(h.machine, h.outputs)),
    });
    host.run(450_000);
    rec.sink({ type: 'role', node: 'A', role: 'primary', reason: 'end of test' });
    const stats = await rec.finish({ ok: true }, { logged: host.logged });
    expect(stats.committed.logEntries).toBe(host.logged);
    expect(stats.committed.outputs).toBe(host.outputs);
    expect(stats.committed.events).toBe(1);
    expect(stats.committed.checkpoints).toBe(5);
    expect(rec.backlog.entries).toBe(0);
    expect(rec.backlog.entriesMax).toBeGreaterThan(0);
    expect(stats.flushes).toBeGreaterThan(1);

    const db = openSessionFile(file);
    const [s] = listSessions(db);
    expect(s).toMatchObject({ status: 'complete', logEntries: host.logged, outputs: host.outputs, checkpoints: 5 });
    const v = verifySession(db, s!.id);
    expect(v.firstMismatch).toBeNull();
    expect(v.nodes[0]!.icount).toBe(450_000);
    db.close();
    expect(events).toBe(host.outputs);
    // The hash the recorder computes from a snapshot is the machine's own.
    expect(snapshotStateHash(host.machine.snapshot())).toBe(host.machine.stateHash());
  });
});
