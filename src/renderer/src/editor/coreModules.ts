/**
 * The pure-TypeScript core modules the editor runs in the renderer (the
 * assembler, the ISA documentation table), loaded lazily into their own chunk
 * so the first paint does not wait for them.
 */
import type { AsmResult } from '../../../core/asm/assemble';
import { adaptDocs } from './docsAdapter';
import type { DocLookup } from './hover';

export type Assemble = (source: string, options: { file: string }) => AsmResult;

let assemblePromise: Promise<Assemble> | undefined;
let docs: DocLookup | undefined;
let docsPromise: Promise<DocLookup | undefined> | undefined;

export function loadAssembler(): Promise<Assemble> {
  assemblePromise ??= import('../../../core/asm/assemble').then((m) => m.assemble);
  return assemblePromise;
}

// The docs table is optional: an editor without it still hovers registers and CSRs.
const docsModules = import.meta.glob('../../../core/isa/docs.ts');

export function loadDocs(): Promise<DocLookup | undefined> {
  docsPromise ??= (async () => {
    const load = Object.values(docsModules)[0];
    if (!load) return undefined;
    docs = adaptDocs((await load()) as Record<string, unknown>);
    return docs;
  })();
  return docsPromise;
}

/** The docs lookup if it has loaded (hovers must answer synchronously-ish). */
export function docsLookup(): DocLookup | undefined {
  return docs;
}
