// The approval prompt: command, step, provider, how it was detected, and the keys that decide.
// It renders only; the keys are dispatched through the keymap and emit one `approve` command.
import { Box, Text } from 'ink';
import type { ApprovalState, ExecState } from '../../core/state';
import { formatDuration } from '../../core/duration';
import { displayKey } from '../key-names';
import type { Keymap } from '../keymap';
import { keysOf } from '../keymap';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export interface ApprovalOverlayProps {
  approval: ApprovalState;
  exec: ExecState;
  position: number;
  total: number;
  details: boolean;
  width: number;
  table: Keymap;
  theme: Theme;
  now: number;
}

export const approvalOverlayRows = (details: boolean): number => (details ? 10 : 7);

const detectedBy = (a: ApprovalState): string =>
  [`via ${a.via}`, a.detector ? `detector ${plainLine(a.detector)}` : '', a.cliVersion ? `CLI ${plainLine(a.cliVersion)}` : '']
    .filter(Boolean)
    .join(' · ');

export function ApprovalOverlay(p: ApprovalOverlayProps) {
  const a = p.approval;
  const unit = p.exec.units[a.unit];
  const session = p.exec.sessions[a.session];
  const key = (command: string) => displayKey(keysOf(p.table, command)[0] ?? '?');
  const option = (command: string, decision: 'allow' | 'always' | 'deny', label: string, color: string) =>
    a.options.includes(decision) ? (
      <Text>
        <Text bold color={color}>[{key(command)}]</Text> {label}{'  '}
      </Text>
    ) : null;
  return (
    <Box flexDirection="column" width={p.width} height={approvalOverlayRows(p.details)} borderStyle="double" borderColor={p.theme.warn} paddingX={1}>
      <Text wrap="truncate">
        <Text bold color={p.theme.warn}>Approval {p.position} of {p.total}</Text>
        <Text>  {unit?.kind ?? 'step'} <Text bold>{plainLine(a.unit)}</Text></Text>
        <Text color={p.theme.muted}> · {plainLine(unit?.agent ?? session?.agent ?? '')} · {plainLine(session?.provider ?? unit?.provider ?? '')}</Text>
      </Text>
      <Text wrap="truncate" bold>$ {plainLine(a.command)}</Text>
      <Text wrap="truncate" color={p.theme.muted}>{detectedBy(a)}</Text>
      {p.details ? (
        <>
          <Text wrap="truncate" color={p.theme.muted}>id {plainLine(a.id)} · session {plainLine(a.session)} ({session?.state ?? '?'})</Text>
          <Text wrap="truncate" color={p.theme.muted}>waiting {formatDuration(Math.max(0, p.now - a.requestedAt))} · options {a.options.join(', ')}</Text>
          <Text wrap="truncate" color={p.theme.muted}>"always" allows commands like this for the rest of this session</Text>
        </>
      ) : null}
      <Text wrap="truncate">
        {option('approval-allow', 'allow', 'allow', p.theme.ok)}
        {option('approval-always', 'always', 'always', p.theme.accent)}
        {option('approval-deny', 'deny', 'deny', p.theme.bad)}
        <Text color={p.theme.muted}>
          {key('approval-details')} details · {key('approval-later')} later · {key('approval-list')} all
          {p.total > 1 ? ` · ${key('approval-next')} next` : ''}
        </Text>
      </Text>
    </Box>
  );
}
