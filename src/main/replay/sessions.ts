/**
 * Saved sessions in a workspace file: list, rename, delete, export one as a
 * standalone .sqlite file, and open any .sqlite file for replay (read-only:
 * a bad file is a WorkspaceDbError and is never modified).
 */
import { existsSync } from 'node:fs';
import type { Db } from '../db/workspaceDb';
import { openWorkspaceDb } from '../db/workspaceDb';

export interface SessionInfo {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly engine: string;
  readonly status: 'complete' | 'incomplete';
  readonly seed: number | null;
  readonly programFile: string | null;
  readonly logEntries: number;
  readonly outputs: number;
  readonly events: number;
  readonly checkpoints: number;
  readonly verdict: unknown;
}

/** Open a workspace file for replay without writing to it. */
export function openSessionFile(file: string): Db {
  return openWorkspaceDb(file, { readonly: true });
}

export function listSessions(db: Db): SessionInfo[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.name, s.created_at AS createdAt, s.ended_at AS endedAt, s.engine, s.status, s.seed,
              s.program_file AS programFile, s.verdict_json AS verdictJson,
              (SELECT count(*) FROM log_entries e WHERE e.session_id = s.id) AS logEntries,
              (SELECT count(*) FROM outputs o WHERE o.session_id = s.id) AS outputs,
              (SELECT count(*) FROM events v WHERE v.session_id = s.id) AS events,
              (SELECT count(*) FROM checkpoints c WHERE c.session_id = s.id) AS checkpoints
       FROM sessions s ORDER BY s.id`,
    )
    .all() as (Omit<SessionInfo, 'verdict'> & { verdictJson: string | null })[];
  return rows.map(({ verdictJson, ...r }) => ({ ...r, verdict: verdictJson === null ? null : (JSON.parse(verdictJson) as unknown) }));
}

export function getSession(db: Db, id: number): SessionInfo | null {
  return listSessions(db).find((s) => s.id === id) ?? null;
}

export function renameSession(db: Db, id: number, name: string): boolean {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new Error('a session name cannot be empty');
  return db.prepare('UPDATE sessions SET name = ? WHERE id = ?').run(trimmed, id).changes === 1;
}

const SESSION_TABLES = ['log_entries', 'outputs', 'events', 'client_ops', 'checkpoints'] as const;

export function deleteSession(db: Db, id: number): boolean {
  return db.transaction(() => {
    for (const t of SESSION_TABLES) db.prepare(`DELETE FROM ${t} WHERE session_id = ?`).run(id);
    return db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes === 1;
  })();
}

/**
 * Write session `id` of the workspace file `from` into a new standalone
 * workspace `to` (same session id). Refuses to overwrite an existing file.
 */
export function exportSession(from: string, id: number, to: string): void {
  if (existsSync(to)) throw new Error(`${to} already exists; choose a new file name`);
  const src = openSessionFile(from);
  try {
    if (src.prepare('SELECT 1 FROM sessions WHERE id = ?').get(id) === undefined) throw new Error(`${from} has no session ${id}`);
  } finally {
    src.close();
  }
  const dest = openWorkspaceDb(to);
  try {
    dest.prepare(`ATTACH DATABASE ? AS src`).run(from); // only read from
    dest.transaction(() => {
      dest.prepare('INSERT INTO main.sessions SELECT * FROM src.sessions WHERE id = ?').run(id);
      for (const t of SESSION_TABLES) dest.prepare(`INSERT INTO main.${t} SELECT * FROM src.${t} WHERE session_id = ?`).run(id);
    })();
    dest.exec('DETACH DATABASE src');
    dest.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    dest.close();
  }
}
