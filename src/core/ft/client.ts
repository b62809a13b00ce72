/**
 * Simulated (or live) clients. Each sends requests to the service's virtual
 * address, one at a time, retries when a reply does not come in time (a retry
 * is a new operation; the unanswered one stays "pending": it may or may not
 * have happened), and records every operation's invocation and completion for
 * the linearizability checker. A reply may carry a sequence number the guest
 * keeps in its own memory (so it is replicated with everything else, as a TCP
 * sequence number would be): a client discards a reply whose number it has
 * already seen ("duplicate, discarded") — what a new primary re-sends after a
 * failover. Replies without one fall back to the VMM's output number (also
 * replicated machine state).
 *
 * Wire format: the example servers' (resources/examples/counter.s, kv.s).
 *   every request starts with an 8-byte tag the server echoes: [client u8][reqId u16 LE][0 ×5]
 *   counter  request: tag                       reply: tag | counter u32 LE | seq u32 LE
 *   kv       request: tag | op 'P'|'G'|'A' | key u8 | len u8 | pad | value (len bytes)
 *            reply:   tag | status u8 (0 ok, 1 bad request, 2 too long) | len u8 | pad ×2 | value
 */
import type { Clock, Random, Transport } from './env';
import { SERVICE_ADDRESS, type Message, type NodeId } from './protocol';

export type Workload = 'counter' | 'kv';

export const TAG_BYTES = 8;
export const KV_KEYS = 4;
/** Longest value the example kv server stores. */
export const KV_VALUE_MAX = 48;

export type OpInput =
  | { readonly op: 'increment' }
  | { readonly op: 'put'; readonly key: number; readonly value: string }
  | { readonly op: 'get'; readonly key: number }
  | { readonly op: 'append'; readonly key: number; readonly value: string };

/** A result: the counter's value, or a kv value (a string; "!2" for an error status). */
export type OpOutput = number | string;

/** One operation in a client's history. `retMs` null: no answer (pending forever). */
export interface Operation {
  readonly id: number;
  readonly client: number;
  readonly input: OpInput;
  readonly callMs: number;
  retMs: number | null;
  output: OpOutput | null;
}

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

export function encodeRequest(client: number, reqId: number, input: OpInput): Uint8Array {
  const tag = [client & 0xff, reqId & 0xff, (reqId >> 8) & 0xff, 0, 0, 0, 0, 0];
  if (input.op === 'increment') return Uint8Array.from(tag);
  const op = input.op === 'put' ? 0x50 : input.op === 'get' ? 0x47 : 0x41;
  const value = input.op === 'get' ? '' : input.value;
  return Uint8Array.from([...tag, op, input.key, value.length, 0, ...Array.from(value, (c) => c.charCodeAt(0) & 0xff)]);
}

export interface DecodedReply {
  readonly client: number;
  readonly reqId: number;
  readonly result: OpOutput;
  /** The guest's reply sequence number, if the reply carries one. */
  readonly seq: number | null;
}

export function decodeReply(bytes: Uint8Array, workload: Workload): DecodedReply | null {
  if (bytes.length < TAG_BYTES + 4) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const client = bytes[0]!;
  const reqId = dv.getUint16(1, true);
  if (workload === 'counter') {
    const seq = bytes.length >= TAG_BYTES + 8 ? dv.getUint32(12, true) : null;
    return { client, reqId, result: dv.getUint32(8, true), seq };
  }
  const status = bytes[8]!;
  const len = bytes[9]!;
  if (bytes.length < 12 + len) return null;
  return { client, reqId, result: status === 0 ? latin1(bytes.subarray(12, 12 + len)) : `!${status}`, seq: null };
}

export function clientAddress(index: number): NodeId {
  return `client${index}`;
}

/** Where a guest's reply goes: the client named in the first byte of its tag. */
export function routeReply(bytes: Uint8Array): NodeId | null {
  return bytes.length >= TAG_BYTES ? clientAddress(bytes[0]!) : null;
}

export interface ClientSettings {
  readonly workload: Workload;
  readonly requests: number;
  readonly intervalMs: number;
  /**
   * Operations and accepted outputs kept for the checkers (default: all). A
   * live run can go on for hours: past this bound they are counted, not kept.
   */
  readonly historyMax?: number;
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
    const letters = 'abcdefgh';
    const value = Array.from({ length: 1 + this.random.int(2) }, () => letters[this.random.int(letters.length)]).join('');
    return r === 0 ? { op: 'put', key, value } : r === 1 ? { op: 'get', key } : { op: 'append', key, value };
  }

  private issue(): void {
    this.timer = undefined;
    if (this.stopped || this.history.length >= this.settings.requests) return;
    const op: Operation = { id: this.nextOpId(), client: this.index, input: this.randomInput(), callMs: this.clock.now(), retMs: null, output: null };
    const reqId = this.nextReqId;
    this.nextReqId = (this.nextReqId % 0xffff) + 1;
    if (this.history.length < (this.settings.historyMax ?? Infinity)) this.history.push(op);
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
    const r = decodeReply(msg.bytes, this.settings.workload);
    const seq = r?.seq ?? msg.outSeq;
    if (seq <= this.lastSeq) {
      this.duplicates++;
      this.onEvent({ type: 'duplicate', client: this.index, outSeq: msg.outSeq });
      return;
    }
    this.lastSeq = seq;
    if (this.accepted.length < (this.settings.historyMax ?? Infinity)) this.accepted.push({ outSeq: msg.outSeq, bytes: msg.bytes });
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
