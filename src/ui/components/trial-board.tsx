// A scenario's trial matrix: one row per provider, one dot per trial in index order, the live pass rate
// with its 95 % interval, errors apart, p50/p95 durations, flaky trials marked; under it the selected
// trial in words. The selection moves over the dots (see trial-grid) and drives the pane, as on the step board.
import { Box, Text } from 'ink';
import type { ProviderSummary } from '../../core/stats';
import { summarizeScenario } from '../../core/stats';
import { fit } from '../format';
import { useClock } from '../hooks/use-clock';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';
import type { BoardProps } from './step-board';
import { durationText, percent, rateText, trialFlaky, trialGlyph, trialSummary } from './trial-grid';

/** Rows the board keeps for itself: its title, the selected trial (a blank, 3 lines) and the legend. */
const FIXED_ROWS = 6;
export const FLAKY_MARK = '~';

export function TrialBoard(p: BoardProps) {
  const now = useClock(p.exec.status === 'running', p.now);
  const { exec, theme } = p;
  const inner = Math.max(8, p.width - 2);
  const summary = summarizeScenario(exec);
  const providers = summary.providers;
  const selected = p.selected ? exec.units[p.selected] : undefined;
  const selRow = Math.max(0, providers.findIndex((r) => selected !== undefined && r.units.includes(selected.id)));
  // Each dot takes two cells: its glyph and the flaky mark (or a space).
  const perLine = Math.max(1, Math.floor((inner - 2) / 2));
  const blockRows = (r: ProviderSummary) => 3 + Math.max(1, Math.ceil(r.units.length / perLine));
  const room = Math.max(1, p.height - 2 - FIXED_ROWS);
  // Providers shown: a window around the selected one that fits.
  let first = selRow;
  let last = selRow;
  let used = providers.length ? blockRows(providers[selRow]) : 0;
  while (true) {
    if (last + 1 < providers.length && used + blockRows(providers[last + 1]) <= room) used += blockRows(providers[++last]);
    else if (first > 0 && used + blockRows(providers[first - 1]) <= room) used += blockRows(providers[--first]);
    else break;
  }
  const shown = providers.slice(first, last + 1);
  const detail = selected ? trialSummary(exec, selected, now) : undefined;

  const running = exec.status === 'running' || exec.status === 'created';
  const verdict = summary.passed ? (running ? 'met so far' : 'met') : running ? 'not met yet' : 'not met';
  const suffix = `≥${percent(summary.threshold)} ${summary.passed ? theme.icons.passed : theme.icons.failed} ${verdict}`;
  const range = shown.length < providers.length ? ` ${first + 1}-${last + 1}/${providers.length}` : '';
  const name = fit(plainLine(exec.goal), Math.max(4, inner - 2 - suffix.length - range.length));

  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="round" borderColor={p.focused ? theme.focusBorder : theme.border} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={p.focused ? theme.accent : undefined}>{` ${name}`}</Text>{' '}
        <Text color={summary.passed ? theme.ok : running ? theme.muted : theme.bad}>{suffix}</Text>
        {range ? <Text color={theme.muted}>{range}</Text> : null}
      </Text>
      {shown.map((r) => {
        const isSelRow = r.units.includes(selected?.id ?? '');
        const lines: string[][] = [];
        for (let i = 0; i < r.units.length; i += perLine) lines.push(r.units.slice(i, i + perLine));
        const errors = r.errors ? ` ${theme.icons.error}${r.errors} error${r.errors === 1 ? '' : 's'}` : '';
        const togo = r.other ? `${r.other} to go` : '';
        return (
          <Box key={r.provider} flexDirection="column">
            <Text wrap="truncate" bold={isSelRow}>
              {isSelRow ? '›' : ' '}
              {plainLine(r.provider)}
              <Text color={theme.muted}>{` ${r.trials} trial${r.trials === 1 ? '' : 's'}${togo ? ` · ${togo}` : ''}`}</Text>
            </Text>
            {lines.map((ids, li) => (
              <Text key={li} wrap="truncate">
                {'  '}
                {ids.map((id) => {
                  const u = exec.units[id];
                  const { glyph, color } = trialGlyph(exec, u, theme);
                  const isSel = id === selected?.id;
                  return (
                    <Text key={id}>
                      <Text color={color} inverse={isSel && p.focused} underline={isSel && !p.focused} bold={isSel}>
                        {glyph}
                      </Text>
                      <Text color={theme.warn}>{trialFlaky(u) ? FLAKY_MARK : ' '}</Text>
                    </Text>
                  );
                })}
              </Text>
            ))}
            <Text wrap="truncate">
              {'  '}
              <Text color={r.meetsThreshold ? theme.ok : undefined}>{rateText(r)}</Text>
              <Text color={theme.warn}>{errors}</Text>
            </Text>
            <Text wrap="truncate" color={theme.muted}>
              {'  '}
              {durationText(r)}
            </Text>
          </Box>
        );
      })}
      <Box flexGrow={1} />
      <Text> </Text>
      {selected && detail ? (
        <>
          <Text wrap="truncate">
            <Text bold>{` ${plainLine(selected.id)}`}</Text> {detail.verdict}
          </Text>
          <Text wrap="truncate">{`  ${detail.timing}`}</Text>
          <Text wrap="truncate" color={theme.muted}>{`  ${selected.reason ? plainLine(selected.reason) : ''}`}</Text>
        </>
      ) : (
        <Text wrap="truncate" color={theme.muted}> no trial selected</Text>
      )}
      <Text wrap="truncate" color={theme.muted}>
        {` ${theme.icons.passed}pass ${theme.icons.failed}fail ${theme.icons.error}error ${FLAKY_MARK}flaky ${theme.icons.running}run ${theme.icons.waiting}ask`}
      </Text>
    </Box>
  );
}
