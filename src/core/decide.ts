// The decisions of a session's lifecycle, as pure functions of state: who answers an approval
// (the run mode, an "always" the person gave, the policy, or a person), what a person typed into the
// pane means, how long a prompt that left the screen may take to come back, and what an exit means.
import type { AnswerKeys, PartVerdict, RunSettings, SessionState } from './events';
import { judge } from './policy';
import type { ApprovalState, SessionInfo, UnitState } from './state';
import type { ApprovalPolicy, Decision } from './types';
import { DEFAULT_POLICY } from './schema/policy';
import { formatDuration } from './duration';

/** A pending prompt that leaves the screen is withdrawn after this long unless it comes back. */
export const WITHDRAW_GRACE_MS = 1500;
/** ... and after this long when the pane was resized just before (the agent redraws on a resize). */
export const RESIZE_GRACE_MS = 4000;
/** A resize this recent counts as the reason a prompt left the screen. */
export const RESIZE_WINDOW_MS = 3000;
/** After a stop signal, the process group is killed if it has not exited by then. */
export const STOP_GRACE_MS = 2000;
/** After the CLI's exit command, it is signalled if it has not exited by then. */
export const EXIT_GRACE_MS = 10_000;
/** What a person typed into a pane is remembered per pending approval, up to this many characters. */
export const TYPED_LIMIT = 64;

/** Whitespace-normalized command text: how "always" and prompt identities compare commands. */
export const normalizeCommand = (command: string): string => command.trim().replace(/\s+/g, ' ');

export type Verdict =
  | { kind: 'decided'; decision: Decision; rule: string; parts?: PartVerdict[] }
  /** A person decides; after `timeoutMs` (if set) `onTimeout` does. */
  | { kind: 'ask'; rule: string; parts: PartVerdict[]; timeoutMs?: number; onTimeout?: Decision };

/** The decision closest to `wanted` that the prompt offers (`always` falls back to `allow`); undefined when none fits. */
export function offered(options: readonly Decision[], wanted: Decision): Decision | undefined {
  if (options.includes(wanted)) return wanted;
  if (wanted === 'always' && options.includes('allow')) return 'allow';
  return undefined;
}

/** Who answers a new approval, and how. Order: the run mode, the session's "always", the policy, then a person (or nobody, headless). */
export function approvalVerdict(a: Pick<ApprovalState, 'command' | 'options'>, session: SessionInfo, unit: UnitState, settings: RunSettings): Verdict {
  const decided = (decision: Decision, rule: string, parts?: PartVerdict[]): Verdict | undefined => {
    const d = offered(a.options, decision);
    return d ? { kind: 'decided', decision: d, rule, parts } : undefined;
  };
  if (settings.approve === 'all') {
    const v = decided('allow', '--approve all');
    if (v) return v;
  }
  if (settings.approve === 'none') {
    const v = decided('deny', '--approve none');
    if (v) return v;
  }
  const command = normalizeCommand(a.command);
  if (command && session.always.includes(command)) {
    const v = decided('allow', `always: you allowed "${command}" for the rest of this session`);
    if (v) return v;
  }
  const policy: ApprovalPolicy = unit.approval ?? DEFAULT_POLICY;
  const j = judge(policy, a.command);
  if (j.verdict !== 'ask') {
    const v = decided(j.verdict, j.rule, j.parts);
    if (v) return v;
  }
  if (!settings.interactive) {
    const v = decided('deny', `nobody to ask in a headless run (${j.rule}); allow it with a policy rule or --approve all`, j.parts);
    if (v) return v;
  }
  const onTimeout = policy.timeout !== undefined ? offered(a.options, policy.onTimeout) : undefined;
  return { kind: 'ask', rule: j.rule, parts: j.parts, timeoutMs: onTimeout ? policy.timeout : undefined, onTimeout };
}

/** The decision a person's typing in the pane stands for: only an exact answer key counts (pastes never do). */
export function typedDecision(typed: string | undefined, answers: AnswerKeys | undefined, options: readonly Decision[]): Decision | undefined {
  if (!typed || !answers) return undefined;
  const d = Object.prototype.hasOwnProperty.call(answers, typed) ? answers[typed] : undefined;
  return d && options.includes(d) ? d : undefined;
}

/** How long a pending prompt that left the screen may take to come back before it is withdrawn. */
export function withdrawGraceMs(session: SessionInfo, now: number): number {
  return session.resizedAt !== undefined && now - session.resizedAt <= RESIZE_WINDOW_MS ? RESIZE_GRACE_MS : WITHDRAW_GRACE_MS;
}

/** The state and reason a session ends in when its process exits. */
export function classifyExit(
  session: Pick<SessionInfo, 'stopping'>,
  exit: { exitCode: number; signal?: number },
  timeoutMs: number | undefined,
  hint?: string,
): { state: Extract<SessionState, 'completed' | 'failed' | 'cancelled'>; reason?: string } {
  if (session.stopping === 'user') return { state: 'cancelled', reason: 'stopped by user' };
  if (session.stopping === 'timeout') return { state: 'failed', reason: `timed out after ${formatDuration(timeoutMs ?? 0)}` };
  // Conductor ended the CLI after its turn was over: however it went down, the agent finished.
  if (session.stopping === 'done') return { state: 'completed' };
  // Killed by a signal nobody sent (a crash) is not a good exit, whatever code the PTY reports with it.
  if (exit.exitCode === 0 && !exit.signal) return { state: 'completed' };
  const code = `agent exited with code ${exit.exitCode}${exit.signal ? ` (signal ${exit.signal})` : ''}`;
  return { state: 'failed', reason: hint ? `${hint} (${code})` : code };
}

/**
 * Who answers a CLI's first-run dialog. `--approve` answers it like any prompt; a "trust this folder?" for
 * a workspace conductor made itself is allowed by policy; anything else goes to a person (headless: denied,
 * and the CLI then says why it cannot start).
 */
export function dialogVerdict(dialog: NonNullable<ApprovalState['dialog']>, options: readonly Decision[], unit: UnitState, settings: RunSettings): Verdict {
  const decided = (decision: Decision, rule: string): Verdict | undefined => {
    const d = offered(options, decision);
    return d ? { kind: 'decided', decision: d, rule } : undefined;
  };
  const none: PartVerdict[] = [];
  if (settings.approve === 'all') return decided('allow', '--approve all') ?? { kind: 'ask', rule: '--approve all', parts: none };
  if (settings.approve === 'none') return decided('deny', '--approve none') ?? { kind: 'ask', rule: '--approve none', parts: none };
  if (dialog === 'trust' && unit.ownedWorkspace) {
    const v = decided('allow', 'conductor made this workspace itself (a fresh copy), so it is trusted');
    if (v) return v;
  }
  if (!settings.interactive) {
    const v = decided('deny', `nobody to answer the CLI's ${dialog} dialog in a headless run; answer it once in \`conductor tui\` or in the CLI itself`);
    if (v) return v;
  }
  return { kind: 'ask', rule: `the CLI's ${dialog} dialog`, parts: none };
}
