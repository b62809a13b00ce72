/**
 * Simulated (or live) clients. Each sends requests to the service's virtual
 * address, one at a time, retries when a reply does not come in time (a retry
 * is a new operation; the unanswered one stays "pending": it may or may not
 * have happened), and records every operation's invocation and completion for
 * the linearizability checker. Replies carry a sequence number the guest
 * keeps in its own memory (so it is replicated with everything else, as a TCP
 * sequence number would be): a client discards a reply whose number it has
 * already seen ("duplicate, discarded") — what a new primary re-sends after a
 * failover. A guest whose replies have no such field falls back to the VMM's
 * output number (also part of the replicated machine state).
 *
 * Wire format (little-endian), shared with the guest programs:
 *   request  [client u8][reqId u16][op u8][key u8][arg u32]          9 bytes
 *   reply    [client u8][reqId u16][result u32][seq u32]            11 bytes (seq optional: 7 bytes)
 *   op: 1 increment (counter), 2 put, 3 get, 4 append (kv: value = value*16 + (arg & 15), see kvAppend)
 */
import type { Clock, Random, Transport } from './env';
import { SERVICE_ADDRESS, type Message, type NodeId } from './protocol';

export type Workload = 'counter' | 'kv';

export const OP_INCREMENT = 1;
export const OP_PUT = 2;
export const OP_GET = 3;
export const OP_APPEND = 4;
export const REQUEST_BYTES = 9;
/** Shortest reply (no sequence number); with one it is REPLY_BYTES + 4. */
export const REPLY_BYTES = 7;
export const KV_KEYS = 4;

export type OpInput =
  | { readonly op: 'increment' }
  | { readonly op: 'put'; readonly key: number; readonly value: number }
  | { readonly op: 'get'; readonly key: number }
  | { readonly op: 'append'; readonly key: number; readonly value: number };

/** One operation in a client's history. `retMs` null: no answer (pending forever). */
export interface Operation {
  readonly id: number;
  readonly client: number;
  readonly input: OpInput;
  readonly callMs: number;
  retMs: number | null;
  output: number | null;
}

/** Append in the guest's kv store: the value's decimal-free "string" is a base-16 digit string. */
export function kvAppend(old: number, digit: number): number {
  return ((old << 4) | (digit & 15)) >>> 0;
}

export function encodeRequest(client: number, reqId: number, input: OpInput): Uint8Array {
  const b = new Uint8Array(REQUEST_BYTES);
  const dv = new DataView(b.buffer);
  b[0] = client;
  dv.setUint16(1, reqId, true);
  switch (input.op) {
    case 'increment':
      b[3] = OP_INCREMENT;
      break;
    case 'put':
      b[3] = OP_PUT;
      b[4] = input.key;
      dv.setUint32(5, input.value >>> 0, true);
      break;
    case 'get':
      b[3] = OP_GET;
      b[4] = input.key;
      break;
    case 'append':
      b[3] = OP_APPEND;
      b[4] = input.key;
      dv.setUint32(5, input.value >>> 0, true);
      break;
  }
  return b;
}

export function decodeReply(bytes: Uint8Array): { client: number; reqId: number; result: number; seq: number | null } | null {
  if (bytes.length < REPLY_BYTES) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seq = bytes.length >= REPLY_BYTES + 4 ? dv.getUint32(7, true) : null;
  return { client: bytes[0]!, reqId: dv.getUint16(1, true), result: dv.getUint32(3, true), seq };
}

export function clientAddress(index: number): NodeId {
  return `client${index}`;
}

/** Where a guest's reply goes: the client named in its first byte. */
export function routeReply(bytes: Uint8Array): NodeId | null {
  return bytes.length >= REPLY_BYTES ? clientAddress(bytes[0]!) : null;
}

export interface ClientSettings {
  readonly workload: Workload;
  readonly requests: number;
  readonly intervalMs: number;
  /** Give up waiting for a reply and retry (as a new operation) after this long. */
  readonly retryMs: number;
}

