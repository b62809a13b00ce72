/**
 * The LabApi handlers of saved sessions and replay: list, rename, delete and
 * export the workspace's sessions, open any .sqlite file read-only, and
 * replay one session (seek, step, play, verify, memory diff of the moment).
 * One replay is open at a time.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Db } from '../db/workspaceDb';
import { WorkspaceDbError } from '../db/workspaceDb';
import { deleteSession, exportSession, listSessions, openSessionFile, renameSession, type SessionInfo } from '../replay/sessions';
import { ReplayView, verdictOf } from '../replay/replayView';
import type { LabServer, LabHandlers } from './labServer';
import type { ReplayMoment, SessionSummary } from '../../shared/labApi';

export type SessionsHandlers = Pick<
  LabHandlers,
  | 'listSessions' | 'renameSession' | 'deleteSession' | 'exportSession' | 'openSessionFile' | 'openReplay' | 'seekReplay'
  | 'stepReplay' | 'playReplay' | 'pauseReplay' | 'closeReplay' | 'verifyReplay' | 'replayMemoryDiff'
>;

/** Largest export returned as bytes over LabApi (larger: give a path, or use `ftlab`). */
const exportBytesMax = 256 * 1024 * 1024;
const FRAME_MS = 50;

export function summaryOf(s: SessionInfo): SessionSummary {
  return {
    id: s.id,
    name: s.name,
    createdAt: s.createdAt,
    endedAt: s.endedAt,
    engine: s.engine,
    status: s.status,
    logEntries: s.logEntries,
    outputs: s.outputs,
    checkpoints: s.checkpoints,
    program: s.programFile === null ? null : basename(s.programFile),
    verdict: verdictOf(s.verdict),
  };
}

/** A bad file as one sentence: what is wrong with it, never a stack. */
function fileError(err: unknown, file: string): Error {
  if (err instanceof WorkspaceDbError) return new Error(`cannot open ${basename(file)}: ${err.message.slice(err.file.length + 2)}`);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new Error(`cannot open ${file}: no such file`);
  if (code === 'EISDIR') return new Error(`cannot open ${file}: it is a folder`);
  return new Error(`cannot open ${basename(file)}: ${(err as Error).message}`);
}

