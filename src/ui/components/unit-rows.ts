// Board rows for steps: icon, title, dependencies, role, provider, duration, approval mark (trials: trial-board).
import type { ExecState, UnitState } from '../../core/state';
import { currentSession } from '../../core/state';
import { formatDuration } from '../../core/duration';
import { elapsed } from '../format';
import { usageText } from '../../runtime/format';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';
import type { BoardRow } from './board-list';

export function unitIcon(exec: ExecState, u: UnitState, theme: Theme): { icon: string; color: string } {
  const s = currentSession(exec, u.id);
  if (u.status === 'running' && s?.state === 'waiting_for_approval') return { icon: theme.icons.waiting, color: theme.warn };
  if (u.status === 'running' && s?.state === 'paused') return { icon: theme.icons.paused, color: theme.warn };
  if (u.status === 'running' && s?.awaitingInput) return { icon: theme.icons.waiting, color: theme.warn };
  const color: Record<UnitState['status'], string> = {
    pending: theme.muted, running: theme.running, passed: theme.ok, failed: theme.bad, error: theme.warn,
    skipped: theme.muted, cancelled: theme.bad, interrupted: theme.warn,
  };
  return { icon: theme.icons[u.status], color: color[u.status] };
}

const waitingMark = (exec: ExecState, u: UnitState): string | undefined => {
  const s = currentSession(exec, u.id);
  const waiting = s?.approvals.some((id) => exec.approvals[id]?.status === 'pending');
  if (waiting) return 'approval?';
  // The agent's turn ended with a question: it waits for the person to answer in its pane.
  return u.status === 'running' && s?.awaitingInput ? 'your turn?' : undefined;
};

/** Time so far, and the step's limit while it runs ("12s of 30m"). */
const timing = (u: UnitState, now: number): string => {
  const dur = elapsed(u.startedAt, u.finishedAt, now);
  return u.status === 'running' && u.timeout !== undefined && dur ? `${dur} of ${formatDuration(u.timeout)}` : dur;
};

/** Said in words only where the icon does not tell it. */
const phaseWord = (exec: ExecState, u: UnitState): string => {
  const s = currentSession(exec, u.id);
  if (u.status === 'running' && u.phase === 'checks') return 'checking';
  if (u.status === 'running' && s && (s.state === 'starting' || s.state === 'pending')) return 'starting';
  if (u.status === 'skipped' || u.status === 'interrupted') return u.status;
  return '';
};

export function stepRow(exec: ExecState, u: UnitState, theme: Theme, now: number): BoardRow {
  const { icon, color } = unitIcon(exec, u, theme);
  const dur = timing(u, now);
  const attempt = u.attempts > 1 ? ` #${u.attempts}` : '';
  return {
    id: u.id,
    icon,
    iconColor: color,
    title: plainLine(u.id) + attempt,
    aside: u.dependsOn.length ? `← ${u.dependsOn.map(plainLine).join(', ')}` : undefined,
    detail: [plainLine(u.agent), plainLine(u.provider), dur, usageText(exec, u.id), phaseWord(exec, u)].filter(Boolean).join(' · '),
    marker: waitingMark(exec, u),
  };
}
