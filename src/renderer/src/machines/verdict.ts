/** The checker's verdict as a student reads it, and which operations it blames. */
import type { ClientOpView, VerdictView } from '../../../shared/labApi';

export interface VerdictText {
  readonly tone: 'ok' | 'bad' | 'unknown';
  readonly title: string;
  readonly detail: string;
}

export function verdictText(v: VerdictView | null | undefined): VerdictText {
  if (!v) return { tone: 'unknown', title: 'No verdict yet', detail: 'The checker judges the clients\u2019 history once operations complete.' };
  const problems: string[] = [];
  if (v.splitBrain) problems.push('split brain: two machines were live at once');
  if (v.linearizable === false) problems.push('not linearizable: clients saw a history no single machine could produce');
  if (v.lostAckedOutputs > 0) problems.push(`${v.lostAckedOutputs} acknowledged output${v.lostAckedOutputs === 1 ? '' : 's'} lost`);
  if (v.diverged) problems.push('the backup diverged from the primary');
  if (problems.length) return { tone: 'bad', title: 'Anomaly', detail: problems.join('; ') };
  if (v.linearizable === true) return { tone: 'ok', title: 'Linearizable', detail: 'Every client saw a history one correct machine could have produced.' };
  return { tone: 'unknown', title: 'Checking…', detail: v.linearizable === 'unknown' ? 'The checker could not decide (history too large or incomplete).' : 'Not enough completed operations yet.' };
}

/** Whether the checker's witness names this operation. */
export function isOffending(op: ClientOpView, witness: readonly string[]): boolean {
  if (!witness.length) return false;
  const tag = `c${op.client}`;
  return witness.some((w) => w.includes(op.op) && (w.includes(tag) || w.includes(`client ${op.client}`) || (op.result !== null && w.includes(op.result))));
}
