// Child process of the crash test: records the churn guest into argv[2]
// forever (flushing every 512 rows) until it is killed.
import { register } from 'tsx/esm/api';

register();
const { openWorkspaceDb } = await import('../../../src/main/db/workspaceDb.ts');
const { recordSoloRun } = await import('../../../src/main/recorder/recordSolo.ts');
const { churnImage } = await import('../replay/helpers.ts');

const db = openWorkspaceDb(process.argv[2]);
recordSoloRun(
  db,
  { name: 'killed mid-run', engine: 'sim', seed: 5 },
  { image: churnImage(), instructions: Number.MAX_SAFE_INTEGER, checkpointEvery: 100_000, sliceInstructions: 5_000, seed: 5 },
  { flushRows: 512, flushMs: 0 },
);
