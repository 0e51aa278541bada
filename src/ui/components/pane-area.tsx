// The panes on screen: one, a split of 2–4 in a grid, or the zoomed one.
import { Box } from 'ink';
import type { ExecState } from '../../core/state';
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

export function PaneArea(p: PaneAreaProps) {
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
                title={`${plainLine(unit)} · ${plainLine(unitState?.agent ?? '')} · ${plainLine(s?.provider ?? unitState?.provider ?? '')}`}
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
