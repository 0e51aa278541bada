// The panes on screen: one, a split of 2–4 in a grid, or the zoomed one.
import { Box } from 'ink';
import { compareRows } from '../../core/compare';
import type { ExecState, UnitState } from '../../core/state';
import { STATUS_ICON } from '../../runtime/format';
import { currentSession } from '../../core/state';
import type { RuntimeApi } from '../../runtime/api';
import type { Rect } from '../layout';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';
import type { UiState } from '../ui-state';
import { PtyPane } from './pty-pane';

export interface PaneAreaProps {
  runtime: RuntimeApi;
  exec: ExecState;
  ui: UiState;
  panes: string[];
  /** The pane drawn as focused (see View.highlighted). */
  highlighted?: string;
  rects: Rect[];
  gridCols: number;
  theme: Theme;
}

const LANE_MARK: Record<string, string> = { passed: '✓ passed', failed: '✗ failed', cancelled: '■ cancelled' };

/** A lane's pane title: its provider, then what it does now (`running greet`) or how it ended (`✓ passed`). */
export function laneTitle(exec: ExecState, unit: UnitState, laneStatus: string | undefined): string {
  const step = plainLine(unit.step ?? unit.id);
  const s = currentSession(exec, unit.id);
  const doing =
    laneStatus && LANE_MARK[laneStatus]
      ? LANE_MARK[laneStatus]
      : unit.status === 'running'
        ? `${s?.state === 'waiting_for_approval' ? 'asks approval in' : s?.state === 'paused' ? 'paused' : 'running'} ${step}`
        : unit.status === 'pending'
          ? `next: ${step}`
          : `${STATUS_ICON[unit.status] ?? ''} ${unit.status} ${step}`.trim();
  return `${plainLine(unit.lane ?? '')} · ${doing}`;
}

export function PaneArea(p: PaneAreaProps) {
  const laneStatus = p.exec.lanes?.length ? Object.fromEntries(compareRows(p.exec).map((r) => [r.provider, r.status])) : {};
  // More lanes than panes: the last pane says which are not shown.
  const shownLanes = new Set(p.panes.map((u) => p.exec.units[u]?.lane).filter(Boolean));
  const hidden = p.ui.followLanes ? (p.exec.lanes ?? []).filter((l) => !shownLanes.has(l)) : [];
  const rows: string[][] = [];
  p.panes.forEach((u, i) => {
    const r = Math.floor(i / p.gridCols);
    (rows[r] ??= []).push(u);
  });
  let k = 0;
  return (
    <Box flexDirection="column">
      {rows.map((row, r) => (
        <Box key={r} flexDirection="row">
          {row.map((unit) => {
            const last = k === p.panes.length - 1;
            const rect = p.rects[k++] ?? { width: 20, height: 5 };
            const unitState = p.exec.units[unit];
            const s = currentSession(p.exec, unit);
            const search = s && p.ui.search?.session === s.id ? p.ui.search : undefined;
            const match = search && search.index >= 0 ? search.matches[search.index] : undefined;
            const focused = unit === p.highlighted;
            return (
              <PtyPane
                key={unit}
                runtime={p.runtime}
                session={s?.id}
                version={s?.version ?? -1}
                width={rect.width}
                height={rect.height}
                title={
                  unitState?.lane
                    ? `${laneTitle(p.exec, unitState, laneStatus[unitState.lane])}${last && hidden.length && p.panes.length > 1 ? ` · +${hidden.length} more: ${hidden.map(plainLine).join(', ')}` : ''}`
                    : `${plainLine(unit)} · ${plainLine(unitState?.agent ?? '')} · ${plainLine(s?.provider ?? unitState?.provider ?? '')}`
                }
                status={s ? (s.state === 'waiting_for_approval' ? 'waiting' : s.state) : (unitState?.status ?? '')}
                scroll={s ? (p.ui.scroll[s.id] ?? 0) : 0}
                query={search?.query ?? ''}
                matchLine={match?.line ?? -1}
                matchCol={match?.col ?? -1}
                matchInfo={search?.query ? `/${plainLine(search.query)} ${search.matches.length ? `${search.index + 1}/${search.matches.length}` : '0/0'}` : ''}
                focused={focused}
                typing={p.ui.mode === 'input' && s?.id === p.ui.inputSession}
                theme={p.theme}
              />
            );
          })}
        </Box>
      ))}
    </Box>
  );
}
