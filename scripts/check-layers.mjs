#!/usr/bin/env node
// The layer rule (see docs/ARCHITECTURE.md), checked on every import in src/:
//   src/core      imports only src/core (pure: no node, DOM, electron, real time, randomness)
//   src/shared    imports src/core, src/shared and zod
//   src/renderer  never imports node:* / electron / src/main / src/cli / src/preload
//   src/preload   imports only electron and types
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? resolve(dirname(new URL(import.meta.url).pathname), '..'));
const src = join(root, 'src');
const nodeBuiltins = new Set(['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'url', 'http', 'https', 'net', 'stream', 'zlib', 'events', 'perf_hooks', 'buffer', 'process', 'module', 'readline', 'timers', 'assert', 'v8', 'vm']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|vue|mts|mjs)$/.test(name)) yield path;
  }
}

const importRe = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const impureCallRe = /\b(Date\.now|Math\.random|setTimeout|setInterval|performance\.now|new Date)\s*\(/;

function layerOf(file) {
  const rel = relative(src, file).split(sep);
  return rel[0];
}

function targetLayer(file, spec) {
  if (spec.startsWith('.')) {
    const abs = resolve(dirname(file), spec);
    if (!abs.startsWith(src + sep)) return 'outside';
    return relative(src, abs).split(sep)[0];
  }
  if (spec.startsWith('node:') || nodeBuiltins.has(spec.split('/')[0])) return 'node';
  if (spec === 'electron' || spec.startsWith('electron/')) return 'electron';
  return `pkg:${spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]}`;
}

const rules = {
  core: (t) => t === 'core',
  shared: (t) => t === 'core' || t === 'shared' || t === 'pkg:zod',
  renderer: (t) => t !== 'node' && t !== 'electron' && t !== 'main' && t !== 'cli' && t !== 'preload' && t !== 'pkg:better-sqlite3' && t !== 'pkg:ws',
  preload: (t, isType) => t === 'electron' || isType,
  main: (t) => t !== 'renderer' && t !== 'cli',
  cli: (t) => t !== 'renderer' && t !== 'preload',
};

const problems = [];
for (const file of files(src)) {
  const layer = layerOf(file);
  const rule = rules[layer];
  if (!rule) continue;
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(importRe)) {
    const spec = match[3] ?? match[4];
    const isType = Boolean(match[2]);
    const target = targetLayer(file, spec);
    if (!rule(target, isType)) {
      const line = text.slice(0, match.index).split('\n').length + (text[match.index] === '\n' ? 1 : 0);
      problems.push(`${relative(root, file)}:${line}: bad layering: src/${layer} may not import "${spec}" (${target})`);
    }
  }
  if (layer === 'core') {
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (impureCallRe.test(code) && !/^\s*\*/.test(line)) {
        problems.push(`${relative(root, file)}:${i + 1}: src/core must not read real time or randomness (inject a clock / seeded prng): ${line.trim()}`);
      }
    });
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} layering problem(s). See docs/ARCHITECTURE.md.`);
  process.exit(1);
}
console.log('layers ok');
