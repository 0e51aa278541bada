// A one-line notice that the session being typed into waits for an approval.
import { Box, Text } from 'ink';
import type { ApprovalState } from '../../core/state';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export function ApprovalBanner({ approval, leaveKey, width, theme }: { approval: ApprovalState; leaveKey: string; width: number; theme: Theme }) {
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate" color={theme.warn} bold>
        ⚑ {plainLine(approval.unit)} asks: $ {plainLine(approval.command)} — leave input mode ({leaveKey}) to decide
      </Text>
    </Box>
  );
}
