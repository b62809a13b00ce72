/**
 * The view service (UW primary/backup lab, from Viewstamped Replication): it
 * numbers views {primary, backup}, hears pings, declares a server dead after
 * missed pings, promotes the backup, recruits an idle server as the new
 * backup — and never moves past view n until the primary of view n has
 * acknowledged it (by pinging with n). The primary acknowledges only once the
 * view's backup holds its state. The view service itself is a single point of
 * failure: crash it and no failover can ever happen again.
 */
import type { Clock, Transport } from './env';
import type { EventSink } from './events';
import type { Message, NodeId, View } from './protocol';

export interface ViewServiceSettings {
  pingMs: number;
  /** Missed pings before a server is presumed dead. */
  deadPings: number;
}

const SERVERS_MAX = 16;

export class ViewServer {
  view: View = { num: 0, primary: null, backup: null };
  /** The primary of the current view has pinged with its number. */
  acked = false;
  private readonly lastPingMs = new Map<NodeId, number>();
  /** Servers that restarted (pinged 0) since they were in a view: they hold no state. */
  private readonly idle: NodeId[] = [];
  private timer: number | undefined;

  constructor(
    readonly id: NodeId,
    private readonly clock: Clock,
    private readonly transport: Transport,
    private readonly settings: ViewServiceSettings,
    private readonly emit: EventSink,
  ) {}

  /** Begin with a configured view (the lab's initial primary and backup), already acknowledged. */
  bootstrap(view: View): void {
    this.view = view;
    this.acked = true;
    const now = this.clock.now();
    if (view.primary) this.lastPingMs.set(view.primary, now);
    if (view.backup) this.lastPingMs.set(view.backup, now);
    this.emit({ type: 'view', view, why: 'initial configuration' });
  }

  start(): void {
    const loop = (): void => {
      this.tick();
      this.timer = this.clock.setTimer(this.settings.pingMs, loop);
    };
    this.timer = this.clock.setTimer(this.settings.pingMs, loop);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.cancelTimer(this.timer);
  }

  onMessage(from: NodeId, msg: Message): void {
    if (msg.type !== 'ping') return;
    this.ping(from, msg.viewNum);
    this.transport.send(this.id, from, { type: 'view', view: this.view });
  }

  ping(from: NodeId, viewNum: number): void {
    const now = this.clock.now();
    if (!this.lastPingMs.has(from) && this.lastPingMs.size >= SERVERS_MAX) return;
    this.lastPingMs.set(from, now);
    const v = this.view;
    if (v.num === 0) {
      this.change({ num: 1, primary: from, backup: null }, `first server ${from} becomes primary`);
      return;
    }
    if (from === v.primary && viewNum === v.num) this.acked = true;
    const inView = from === v.primary || from === v.backup;
    if (viewNum === 0 && inView) {
      // It restarted and lost what it knew: treat as dead now.
      this.lastPingMs.set(from, -Infinity);
      this.tick();
      return;
    }
    if (!inView && !this.idle.includes(from)) this.idle.push(from);
    if (v.backup === null && this.acked) this.tick();
  }

  private alive(node: NodeId | null): boolean {
    if (node === null) return false;
    const t = this.lastPingMs.get(node);
    return t !== undefined && this.clock.now() - t <= this.settings.pingMs * this.settings.deadPings;
  }

  private takeIdle(): NodeId | null {
    while (this.idle.length > 0) {
      const n = this.idle.shift()!;
      if (this.alive(n) && n !== this.view.primary && n !== this.view.backup) return n;
    }
    return null;
  }

  /** Decide the next view, if any (only when the current one is acknowledged). */
  tick(): void {
    const v = this.view;
    if (v.num === 0) return;
    if (!this.acked) return; // must stay with the current view until the primary acked it
    const primaryUp = this.alive(v.primary);
    const backupUp = this.alive(v.backup);
    if (!primaryUp) {
      if (backupUp) {
        this.change({ num: v.num + 1, primary: v.backup, backup: this.takeIdle() }, `primary ${v.primary} dead: backup ${v.backup} promoted`);
      }
      return; // no backup to promote: nothing can be done
    }
    if (v.backup !== null && !backupUp) {
      this.change({ num: v.num + 1, primary: v.primary, backup: this.takeIdle() }, `backup ${v.backup} dead`);
      return;
    }
    if (v.backup === null) {
      const idle = this.takeIdle();
      if (idle !== null) this.change({ num: v.num + 1, primary: v.primary, backup: idle }, `idle ${idle} recruited as backup`);
    }
  }

  private change(view: View, why: string): void {
    this.view = view;
    this.acked = false;
    this.emit({ type: 'view', view, why });
  }
}
