// The plan's steps in dependency order with status, dependencies, role, provider and duration.
import type { ExecState } from '../../core/state';
import { useClock } from '../hooks/use-clock';
import type { Theme } from '../theme';
import { BoardList } from './board-list';
import { stepRow } from './unit-rows';

export interface BoardProps {
  exec: ExecState;
  selected?: string;
  focused: boolean;
  width: number;
  height: number;
  theme: Theme;
  now?: () => number;
}

export function StepBoard(p: BoardProps) {
  const now = useClock(p.exec.status === 'running', p.now);
  const rows = p.exec.order.map((id) => stepRow(p.exec, p.exec.units[id], p.theme, now));
  return <BoardList title="Steps" rows={rows} selected={p.selected} focused={p.focused} width={p.width} height={p.height} theme={p.theme} />;
}
