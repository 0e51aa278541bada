// Every approval of the execution: the ones waiting, and what became of the others: who decided
// and how (you in conductor or in the pane, the policy's rule, a timeout), withdrawn or abandoned and why.
import { Box, Text } from 'ink';
import type { ApprovalState } from '../../core/state';
import { approvalStateText } from '../approval-text';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export interface ApprovalsListProps {
  items: ApprovalState[];
  /** A comparison: the provider (lane) of each unit, so a row says who asks. */
  laneOf?: (unit: string) => string | undefined;
  decidedHere: readonly string[];
  index: number;
  width: number;
  height: number;
  theme: Theme;
}

function describe(a: ApprovalState, decidedHere: boolean, theme: Theme): { mark: string; color: string; state: string } {
  const t = approvalStateText(a, decidedHere);
  switch (t.kind) {
    case 'waiting':
      return { mark: '⚑', color: theme.warn, state: t.text };
    case 'sending':
      return { mark: '…', color: theme.muted, state: t.text };
    case 'gone':
      return { mark: '–', color: theme.muted, state: t.text };
    case 'allowed':
      return { mark: '✓', color: theme.ok, state: t.text };
    case 'denied':
      return { mark: '✗', color: theme.bad, state: t.text };
  }
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
            <Text color={d.color}>{d.mark}</Text> {p.laneOf?.(a.unit) ? <Text bold>{plainLine(p.laneOf(a.unit)!)}</Text> : plainLine(a.unit)} <Text color={p.theme.muted}>{d.state} · via {a.via}</Text> $ {plainLine(a.command)}
          </Text>
        );
      })}
    </Box>
  );
}
