// Small formatting helpers shared by the headless printer, reports and status output.
import type { UnitStatus } from '../core/events';

export const STATUS_ICON: Record<UnitStatus, string> = {
  pending: '·',
  running: '▶',
  passed: '✓',
  failed: '✗',
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
