/**
 * A saved session opened for replay, as the workbench sees it: one replayer
 * per machine the recording has checkpoints of, a moment (time and the
 * following machine's icount) that every panel shows, the markers of the
 * timeline, and the memory diff of the moment.
 *
 * The moment is a time on the run's clock: each replayable machine is moved
 * to the icount it had reached then (its last log entry at or before that
 * time). Moving by icount moves the machine that was primary and derives the
 * time from it.
 */
import type { Db } from '../db/workspaceDb';
import type { Machine } from '../../core/machine/machine';
import type { Replayer } from '../../core/replay/replayer';
import type { MachineReplica } from '../../core/ft/machineAdapter';
import { PAGE_BYTES } from '../../core/machine/memory';
import { MemoryMap } from '../../core/image';
import type {
  ClientOpView,
  LogEntryKindName,
  MachineRole,
  MemoryDiff,
  MemoryDiffParams,
  ReplayInfo,
  ReplayLogEntry,
  ReplayMachineView,
  ReplayMarker,
  ReplayMarkerCategory,
  ReplayMoment,
  ReplayNodeInfo,
  ReplayOutputView,
  ReplayVerification,
  SessionVerdict,
} from '../../shared/labApi';
import { openReplayer } from './replaySession';
import { SqliteTrack } from './sqliteTrack';
import { getSession } from './sessions';

const LOG_BEFORE = 60;
const LOG_AFTER = 12;
const RECENT_MAX = 40;
const UART_TAIL = 400;

/** A recorded verdict (verdict_json) as one line for the session browser. */
export function verdictOf(raw: unknown): SessionVerdict | null {
  if (raw === null || typeof raw !== 'object') return null;
  const v = raw as Record<string, unknown>;
  const linearizable = v.linearizable === true || v.linearizable === false || v.linearizable === 'unknown' ? v.linearizable : null;
  const splitBrain = v.splitBrain === true;
  const diverged = v.diverged === true;
  const lost = typeof v.lostAckedOutputs === 'number' ? v.lostAckedOutputs : 0;
  const problems: string[] = [];
  if (splitBrain) problems.push('split brain');
  if (diverged) problems.push('replicas diverged');
  if (lost > 0) problems.push(`${lost} acknowledged output${lost === 1 ? '' : 's'} lost`);
  if (linearizable === false) problems.push('not linearizable');
  const text = problems.length ? problems.join(', ') : linearizable === true ? 'linearizable' : linearizable === 'unknown' ? 'no verdict (too many operations)' : 'no client operations checked';
  return { linearizable, splitBrain, diverged, lostAckedOutputs: lost, text };
}

export function markerCategoryOf(type: string, detail: string): ReplayMarkerCategory | null {
  switch (type) {
    case 'fault':
    case 'crash':
      return 'fault';
    case 'failover':
      return 'failover';
    case 'role':
      return /is primary: (went live|failover|promoted)/.test(detail) ? 'failover' : /: start$/.test(detail) ? null : 'other';
    case 'stateTransfer':
    case 'stateInstalled':
      return 'transfer';
    case 'divergence':
    case 'invariant':
      return 'divergence';
    case 'checkpoint':
    case 'stall':
      return null;
    default:
      return 'other';
  }
}

function kindGroup(kind: string): LogEntryKindName {
  return kind === 'packet' || kind === 'timer' || kind === 'output' || kind === 'heartbeat' ? kind : 'nondet';
}

function hexOf(b: Uint8Array, max = 32): string {
  const s = Array.from(b.subarray(0, max), (x) => x.toString(16).padStart(2, '0')).join('');
  return b.length > max ? `${s}…` : s;
}

function printable(b: Uint8Array): string | null {
  let s = '';
  for (const x of b) {
    if (x === 10) s += '\\n';
    else if (x >= 32 && x < 127) s += String.fromCharCode(x);
    else return null;
  }
  return s;
}

