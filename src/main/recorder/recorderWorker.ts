/**
 * The recorder's own thread: receives batches from the machine's thread,
 * writes them through a SessionRecorder on its own connection, and reports
 * what is committed (so the producer can show how far the disk is behind).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWorkspaceDb } from '../db/workspaceDb';
import { SessionRecorder } from './sessionRecorder';
import { readEntry, type RecorderWorkerData, type SideItem, type ToRecorder } from './wire';

const data = workerData as RecorderWorkerData;
const port = parentPort!;
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
      const packets = new Map(msg.packets);
      let k = 0;
      for (let i = 0; i < msg.entries; i++) {
        while (k < msg.side.length && msg.side[k]!.at <= i) side(msg.side[k++]!);
        nowMs = msg.cols[i * 6 + 5]!;
        rec.sink({ type: 'logged', node: msg.nodes[msg.cols[i * 6]!]!, entry: readEntry(msg.cols, i, packets.get(i)) });
      }
      while (k < msg.side.length) side(msg.side[k++]!);
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
