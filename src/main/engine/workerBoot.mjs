// Boots a TypeScript worker entry under tsx (tests, `npm run web`, the CLI).
// The Electron build bundles the workers instead and does not use this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entryUrl);