function entryText(seq: number, icount: number, kind: string, payload: unknown): string {
  const head = `#${seq} @${icount}`;
  if (kind === 'packet' && payload instanceof Uint8Array) return `${head} packet ${payload.length} B ${hexOf(payload, 16)}`;
  if (kind === 'timer') return `${head} timer interrupt`;
  if (kind === 'output') return `${head} output #${Number(payload)}`;
  if (kind === 'heartbeat') return `${head} heartbeat (released ${Number(payload)})`;
  return `${head} ${kind}=0x${(Number(payload) >>> 0).toString(16)}`;
}

interface RoleChange {
  readonly timeUs: number;
  readonly node: string;
  readonly role: ReplayMachineView['role'];
}

type RawEvent = { timeUs: number; type: string; node: string | null; icount: number | null; detail: string; data: string | null };

/** A simulated run records its fault plan with the settings: faults at a time become markers. */
function plannedFaults(settingsJson: string | null): RawEvent[] {
  try {
    const faults = (JSON.parse(settingsJson ?? '{}') as { faults?: unknown }).faults;
    if (!Array.isArray(faults)) return [];
    return faults.flatMap((f: { at?: { ms?: unknown }; do?: unknown }) =>
      typeof f?.at?.ms === 'number' && typeof f.do === 'string'
        ? [{ timeUs: Math.round(f.at.ms * 1000), type: 'fault', node: null, icount: null, detail: `fault plan: ${f.do}`, data: null }]
        : [],
    );
  } catch {
    return [];
  }
}

export class ReplayView {
  readonly info: ReplayInfo;
  private readonly replayers = new Map<string, Replayer>();
  private readonly tracks = new Map<string, SqliteTrack>();
  private readonly roleChanges: RoleChange[] = [];
  private timeUs = 0;
  private focus: string | null = null;
  private lastExecuted = 0;
  private lastSeekMs = 0;
  playing = false;

