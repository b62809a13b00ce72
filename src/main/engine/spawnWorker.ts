/**
 * Starts a worker thread for one of the engine's TypeScript worker entries,
 * whether we run from sources (tsx: tests, web, CLI) or from the Electron
 * bundle (electron-vite emits each worker entry next to the main bundle).
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export type WorkerEntry = 'replicaWorker' | 'machineWorker';

const here = dirname(fileURLToPath(import.meta.url));

export function spawnWorker(entry: WorkerEntry, data: Record<string, unknown>, transferList: readonly TransferListItem[] = []): Worker {
  const bundled = join(here, `${entry}.js`);
  if (existsSync(bundled) && !import.meta.url.endsWith('.ts')) {
    return new Worker(bundled, { workerData: data, transferList: [...transferList] });
  }
  const source = new URL(`./${entry}.ts`, import.meta.url).href;
  return new Worker(new URL('./workerBoot.mjs', import.meta.url), {
    workerData: { ...data, entryUrl: source },
    transferList: [...transferList],
  });
}
