/**
 * Checkpoint snapshots in SQLite: a machine snapshot is plain structured-clone
 * data (typed arrays and numbers), serialized with V8's structured serializer
 * and deflated. Level 1: checkpoints are taken while recording, speed first.
 */
import { deserialize, serialize } from 'node:v8';
import { deflateSync, inflateSync } from 'node:zlib';

export interface EncodedSnapshot {
  readonly blob: Buffer;
  /** Serialized size before compression. */
  readonly rawBytes: number;
}

export function encodeSnapshot(data: unknown): EncodedSnapshot {
  const raw = serialize(data);
  return { blob: deflateSync(raw, { level: 1 }), rawBytes: raw.length };
}

export function decodeSnapshot(blob: Uint8Array): unknown {
  return deserialize(inflateSync(blob));
}