  constructor(
    private readonly db: Db,
    readonly sessionId: number,
    readonly file: string | null,
  ) {
    const s = getSession(db, sessionId);
    if (s === null) throw new Error(`${file ?? 'the workspace'} has no session ${sessionId}`);
    const replayable = SqliteTrack.nodes(db, sessionId);
    if (replayable.length === 0) {
      throw new Error(`session ${sessionId} ("${s.name}") has no checkpoint, so it cannot be replayed (it was recorded before replay existed, or stopped before its first checkpoint)`);
    }
    const settings = db.prepare(`SELECT settings_json AS s FROM sessions WHERE id = ?`).get(sessionId) as { s: string | null };
    const events = [
      ...(db
        .prepare(`SELECT time_us AS timeUs, type, node, icount, detail, data_json AS data FROM events WHERE session_id = ? ORDER BY time_us, id`)
        .all(sessionId) as RawEvent[]),
      ...(s.engine === 'sim' ? plannedFaults(settings.s) : []),
    ].sort((a, b) => a.timeUs - b.timeUs);
    const markers: ReplayMarker[] = [];
    for (const e of events) {
      if (e.type === 'role') {
        const m = /^\S+ is (primary|backup|spare|idle|halted)/.exec(e.detail);
        if (e.node && m) this.roleChanges.push({ timeUs: e.timeUs, node: e.node, role: (m[1] === 'idle' ? 'spare' : m[1]) as MachineRole });
      }
      if (e.type === 'fault') {
        let target: string | null = /crash-(primary|backup)/.exec(e.detail)?.[1] ?? null;
        try {
          const action = e.data === null ? null : (JSON.parse(e.data) as { kind?: string; target?: string });
          if (action?.kind === 'crash' && typeof action.target === 'string') target = action.target;
        } catch {
          // not a fault action: no crash
        }
        const who = target === null ? null : /^[ABC]$/.test(target) ? target : this.roleAt(target, e.timeUs);
        if (who) this.roleChanges.push({ timeUs: e.timeUs, node: who, role: 'crashed' });
      } else if (e.type === 'crash' && e.node) this.roleChanges.push({ timeUs: e.timeUs, node: e.node, role: 'crashed' });
      const category = markerCategoryOf(e.type, e.detail);
      if (category) markers.push({ timeUs: e.timeUs, icount: e.icount, node: e.node, type: e.type, category, text: e.detail });
    }
    const names = new Set<string>(replayable);
    for (const r of this.roleChanges) names.add(r.node);
    for (const r of db.prepare(`SELECT DISTINCT node FROM log_entries WHERE session_id = ? AND node IS NOT NULL`).all(sessionId) as { node: string }[]) names.add(r.node);
    const nodes: ReplayNodeInfo[] = [];
    const span = db.prepare(`SELECT min(time_us) AS a, max(time_us) AS b FROM log_entries WHERE session_id = ? AND node = ?`);
    for (const name of [...names].sort()) {
      if (!replayable.includes(name)) {
        nodes.push({ name, replayable: false, startIcount: 0, endIcount: 0, startUs: 0, endUs: 0 });
        continue;
      }
      const track = new SqliteTrack(db, sessionId, name);
      this.tracks.set(name, track);
      this.replayers.set(name, openReplayer(db, sessionId, name));
      const t = span.get(sessionId, name) as { a: number | null; b: number | null };
      const cp0 = track.checkpoints[0]!;
      const cpLast = track.checkpoints.at(-1)!;
      nodes.push({ name, replayable: true, startIcount: cp0.icount, endIcount: track.endIcount, startUs: cp0.timeUs, endUs: Math.max(t.b ?? 0, cpLast.timeUs) });
    }
    const counts = db
      .prepare(
        `SELECT (SELECT count(*) FROM log_entries WHERE session_id = @s) AS logEntries,
                (SELECT count(*) FROM outputs WHERE session_id = @s) AS outputs,
                (SELECT count(*) FROM client_ops WHERE session_id = @s) AS clientOps,
                (SELECT max(time_us) FROM log_entries WHERE session_id = @s) AS t1,
                (SELECT max(time_us) FROM events WHERE session_id = @s) AS t2,
                (SELECT max(time_us) FROM outputs WHERE session_id = @s) AS t3`,
      )
      .get({ s: sessionId }) as { logEntries: number; outputs: number; clientOps: number; t1: number | null; t2: number | null; t3: number | null };
    const live = nodes.filter((n) => n.replayable);
    const source = db.prepare(`SELECT program_source AS text FROM sessions WHERE id = ?`).get(sessionId) as { text: string | null } | undefined;
    this.info = {
      sessionId,
      file,
      name: s.name,
      program: s.programFile,
      programSource: source?.text ?? null,
      engine: s.engine,
      status: s.status,
      verdict: verdictOf(s.verdict),
      startIcount: Math.min(...live.map((n) => n.startIcount)),
      endIcount: Math.max(...live.map((n) => n.endIcount)),
      durationUs: Math.max(1, counts.t1 ?? 0, counts.t2 ?? 0, counts.t3 ?? 0, ...live.map((n) => n.endUs)),
      nodes,
      markers,
      logEntries: counts.logEntries,
      outputs: counts.outputs,
      clientOps: counts.clientOps,
    };
  }

  /** Which node held `role` at `timeUs` (from the recorded role changes). */
  private roleAt(role: string, timeUs: number): string | null {
    const holders = new Map<string, string>();
    for (const r of this.roleChanges) if (r.timeUs <= timeUs) holders.set(r.node, r.role);
    for (const [node, held] of holders) if (held === role) return node;
    return null;
  }

  private rolesAt(timeUs: number): Map<string, ReplayMachineView['role']> {
    const roles = new Map<string, ReplayMachineView['role']>();
    for (const r of this.roleChanges) {
      if (r.timeUs > timeUs) break;
      if (roles.get(r.node) === 'crashed' && r.role !== 'crashed') {
        // A crashed machine comes back only through a restart (a new role event after it).
      }
      roles.set(r.node, r.role);
    }
    return roles;
  }

