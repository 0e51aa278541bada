// One-line notices about the session being typed into: it waits for an approval, or it has ended.
import { Box, Text } from 'ink';
import type { ApprovalState } from '../../core/state';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export function ApprovalBanner({ approval, lane, waiting, leaveKey, width, theme }: { approval: ApprovalState; lane?: string; waiting: number; leaveKey: string; width: number; theme: Theme }) {
  const more = waiting > 1 ? ` (+${waiting - 1} more)` : '';
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate" color={theme.warn} bold>
        ⚑ {plainLine(lane ?? approval.unit)} asks{lane ? ' to run' : ''}: $ {plainLine(approval.command)}{more} — leave input mode ({leaveKey}) to decide
      </Text>
    </Box>
  );
}

/** Input mode stays on after its session ends, so that the next keys do not become board commands. */
export function InputEndedBanner({ unit, leaveKey, width, theme }: { unit: string; leaveKey: string; width: number; theme: Theme }) {
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate" color={theme.warn} bold>
        ■ {plainLine(unit)}'s session ended — keys are not sent; {leaveKey} leaves input mode
      </Text>
    </Box>
  );
}
