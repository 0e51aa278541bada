// One session's terminal drawn from its emulator's cells. Reads the snapshot while rendering (bytes
// never pass through React state) and is memoized: it re-renders only when its props move, e.g.
// the session's version.
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { ScreenLine, ScreenSnapshot } from '../../core/screen';
import { lineText } from '../../core/screen';
import { relative } from 'node:path';
import type { RuntimeApi } from '../../runtime/api';
import { plainLine } from '../sanitize';
import { findMatches } from '../search';
import { clipPieces, inkColor, markSpans } from '../spans';
import type { MarkRange, Piece } from '../spans';
import type { Theme } from '../theme';

export interface PtyPaneProps {
  runtime: RuntimeApi;
  session?: string;
  /** The session's output version: the only reason to read the screen again. */
  version: number;
  width: number;
  height: number;
  title: string;
  status: string;
  scroll: number;
  query: string;
  /** Buffer line and column of the current search match, -1 for none. */
  matchLine: number;
  matchCol: number;
  matchInfo: string;
  focused: boolean;
  typing: boolean;
  theme: Theme;
}

/** Which snapshot rows fit: all of them, or the ones nearest the cursor when the pane is shorter. */
export function visibleRows(snap: ScreenSnapshot, rows: number, scrolled: boolean): { first: number; lines: ScreenLine[] } {
  if (snap.lines.length <= rows) return { first: 0, lines: snap.lines };
  const first = scrolled ? 0 : Math.max(0, Math.min(snap.lines.length - rows, snap.cursor.y - rows + 1));
  return { first, lines: snap.lines.slice(first, first + rows) };
}

export function PaneLine({ pieces, theme }: { pieces: Piece[]; theme: Theme }) {
  return (
    <Text wrap="truncate">
      {pieces.map((p, i) => {
        const marked = p.mark === 'match' || p.mark === 'current';
        const colored = marked && Boolean(theme.match);
        return (
          <Text
            key={i}
            color={colored ? 'black' : inkColor(p.fg)}
            backgroundColor={colored ? (p.mark === 'current' ? theme.currentMatch : theme.match) : inkColor(p.bg)}
            bold={p.bold || (marked && !colored && p.mark === 'current')}
            dimColor={p.dim}
            italic={p.italic}
            underline={p.underline || (marked && !colored && p.mark === 'current')}
            inverse={p.mark === 'cursor' ? !p.inverse : marked && !colored ? true : p.inverse}
          >
            {p.text}
          </Text>
        );
      })}
    </Text>
  );
}

const ENDED = ['completed', 'failed', 'cancelled', 'interrupted', 'passed', 'skipped'];

function PtyPaneView(p: PtyPaneProps) {
  const innerW = Math.max(1, p.width - 2);
  const innerH = Math.max(1, p.height - 3);
  const snap = p.session ? p.runtime.screen(p.session, p.scroll > 0 ? p.scroll : undefined) : undefined;
  const border = p.typing ? p.theme.warn : p.focused ? p.theme.focusBorder : p.theme.border;
  const scrolled = p.scroll > 0 ? ` ↑${p.scroll}` : '';
  let body;
  const recorded = !snap && p.session && ENDED.includes(p.status) ? p.runtime.artifacts(p.session) : undefined;
  if (recorded) {
    body = (
      <Box flexDirection="column">
        <Text color={p.theme.muted}>This session ran before this conductor started. Its recording:</Text>
        <Text wrap="truncate">{plainLine(relative(process.cwd(), recorded.transcript))}</Text>
        <Text wrap="truncate">{plainLine(relative(process.cwd(), recorded.cast))}</Text>
      </Box>
    );
  } else if (!snap) {
    body = <Text color={p.theme.muted}>{p.session ? 'waiting for the session to start…' : 'no session yet: press s to start'}</Text>;
  } else {
    const { first, lines } = visibleRows(snap, innerH, p.scroll > 0);
    body = lines.map((line, row) => {
      const y = first + row;
      const text = lineText(line);
      const ranges: MarkRange[] = p.query
        ? findMatches([text], p.query).map((m) => ({
            col: m.col,
            length: m.length,
            mark: snap.viewportY + y === p.matchLine && m.col === p.matchCol ? 'current' : 'match',
          }))
        : [];
      let spans = line.spans;
      if (p.typing && p.scroll === 0 && snap.cursor.visible && snap.cursor.y === y) {
        if (text.length <= snap.cursor.x) spans = [...spans, { text: ' '.repeat(snap.cursor.x - text.length + 1) }];
        ranges.push({ col: snap.cursor.x, length: 1, mark: 'cursor' });
      }
      return (
        <Box key={row} height={1} width={innerW} overflow="hidden">
          <PaneLine pieces={clipPieces(markSpans(spans, ranges), innerW)} theme={p.theme} />
        </Box>
      );
    });
  }
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="round" borderColor={border} overflow="hidden">
      <Box height={1} width={innerW}>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="truncate" bold={p.focused} color={p.focused ? p.theme.accent : undefined}>
            {p.title}
          </Text>
        </Box>
        <Box flexShrink={0}>
          <Text color={p.theme.muted} wrap="truncate">
            {` ${p.status}${scrolled}${p.matchInfo ? ` ${p.matchInfo}` : ''}`}
            {p.typing ? <Text color={p.theme.warn} bold> INPUT</Text> : null}
          </Text>
        </Box>
      </Box>
      {body}
    </Box>
  );
}

export const PtyPane = memo(PtyPaneView);
