// The `/` prompt under the pane while a search is typed.
import { Box, Text } from 'ink';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export function SearchPrompt({ draft, width, theme }: { draft: string; width: number; theme: Theme }) {
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>/</Text>
        {plainLine(draft)}
        <Text inverse> </Text>
        <Text color={theme.muted}>  Enter find · Esc cancel</Text>
      </Text>
    </Box>
  );
}