export type ClientEvent =
  | { readonly type: 'invoke'; readonly op: Operation }
  | { readonly type: 'complete'; readonly op: Operation; readonly outSeq: number }
  | { readonly type: 'duplicate'; readonly client: number; readonly outSeq: number }
  | { readonly type: 'timeout'; readonly op: Operation };

/** Operations a client keeps waiting for (late replies still complete them). */
const OUTSTANDING_MAX = 16;

export class Client {
  readonly address: NodeId;
  readonly history: Operation[] = [];
  private readonly outstanding = new Map<number, Operation>();
  private current: Operation | null = null;
  private nextReqId = 1;
  /** Highest reply sequence number accepted (the guest's, or the VMM output number). */
  private lastSeq = -1;
  /** Outputs accepted (outSeq → bytes) — what this client saw. */
  readonly accepted: { outSeq: number; bytes: Uint8Array }[] = [];
  duplicates = 0;
  private timer: number | undefined;
  private stopped = false;

  constructor(
    readonly index: number,
    private readonly settings: ClientSettings,
    private readonly clock: Clock,
    private readonly transport: Transport,
    private readonly random: Random,
    private readonly nextOpId: () => number,
    private readonly onEvent: (e: ClientEvent) => void,
  ) {
    this.address = clientAddress(index);
  }

  start(delayMs: number): void {
    this.timer = this.clock.setTimer(delayMs, () => this.issue());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.cancelTimer(this.timer);
  }

  get done(): boolean {
    return this.history.length >= this.settings.requests && this.current === null;
  }

  private randomInput(): OpInput {
    if (this.settings.workload === 'counter') return { op: 'increment' };
    const key = this.random.int(KV_KEYS);
    const r = this.random.int(3);
    const value = 1 + this.random.int(15);
    return r === 0 ? { op: 'put', key, value } : r === 1 ? { op: 'get', key } : { op: 'append', key, value };
  }

  private issue(): void {
    this.timer = undefined;
    if (this.stopped || this.history.length >= this.settings.requests) return;
    const op: Operation = { id: this.nextOpId(), client: this.index, input: this.randomInput(), callMs: this.clock.now(), retMs: null, output: null };
    const reqId = this.nextReqId;
    this.nextReqId = (this.nextReqId % 0xffff) + 1;
    this.history.push(op);
    this.current = op;
    this.outstanding.set(reqId, op);
    if (this.outstanding.size > OUTSTANDING_MAX) this.outstanding.delete(this.outstanding.keys().next().value!);
    this.onEvent({ type: 'invoke', op });
    this.transport.send(this.address, SERVICE_ADDRESS, { type: 'request', bytes: encodeRequest(this.index, reqId, op.input) });
    this.timer = this.clock.setTimer(this.settings.retryMs, () => this.timeout(op));
  }

  private timeout(op: Operation): void {
    this.timer = undefined;
    if (this.current !== op) return;
    this.current = null;
    this.onEvent({ type: 'timeout', op });
    this.issue();
  }

  onMessage(_from: NodeId, msg: Message): void {
    if (msg.type !== 'reply') return;
    const r = decodeReply(msg.bytes);
    const seq = r?.seq ?? msg.outSeq;
    if (seq <= this.lastSeq) {
      this.duplicates++;
      this.onEvent({ type: 'duplicate', client: this.index, outSeq: msg.outSeq });
      return;
    }
    this.lastSeq = seq;
    this.accepted.push({ outSeq: msg.outSeq, bytes: msg.bytes });
    if (r === null || r.client !== this.index) return;
    const op = this.outstanding.get(r.reqId);
    if (op === undefined || op.retMs !== null) return;
    this.outstanding.delete(r.reqId);
    op.retMs = this.clock.now();
    op.output = r.result;
    this.onEvent({ type: 'complete', op, outSeq: msg.outSeq });
    if (this.current === op) {
      this.current = null;
      if (this.timer !== undefined) this.clock.cancelTimer(this.timer);
      this.timer = this.clock.setTimer(this.settings.intervalMs, () => this.issue());
    }
  }
}
