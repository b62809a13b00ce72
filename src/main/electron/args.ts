/** Command-line options of the desktop app (`npm start -- --db FILE`). */
import { parseArgs } from 'node:util';

export interface MainArgs {
  readonly db?: string;
}

export function parseMainArgs(argv: readonly string[]): MainArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { db: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  return { db: typeof values.db === 'string' ? values.db : undefined };
}
