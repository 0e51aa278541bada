// The typed events of an execution: what adapters and commands report, what events.jsonl stores,
// and what the reducer folds into state. One line of the log is one of these.
//
// Three sorts, all folded by the same reducer:
// - observations, reported by adapters: a session spawned or exited, output arrived, a prompt was
//   seen on screen (or asked through a hook) or left it, the person typed into a pane, a timer fired;
// - requests, from a person or a command: decide an approval, stop, pause, continue, hold, retry;
// - decisions, emitted by the core itself in reply to the other two: a unit starts, an approval is
//   requested / decided by policy or timeout / resolved / withdrawn, a session ends in a state.
import type { ApprovalPolicy, ApprovalVia, DecidedBy, Decision, FaultKind, Millis } from './types';

export type AssertionStatus = 'passed' | 'failed' | 'unknown';

/** One assertion's result as logged and kept on its unit (older logs have only `name`, `passed` and `detail`). */
export interface AssertionResult {
  name: string;
  passed: boolean;
  detail?: string;
  kind?: string;
  status?: AssertionStatus;
  weight?: number;
  required?: boolean;
  expected?: string;
  found?: string;
}

/** A file an assertion names, as found in the trial's workspace after the agent finished. */
export interface FileFact {
  exists: boolean;
  size?: number;
  /** Its text (UTF-8), up to FACT_TEXT_LIMIT bytes; absent for binary files. */
  text?: string;
  truncated?: true;
  binary?: true;
  /** It could not be read (permissions, a folder). */
  error?: string;
}

/** A `commandPasses` command run in the trial's workspace after the agent finished. */
export interface CommandFact {
  exitCode: number;
  durationMs: number;
  /** The last OUTPUT_LIMIT characters of its output. */
  output: string;
  timedOut?: true;
}

/** Everything beyond the trajectory that a trial's assertions are judged on. */
export interface TrialFacts {
  /** By the path the assertion names (relative to the workspace). */
  files: Record<string, FileFact>;
  /** By the command text. */
  commands: Record<string, CommandFact>;
  /** The agent's terminal text (scrollback and screen) kept beside the log: its path (relative to trace/<exec>/), size and hash. */
  output?: { path: string; bytes: number; sha256: string };
}

export type UnitKind = 'step' | 'trial';

export type SessionState =
  | 'pending'
  | 'starting'
  | 'running'
  | 'waiting_for_approval'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** `error` (trials only): the trial could not be judged (the agent crashed, hung, could not start; conductor faulted). */
export type UnitStatus = 'pending' | 'running' | 'passed' | 'failed' | 'error' | 'skipped' | 'cancelled' | 'interrupted';
export type ExecStatus = 'created' | 'running' | 'passed' | 'failed' | 'cancelled' | 'interrupted';

/** Who answers what policy leaves open: `all` allows every prompt, `none` denies every prompt, `policy` applies the policy. */
export type ApproveMode = 'all' | 'none' | 'policy';

/** A step or trial as declared when the execution is created. */
export interface UnitDecl {
  id: string;
  kind: UnitKind;
  agent: string;
  provider: string;
  dependsOn: string[];
  expectedOutputs: string[];
  /** For trials: which trial of its provider (1-based). */
  index?: number;
  /** The approval policy in force for this unit (the step's, else the plan's, else the project's). */
  approval?: ApprovalPolicy;
  /** How long the agent session may run before it is stopped and the unit fails. */
  timeout?: Millis;
  /** The unit's workspace is one conductor made (a fixture copy, a worktree): a CLI's "trust this folder?" may be answered for it. */
  ownedWorkspace?: boolean;
  /** A comparison: the provider whose lane (own workspace, own copy of the steps) this unit runs in. */
  lane?: string;
  /** A comparison: the step's id as written (the unit's id is `<step>@<lane>`). */
  step?: string;
}

/** How a process runs the execution: set by every `execution.started` / `execution.resumed`. */
export interface RunSettings {
  approve: ApproveMode;
  /** A person is there to answer (the TUI); headless runs deny what the policy leaves to a person. */
  interactive: boolean;
}

/** A timer the core asked for; it comes back as `timer.fired` with the same ref. */
export type TimerRef =
  /** The approval policy's `timeout`: `onTimeout` decides. */
  | { kind: 'approval-timeout'; id: string }
  /** A pending prompt left the screen: withdraw it unless it comes back. */
  | { kind: 'withdraw'; id: string }
  /** The unit's `timeout` for its agent session. */
  | { kind: 'unit-timeout'; id: string }
  /** A stop signal was sent: kill the process group if it is still there. */
  | { kind: 'stop-grace'; id: string }
  /** The CLI was asked to exit (its exit command): signal it if it has not gone by then. */
  | { kind: 'exit-grace'; id: string };

