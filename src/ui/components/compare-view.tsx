// The comparison of a run's providers, in the pane area: the figures, a column per provider, and the diff
// of diffs under them; scrolled when it does not fit. It renders only; the lines come from compare-lines.
import { Box, Text } from 'ink';
import type { CompareLine } from '../compare-lines';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export interface CompareViewProps {
  lines: CompareLine[];
  scroll: number;
  /** The execution is still running: the figures are so far, and no lane's changes are recorded yet. */
  live: boolean;
  closeKey: string;
  width: number;
  height: number;
  theme: Theme;
}

/** Lines the view shows at once in a pane area `height` rows tall (border and title aside). */
export const compareViewRows = (height: number): number => Math.max(1, height - 3);

const width = (s: string): number => [...s].length;

export function CompareView(p: CompareViewProps) {
  const rows = compareViewRows(p.height);
  const first = Math.max(0, Math.min(p.scroll, p.lines.length - rows));
  const shown = p.lines.slice(first, first + rows);
  const cells = p.lines.filter((l): l is Extract<CompareLine, { kind: 'cells' }> => l.kind === 'cells');
  const cols = Math.max(0, ...cells.map((l) => l.cells.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...cells.map((l) => width(l.cells[i] ?? ''))) + 2);
  const tone = (t: Extract<CompareLine, { kind: 'text' }>['tone']) =>
    t === 'add' ? p.theme.ok : t === 'remove' ? p.theme.bad : t === 'hunk' ? p.theme.accent : t === 'muted' ? p.theme.muted : undefined;
  const more = p.lines.length > rows ? ` · lines ${first + 1}–${first + shown.length} of ${p.lines.length} (↑/↓ scroll)` : '';
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="round" borderColor={p.theme.accent} paddingX={1} overflow="hidden">
      <Text wrap="truncate">
        <Text bold>Comparison</Text>
        <Text color={p.theme.muted}>
          {p.live ? ' · still running: figures so far' : ''}
          {more} · {p.closeKey} close
        </Text>
      </Text>
      {shown.map((l, i) =>
        l.kind === 'cells' ? (
          <Box key={first + i} height={1} overflow="hidden">
            {l.cells.map((c, k) => (
              <Box key={k} width={widths[k]} flexShrink={0}>
                <Text
                  wrap="truncate"
                  bold={l.head || k === 0}
                  color={l.head ? p.theme.accent : c.startsWith('✓') ? p.theme.ok : c.startsWith('✗') ? p.theme.bad : undefined}
                >
                  {plainLine(c)}
                </Text>
              </Box>
            ))}
          </Box>
        ) : (
          <Text key={first + i} wrap="truncate" bold={l.tone === 'title'} color={tone(l.tone)}>
            {plainLine(l.text) || ' '}
          </Text>
        ),
      )}
    </Box>
  );
}
