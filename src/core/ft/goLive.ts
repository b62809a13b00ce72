/**
 * Going live (VMware FT §2.3, 6.824 lec 4): a machine that presumes its
 * partner dead first finishes replaying what it has buffered (a backup), then
 * asks the arbiter whether it may be the only one. Winner: it goes live (a
 * backup stops discarding outputs and the clients are cut over to it). Loser:
 * it halts itself — better unavailable than split.
 */
import type { Clock, Transport } from './env';
import type { EventSink } from './events';
import { unreachable, type Message, type NodeId, type View } from './protocol';
import type { ArbiterKind } from './settings';

export type GoLiveVerdict = { readonly won: boolean; readonly how: string };

export interface GoLiveContext {
  readonly id: NodeId;
  readonly partner: NodeId;
  readonly side: 'primary' | 'backup';
  readonly epoch: number;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly emit: EventSink;
  readonly arbiterNode: NodeId;
  readonly retryMs: number;
  /** Test-and-set attempts before giving up (arbiter unreachable ⇒ halt). */
  readonly attemptsMax: number;
}

export class GoLive {
  phase: 'replay' | 'arbitrate' | 'done' = 'replay';
  private attempts = 0;
  private lastAttemptMs = -Infinity;

  constructor(
    private readonly ctx: GoLiveContext,
    private readonly arbiter: () => ArbiterKind,
    private readonly onVerdict: (v: GoLiveVerdict) => void,
  ) {}

  /** Called every tick; `caughtUp` is true once everything buffered has been replayed. */
  tick(caughtUp: boolean, view: View | null): void {
    if (this.phase === 'replay' && caughtUp) this.phase = 'arbitrate';
    if (this.phase !== 'arbitrate') return;
    const kind = this.arbiter();
    switch (kind) {
      case 'none':
        return this.decide({ won: true, how: 'no arbiter: going live unilaterally' });
      case 'test-and-set':
        return this.askTestAndSet();
      case 'view-service':
        return this.consultView(view);
      default:
        return unreachable(kind);
    }
  }

  private askTestAndSet(): void {
    const now = this.ctx.clock.now();
    if (now - this.lastAttemptMs < this.ctx.retryMs) return;
    if (this.attempts >= this.ctx.attemptsMax) {
      return this.decide({ won: false, how: 'test-and-set server unreachable' });
    }
    this.attempts++;
    this.lastAttemptMs = now;
    this.ctx.transport.send(this.ctx.id, this.ctx.arbiterNode, { type: 'testAndSet', epoch: this.ctx.epoch });
  }

  private consultView(view: View | null): void {
    if (view === null) return;
    const me = this.ctx.id;
    if (this.ctx.side === 'backup') {
      if (view.primary === me) return this.decide({ won: true, how: `view ${view.num} names me primary` });
      if (view.primary !== this.ctx.partner) return this.decide({ won: false, how: `view ${view.num} names ${view.primary} primary` });
      return; // still the old view: wait (the view service may be waiting for an ack, or dead)
    }
    if (view.primary !== me) return this.decide({ won: false, how: `view ${view.num} names ${view.primary} primary` });
    if (view.backup !== this.ctx.partner) return this.decide({ won: true, how: `view ${view.num} keeps me primary` });
  }

  onMessage(_from: NodeId, msg: Message): void {
    if (this.phase !== 'arbitrate' || msg.type !== 'testAndSetReply' || msg.epoch !== this.ctx.epoch) return;
    this.decide(msg.won ? { won: true, how: 'won test-and-set' } : { won: false, how: 'lost test-and-set' });
  }

  private decide(v: GoLiveVerdict): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.ctx.emit({ type: 'arbitration', node: this.ctx.id, won: v.won, how: v.how });
    this.onVerdict(v);
  }
}
