// The state of one execution as the reducer builds it from events: units (steps or trials),
// sessions, the approval queue. Plain immutable data; the UI reads it as a snapshot.
import type { AnswerKeys, AssertionResult, DiffFile, ExecStatus, PartVerdict, RunSettings, SessionState, TrialFacts, UnitDecl, UnitStatus } from './events';
import type { FaultKind } from './types';

export type { AssertionResult } from './events';
import type { ApprovalVia, DecidedBy, Decision } from './types';

export interface CheckResult {
  name: string;
  run: string;
  status: 'running' | 'passed' | 'failed';
  exitCode?: number;
  durationMs?: number;
}

export interface UnitState extends UnitDecl {
  status: UnitStatus;
  /** 'agent' while the session runs, 'checks' while checks and outputs are verified. */
  phase?: 'agent' | 'checks';
  attempts: number;
  sessions: string[];
  startedAt?: number;
  finishedAt?: number;
  reason?: string;
  checks: CheckResult[];
  /** Files changed while this unit's session was the only one running in its folder. */
  files: string[];
  /** Files changed while other sessions ran in the same folder: not counted as this unit's. */
  sharedFiles?: string[];
  /** What its last session changed from its start (with the git diff against HEAD in older logs). */
  diff?: DiffFile[];
  /** Other sessions shared the folder while it ran: some of `diff` may be theirs. */
  diffShared?: string[];
  /** The start snapshot stopped at this many files. */
  diffCapped?: number;
  /** Trials: each assertion's result, in the scenario's order (from `assertion.evaluated`). */
  assertions: AssertionResult[];
  /** Trials: the weighted share of assertions passed (from `trial.finished`). */
  score?: number;
  /** Trials: what the assertions were judged on (from `trial.facts`). */
  facts?: TrialFacts;
  /** Interrupted with an agent session its CLI can resume: the next attempt continues it. */
  resumable?: { from: string; agentSession: string };
  /** Trials: each finished attempt's outcome, oldest first (a trial index that flips between attempts is flaky). */
  history?: { attempt: number; status: UnitStatus; score?: number }[];
  /** Faults a sim trial injected on purpose (chaos), in its latest attempt. */
  faults?: { fault: FaultKind; at: number }[];
}

export interface SessionInfo {
  id: string;
  unit: string;
  provider: string;
  agent: string;
  attempt: number;
  state: SessionState;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  exitCode?: number;
  signal?: number;
  reason?: string;
  pid?: number;
  /** Bumped on every output batch: panes re-render only when it moves. */
  version: number;
  outputBytes: number;
  cols?: number;
  rows?: number;
  approvals: string[];
  usage?: { bytes: number; files: number; tokens?: number; cost?: number };
  /** Commands the person allowed "always" in this session (whitespace-normalized). */
  always: string[];
  /** Why conductor is ending the session, once it asked it to end: the exit is classified by it. */
  stopping?: 'user' | 'timeout' | 'done';
  /** The agent CLI's own session id (for its native resume). */
  agentSession?: string;
  /** This attempt continues the agent's session of an interrupted attempt. */
  resume?: { from: string; agentSession: string };
  /** The agent's last turn ended with a question and it waits for the person (cleared when they type). */
  awaitingInput?: { since: number; message?: string };
  /** What the CLI's last screen said went wrong (its failure patterns), when it exited non-zero. */
  hint?: string;
  /** The process has exited (a session marked interrupted may still be stopping). */
  exited?: boolean;
  /** When the pane was last resized: a prompt redrawn after a resize gets longer to come back. */
  resizedAt?: number;
}

export type ApprovalStatus = 'pending' | 'decided' | 'resolved' | 'withdrawn' | 'abandoned';

