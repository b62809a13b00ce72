/**
 * Monaco is configured once, here: its web worker (bundled by Vite, loaded from
 * 'self' as the CSP requires), FT Lab's RISC-V assembly language and themes.
 */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { defineFtLabThemes, registerRiscvLanguage, riscvLanguageId } from './riscvLanguage';

let configured = false;

export function setupMonaco(): typeof monaco {
  if (configured) return monaco;
  configured = true;
  self.MonacoEnvironment = {
    // Only the generic editor worker is used: the RISC-V language runs on the main thread.
    getWorker: () => new EditorWorker(),
  };
  registerRiscvLanguage(monaco);
  defineFtLabThemes(monaco);
  return monaco;
}

export function monacoTheme(theme: 'light' | 'dark'): string {
  return theme === 'dark' ? 'ftlab-dark' : 'ftlab-light';
}

export { riscvLanguageId };