export class SessionsLab {
  /** Files opened read-only (path → connection), kept until the lab closes. */
  private readonly files = new Map<string, Db>();
  private readonly uploads = mkdtempSync(join(tmpdir(), 'ftlab-uploads-'));
  private replay: ReplayView | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly dbPath: string,
    private readonly server: LabServer,
  ) {}

  private openFile(path: string): Db {
    const open = this.files.get(path);
    if (open) return open;
    try {
      if (statSync(path).isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
      const db = openSessionFile(path);
      listSessions(db); // a file whose tables are not what we expect fails here, not later
      this.files.set(path, db);
      return db;
    } catch (err) {
      throw fileError(err, path);
    }
  }

  private source(file: string | undefined): Db {
    if (file === undefined || file === this.dbPath) return this.db;
    return this.openFile(file);
  }

  private current(): ReplayView {
    if (!this.replay) throw new Error('no replay is open: open a saved session first');
    return this.replay;
  }

  private stopPlaying(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.replay) this.replay.playing = false;
  }

  handlers(): SessionsHandlers {
    return {
      listSessions: async () => listSessions(this.db).reverse().slice(0, 1000).map(summaryOf),
      renameSession: async ({ sessionId, name }) => {
        if (!renameSession(this.db, sessionId, name)) throw new Error(`the workspace has no session ${sessionId}`);
        return summaryOf(listSessions(this.db).find((s) => s.id === sessionId)!);
      },
      deleteSession: async ({ sessionId }) => {
        if (this.replay && this.replay.file === null && this.replay.sessionId === sessionId) {
          this.stopPlaying();
          this.replay = null;
        }
        if (!deleteSession(this.db, sessionId)) throw new Error(`the workspace has no session ${sessionId}`);
        return { ok: true };
      },
      exportSession: async ({ sessionId, path }) => {
        const s = listSessions(this.db).find((x) => x.id === sessionId);
        if (!s) throw new Error(`the workspace has no session ${sessionId}`);
        const fileName = `${s.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'session'}-${sessionId}.sqlite`;
        const progress = (fraction: number, text: string, done = false) =>
          this.server.emit('progress', { task: 'export', sessionId, fraction, text, done });
        progress(0, `exporting session ${sessionId}`);
        const scratch = path === undefined ? mkdtempSync(join(tmpdir(), 'ftlab-export-')) : null;
        const to = path ?? join(scratch!, fileName);
        try {
          this.db.pragma('wal_checkpoint(PASSIVE)');
          exportSession(this.dbPath, sessionId, to);
          const bytes = statSync(to).size;
          if (path !== undefined) {
            progress(1, `exported to ${to}`, true);
            return { fileName: basename(to), bytes, path: to, bytesBase64: null };
          }
          if (bytes > exportBytesMax) throw new Error(`the session is ${bytes} bytes: too large to download; export it to a path (desktop app) or with ftlab`);
          progress(0.9, 'sending the file');
          const data = readFileSync(to).toString('base64');
          progress(1, `exported ${fileName}`, true);
          return { fileName, bytes, path: null, bytesBase64: data };
        } catch (err) {
          progress(1, `export failed: ${(err as Error).message}`, true);
          throw err;
        } finally {
          if (scratch) rmSync(scratch, { recursive: true, force: true });
        }
      },
      openSessionFile: async (p) => {
        let path: string;
        if ('path' in p) path = p.path;
        else {
          const dir = mkdtempSync(join(this.uploads, 'f-'));
          path = join(dir, basename(p.name) || 'upload.sqlite');
          writeFileSync(path, Buffer.from(p.bytesBase64, 'base64'));
        }
        const db = this.openFile(path);
        return { file: path, sessions: listSessions(db).reverse().map(summaryOf) };
      },
      openReplay: async ({ sessionId, file }) => {
        this.stopPlaying();
        const db = this.source(file);
        const view = new ReplayView(db, sessionId, db === this.db ? null : file!);
        this.replay = view;
        return { info: view.info, moment: view.seekTime(0) };
      },
      seekReplay: async (p) => {
        const r = this.current();
        this.stopPlaying();
        return 'timeUs' in p ? r.seekTime(p.timeUs) : r.seekIcount(p.icount, p.node);
      },
      stepReplay: async ({ count, direction }) => {
        this.stopPlaying();
        return this.current().step(count, direction);
      },
      playReplay: async ({ ips }) => {
        const r = this.current();
        this.stopPlaying();
        const perFrame = Math.max(1, Math.round((ips * FRAME_MS) / 1000));
        r.playing = true;
        this.timer = setInterval(() => {
          if (this.replay !== r) return this.stopPlaying();
          const before = r.position.icount;
          let m: ReplayMoment;
          try {
            m = r.step(perFrame, 'forward');
          } catch {
            this.stopPlaying();
            return;
          }
          const end = r.position.icount === before || m.timeUs >= r.info.durationUs;
          if (end) {
            this.stopPlaying();
            m = r.moment();
          }
          this.server.emit('replayMoment', m);
        }, FRAME_MS);
        return { ok: true };
      },
      pauseReplay: async () => {
        this.stopPlaying();
        return this.current().moment();
      },
      closeReplay: async () => {
        this.stopPlaying();
        this.replay = null;
        return { ok: true };
      },
      verifyReplay: async () => {
        const r = this.current();
        this.stopPlaying();
        const progress = (fraction: number, text: string, done = false) =>
          this.server.emit('progress', { task: 'verify', sessionId: r.sessionId, fraction, text, done });
        try {
          const result = await r.verify((f, t) => progress(f, t));
          progress(1, result.verified ? 'verified' : `mismatch at icount ${result.firstMismatch?.icount}`, true);
          return result;
        } catch (err) {
          progress(1, `verification failed: ${(err as Error).message}`, true);
          throw err;
        }
      },
      replayMemoryDiff: async (p) => this.current().memoryDiff(p),
    };
  }

  close(): void {
    this.stopPlaying();
    this.replay = null;
    for (const db of this.files.values()) db.close();
    this.files.clear();
    rmSync(this.uploads, { recursive: true, force: true });
  }
}
