/**
 * The simulated network: every message between machines, arbiters and clients
 * goes through here, with a latency per link and the faults of the plan
 * applied per directed link (cut, drop, duplicate, delay, reorder) and per
 * node (crashed). The service address is resolved like an Ethernet switch:
 * to the machine that last announced it or last sent from it — so two live
 * machines (split brain) make it flap between them.
 */
import type { Transport } from '../ft/env';
import { SERVICE_ADDRESS, type Message, type NodeId } from '../ft/protocol';
import type { Prng } from './prng';
import type { Scheduler } from './virtualClock';

export interface LinkFaults {
  cut: boolean;
  dropRate: number;
  duplicateRate: number;
  extraDelayMs: number;
  /** Random extra delay in [0, reorderMs): messages overtake each other. */
  reorderMs: number;
}

export function healthyLink(): LinkFaults {
  return { cut: false, dropRate: 0, duplicateRate: 0, extraDelayMs: 0, reorderMs: 0 };
}

export type Handler = (from: NodeId, msg: Message) => void;

export interface NetworkStats {
  messages: number;
  dropped: number;
  /** Bytes of log batches put on the wire (including re-sends and duplicates). */
  logWireBytes: number;
}

/** Messages in flight at once; beyond this the network drops (bounded queues). */
const IN_FLIGHT_MAX = 100_000;

export class SimNetwork implements Transport {
  private readonly handlers = new Map<NodeId, Handler>();
  private readonly dead = new Set<NodeId>();
  private readonly links = new Map<string, LinkFaults>();
  serviceOwner: NodeId | null = null;
  readonly stats: NetworkStats = { messages: 0, dropped: 0, logWireBytes: 0 };
  private inFlight = 0;

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Prng,
    private readonly machines: ReadonlySet<NodeId>,
    private readonly latencyMs: (from: NodeId, to: NodeId) => number,
  ) {}

  register(id: NodeId, handler: Handler): void {
    this.handlers.set(id, handler);
  }

  setAlive(id: NodeId, alive: boolean): void {
    if (alive) this.dead.delete(id);
    else this.dead.add(id);
  }

  isAlive(id: NodeId): boolean {
    return !this.dead.has(id);
  }

  link(from: NodeId, to: NodeId): LinkFaults {
    const key = `${from}>${to}`;
    let l = this.links.get(key);
    if (!l) {
      l = healthyLink();
      this.links.set(key, l);
    }
    return l;
  }

  send(from: NodeId, to: NodeId, msg: Message): void {
    if (this.dead.has(from)) return;
    if (to === SERVICE_ADDRESS) {
      if (msg.type === 'announce') {
        if (this.machines.has(from)) this.serviceOwner = from;
        return;
      }
      if (this.serviceOwner === null) return;
      to = this.serviceOwner;
    }
    if (msg.type === 'reply' && this.machines.has(from)) this.serviceOwner = from;
    const f = this.link(from, to);
    this.stats.messages++;
    if (f.cut || this.rng.chance(f.dropRate) || this.inFlight >= IN_FLIGHT_MAX) {
      this.stats.dropped++;
      return;
    }
    const copies = this.rng.chance(f.duplicateRate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (msg.type === 'log') this.stats.logWireBytes += msg.bytes.length;
      const jitter = f.reorderMs > 0 ? this.rng.next() * f.reorderMs : 0;
      const delay = this.latencyMs(from, to) + f.extraDelayMs + jitter;
      this.inFlight++;
      this.sched.after(delay, () => {
        this.inFlight--;
        if (this.dead.has(to)) return;
        this.handlers.get(to)?.(from, msg);
      });
    }
  }
}
