#!/usr/bin/env node
// `npm run web`: build the renderer (unless --no-build) and serve FT Lab in a browser,
// with LabApi over a WebSocket on 127.0.0.1.  Options: --port N (default 5317, 0 = any),
// --db FILE (default: ./ftlab-workspace.sqlite), --no-build.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5317' },
    db: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

if (!values['no-build']) {
  const built = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

register();
const { runWeb } = await import('../src/main/web/runWeb.ts');
await runWeb({ port: Number(values.port), dbPath: values.db });
