/**
 * Test-and-set on shared storage (VMware FT §2.3): when the two machines lose
 * contact, each asks to "go live"; the first request for an epoch wins, every
 * later one loses (the loser halts). An epoch is one primary/backup pairing,
 * so a new backup made by state transfer arbitrates afresh.
 */
import type { Message, NodeId } from './protocol';
import type { Transport } from './env';

/** Epochs remembered; older ones are forgotten (bounded memory). */
const EPOCHS_KEPT = 256;

export class TestAndSetServer {
  private readonly winners = new Map<number, NodeId>();

  constructor(
    readonly id: NodeId,
    private readonly transport: Transport,
  ) {}

  /** The flag for `epoch`: set it if clear. Re-asking by the winner is idempotent. */
  testAndSet(epoch: number, from: NodeId): boolean {
    const winner = this.winners.get(epoch);
    if (winner !== undefined) return winner === from;
    this.winners.set(epoch, from);
    if (this.winners.size > EPOCHS_KEPT) this.winners.delete(this.winners.keys().next().value!);
    return true;
  }

  winnerOf(epoch: number): NodeId | undefined {
    return this.winners.get(epoch);
  }

  onMessage(from: NodeId, msg: Message): void {
    if (msg.type !== 'testAndSet') return;
    const won = this.testAndSet(msg.epoch, from);
    this.transport.send(this.id, from, { type: 'testAndSetReply', epoch: msg.epoch, won });
  }
}
