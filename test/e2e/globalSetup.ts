/** Builds the app once (main, preload, renderer) for every end-to-end test. */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const built = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'pipe', encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stdout}\n${built.stderr}`);
}
