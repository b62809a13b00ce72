/** Where FT Lab's files are when running from sources (web, CLI, tests). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository / application root (holds resources/ and out/). */
export const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const resourcesDir = resolve(appRoot, 'resources');
