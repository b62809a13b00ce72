/** Global keyboard shortcuts (capture phase, so they work while the editor has focus). */
import { onBeforeUnmount, onMounted } from 'vue';
import { shortcutFor } from '../shortcuts';
import { useLabStore } from '../stores/lab';
import { useWorkbenchActions } from './useWorkbenchActions';

export function useShortcuts(options: { toggleSheet: () => void }) {
  const lab = useLabStore();
  const actions = useWorkbenchActions();

  function onKeydown(e: KeyboardEvent): void {
    const shortcut = shortcutFor(e);
    if (!shortcut) return;
    e.preventDefault();
    e.stopPropagation();
    const a = shortcut.action;
    switch (a.kind) {
      case 'run': void actions.runProgram(); break;
      case 'pauseOrResume': void actions.pauseOrResume(); break;
      case 'step': void actions.step(a.count); break;
      case 'stop': void lab.stop(); break;
      case 'fault': void lab.inject(a.action); break;
      case 'toggleOutputRule': void lab.inject({ kind: 'outputRule', on: !(lab.settings?.outputRule ?? true) }); break;
      case 'toggleLogCut': void lab.inject(lab.state?.logChannel.cut !== 'none' && lab.state ? { kind: 'healLog' } : { kind: 'cutLog', direction: 'both' }); break;
      case 'restoreRedundancy': void lab.restoreRedundancy(); break;
      case 'open': void actions.openFile(); break;
      case 'save': actions.save(); break;
      case 'sheet': options.toggleSheet(); break;
      case 'editorOnly': break;
      default: {
        const never: never = a;
        throw new Error(`unhandled shortcut ${JSON.stringify(never)}`);
      }
    }
  }

  onMounted(() => window.addEventListener('keydown', onKeydown, true));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown, true));
}
