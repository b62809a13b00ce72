#!/usr/bin/env node
// `npm start`: build FT Lab and open it in Electron.
//
// better-sqlite3 is a native module and Node 20 (tests, CLI, web) and Electron
// have different ABIs. node_modules keeps the Node build; this script prepares
// an Electron-ABI copy under .cache/electron-sqlite/<electron version>/ once,
// and the app opens the database with better-sqlite3's `nativeBinding` option
// (env FTLAB_SQLITE_BINDING). Arguments after `--` go to the app (e.g. --db FILE).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(join(root, 'package.json'));
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
};
const fail = (message) => {
  console.error(`\nnpm start: ${message}`);
  process.exit(1);
};

// 1. The Electron binary (skipped when installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1).
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log(`Downloading Electron ${electronVersion} (installed without its binary)…`);
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  if (!run(process.execPath, [join(electronDir, 'install.js')], { env })) {
    fail('could not download Electron. This needs access to GitHub; on an offline machine use `npm run web` instead.');
  }
}

// 2. better-sqlite3 for Electron's ABI, kept apart from the Node build used by the tests.
const cacheDir = join(root, '.cache', 'electron-sqlite', electronVersion);
const binding = join(cacheDir, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(binding)) {
  console.log(`Preparing better-sqlite3 for Electron ${electronVersion} (once)…`);
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  cpSync(sqliteDir, cacheDir, { recursive: true, filter: (src) => !src.includes(`${join('build', 'Release')}`) });
  const prebuilt = run(
    process.execPath,
    [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion],
    { cwd: cacheDir },
  );
  if (!prebuilt) {
    console.log('No prebuilt binary; compiling against Electron headers…');
    const npmDir = dirname(dirname(process.env.npm_execpath ?? require.resolve('npm/package.json')));
    const gyp = [join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), join(npmDir, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')].find(existsSync);
    if (!gyp) fail('node-gyp not found to compile better-sqlite3 for Electron.');
    const ok = run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], {
      cwd: cacheDir,
    });
    if (!ok || !existsSync(binding)) fail('could not build better-sqlite3 for Electron.');
  }
}

// 3. Build and launch.
if (!run('npx', ['electron-vite', 'build'])) fail('build failed.');
const extra = process.argv.slice(2);
const electronBin = require('electron');
const launched = spawnSync(electronBin, ['.', ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FTLAB_SQLITE_BINDING: binding },
});
process.exit(launched.status ?? 0);
