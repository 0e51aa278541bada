// The footer: help generated from the keymap for the current scope, a notice, pending approvals.
import { Box, Text } from 'ink';
import type { Keymap, Scope } from '../keymap';
import { helpItems } from '../keymap';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export interface HelpBarProps {
  table: Keymap;
  scope: Scope;
  /** Commands left out for now (e.g. scrolling a command that fits). */
  omit?: ReadonlySet<string>;
  pending: number;
  notice?: string;
  mode: string;
  width: number;
  theme: Theme;
}

export function HelpBar(p: HelpBarProps) {
  const items = helpItems(p.table, p.scope, false, p.omit);
  return (
    <Box width={p.width} height={1}>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate">
          {p.mode !== 'normal' ? <Text inverse bold color={p.theme.warn}>{` ${p.mode.toUpperCase()} `}</Text> : null}
          {p.notice ? <Text color={p.theme.warn}> {plainLine(p.notice)} </Text> : null}
          {items.map((it, i) => (
            <Text key={i}>
              {' '}
              <Text bold color={p.theme.accent}>{it.keys}</Text> {it.description}
            </Text>
          ))}
        </Text>
      </Box>
      {p.pending > 0 ? (
        <Box flexShrink={0}>
          <Text color={p.theme.warn} bold>{` ⚑ ${p.pending} pending`}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
