/** The `npm run web` process: the engine plus the web server, until SIGINT/SIGTERM. */
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createLab } from '../lab/createLab';
import { startWebServer } from './webServer';
import { appRoot, resourcesDir } from '../paths';
import { ftlabVersion } from '../version';

export async function runWeb(options: { port: number; dbPath?: string }): Promise<void> {
  const staticDir = resolve(appRoot, 'out/renderer');
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    console.error('ftlab web: out/renderer is missing; run `npx electron-vite build` (npm run web does it for you).');
    process.exit(1);
  }
  const dbPath = resolve(options.dbPath ?? 'ftlab-workspace.sqlite');
  const lab = createLab({ dbPath, transport: 'websocket', version: ftlabVersion, resourcesDir });
  const server = await startWebServer({ lab: lab.server, staticDir, port: options.port });
  console.log(`FT Lab web: ${server.url} (workspace ${dbPath})`);
  const stop = async () => {
    await server.close();
    await lab.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
