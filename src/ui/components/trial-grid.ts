// The trial matrix as data: one row of trial ids per provider (in trial index order), how the selection
// moves over it, and the words and glyphs a cell and a row are drawn with. Pure, shared by the board,
// the breakdown and the keys.
import type { ExecState, UnitState } from '../../core/state';
import { currentSession } from '../../core/state';
import type { ProviderSummary } from '../../core/stats';
import { isFlaky, trialDuration } from '../../core/stats';
import { formatDuration } from '../../core/duration';
import type { Theme } from '../theme';

export type GridMove = 'left' | 'right' | 'up' | 'down';

/** Trial ids per provider row, in trial index order (the rows summarizeScenario counts). */
export function trialGrid(exec: ExecState): string[][] {
  const rows = new Map<string, UnitState[]>();
  for (const id of exec.order) {
    const u = exec.units[id];
    if (u.kind !== 'trial') continue;
    let row = rows.get(u.provider);
    if (!row) rows.set(u.provider, (row = []));
    row.push(u);
  }
  return [...rows.values()].map((row) => [...row].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((u) => u.id));
}

/**
 * The trial a move selects. ←/→ walk the matrix row by row (past a row's end to the next provider's first
 * trial); ↑/↓ walk it column by column: to the same trial of the next provider, and from the last provider to
 * the next trial of the first. With one provider both walk the trials in order, as on the step board.
 */
export function moveInGrid(grid: readonly (readonly string[])[], selected: string | undefined, move: GridMove): string | undefined {
  const byRow = grid.flat();
  if (byRow.length === 0) return undefined;
  const width = Math.max(...grid.map((r) => r.length));
  const byColumn: string[] = [];
  for (let c = 0; c < width; c++) for (const row of grid) if (c < row.length) byColumn.push(row[c]);
  const order = move === 'left' || move === 'right' ? byRow : byColumn;
  const i = selected === undefined ? -1 : order.indexOf(selected);
  if (i < 0) return order[0];
  const delta = move === 'right' || move === 'down' ? 1 : -1;
  return order[Math.max(0, Math.min(order.length - 1, i + delta))];
}

/** A trial's glyph and colour: pending ○, running ●, waiting for approval ⚑, pass ✓, fail ✗, error ⚠. */
export function trialGlyph(exec: ExecState, u: UnitState, theme: Theme): { glyph: string; color: string } {
  const s = currentSession(exec, u.id);
  if (u.status === 'running' && (s?.state === 'waiting_for_approval' || s?.awaitingInput)) return { glyph: theme.icons.waiting, color: theme.warn };
  if (u.status === 'running' && s?.state === 'paused') return { glyph: theme.icons.paused, color: theme.warn };
  const color: Record<UnitState['status'], string> = {
    pending: theme.muted, running: theme.running, passed: theme.ok, failed: theme.bad, error: theme.warn,
    skipped: theme.muted, cancelled: theme.bad, interrupted: theme.warn,
  };
  return { glyph: theme.icons[u.status], color: color[u.status] };
}

/** The same trial index gave different outcomes on different attempts. */
export const trialFlaky = (u: UnitState): boolean => isFlaky((u.history ?? []).map((h) => h.status));

export const percent = (x: number): string => `${Math.round(x * 100)}%`;

/** `4/5 80% [38–96%]`: passed over the trials counted so far, and the 95 % Wilson interval. */
export function rateText(p: ProviderSummary): string {
  const counted = p.passed + p.failed + p.errors;
  if (p.passRate === undefined || !p.interval) return 'no trial judged yet';
  return `${p.passed}/${counted} ${percent(p.passRate)} [${Math.round(p.interval.low * 100)}–${percent(p.interval.high)}]`;
}

export function durationText(p: ProviderSummary): string {
  const { p50, p95 } = p.durationMs;
  if (p50 === undefined || p95 === undefined) return '';
  return `p50 ${formatDuration(p50)} · p95 ${formatDuration(p95)}`;
}

/** The selected trial in words, as two lines for a narrow board: status and score; duration, attempts, flakiness. */
export function trialSummary(exec: ExecState, u: UnitState, now: number): { verdict: string; timing: string } {
  const s = currentSession(exec, u.id);
  const status = u.status === 'running' && s?.state === 'waiting_for_approval' ? 'waiting for approval' : u.status === 'running' && u.phase === 'checks' ? 'judging' : u.status;
  const dur = trialDuration(exec, u, now);
  const join = (parts: string[]) => parts.filter(Boolean).join(' · ');
  return {
    verdict: join([status, u.score !== undefined ? `score ${u.score.toFixed(2)}` : '']),
    timing: join([
      dur !== undefined ? formatDuration(dur) : '',
      u.attempts > 1 ? `${u.attempts} attempts` : u.attempts === 1 ? '1 attempt' : '',
      trialFlaky(u) ? `flaky: ${(u.history ?? []).map((h) => h.status).join('→')}` : '',
    ]),
  };
}
