// A yes/no question before quitting with live sessions or stopping a session.
import { Box, Text } from 'ink';
import type { Confirm } from '../ui-state';
import type { Theme } from '../theme';

export const confirmRows = 5;

export interface ConfirmDialogProps {
  confirm: Confirm;
  exec: string;
  width: number;
  theme: Theme;
}

export function ConfirmDialog(p: ConfirmDialogProps) {
  const c = p.confirm;
  const question =
    c.kind === 'quit'
      ? `Quit? ${c.live} session${c.live === 1 ? ' is' : 's are'} still running; they will be stopped and marked interrupted.`
      : `Stop the session of ${c.unit}? The agent is killed and the step is marked cancelled.`;
  const hint = c.kind === 'quit' ? `conductor tui --resume ${p.exec} continues this execution later.` : `r retries it afterwards.`;
  return (
    <Box flexDirection="column" width={p.width} height={confirmRows} borderStyle="double" borderColor={p.theme.bad} paddingX={1}>
      <Text wrap="truncate" bold>{question}</Text>
      <Text wrap="truncate" color={p.theme.muted}>{hint}</Text>
      <Text>
        <Text bold color={p.theme.bad}>[y]</Text> yes  <Text bold>[n]</Text> no
      </Text>
    </Box>
  );
}