export interface ApprovalState {
  id: string;
  session: string;
  unit: string;
  via: ApprovalVia;
  command: string;
  options: Decision[];
  /** The prompt's identity (see `prompt.seen`). */
  key?: string;
  /** A first-run dialog of the CLI rather than a command. */
  dialog?: 'trust' | 'api-key' | 'onboarding' | 'hooks';
  answers?: AnswerKeys;
  detector?: string;
  cliVersion?: string;
  status: ApprovalStatus;
  requestedAt: number;
  /** When the policy's `onTimeout` decides (a countdown for the person). */
  deadline?: number;
  onTimeout?: Decision;
  /** The prompt left the screen: no decision is taken until it is back (or it is withdrawn). */
  offscreen?: boolean;
  /** What the person typed into the pane since the prompt appeared (last 64 characters, pastes excluded). */
  typed?: string;
  decision?: Decision;
  by?: DecidedBy;
  how?: 'overlay' | 'pane';
  rule?: string;
  parts?: PartVerdict[];
  decidedAt?: number;
  resolvedAt?: number;
  /** Why it was withdrawn or abandoned. */
  reason?: string;
}

export interface ExecState {
  exec: string;
  kind: 'plan' | 'scenario';
  file: string;
  goal: string;
  concurrency: number;
  status: ExecStatus;
  /** No new unit starts while held; running sessions go on. */
  held: boolean;
  /** How the current process runs it (from the last execution.started / execution.resumed). */
  settings: RunSettings;
  /** Approvals requested so far: the next id is `ap-<n+1>`. */
  approvalSeq: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Unit ids in execution (dependency) order. */
  order: string[];
  units: Record<string, UnitState>;
  sessions: Record<string, SessionInfo>;
  approvals: Record<string, ApprovalState>;
  /** Ids of approvals waiting for a decision, oldest first. */
  queue: string[];
  lastSeq: number;
  lastTs: number;
  errors: string[];
  /** Scenarios: the pass rate each provider must reach, and the score a trial must reach. */
  threshold?: number;
  passScore?: number;
  /** A comparison: the providers whose lanes run the same steps, each in its own workspace. */
  lanes?: string[];
  /** A comparison on a git workspace: the commit every lane's worktree started at. */
  baseCommit?: string;
}

export const TERMINAL_SESSION_STATES: readonly SessionState[] = ['completed', 'failed', 'cancelled', 'interrupted'];
export const isLiveSession = (s: SessionInfo): boolean => !TERMINAL_SESSION_STATES.includes(s.state);

export const TERMINAL_UNIT_STATUSES: readonly UnitStatus[] = ['passed', 'failed', 'error', 'skipped', 'cancelled'];

/** Units a retry puts back: failed, stopped, interrupted, or skipped because of one of those. */
export const RETRYABLE_UNIT_STATUSES: readonly string[] = ['failed', 'error', 'cancelled', 'interrupted', 'skipped'];

/** An execution in one of these can still be resumed; the others have finished. */
export const UNFINISHED_EXEC_STATUSES: readonly string[] = ['created', 'running', 'interrupted'];

/** The unit's latest session, if it has one. */
export const currentSession = (state: ExecState, unitId: string): SessionInfo | undefined => {
  const ids = state.units[unitId]?.sessions ?? [];
  return ids.length ? state.sessions[ids[ids.length - 1]] : undefined;
};

export interface Counts {
  total: number;
  done: number;
  running: number;
  waiting: number;
  failed: number;
  pending: number;
}

export function countUnits(state: ExecState): Counts {
  const c: Counts = { total: 0, done: 0, running: 0, waiting: 0, failed: 0, pending: 0 };
  for (const id of state.order) {
    const u = state.units[id];
    c.total++;
    if (u.status === 'passed') c.done++;
    else if (u.status === 'failed' || u.status === 'error' || u.status === 'cancelled' || u.status === 'skipped') c.failed++;
    else if (u.status === 'running') {
      const s = currentSession(state, id);
      if (s?.state === 'waiting_for_approval') c.waiting++;
      else c.running++;
    } else c.pending++;
  }
  return c;
}
