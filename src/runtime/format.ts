// Small formatting helpers shared by the headless printer, reports and status output.
import type { UnitStatus } from '../core/events';
import type { ExecState } from '../core/state';

export const STATUS_ICON: Record<UnitStatus, string> = {
  pending: '·',
  running: '▶',
  passed: '✓',
  failed: '✗',
  error: '⚠',
  skipped: '↷',
  cancelled: '■',
  interrupted: '‖',
};

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Tokens and cost a unit's sessions reported ("12.4k tokens · $0.031"); '' when the CLI reported neither. */
export function usageText(exec: ExecState, unit: string): string {
  let tokens: number | undefined;
  let cost: number | undefined;
  for (const id of exec.units[unit]?.sessions ?? []) {
    const u = exec.sessions[id]?.usage;
    if (u?.tokens !== undefined) tokens = (tokens ?? 0) + u.tokens;
    if (u?.cost !== undefined) cost = (cost ?? 0) + u.cost;
  }
  const parts: string[] = [];
  if (tokens !== undefined) parts.push(`${tokens >= 1000 ? `${(tokens / 1000).toFixed(tokens >= 100_000 ? 0 : 1)}k` : tokens} tokens`);
  if (cost !== undefined) parts.push(`$${cost < 1 ? cost.toFixed(3) : cost.toFixed(2)}`);
  return parts.join(' · ');
}

/**
 * What a unit changed in its workspace ("2 files +12 −3 · 1 shared"): its last session's diff from its
 * start, and the files changed while other sessions ran in the same folder (not counted as its own).
 */
export function changesText(exec: ExecState, unit: string): string {
  const u = exec.units[unit];
  if (!u) return '';
  const parts: string[] = [];
  if (u.diff) {
    const added = u.diff.reduce((n, f) => n + f.added, 0);
    const removed = u.diff.reduce((n, f) => n + f.removed, 0);
    parts.push(`${u.diff.length} ${u.diff.length === 1 ? 'file' : 'files'} +${added} −${removed}${u.diffCapped ? ` (first ${u.diffCapped} files only)` : ''}`);
    if (u.diffShared?.length) parts.push(`folder shared with ${u.diffShared.join(', ')}`);
  } else if (u.files.length) parts.push(`${u.files.length} ${u.files.length === 1 ? 'file' : 'files'} touched`);
  if (u.sharedFiles?.length) parts.push(`${u.sharedFiles.length} shared`);
  return parts.join(' · ');
}