export const timerKey = (t: TimerRef): string => `${t.kind}:${t.id}`;

/** One part of a command as the policy judged it (a simple command, a redirection to a file, or text it could not parse). */
export interface PartVerdict {
  text: string;
  kind: 'command' | 'redirect' | 'unparsed';
  verdict: 'allow' | 'deny' | 'ask';
  /** The rule that gave the verdict (`allow "npm test"`, `deny "rm *"`, `default ask`). */
  rule: string;
}

/** Typed key sequences that answer a prompt in the pane itself, with the decision each stands for. */
export type AnswerKeys = Record<string, Decision>;

export type TouchReason = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

/** One file in a `diff.summary`; `uncounted`: binary or too large to count lines in. */
export interface DiffFile {
  path: string;
  status?: 'added' | 'modified' | 'deleted';
  added: number;
  removed: number;
  uncounted?: true;
}

export interface EventBase {
  seq: number;
  ts: number;
  exec: string;
  session?: string;
  step?: string;
  trial?: string;
}

export type EventBody =
  | {
      type: 'execution.created';
      kind: 'plan' | 'scenario';
      file: string;
      goal: string;
      concurrency: number;
      units: UnitDecl[];
      /** The input as loaded, redacted by the log: for people and `status`; resume re-reads `file`. */
      input?: unknown;
      /** sha256 (hex) of the input file's bytes when the execution was created; absent in older logs. */
      inputHash?: string;
      /** Scenarios: the pass rate each provider must reach, and the score a trial must reach. */
      threshold?: number;
      passScore?: number;
      /** Trials' workspaces are kept after they are judged (`--keep`), resumes included. */
      keepWorkspaces?: boolean;
      /** A comparison: its lanes (providers) in order, and the commit every lane's git worktree starts at. */
      lanes?: string[];
      baseCommit?: string;
    }
  | ({ type: 'execution.started' } & Partial<RunSettings>)
  | ({ type: 'execution.resumed'; pid?: number } & Partial<RunSettings>)
  | { type: 'execution.interrupted'; reason: string }
  /** Held: running sessions go on, but no new unit starts until released (or `execution.next`). */
  | { type: 'execution.held'; held: boolean }
  /** Start the next ready unit even while held (step-by-step). */
  | { type: 'execution.next' }
  | { type: 'execution.finished'; status: 'passed' | 'failed' | 'cancelled'; passed: number; failed: number; errors?: number }
  | {
      type: 'step.started' | 'trial.started';
      unit: string;
      session: string;
      attempt: number;
      provider: string;
      agent: string;
      /** Continue the agent's own session from an interrupted attempt instead of starting over. */
      resume?: { from: string; agentSession: string };
    }
  /** `score` (trials): the weighted share of assertions passed. */
  | { type: 'step.finished' | 'trial.finished'; unit: string; status: 'passed' | 'failed'; reason?: string; score?: number }
  | { type: 'step.retried' | 'trial.retried'; unit: string }
  // Session observations (adapters).
  | { type: 'session.spawned'; session: string; pid: number; cols?: number; rows?: number }
  | { type: 'session.spawn-failed'; session: string; reason: string }
  /** `hint`: what the CLI's last screen says went wrong, and what to do (from the provider's failure patterns). */
  | { type: 'session.exited'; session: string; exitCode: number; signal?: number; hint?: string }
  /** The agent CLI's own session id: given to it up front (`preassigned`) or reported by its hook. */
  | { type: 'session.agent-session'; session: string; id: string; via: 'preassigned' | 'hook' }
  /** The agent's turn is over (its hook said so, or its idle input prompt sat unchanged on screen). */
  | { type: 'session.turn-ended'; session: string; via: 'hook' | 'screen'; question?: boolean; message?: string }
  | { type: 'session.output'; session: string; bytes: number }
  /** What the person typed (or pasted) into the pane in input mode. */
  | { type: 'session.input'; session: string; bytes: number; data?: string; paste?: boolean }
  | { type: 'session.resized'; session: string; cols: number; rows: number }
  /** An approval prompt is on screen (`via: screen`, stable) or was asked through a hook (`via: hook`). */
  | {
      type: 'prompt.seen';
      session: string;
      /** The prompt's identity: the same prompt redrawn, re-wrapped or moved keeps its key. */
      key: string;
      via: 'screen' | 'hook';
      command: string;
      options: Decision[];
      /** A first-run dialog of the CLI (trust this folder, use this key) rather than a command to run. */
      dialog?: 'trust' | 'api-key' | 'onboarding' | 'hooks';
      /** Key sequences a person may type into the pane to answer, and what each means. */
      answers?: AnswerKeys;
      detector?: string;
      cliVersion?: string;
    }
  /** The prompt with this key is no longer on screen (or its hook request closed). */
  | { type: 'prompt.gone'; session: string; key: string }
  | { type: 'timer.fired'; timer: TimerRef }
  // Requests (a person, a command).
  | { type: 'session.stop-requested'; session: string }
  /** The person says the session is done: end the CLI gracefully, as at the end of a turn. */
  | { type: 'session.finish-requested'; session: string }
  | { type: 'session.pause-requested'; session: string }
  | { type: 'session.continue-requested'; session: string }
  // Decisions (the core).
  | { type: 'session.state'; session: string; state: SessionState; exitCode?: number; signal?: number; reason?: string; pid?: number }
  | {
      type: 'approval.requested';
      id: string;
      session: string;
      via: ApprovalVia;
      command: string;
      options: Decision[];
      key?: string;
      dialog?: 'trust' | 'api-key' | 'onboarding' | 'hooks';
      answers?: AnswerKeys;
      detector?: string;
      cliVersion?: string;
      /** When `onTimeout` decides, if the policy has a timeout and a person is asked. */
      deadline?: number;
      onTimeout?: Decision;
    }
  | {
      type: 'approval.decided';
      id: string;
      decision: Decision;
      by: DecidedBy;
      /** `overlay` (a key in conductor's overlay or list) or `pane` (typed into the agent's own prompt). */
      how?: 'overlay' | 'pane';
      /** What the person typed into the pane, when `how: pane`. */
      typed?: string;
      /** The rule that decided, for `by: policy | timeout`. */
      rule?: string;
      parts?: PartVerdict[];
    }
  | { type: 'approval.resolved'; id: string; decision: Decision; by: DecidedBy }
  /** The prompt went away without anyone deciding it: nothing was answered. */
  | { type: 'approval.withdrawn'; id: string; reason: string; typed?: string }
  | { type: 'check.started'; unit: string; name: string; run: string }
  | { type: 'check.finished'; unit: string; name: string; run: string; exitCode: number; passed: boolean; durationMs: number; output?: string }
  /** A change in the workspace while only this session ran there. */
  | { type: 'file.touched'; session: string; path: string; reason: TouchReason }
  /** A change in a folder where several sessions ran at once: credited to none of them. */
  | { type: 'file.touched'; shared: true; sessions: string[]; path: string; reason: TouchReason }
  /**
   * What the session changed in its workspace from its start (`base: 'session-start'`); older logs hold the
   * git diff against HEAD with no `base`. `capped`: the snapshot stopped at that many files; `shared`: other
   * sessions ran in the folder meanwhile, so some changes may be theirs.
   */
  | { type: 'diff.summary'; unit: string; session?: string; base?: 'session-start'; files: DiffFile[]; capped?: number; shared?: string[] }
  /** `files`: changes credited to this session (shared ones are not). */
  | { type: 'usage'; session: string; bytes: number; files: number; tokens?: number; cost?: number }
  /** What an adapter gathered from a trial's workspace after its agent finished: what its assertions are judged on. */
  | ({ type: 'trial.facts'; unit: string; session: string } & TrialFacts)
  /**
   * One assertion of a trial judged (by core/assert): `status` unknown when the facts cannot tell (no cost reported);
   * `expected` and `found` are the evidence. `detail`: both, in one line (older logs have only `passed` and `detail`).
   */
  | ({ type: 'assertion.evaluated'; unit: string } & AssertionResult)
  /** A sim trial misbehaves on purpose (chaos): what, and at which action. */
  | { type: 'fault.injected'; session: string; unit: string; fault: FaultKind; at: number }
  | { type: 'error'; message: string };

export type EventType = EventBody['type'];
export type ConductorEvent = EventBase & EventBody;
/** An event before the log has stamped it with seq and ts. */
export type NewEvent = EventBody & Partial<EventBase>;
