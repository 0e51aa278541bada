// A scenario's trials with status, provider, duration and assertion results.
import { useClock } from '../hooks/use-clock';
import { BoardList } from './board-list';
import type { BoardProps } from './step-board';
import { trialRow } from './unit-rows';

export function TrialBoard(p: BoardProps) {
  const now = useClock(p.exec.status === 'running', p.now);
  const rows = p.exec.order.map((id) => trialRow(p.exec, p.exec.units[id], p.theme, now));
  const passed = rows.length ? p.exec.order.filter((id) => p.exec.units[id].status === 'passed').length : 0;
  return (
    <BoardList
      title={`Trials ${passed}/${rows.length} passed`}
      rows={rows}
      selected={p.selected}
      focused={p.focused}
      width={p.width}
      height={p.height}
      theme={p.theme}
    />
  );
}