  /** The replayable node that was primary at `timeUs` (else the latest-starting one already running). */
  private followed(timeUs: number): string | null {
    const roles = this.rolesAt(timeUs);
    for (const [node, role] of roles) if (role === 'primary' && this.replayers.has(node)) return node;
    let best: string | null = null;
    for (const n of this.info.nodes) if (n.replayable && n.startUs <= timeUs) best = n.name;
    return best ?? this.info.nodes.find((n) => n.replayable)?.name ?? null;
  }

  private timeOfIcount(node: string, icount: number): number {
    const row = this.db
      .prepare(`SELECT time_us AS t FROM log_entries WHERE session_id = ? AND node = ? AND icount <= ? ORDER BY seq DESC LIMIT 1`)
      .get(this.sessionId, node, icount) as { t: number } | undefined;
    const n = this.info.nodes.find((x) => x.name === node)!;
    return Math.max(n.startUs, row?.t ?? n.startUs);
  }

  /** Every replayable machine to where it was at `timeUs`, except `except` (already placed). */
  private placeAt(timeUs: number, except: string | null): number {
    let executed = 0;
    for (const [name, r] of this.replayers) {
      if (name === except) continue;
      const n = this.info.nodes.find((x) => x.name === name)!;
      const track = this.tracks.get(name)!;
      const target = timeUs < n.startUs ? n.startIcount : Math.max(n.startIcount, track.icountAtTime(timeUs));
      executed += r.seek(target).executed;
    }
    return executed;
  }

  seekTime(timeUs: number): ReplayMoment {
    const t0 = performance.now();
    this.timeUs = Math.max(0, Math.min(timeUs, this.info.durationUs));
    this.focus = this.followed(this.timeUs);
    this.lastExecuted = this.placeAt(this.timeUs, null);
    this.lastSeekMs = performance.now() - t0;
    return this.moment();
  }

  seekIcount(icount: number, node?: string): ReplayMoment {
    const t0 = performance.now();
    const name = node ?? this.focus ?? this.followed(this.timeUs);
    const r = name === null ? undefined : this.replayers.get(name);
    if (!r || name === null) throw new Error(`machine ${node ?? '?'} cannot be replayed: the recording has no checkpoint of it`);
    const executed = r.seek(icount).executed;
    this.focus = name;
    this.timeUs = this.timeOfIcount(name, r.icount);
    this.lastExecuted = executed + this.placeAt(this.timeUs, name);
    this.lastSeekMs = performance.now() - t0;
    return this.moment();
  }

  step(count: number, direction: 'forward' | 'back'): ReplayMoment {
    const name = this.focus ?? this.followed(this.timeUs);
    const r = name === null ? undefined : this.replayers.get(name);
    if (!r) throw new Error('nothing to step: no machine of this session can be replayed');
    const n = this.info.nodes.find((x) => x.name === name)!;
    if (direction === 'back' && r.icount <= n.startIcount && n.startUs > 0) return this.seekTime(n.startUs - 1); // to the machine before it
    return this.seekIcount(direction === 'forward' ? r.icount + count : Math.max(0, r.icount - count), name ?? undefined);
  }

  /** Where the followed machine is and where it ends (the player's view). */
  get position(): { icount: number; endIcount: number } {
    const name = this.focus;
    const r = name === null ? undefined : this.replayers.get(name);
    return { icount: r?.icount ?? 0, endIcount: r?.endIcount ?? 0 };
  }

  private replicaMachine(name: string): Machine | null {
    const r = this.replayers.get(name);
    const replica = r?.replica as MachineReplica | null | undefined;
    return replica?.machine ?? null;
  }

