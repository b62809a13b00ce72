import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '../helpers/tmp';

function check(tree: Record<string, string>): { status: number | null; stderr: string } {
  const { dir, cleanup } = tempDir('ftlab-layers-');
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const run = spawnSync(process.execPath, ['scripts/check-layers.mjs', dir], { encoding: 'utf8' });
  cleanup();
  return { status: run.status, stderr: run.stderr };
}

describe('layer check', () => {
  it('passes the real tree', () => {
    expect(spawnSync(process.execPath, ['scripts/check-layers.mjs'], { encoding: 'utf8' }).status).toBe(0);
  });

  it('refuses node, electron and outer layers in src/core, and real time there', () => {
    const result = check({
      'src/core/a.ts': "import { readFileSync } from 'node:fs';\nimport { x } from '../main/x';\nexport const t = Date.now();\n",
      'src/main/x.ts': 'export const x = 1;\n',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('src/core/a.ts:1: bad layering: src/core may not import "node:fs"');
    expect(result.stderr).toContain('src/core/a.ts:2: bad layering: src/core may not import "../main/x"');
    expect(result.stderr).toContain('src/core/a.ts:3: src/core must not read real time');
  });

  it('refuses node and electron in the renderer, and values other than electron in the preload', () => {
    const result = check({
      'src/renderer/src/a.ts': "import { ipcRenderer } from 'electron';\n",
      'src/renderer/src/B.vue': "<script setup lang=\"ts\">\nimport fs from 'fs';\n</script>\n",
      'src/preload/index.ts': "import { contextBridge } from 'electron';\nimport type { X } from '../shared/x';\nimport { y } from '../shared/y';\n",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('src/renderer/src/a.ts:1');
    expect(result.stderr).toContain('src/renderer/src/B.vue:2');
    expect(result.stderr).toContain('src/preload/index.ts:3');
    expect(result.stderr).not.toContain('src/preload/index.ts:2');
  });
});
