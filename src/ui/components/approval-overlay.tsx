// The approval prompt: who asks (step, role, provider), the whole command (wrapped, scrolled when it is
// longer than the overlay shows), how it was detected, a countdown when a policy timeout will decide,
// whether the prompt is still on the agent's screen, and the keys that decide. It renders only; the keys
// are dispatched through the keymap and emit one `approve` command.
import { Box, Text } from 'ink';
import type { ApprovalState, ExecState } from '../../core/state';
import { formatDuration } from '../../core/duration';
import { commandLines, commandWidth, deadlineText, OFFSCREEN_TEXT } from '../approval-text';
import { useClock } from '../hooks/use-clock';
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
  /** Command lines scrolled past, and how many are shown at once (see visibleCommandRows). */
  scroll: number;
  commandRows: number;
  width: number;
  table: Keymap;
  theme: Theme;
  now?: () => number;
  /** Pending approvals asking this same command, this one included (the "same answer for all" key answers them). */
  same?: { count: number; providers: string[] };
  /** The "same answer for all" key was pressed: the next decision goes to all of them. */
  allMode?: boolean;
}

const detectedBy = (a: ApprovalState): string =>
  [`via ${a.via}`, a.detector ? `detector ${plainLine(a.detector)}` : '', a.cliVersion ? `CLI ${plainLine(a.cliVersion)}` : '']
    .filter(Boolean)
    .join(' · ');

export function ApprovalOverlay(p: ApprovalOverlayProps) {
  const a = p.approval;
  const unit = p.exec.units[a.unit];
  const session = p.exec.sessions[a.session];
  // The clock ticks only while a countdown is on screen.
  const now = useClock(a.deadline !== undefined && Boolean(a.onTimeout), p.now);
  const key = (command: string) => displayKey(keysOf(p.table, command)[0] ?? '?');
  const lines = commandLines(a.command, commandWidth(p.width));
  const rows = Math.max(1, p.commandRows);
  const first = Math.max(0, Math.min(p.scroll, lines.length - rows));
  const shown = lines.slice(first, first + rows);
  const more = lines.length > rows;
  const deadline = deadlineText(a, now);
  const blocked = Boolean(a.offscreen);
  const option = (command: string, decision: 'allow' | 'always' | 'deny', label: string, color: string) =>
    a.options.includes(decision) ? (
      <Text dimColor={blocked}>
        <Text bold color={color}>[{key(command)}]</Text> {label}{'  '}
      </Text>
    ) : null;
  const same = p.same && p.same.count > 1 ? p.same : undefined;
  const allOption = (command: string, decision: 'allow' | 'always' | 'deny', label: string, color: string) => (
    <Text>
      <Text bold color={color}>[{key(command)}]</Text> {label}{'  '}
    </Text>
  );
  return (
    <Box flexDirection="column" width={p.width} flexShrink={0} borderStyle="double" borderColor={p.theme.warn} paddingX={1}>
      {unit?.lane ? (
        // A comparison: which provider asks comes first, the step after.
        <Text wrap="truncate">
          <Text bold color={p.theme.warn}>Approval {p.position} of {p.total}</Text>
          <Text>  <Text bold>{plainLine(unit.lane)}</Text> asks to run</Text>
          <Text color={p.theme.muted}> ({unit.kind ?? 'step'} {plainLine(unit.step ?? a.unit)} · {plainLine(unit.agent ?? session?.agent ?? '')})</Text>
          <Text>:</Text>
        </Text>
      ) : (
        <Text wrap="truncate">
          <Text bold color={p.theme.warn}>Approval {p.position} of {p.total}</Text>
          <Text>  {unit?.kind ?? 'step'} <Text bold>{plainLine(a.unit)}</Text></Text>
          <Text color={p.theme.muted}> · {plainLine(unit?.agent ?? session?.agent ?? '')} · {plainLine(session?.provider ?? unit?.provider ?? '')}</Text>
        </Text>
      )}
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate" bold>
          {first + i === 0 ? '$ ' : '  '}
          {line}
        </Text>
      ))}
      <Text wrap="truncate" color={p.theme.muted}>
        {detectedBy(a)}
        {more ? ` · lines ${first + 1}–${first + shown.length} of ${lines.length} (${key('approval-scroll-down')}/${key('approval-scroll-up')} scroll)` : ''}
      </Text>
      {a.offscreen ? (
        <Text wrap="truncate" bold color={p.theme.bad}>
          {OFFSCREEN_TEXT}
        </Text>
      ) : null}
      {deadline ? (
        <Text wrap="truncate" color={p.theme.warn}>
          {deadline}
        </Text>
      ) : null}
      {p.details ? (
        <>
          <Text wrap="truncate" color={p.theme.muted}>id {plainLine(a.id)} · session {plainLine(a.session)} ({session?.state ?? '?'})</Text>
          <Text wrap="truncate" color={p.theme.muted}>waiting {formatDuration(Math.max(0, now - a.requestedAt))} · options {a.options.join(', ')}</Text>
          <Text wrap="truncate" color={p.theme.muted}>"always" allows commands like this for the rest of this session</Text>
        </>
      ) : null}
      {p.allMode ? (
        <Text wrap="truncate">
          <Text bold color={p.theme.warn}>Same answer for all {p.same?.count ?? 1}{p.same?.providers.length ? ` (${p.same.providers.map(plainLine).join(', ')})` : ''}: </Text>
          {allOption('all-allow', 'allow', 'allow all', p.theme.ok)}
          {allOption('all-always', 'always', 'always', p.theme.accent)}
          {allOption('all-deny', 'deny', 'deny all', p.theme.bad)}
          <Text color={p.theme.muted}>{key('all-cancel')} just this one</Text>
        </Text>
      ) : (
      <Text wrap="truncate">
        {option('approval-allow', 'allow', 'allow', p.theme.ok)}
        {option('approval-always', 'always', 'always', p.theme.accent)}
        {option('approval-deny', 'deny', 'deny', p.theme.bad)}
        {same ? (
          <Text color={p.theme.warn}>
            <Text bold>[{key('approval-all')}]</Text> same answer for all {same.count}{'  '}
          </Text>
        ) : null}
        <Text color={p.theme.muted}>
          {p.details ? `${key('details-close')} close details` : `${key('approval-details')} details`} · {key('approval-later')} later · {key('approval-list')} all
          {p.total > 1 ? ` · ${key('approval-next')} next` : ''}
        </Text>
      </Text>
      )}
    </Box>
  );
}
