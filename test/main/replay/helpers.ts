import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../../src/core/asm/assemble';
import type { ProgramImage } from '../../../src/core/image';

export const churnFile = fileURLToPath(new URL('../../fixtures/db/churn.s', import.meta.url));

export function churnImage(): ProgramImage {
  const r = assemble(readFileSync(churnFile, 'utf8'), { file: 'churn.s' });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  return r.image;
}
