/**
 * One node's track of a recorded session, read from SQLite for the replayer
 * (src/core/replay). Reads are paged (better-sqlite3 allows no other query on
 * the connection while an iterator is open), and a seek reads only the pages
 * it needs.
 */
import type { Statement } from 'better-sqlite3';
import type { NodeId } from '../../core/ft/protocol';
import type { CheckpointInfo, RecordedOutput, SessionTrack, TrackEntry } from '../../core/replay/track';
import type { Db } from '../db/workspaceDb';
import { entryFromRow } from '../recorder/logRows';
import { decodeSnapshot } from '../recorder/snapshotCodec';

/** Rows per read: small first (a seek needs only a few), growing to PAGE_ROWS_MAX. */
const PAGE_ROWS_FIRST = 64;
const PAGE_ROWS_MAX = 4096;

type EntryTuple = [ord: number, seq: number, icount: number, kind: string, payload: number | Uint8Array | null, timeUs: number];

export class SqliteTrack implements SessionTrack {
  readonly checkpoints: readonly CheckpointInfo[];
  readonly endIcount: number;
  private readonly entryPage: Statement;
  private readonly outputPage: Statement;
  private readonly snapshotOf: Statement;
  private readonly atTime: Statement;

  constructor(
    db: Db,
    readonly sessionId: number,
    readonly node: NodeId,
  ) {
    this.checkpoints = (
      db
        .prepare(
          `SELECT id, icount, log_seq AS logSeq, outputs, state_hash AS stateHash, time_us AS timeUs, kind
           FROM checkpoints WHERE session_id = ? AND node = ? ORDER BY icount, id`,
        )
        .all(sessionId, node) as (Omit<CheckpointInfo, 'resumesLog'> & { kind: string })[]
    ).map(({ kind, ...c }) => ({ ...c, resumesLog: kind === 'resume' }));
    this.entryPage = db.prepare(
      `SELECT seq AS ord, entry_seq AS seq, icount, kind, payload, time_us FROM log_entries
       WHERE session_id = ? AND seq > ? AND node = ? ORDER BY log_entries.seq LIMIT ?`,
    ).raw(true);
    this.outputPage = db.prepare(
      `SELECT out_index AS "index", icount, device, bytes, min(id) AS first FROM outputs
       WHERE session_id = ? AND node = ? AND out_index >= ? AND fate <> 'duplicate-discarded'
       GROUP BY out_index ORDER BY out_index LIMIT ?`,
    );
    this.snapshotOf = db.prepare(`SELECT snapshot FROM checkpoints WHERE session_id = ? AND id = ?`);
    this.atTime = db.prepare(
      `SELECT icount FROM log_entries WHERE session_id = ? AND node = ? AND time_us <= ? ORDER BY seq DESC LIMIT 1`,
    );
    const last = db
      .prepare(`SELECT icount, kind FROM log_entries WHERE session_id = ? AND node = ? ORDER BY seq DESC LIMIT 1`)
      .get(sessionId, node) as { icount: number; kind: string } | undefined;
    // Reads and outputs happen during instruction `icount`: the replay may execute it.
    const lastEntry = last === undefined ? 0 : last.kind === 'packet' || last.kind === 'timer' || last.kind === 'heartbeat' ? last.icount : last.icount + 1;
    const lastCheckpoint = this.checkpoints.reduce((m, c) => Math.max(m, c.icount), 0);
    this.endIcount = Math.max(lastEntry, lastCheckpoint);
  }

  loadSnapshot(checkpointId: number): unknown {
    const row = this.snapshotOf.get(this.sessionId, checkpointId) as { snapshot: Buffer } | undefined;
    if (row === undefined) throw new Error(`session ${this.sessionId} has no checkpoint ${checkpointId}`);
    return decodeSnapshot(row.snapshot);
  }

  *entries(afterOrd: number): Iterable<TrackEntry> {
    let after = afterOrd;
    for (let page = PAGE_ROWS_FIRST; ; page = Math.min(PAGE_ROWS_MAX, page * 4)) {
      // Raw rows (arrays): [ord, seq, icount, kind, payload, time_us].
      const rows = this.entryPage.all(this.sessionId, after, this.node, page) as EntryTuple[];
      for (const r of rows) {
        const entry = entryFromRow({ seq: r[1], icount: r[2], kind: r[3], payload: r[4] });
        if (entry instanceof Error) throw entry;
        yield { ord: r[0], timeUs: r[5], entry };
      }
      if (rows.length < page) return;
      after = rows[rows.length - 1]![0];
    }
  }

  *outputs(fromIndex: number): Iterable<RecordedOutput> {
    let from = fromIndex;
    for (let page = PAGE_ROWS_FIRST; ; page = Math.min(PAGE_ROWS_MAX, page * 4)) {
      const rows = this.outputPage.all(this.sessionId, this.node, from, page) as (RecordedOutput & { bytes: Buffer })[];
      for (const r of rows) yield { index: r.index, icount: r.icount, device: r.device, bytes: new Uint8Array(r.bytes) };
      if (rows.length < page) return;
      from = rows[rows.length - 1]!.index + 1;
    }
  }

  icountAtTime(timeUs: number): number {
    const row = this.atTime.get(this.sessionId, this.node, Math.round(timeUs)) as { icount: number } | undefined;
    return row?.icount ?? 0;
  }

  /** The nodes of a session that can be replayed (they have a checkpoint), primary first by first checkpoint. */
  static nodes(db: Db, sessionId: number): NodeId[] {
    return (
      db
        .prepare(`SELECT node, min(id) AS first FROM checkpoints WHERE session_id = ? GROUP BY node ORDER BY first`)
        .all(sessionId) as { node: string }[]
    ).map((r) => r.node);
  }
}