  moment(): ReplayMoment {
    const t = this.timeUs;
    const roles = this.rolesAt(t);
    const machines: ReplayMachineView[] = this.info.nodes.map((n) => {
      const role = roles.get(n.name) ?? 'absent';
      const m = n.replayable && t >= n.startUs ? this.replicaMachine(n.name) : null;
      let note: string | null = null;
      if (!n.replayable) note = role === 'backup' ? 'a backup replays its primary\'s log: it has no checkpoint of its own (its state equals the primary\'s at the same icount)' : 'no checkpoint of this machine was recorded';
      else if (t < n.startUs) note = `replayable from ${(n.startUs / 1000).toFixed(2)} ms (icount ${n.startIcount}), when its log starts`;
      else if (t > n.endUs) note = `its recording ends at icount ${n.endIcount}`;
      const regs = m?.registers(0);
      return {
        name: n.name,
        role,
        replayable: n.replayable,
        icount: m ? m.icount : null,
        pc: m ? m.pc : null,
        registers: regs ? Array.from(regs.x, (x) => x >>> 0) : null,
        stateHash: m ? m.stateHash() : null,
        note,
      };
    });
    const focusIcount = this.focus ? (this.replayers.get(this.focus)?.icount ?? 0) : 0;
    return {
      sessionId: this.sessionId,
      timeUs: t,
      node: this.focus,
      icount: focusIcount,
      machines,
      log: this.logAround(t),
      outputs: this.outputsUntil(t),
      clients: this.clientsUntil(t),
      markersPassed: this.info.markers.filter((m) => m.timeUs <= t).length,
      executed: this.lastExecuted,
      seekMs: Math.round(this.lastSeekMs * 100) / 100,
      playing: this.playing,
    };
  }

  private logAround(t: number): ReplayMoment['log'] {
    const before = (this.db.prepare(`SELECT count(*) AS n FROM log_entries WHERE session_id = ? AND time_us <= ?`).get(this.sessionId, t) as { n: number }).n;
    type Row = { ord: number; seq: number | null; epoch: number | null; node: string | null; icount: number; kind: string; payload: unknown; timeUs: number };
    const cols = `seq AS ord, entry_seq AS seq, epoch, node, icount, kind, payload, time_us AS timeUs`;
    const past = this.db.prepare(`SELECT ${cols} FROM log_entries WHERE session_id = ? AND time_us <= ? ORDER BY seq DESC LIMIT ?`).all(this.sessionId, t, LOG_BEFORE) as Row[];
    const next = this.db.prepare(`SELECT ${cols} FROM log_entries WHERE session_id = ? AND time_us > ? ORDER BY seq LIMIT ?`).all(this.sessionId, t, LOG_AFTER) as Row[];
    const view = (r: Row, future: boolean): ReplayLogEntry => {
      const payload = r.payload instanceof Buffer ? new Uint8Array(r.payload) : r.payload;
      const seq = r.seq ?? r.ord;
      return {
        epoch: r.epoch ?? 0,
        seq,
        icount: r.icount,
        kind: kindGroup(r.kind),
        text: entryText(seq, r.icount, r.kind, payload),
        ...(payload instanceof Uint8Array ? { payloadHex: hexOf(payload, 64) } : {}),
        node: r.node,
        timeUs: r.timeUs,
        ord: r.ord,
        future,
      };
    };
    return { before, total: this.info.logEntries, entries: [...past.reverse().map((r) => view(r, false)), ...next.map((r) => view(r, true))] };
  }

