/** The checker's verdict as a student reads it, and which operations it blames. */
import type { ClientOpView, VerdictView } from '../../../shared/labApi';

export interface VerdictText {
  readonly tone: 'ok' | 'bad' | 'unknown';
  readonly title: string;
  readonly detail: string;
}

export function verdictText(v: VerdictView | null | undefined): VerdictText {
  if (!v) return { tone: 'unknown', title: 'No verdict yet', detail: 'The checker judges the clients\u2019 history once operations complete.' };
  const t = verdictOf(v);
  if (typeof v.checkedOps !== 'number') return t;
  return { ...t, detail: `${t.detail} (Judged on the run\u2019s first ${v.checkedOps.toLocaleString('en-US')} operations: a run this long is counted from there on, not checked.)` };
}

function verdictOf(v: VerdictView): VerdictText {
  const problems: string[] = [];
  if (v.splitBrain) problems.push('split brain: two machines were live at once');
  if (v.linearizable === false) problems.push('not linearizable: clients saw a history no single machine could produce');
  if (v.lostAckedOutputs > 0) problems.push(`${v.lostAckedOutputs} acknowledged output${v.lostAckedOutputs === 1 ? '' : 's'} lost`);
  if (v.diverged) problems.push('the backup diverged from the primary');
  if (problems.length) return { tone: 'bad', title: 'Anomaly', detail: problems.join('; ') };
  if (v.linearizable === true) return { tone: 'ok', title: 'Linearizable', detail: 'Every client saw a history one correct machine could have produced.' };
  return { tone: 'unknown', title: 'Checking…', detail: v.linearizable === 'unknown' ? 'The checker could not decide (history too large or incomplete).' : 'Not enough completed operations yet.' };
}

/** The checker names an operation as `client0 increment() → 11 [12.30..14.05ms]`. */
const witnessRe = /^client(\d+) .*→ (\S+) \[(-?[\d.]+)\.\./;

/** Whether the checker's witness names this operation (same client, reply and invocation time). */
export function isOffending(op: ClientOpView, witness: readonly string[]): boolean {
  if (op.result === null) return false;
  return witness.some((w) => {
    const m = witnessRe.exec(w);
    if (!m) return false;
    return Number(m[1]) === op.client && m[2] === op.result && Math.abs(Number(m[3]) - op.invokedMs) < 0.01;
  });
}

/** A scenario's expectations (JSON from the engine) as a short phrase: "linearizable: false, failovers: 1". */
export function expectText(expected: string): string {
  try {
    const o = JSON.parse(expected) as Record<string, unknown>;
    const parts = Object.entries(o).map(([k, v]) => {
      if (v && typeof v === 'object') {
        const r = v as { min?: number; max?: number };
        return `${k} ${r.min !== undefined ? `≥ ${r.min}` : ''}${r.max !== undefined ? ` ≤ ${r.max}` : ''}`.trim();
      }
      return `${k}: ${String(v)}`;
    });
    return parts.slice(0, 3).join(', ') + (parts.length > 3 ? ', …' : '');
  } catch {
    return expected;
  }
}
