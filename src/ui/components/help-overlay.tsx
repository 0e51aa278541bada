// The `?` overlay: every binding of the keymap, grouped by scope.
import { Box, Text } from 'ink';
import type { Keymap, Scope } from '../keymap';
import { SCOPE_NOTES, SCOPE_TITLES } from '../keymap';
import { displayKey } from '../key-names';
import type { Theme } from '../theme';

export interface HelpOverlayProps {
  table: Keymap;
  width: number;
  height: number;
  theme: Theme;
  /** Commands this execution does not have (a plan has no trial matrix). */
  omit?: ReadonlySet<string>;
}

export function HelpOverlay(p: HelpOverlayProps) {
  const scopes = [...new Set(p.table.map((b) => b.scope))] as Scope[];
  const columns = p.width >= 110 ? 2 : 1;
  const colWidth = Math.floor((p.width - 4) / columns);
  // A scope whose every command this execution lacks (a plan's comparison view) is left out whole.
  const groups = scopes.filter((scope) => p.table.some((b) => b.scope === scope && !p.omit?.has(b.command))).map((scope) => (
    <Box key={scope} flexDirection="column" width={colWidth} marginBottom={0}>
      <Text bold color={p.theme.accent}>{SCOPE_TITLES[scope]}</Text>
      {p.table
        .filter((b) => b.scope === scope && !p.omit?.has(b.command))
        .map((b) => (
          <Text key={b.command} wrap="truncate">
            {'  '}
            <Text bold>{b.keys.map(displayKey).join(' ').padEnd(14)}</Text> {b.description}
          </Text>
        ))}
      {SCOPE_NOTES[scope] ? (
        <Text wrap="truncate" color={p.theme.muted}>
          {'  '}
          {SCOPE_NOTES[scope]}
        </Text>
      ) : null}
    </Box>
  ));
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="round" borderColor={p.theme.accent} paddingX={1} overflow="hidden">
      <Text bold>Keys <Text color={p.theme.muted}>(remap in config: keymap: {'{'}command: [keys]{'}'})</Text></Text>
      <Box flexDirection="row" flexWrap="wrap">
        {groups}
      </Box>
    </Box>
  );
}
