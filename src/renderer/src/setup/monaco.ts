/**
 * Monaco is configured once, here: its web worker (bundled by Vite, loaded from
 * 'self' as the CSP requires) and FT Lab's RISC-V assembly language.
 */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { registerRiscvLanguage, riscvLanguageId } from './riscvLanguage';

let configured = false;

export function setupMonaco(): typeof monaco {
  if (configured) return monaco;
  configured = true;
  self.MonacoEnvironment = {
    // Only the generic editor worker is used: the RISC-V language runs on the main thread.
    getWorker: () => new EditorWorker(),
  };
  registerRiscvLanguage(monaco);
  return monaco;
}

export { riscvLanguageId };