  private outputsUntil(t: number): ReplayMoment['outputs'] {
    const fates = this.db.prepare(`SELECT fate, count(*) AS n FROM outputs WHERE session_id = ? AND time_us <= ? GROUP BY fate`).all(this.sessionId, t) as { fate: string; n: number }[];
    const n = (f: string) => fates.find((x) => x.fate === f)?.n ?? 0;
    type Row = { node: string; index: number; icount: number; device: 'uart' | 'nic'; bytes: Buffer; fate: ReplayOutputView['fate']; timeUs: number };
    const recent = (
      this.db
        .prepare(`SELECT node, out_index AS "index", icount, device, bytes, fate, time_us AS timeUs FROM outputs WHERE session_id = ? AND time_us <= ? ORDER BY id DESC LIMIT ?`)
        .all(this.sessionId, t, RECENT_MAX) as Row[]
    ).map((r) => {
      const b = new Uint8Array(r.bytes);
      return { node: r.node, index: r.index, icount: r.icount, device: r.device, text: printable(b) ?? hexOf(b), fate: r.fate, timeUs: r.timeUs };
    });
    const uartRows = this.db
      .prepare(`SELECT bytes FROM outputs WHERE session_id = ? AND time_us <= ? AND device = 'uart' AND fate IN ('released', 'resent') ORDER BY id DESC LIMIT ?`)
      .all(this.sessionId, t, UART_TAIL) as { bytes: Buffer }[];
    const uart = Buffer.concat(uartRows.reverse().map((r) => r.bytes)).toString('latin1').slice(-UART_TAIL);
    return {
      released: n('released'),
      held: Math.max(0, n('held') - n('released') - n('discarded')),
      discarded: n('discarded'),
      duplicatesDiscarded: n('duplicate-discarded'),
      total: fates.reduce((a, f) => a + f.n, 0),
      recent,
      uart,
    };
  }

  private clientsUntil(t: number): ReplayMoment['clients'] {
    const c = this.db
      .prepare(`SELECT count(*) AS invoked, sum(CASE WHEN completed_us IS NOT NULL AND completed_us <= @t THEN 1 ELSE 0 END) AS completed FROM client_ops WHERE session_id = @s AND invoked_us <= @t`)
      .get({ s: this.sessionId, t }) as { invoked: number; completed: number | null };
    type Row = { client: string; op: string; input: string | null; invokedUs: number; completedUs: number | null; output: string | null };
    const rows = this.db
      .prepare(`SELECT client, op, input, invoked_us AS invokedUs, completed_us AS completedUs, output FROM client_ops WHERE session_id = ? AND invoked_us <= ? ORDER BY id DESC LIMIT ?`)
      .all(this.sessionId, t, RECENT_MAX) as Row[];
    const recent: ClientOpView[] = rows.reverse().map((r) => {
      const done = r.completedUs !== null && r.completedUs <= t;
      const client = Number.parseInt(r.client.replace(/\D/g, ''), 10);
      return {
        client: Number.isFinite(client) ? client : 0,
        op: r.input ? `${r.op} ${r.input}` : r.op,
        result: done ? (r.output ?? '') : null,
        invokedMs: r.invokedUs / 1000,
        completedMs: done ? r.completedUs! / 1000 : null,
      };
    });
    return { invoked: c.invoked, completed: c.completed ?? 0, recent };
  }

  /** Resolve 'primary'/'backup' (at the moment) or a name to a replayable machine. */
  private resolve(target: string, avoid: string | null): string | null {
    const roles = this.rolesAt(this.timeUs);
    const ok = (n: string) => this.replayers.has(n) && this.replicaMachine(n) !== null;
    if (target === 'A' || target === 'B' || target === 'C') return ok(target) ? target : null;
    for (const [n, role] of roles) if (role === target && ok(n) && n !== avoid) return n;
    // No replayable holder of that role: any other replayable machine at this moment.
    for (const n of this.replayers.keys()) if (ok(n) && n !== avoid) return n;
    return null;
  }

