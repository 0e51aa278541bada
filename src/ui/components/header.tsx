// Top line(s): goal or scenario, execution id, elapsed time, unit counts.
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Counts } from '../../core/state';
import { clockTime } from '../format';
import { useClock } from '../hooks/use-clock';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export interface HeaderProps {
  kind: 'plan' | 'scenario';
  goal: string;
  exec: string;
  status: string;
  /** No new steps start until released. */
  held?: boolean;
  startedAt?: number;
  finishedAt?: number;
  counts: Counts;
  width: number;
  rows: number;
  theme: Theme;
  now?: () => number;
}

export const Header = memo(function Header(p: HeaderProps) {
  const ticking = p.startedAt !== undefined && p.finishedAt === undefined;
  const now = useClock(ticking, p.now);
  const time = p.startedAt === undefined ? '--:--' : clockTime((p.finishedAt ?? now) - p.startedAt);
  const c = p.counts;
  const label = p.kind === 'scenario' ? 'scenario' : 'plan';
  const counts = (
    <Text>
      <Text color={p.theme.ok}>✓{c.done}</Text> <Text color={p.theme.running}>●{c.running}</Text>{' '}
      <Text color={p.theme.warn}>⚑{c.waiting}</Text> <Text color={p.theme.bad}>✗{c.failed}</Text>
      <Text color={p.theme.muted}> /{c.total}</Text>
    </Text>
  );
  return (
    <Box flexDirection="column" width={p.width} height={p.rows}>
      <Box>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="truncate">
            <Text bold color={p.theme.accent}>conductor</Text>
            <Text color={p.theme.muted}> {label} </Text>
            <Text bold>{plainLine(p.goal)}</Text>
          </Text>
        </Box>
        <Box flexShrink={0}>
          {p.rows === 1 ? <Text color={p.theme.muted}>{` ${p.exec} `}</Text> : null}
          {p.held ? <Text color={p.theme.warn}>held (s next, h release) </Text> : null}
          <Text>{time} </Text>
          {counts}
        </Box>
      </Box>
      {p.rows > 1 ? (
        <Text color={p.theme.muted} wrap="truncate">
          {p.exec} · {p.status}
        </Text>
      ) : null}
    </Box>
  );
});
