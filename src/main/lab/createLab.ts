/**
 * Wires the engine, the workspace database and the LabApi server together.
 * Used by the Electron main process, `npm run web`, the CLI and the tests.
 */
import { join } from 'node:path';
import { openWorkspaceDb, type OpenOptions } from '../db/workspaceDb';
import { schemaVersion } from '../db/migrations';
import { EngineHost } from '../engine/engineHost';
import { LabServer, type LabHandlers } from './labServer';
import type { EngineInfo, RoundTrip } from '../../shared/labApi';
import { listExamples, readExample } from './examples';

export interface Lab {
  readonly server: LabServer;
  readonly engine: EngineHost;
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

/** Placeholders while the live engine lands (an engine-error reply, never a crash). */
function notYet<K extends keyof LabHandlers>(names: readonly K[]): Pick<LabHandlers, K> {
  const handlers: Partial<Record<K, () => Promise<never>>> = {};
  for (const name of names) handlers[name] = () => Promise.reject(new Error(`${name}: the live engine is not available yet`));
  return handlers as unknown as Pick<LabHandlers, K>;
}

export function createLab(options: CreateLabOptions): Lab {
  const db = openWorkspaceDb(options.dbPath, options.db);
  const server = new LabServer();
  const engine = new EngineHost({ db, emit: (event) => server.emit('engineEvent', event) });
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
    listSessions: async () => engine.listSessions(),
    listExamples: () => listExamples(join(options.resourcesDir, 'examples')),
    readExample: ({ name }) => readExample(join(options.resourcesDir, 'examples'), name),
    ...notYet([
      'listScenarios', 'loadScenario', 'loadProgram', 'start', 'pause', 'resume', 'step', 'stop', 'setSpeed',
      'setSettings', 'injectFault', 'restoreRedundancy', 'clients', 'setBreakpoints', 'getState', 'getLogWindow', 'memoryDiff',
    ] as const),
  });
  return {
    server,
    engine,
    close: async () => {
      await engine.close();
      db.close();
    },
  };
}
