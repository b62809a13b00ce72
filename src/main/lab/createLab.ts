/**
 * Wires the engine, the workspace database and the LabApi server together.
 * Used by the Electron main process, `npm run web`, the CLI and the tests.
 */
import { join } from 'node:path';
import { openWorkspaceDb, type OpenOptions } from '../db/workspaceDb';
import { schemaVersion } from '../db/migrations';
import { EngineHost } from '../engine/engineHost';
import { LabServer } from './labServer';
import { LiveLab } from './liveLab';
import type { EngineInfo, RoundTrip } from '../../shared/labApi';
import { listExamples, readExample } from './examples';
import { SessionsLab } from './sessionsLab';

export interface Lab {
  readonly server: LabServer;
  readonly engine: EngineHost;
  readonly live: LiveLab;
  close(): Promise<void>;
}

export interface CreateLabOptions {
  readonly dbPath: string;
  readonly transport: EngineInfo['transport'];
  readonly version: string;
  readonly db?: OpenOptions;
  /** Folder holding examples/ and scenarios/. */
  readonly resourcesDir: string;
}

export function createLab(options: CreateLabOptions): Lab {
  const db = openWorkspaceDb(options.dbPath, options.db);
  const server = new LabServer();
  const engine = new EngineHost({ db, emit: (event) => server.emit('engineEvent', event) });
  const live = new LiveLab(db, server, join(options.resourcesDir, 'scenarios'));
  const sessions = new SessionsLab(db, options.dbPath, server);
  server.attach({
    getInfo: async () => ({
      version: options.version,
      transport: options.transport,
      dbPath: options.dbPath,
      schemaVersion,
    }),
    run: async ({ source, file }) => {
      const roundTrip: RoundTrip = await engine.roundTrip(source, file);
      server.emit('roundTrip', roundTrip);
      return { ok: true, diagnostics: [], roundTrip };
    },
    listExamples: () => listExamples(join(options.resourcesDir, 'examples')),
    readExample: ({ name }) => readExample(join(options.resourcesDir, 'examples'), name),
    ...live.handlers(),
    ...sessions.handlers(),
  });
  return {
    server,
    engine,
    live,
    close: async () => {
      sessions.close();
      await live.close();
      await engine.close();
      db.close();
    },
  };
}
