// Every approval of the execution: the ones waiting and the past decisions with who decided.
import { Box, Text } from 'ink';
import type { ApprovalState } from '../../core/state';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export interface ApprovalsListProps {
  items: ApprovalState[];
  decidedHere: readonly string[];
  index: number;
  width: number;
  height: number;
  theme: Theme;
}

function describe(a: ApprovalState, decidedHere: boolean, theme: Theme): { mark: string; color: string; state: string } {
  if (a.status === 'pending' && !decidedHere) return { mark: '⚑', color: theme.warn, state: 'waiting' };
  if (a.status === 'pending' || (a.status === 'decided' && !a.decision)) return { mark: '…', color: theme.muted, state: 'sending' };
  if (a.status === 'abandoned' && !a.decision) return { mark: '–', color: theme.muted, state: 'abandoned (session ended)' };
  const color = a.decision === 'deny' ? theme.bad : theme.ok;
  return { mark: a.decision === 'deny' ? '✗' : '✓', color, state: `${a.decision} by ${a.by ?? '?'}${a.status === 'abandoned' ? ' (abandoned)' : ''}` };
}

export function ApprovalsList(p: ApprovalsListProps) {
  const fits = Math.max(1, p.height - 4);
  const first = Math.max(0, Math.min(p.index - Math.floor(fits / 2), p.items.length - fits));
  const waiting = p.items.filter((a) => a.status === 'pending' && !p.decidedHere.includes(a.id)).length;
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="round" borderColor={p.theme.warn} paddingX={1}>
      <Text bold>
        Approvals <Text color={p.theme.muted}>{waiting} waiting · {p.items.length} in all</Text>
      </Text>
      {p.items.length === 0 ? <Text color={p.theme.muted}>no approvals yet</Text> : null}
      {p.items.slice(first, first + fits).map((a, i) => {
        const d = describe(a, p.decidedHere.includes(a.id), p.theme);
        const sel = first + i === p.index;
        return (
          <Text key={a.id} wrap="truncate" inverse={sel}>
            {sel ? '›' : ' '}
            <Text color={d.color}>{d.mark}</Text> {plainLine(a.unit)} <Text color={p.theme.muted}>{d.state} · via {a.via}</Text> $ {plainLine(a.command)}
          </Text>
        );
      })}
    </Box>
  );
}
