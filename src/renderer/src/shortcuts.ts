/** The keyboard shortcuts: one table, read by the handler and by the shortcuts sheet. */
import type { FaultAction } from '../../shared/labApi';

export type ShortcutAction =
  | { readonly kind: 'run' }
  | { readonly kind: 'pauseOrResume' }
  | { readonly kind: 'step'; readonly count: number }
  | { readonly kind: 'stop' }
  | { readonly kind: 'fault'; readonly action: FaultAction }
  | { readonly kind: 'toggleOutputRule' }
  | { readonly kind: 'toggleLogCut' }
  | { readonly kind: 'restoreRedundancy' }
  | { readonly kind: 'open' }
  | { readonly kind: 'save' }
  | { readonly kind: 'sheet' }
  | { readonly kind: 'editorOnly'; readonly what: string };

export interface Shortcut {
  /** As shown: "Ctrl+Enter". */
  readonly keys: string;
  readonly what: string;
  readonly group: 'Program' | 'Run' | 'Faults' | 'Editor' | 'Help';
  readonly action: ShortcutAction;
  /** Matches a keydown. */
  readonly match?: (e: KeyboardEvent) => boolean;
}

const ctrl = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

export const shortcuts: readonly Shortcut[] = [
  { keys: 'Ctrl+Enter', what: 'Assemble, load and run on primary + backup', group: 'Run', action: { kind: 'run' }, match: (e) => ctrl(e) && e.key === 'Enter' },
  { keys: 'F5', what: 'Run / pause / resume', group: 'Run', action: { kind: 'pauseOrResume' }, match: (e) => plain(e) && !e.shiftKey && e.key === 'F5' },
  { keys: 'F10', what: 'Step one instruction', group: 'Run', action: { kind: 'step', count: 1 }, match: (e) => plain(e) && !e.shiftKey && e.key === 'F10' },
  { keys: 'Shift+F10', what: 'Step 1000 instructions', group: 'Run', action: { kind: 'step', count: 1000 }, match: (e) => plain(e) && e.shiftKey && e.key === 'F10' },
  { keys: 'Shift+F5', what: 'Stop the run', group: 'Run', action: { kind: 'stop' }, match: (e) => plain(e) && e.shiftKey && e.key === 'F5' },
  { keys: 'Alt+1', what: 'Crash the primary', group: 'Faults', action: { kind: 'fault', action: { kind: 'crash', target: 'primary' } }, match: (e) => e.altKey && e.code === 'Digit1' },
  { keys: 'Alt+2', what: 'Crash the backup', group: 'Faults', action: { kind: 'fault', action: { kind: 'crash', target: 'backup' } }, match: (e) => e.altKey && e.code === 'Digit2' },
  { keys: 'Alt+3', what: 'Cut / heal the logging channel', group: 'Faults', action: { kind: 'toggleLogCut' }, match: (e) => e.altKey && e.code === 'Digit3' },
  { keys: 'Alt+O', what: 'Output rule on / off', group: 'Faults', action: { kind: 'toggleOutputRule' }, match: (e) => e.altKey && e.code === 'KeyO' },
  { keys: 'Alt+R', what: 'Restore redundancy (new backup by state transfer)', group: 'Faults', action: { kind: 'restoreRedundancy' }, match: (e) => e.altKey && e.code === 'KeyR' },
  { keys: 'Ctrl+O', what: 'Open a .s file or an ELF', group: 'Program', action: { kind: 'open' }, match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'o' },
  { keys: 'Ctrl+S', what: 'Save the program as a .s file', group: 'Program', action: { kind: 'save' }, match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 's' },
  { keys: 'F9', what: 'Toggle a breakpoint on the cursor line (or click the gutter)', group: 'Editor', action: { kind: 'editorOnly', what: 'breakpoint' } },
  { keys: 'F12 / Ctrl+click', what: "Go to a label's definition", group: 'Editor', action: { kind: 'editorOnly', what: 'definition' } },
  { keys: 'Ctrl+Space', what: 'Complete an instruction, register, CSR or label', group: 'Editor', action: { kind: 'editorOnly', what: 'complete' } },
  { keys: 'Ctrl+?', what: 'Show this sheet', group: 'Help', action: { kind: 'sheet' }, match: (e) => ctrl(e) && (e.key === '/' || e.key === '?') && e.shiftKey },
];

/** The shortcut a keydown triggers, if any. */
export function shortcutFor(e: KeyboardEvent): Shortcut | undefined {
  return shortcuts.find((s) => s.match?.(e));
}
