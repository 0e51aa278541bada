// A scrolling list of two-line board rows with a selection; shared by the step and trial boards.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Theme } from '../theme';

export interface BoardRow {
  id: string;
  icon: string;
  iconColor: string;
  title: string;
  /** Dependencies or other context after the title, dimmed. */
  aside?: string;
  detail: string;
  marker?: string;
}

export interface BoardListProps {
  title: string;
  rows: BoardRow[];
  selected?: string;
  focused: boolean;
  width: number;
  height: number;
  theme: Theme;
  footer?: ReactNode;
}

export function BoardList(p: BoardListProps) {
  const inner = Math.max(1, p.height - 3);
  const perRow = 2;
  const fits = Math.max(1, Math.floor(inner / perRow));
  const sel = Math.max(0, p.rows.findIndex((r) => r.id === p.selected));
  const first = Math.max(0, Math.min(sel - Math.floor(fits / 2), p.rows.length - fits));
  const shown = p.rows.slice(first, first + fits);
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="round" borderColor={p.focused ? p.theme.focusBorder : p.theme.border} paddingX={0}>
      <Text bold wrap="truncate" color={p.focused ? p.theme.accent : undefined}>
        {` ${p.title}`}
        {p.rows.length > fits ? <Text color={p.theme.muted}>{` ${first + 1}-${first + shown.length}/${p.rows.length}`}</Text> : null}
      </Text>
      {shown.map((r) => {
        const isSel = r.id === p.selected;
        return (
          <Box key={r.id} flexDirection="column">
            <Text wrap="truncate" inverse={isSel && p.focused} bold={isSel}>
              {isSel ? '›' : ' '}
              <Text color={r.iconColor}>{r.icon}</Text> {r.title}
              {r.aside ? <Text color={p.theme.muted}> {r.aside}</Text> : null}
              {r.marker ? <Text color={p.theme.warn}> {r.marker}</Text> : null}
            </Text>
            <Text wrap="truncate" color={p.theme.muted}>
              {'   '}
              {r.detail}
            </Text>
          </Box>
        );
      })}
      {p.footer}
    </Box>
  );
}