  memoryDiff(p: MemoryDiffParams): MemoryDiff {
    const left = this.resolve(p.left ?? 'primary', null);
    const right = left === null ? null : this.resolve(p.right ?? 'backup', left);
    if (left === null || right === null) {
      throw new Error(
        'only one machine of this session is replayed at this moment: a backup replays its primary\'s log and has no checkpoint of its own. Move to a moment after a failover (two machines recorded) to compare them',
      );
    }
    const L = this.replicaMachine(left)!;
    const R = this.replicaMachine(right)!;
    const lh = L.pageHashes();
    const rh = R.pageHashes();
    const n = Math.min(lh.length, rh.length);
    const differing: number[] = [];
    for (let i = 0; i < n; i++) if (lh[i] !== rh[i]) differing.push(i);
    const wanted = p.pages ? [...p.pages].filter((i) => i >= 0 && i < n) : differing.slice(0, p.pagesMax ?? 4);
    const read = (m: Machine, i: number) => m.readMemory(MemoryMap.ramBase + i * PAGE_BYTES, PAGE_BYTES);
    const pages = wanted.map((index) => ({
      index,
      addr: MemoryMap.ramBase + index * PAGE_BYTES,
      leftBase64: Buffer.from(read(L, index)).toString('base64'),
      rightBase64: Buffer.from(read(R, index)).toString('base64'),
    }));
    let firstDifference: MemoryDiff['firstDifference'] = null;
    const first = differing[0];
    if (first !== undefined) {
      const lp = read(L, first);
      const rp = read(R, first);
      const k = lp.findIndex((b, i) => b !== rp[i]);
      if (k >= 0) firstDifference = { addr: MemoryMap.ramBase + first * PAGE_BYTES + k, left: lp[k]!, right: rp[k]! };
    }
    const lr = L.registers(0);
    const rr = R.registers(0);
    const lregs = [lr.pc, ...Array.from(lr.x)];
    const rregs = [rr.pc, ...Array.from(rr.x)];
    const lc = L.csrs(0);
    const rc = R.csrs(0);
    return {
      left: { name: left as 'A', icount: L.icount, pc: L.pc, stateHash: L.stateHash() },
      right: { name: right as 'A', icount: R.icount, pc: R.pc, stateHash: R.stateHash() },
      ramBase: MemoryMap.ramBase,
      pageBytes: PAGE_BYTES,
      totalPages: n,
      differingPages: differing,
      pages,
      registers: ['pc', ...Array.from({ length: 32 }, (_, i) => `x${i}`)].map((name, i) => ({ name, left: lregs[i]! >>> 0, right: rregs[i]! >>> 0 })),
      csrs: Object.keys(lc).map((name) => ({ name, left: lc[name]!, right: rc[name] ?? 0 })),
      firstDifference,
    };
  }

  /**
   * Replay every machine from its first checkpoint against the recording, one
   * at a time, reporting progress between them; then return to the moment.
   */
  async verify(progress: (fraction: number, text: string) => void): Promise<ReplayVerification> {
    const t0 = performance.now();
    const names = [...this.replayers.keys()];
    const nodes: ReplayVerification['nodes'][number][] = [];
    let first: ReplayVerification['firstMismatch'] = null;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      progress(i / names.length, `replaying machine ${name} (${i + 1} of ${names.length}) against the recording`);
      await new Promise((ok) => setImmediate(ok)); // let the progress event leave before the synchronous replay
      const r = openReplayer(this.db, this.sessionId, name).verify();
      nodes.push({ node: name, verified: r.verified, entriesReplayed: r.entriesReplayed, outputsChecked: r.outputsChecked, checkpointsVerified: r.checkpointsVerified });
      const m = r.firstMismatch;
      if (m && (first === null || m.icount < first.icount)) {
        first = { node: name, kind: m.kind, icount: m.icount, pc: m.pc, detail: m.detail, ...(m.expected !== undefined ? { expected: m.expected } : {}), ...(m.actual !== undefined ? { actual: m.actual } : {}) };
      }
    }
    progress(1, first ? `mismatch at icount ${first.icount}` : 'replay matches the recording');
    return { sessionId: this.sessionId, verified: nodes.length > 0 && first === null, firstMismatch: first, nodes, ms: Math.round(performance.now() - t0) };
  }
}
