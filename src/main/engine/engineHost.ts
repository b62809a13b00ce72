/**
 * The engine host in the main process: spawns the primary and backup replica
 * workers, hands them the two ends of one MessageChannel (the logging
 * channel), records what crosses it in SQLite, and reports to the renderer.
 *
 * A worker that throws or exits is a crash of that machine: reported, and the
 * pair is started afresh on the next run. The engine itself never dies with it.
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { EngineEvent, RoundTrip, SessionSummary } from '../../shared/labApi';
import { assertNever, type HostToReplica, type ReplicaToHost, type Role } from '../../shared/workerProtocol';
import type { Db } from '../db/workspaceDb';
import { spawnWorker } from './spawnWorker';

export interface EngineHostOptions {
  readonly db: Db;
  readonly emit: (event: EngineEvent) => void;
  /** How long a round trip may take before it is reported as lost. */
  readonly roundTripTimeoutMs?: number;
}

interface Pair {
  readonly workers: Record<Role, Worker>;
  readonly ready: Promise<void>;
  crashed: boolean;
}

interface Pending {
  readonly sessionId: number;
  readonly resolve: (trip: RoundTrip) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
  readonly started: number;
}

const maxPending = 64;

export class EngineHost {
  private pair: Pair | null = null;
  private nextSeq = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly insertSession;
  private readonly insertEntry;
  private readonly completeSession;
  private readonly countEntries;

  constructor(private readonly options: EngineHostOptions) {
    const { db } = options;
    this.insertSession = db.prepare(
      `INSERT INTO sessions (name, created_at, engine, program_file, program_source, settings_json)
       VALUES (?, ?, 'skeleton', ?, ?, '{}')`,
    );
    this.insertEntry = db.prepare(
      `INSERT INTO log_entries (session_id, seq, icount, kind, payload, time_us) VALUES (?, ?, 0, 'program', ?, ?)`,
    );
    this.completeSession = db.prepare(`UPDATE sessions SET status = 'complete' WHERE id = ?`);
    this.countEntries = db.prepare(`SELECT count(*) AS n FROM log_entries WHERE session_id = ?`);
  }

  /** Ship `source` primary → backup over the logging channel and wait for the ack. */
  async roundTrip(source: string, file: string): Promise<RoundTrip> {
    if (this.pending.size >= maxPending) throw new Error('too many runs in flight; wait for the previous ones');
    const pair = this.ensurePair();
    await pair.ready;
    const created = new Date().toISOString();
    const sessionId = Number(this.insertSession.run(`${file} ${created}`, created, file, source).lastInsertRowid);
    const seq = this.nextSeq++;
    return new Promise<RoundTrip>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`no acknowledgement from the backup within ${this.options.roundTripTimeoutMs ?? 5000} ms`));
      }, this.options.roundTripTimeoutMs ?? 5000);
      this.pending.set(seq, { sessionId, resolve, reject, timer, started: performance.now() });
      this.post(pair, 'primary', { type: 'program', seq, source });
    });
  }

  listSessions(): SessionSummary[] {
    const rows = this.options.db
      .prepare(
        `SELECT s.id, s.name, s.created_at AS createdAt, s.engine, s.status,
                (SELECT count(*) FROM log_entries e WHERE e.session_id = s.id) AS logEntries
         FROM sessions s ORDER BY s.id DESC LIMIT 500`,
      )
      .all() as SessionSummary[];
    return rows;
  }

  /** Kill one machine (fault injection and tests): its worker is terminated. */
  async crash(role: Role): Promise<void> {
    if (this.pair) await this.pair.workers[role].terminate();
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('engine closed'));
    }
    this.pending.clear();
    const pair = this.pair;
    this.pair = null;
    if (pair) await Promise.all([pair.workers.primary.terminate(), pair.workers.backup.terminate()]);
  }

  private ensurePair(): Pair {
    if (this.pair && !this.pair.crashed) return this.pair;
    const channel = new MessageChannel();
    const primary = spawnWorker('replicaWorker', { role: 'primary', logPort: channel.port1 }, [channel.port1]);
    const backup = spawnWorker('replicaWorker', { role: 'backup', logPort: channel.port2 }, [channel.port2]);
    const readyRoles = new Set<Role>();
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const pair: Pair = { workers: { primary, backup }, ready, crashed: false };
    for (const [role, worker] of [['primary', primary], ['backup', backup]] as const) {
      worker.on('message', (message: ReplicaToHost) => {
        if (message.type === 'ready') {
          readyRoles.add(role);
          this.event('worker-started', role, `${role} worker started (thread ${worker.threadId})`);
          if (readyRoles.size === 2) markReady();
          return;
        }
        this.onReplicaMessage(role, message);
      });
      worker.on('error', (err) => this.onCrash(pair, role, err.message));
      worker.on('exit', (code) => this.onCrash(pair, role, `worker exited with code ${code}`));
    }
    this.pair = pair;
    return pair;
  }

  private onCrash(pair: Pair, role: Role, why: string): void {
    if (pair.crashed || this.pair !== pair) return;
    pair.crashed = true;
    this.event('worker-crashed', role, `${role} crashed: ${why}`);
    void pair.workers.primary.terminate();
    void pair.workers.backup.terminate();
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`${role} crashed before the round trip completed`));
      this.pending.delete(seq);
    }
  }

  private onReplicaMessage(role: Role, message: Exclude<ReplicaToHost, { type: 'ready' }>): void {
    switch (message.type) {
      case 'shipped':
        this.event('log-shipped', role, `log entry #${message.seq} shipped (${message.bytes} bytes)`);
        return;
      case 'acked': {
        const p = this.pending.get(message.seq);
        if (!p) return;
        this.pending.delete(message.seq);
        // The backup's receipt is reported from the ack it sent on the logging channel, so the
        // events read in causal order (a separate report from the backup's thread could arrive
        // after the primary's, on another port).
        this.event('log-acked', 'backup', `log entry #${message.seq} received, digest ${message.backupDigest}, ack sent`);
        clearTimeout(p.timer);
        const timeUs = Math.round((performance.now() - p.started) * 1000);
        this.options.db.transaction(() => {
          this.insertEntry.run(p.sessionId, message.seq, Buffer.from(message.primaryDigest, 'hex'), timeUs);
          this.completeSession.run(p.sessionId);
        })();
        const recordedEntries = (this.countEntries.get(p.sessionId) as { n: number }).n;
        this.event('recorded', 'engine', `session ${p.sessionId}: log entry #${message.seq} recorded in SQLite`);
        p.resolve({
          sessionId: p.sessionId,
          seq: message.seq,
          bytes: message.bytes,
          primaryDigest: message.primaryDigest,
          backupDigest: message.backupDigest,
          recordedEntries,
          ackLatencyUs: message.ackLatencyUs,
        });
        return;
      }
      default:
        assertNever(message, 'replica message');
    }
  }

  private post(pair: Pair, role: Role, message: HostToReplica): void {
    pair.workers[role].postMessage(message);
  }

  private event(kind: EngineEvent['kind'], machine: EngineEvent['machine'], message: string): void {
    this.options.emit({ at: new Date().toISOString(), kind, machine, message });
  }
}
