/**
 * The recorder's own thread: receives batches from the machine's thread,
 * writes them through a SessionRecorder on its own connection, and reports
 * what is committed (so the producer can show how far the disk is behind).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspaceDb } from '../db/workspaceDb';
import { SessionRecorder } from './sessionRecorder';
import { packedAt, packedCount, packedSidePos, unpackOutput } from '../../shared/packedOutputs';
import { COLS, ringSlot, type RecorderWorkerData, type SideItem, type ToRecorder } from './wire';

const data = workerData as RecorderWorkerData;
const port = parentPort!;
const ringCols = new Float64Array(data.ring.cols);
const ringBusy = new Int32Array(data.ring.busy);
// Touch every page of the ring here, before the machine's thread writes to it: a first write to a
// fresh page is a page fault (≈ 10 µs on our VMs, 85 entries' worth of a page), better taken once
// on this thread than on the machine's.
ringCols.fill(0);
const db = openWorkspaceDb(data.file);
let nowMs = 0;
const rec = new SessionRecorder(db, data.meta, { now: () => nowMs, flushRows: data.flushRows, flushMs: data.flushMs ?? 50 });
port.postMessage({ type: 'ready', sessionId: rec.sessionId });

function side(s: SideItem): void {
  switch (s.kind) {
    case 'event':
      rec.sink(s.ev);
      return;
    case 'checkpoint':
      nowMs = s.timeMs;
      rec.checkpoint(s.node, s.cp);
      return;
    case 'invoke':
      nowMs = s.timeMs;
      rec.clientInvoke(s.id, s.client, s.op, s.input);
      return;
    case 'complete':
      nowMs = s.timeMs;
      rec.clientComplete(s.id, s.output);
      return;
    case 'fault':
      nowMs = s.timeMs;
      rec.fault(s.detail, s.data);
      return;
    default: {
      const never: never = s;
      throw new Error(`unknown side item ${JSON.stringify(never)}`);
    }
  }
}

port.on('message', (msg: ToRecorder) => {
  switch (msg.type) {
    case 'batch': {
      const { nodes, packets, outputs, side: sides } = msg;
      const cols = msg.slot >= 0 ? ringSlot(data.ring, ringCols, msg.slot) : (msg.cols ?? new Float64Array(0));
      const nOut = packedCount(outputs);
      let k = 0; // next side item
      let q = 0; // next output event
      let p = 0; // next packet
      // Side items and output events placed before entry `limit`, in the order they happened: an output
      // goes before side item `sidePos` (the side items that came before it are out first).
      const eventsBefore = (limit: number): void => {
        for (;;) {
          if (q < nOut && packedAt(outputs!, q) <= limit && packedSidePos(outputs!, q) <= k) {
            rec.sink(unpackOutput(outputs!, q++, nodes));
          } else if (k < sides.length && sides[k]!.at <= limit) {
            side(sides[k++]!);
          } else return;
        }
      };
      for (let i = 0; i < msg.entries; i++) {
        eventsBefore(i);
        const o = i * COLS;
        let bytes: Uint8Array | null = null;
        if (packets !== null && packets.at[p] === i) {
          bytes = packets.bytes.subarray(p === 0 ? 0 : packets.end[p - 1], packets.end[p]);
          p++;
        }
        nowMs = cols[o + 5]!;
        rec.loggedRaw(nodes[cols[o]!]!, cols[o + 1]!, cols[o + 2]!, cols[o + 3]!, cols[o + 4]!, bytes, nowMs);
      }
      // Every entry is in the recorder's own queue now: the slot is the machine's thread's again.
      if (msg.slot >= 0) Atomics.store(ringBusy, msg.slot, 0);
      eventsBefore(Infinity);
      port.postMessage({ type: 'progress', stats: rec.stats });
      return;
    }
    case 'finish': {
      const stats = rec.finish(msg.verdict, msg.counts);
      db.close();
      port.postMessage({ type: 'finished', stats });
      return;
    }
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
});
