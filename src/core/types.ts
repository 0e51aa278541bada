// Shared shapes of conductor's normalized inputs (plans, scenarios, roles, providers, config).
// These are the contract between the loaders (core/schema) and everything that consumes them.
// The zod schemas in core/schema produce exactly these shapes after normalization.

/** Milliseconds. Durations in files are written as `90s`, `10m`, `1h`, `500ms` or a number of seconds. */
export type Millis = number;

export type Decision = 'allow' | 'always' | 'deny';
export type DecidedBy = 'user' | 'policy' | 'timeout';
export type ApprovalVia = 'screen' | 'hook' | 'policy';

/** Approval policy: glob lists matched against the command text, then a default. */
export interface ApprovalPolicy {
  default: 'ask' | 'allow' | 'deny';
  allow: string[];
  deny: string[];
  /** How long a prompt may wait for a person before `onTimeout` decides it. Undefined: forever. */
  timeout?: Millis;
  onTimeout: 'deny' | 'allow';
}

export type SimAction =
  | { say: string }
  | { think: string; ms?: Millis }
  | { run: string; ask?: boolean }
  | { write: { path: string; content: string } }
  | { ask: string }
  | { sleep: Millis }
  | { fail: string };

export interface SimScript {
  seed?: number;
  /** 0..1: probability that the session fails at a random point (seeded). */
  failRate?: number;
  /** Misbehaviour injected per trial, each with its probability (0..1) drawn from the trial's seed. */
  chaos?: SimChaos;
  actions: SimAction[];
}

/** Faults a sim trial may inject: crash (killed by a signal), hang (never finishes), garbage (random bytes, broken escapes). */
export type FaultKind = 'crash' | 'hang' | 'garbage';
export type SimChaos = Partial<Record<FaultKind, number>>;

export interface Check {
  run: string;
  name?: string;
  timeout?: Millis;
}

export interface Step {
  id: string;
  agent: string;
  provider: string;
  task: string;
  dependsOn: string[];
  expectedOutputs: string[];
  checks: Check[];
  approval?: ApprovalPolicy;
  timeout?: Millis;
  sim?: SimScript;
  /** As written: this step runs once per provider of the comparison (each in its own lane). */
  providers?: string[];
  /** After lane expansion: the provider whose lane this copy of the step belongs to. */
  lane?: string;
  /** After lane expansion: the step's id as written (the copy's id is `<step>@<lane>`). */
  base?: string;
}

/**
 * Where sessions run: in place (a folder) or in a fresh copy of a fixture folder per execution/trial.
 * In the file, folders are relative to the plan/scenario file; the loader resolves them to absolute paths
 * inside the project root.
 */
export type WorkspaceSpec = { path: string } | { fixture: string } | { git: string };

export interface Role {
  name: string;
  purpose: string;
  scope: string[];
  boundaries: string[];
  done_definition: string[];
  refusal_rules: string[];
  output_contract: { transcript: string; artifacts: string[] };
}

export interface Plan {
  kind: 'plan';
  /** Absolute path of the file it was loaded from. */
  file: string;
  /** 'conductor' for the native format, 'swarm' for the earlier swarm-conductor JSON format. */
  format: 'conductor' | 'swarm';
  goal: string;
  provider: string;
  concurrency: number;
  workspace?: WorkspaceSpec;
  approval?: ApprovalPolicy;
  /** Roles declared by the plan; merged over the built-in roles by the loader. */
  roles: Record<string, Role>;
  /**
   * The providers compared (`providers:` in the plan or on steps, or `--providers`): the plan runs once per
   * provider, each copy (a lane) in its own workspace from the same base. Absent: no comparison.
   */
  providers?: string[];
  /** Set once the steps are expanded into lanes (see core/lanes): `steps` then holds every lane's copies. */
  lanes?: string[];
  /** Steps in file order. */
  steps: Step[];
}

export type Assertion = {
  name?: string;
  weight: number;
  required: boolean;
} & (
  | { type: 'exitCode'; equals: number }
  | { type: 'fileExists'; path: string }
  | { type: 'fileContains'; path: string; text?: string; regex?: string }
  | { type: 'commandPasses'; run: string }
  | { type: 'transcriptMatches'; regex: string }
  | { type: 'ranCommand'; glob: string }
  | { type: 'approvalsAtMost'; max: number }
  | { type: 'durationAtMost'; max: Millis }
  | { type: 'costAtMost'; max: number }
);

export interface Scenario {
  kind: 'scenario';
  file: string;
  name: string;
  task: string;
  agent: string;
  workspace?: WorkspaceSpec;
  providers: string[];
  trials: number;
  concurrency: number;
  timeout?: Millis;
  approval?: ApprovalPolicy;
  assertions: Assertion[];
  /** 0..1 pass rate required (per provider). */
  threshold: number;
  /** 0..1: the weighted share of assertions a trial must pass (with every required one) to pass; default 1. */
  passScore: number;
  sim?: SimScript;
}

export interface ApprovalPattern {
  /** Regular expression (source) matched against the screen's plain text. */
  match: string;
  /** Regular expression with one capture group that extracts the command from the screen text. */
  command?: string;
  /**
   * Who wraps a command too long for one row (default 'app'). 'app': the app wraps it itself inside a box
   * or panel, so the captured rows are joined by their geometry (see adapters/providers/rejoin).
   * 'terminal': the app prints the command unwrapped and lets the terminal wrap it; the screen text's
   * logical lines already hold it whole, and each captured line is one line of the command.
   */
  wrap?: 'app' | 'terminal';
  /** With wrap 'app': blank cells the app leaves between its wrapped text and the box's right border (or the screen's edge when there is none); default 1. */
  gap?: number;
}

export interface ProviderDef {
  name: string;
  /** Executable; `{node}` is replaced by the running node binary, `{sim}` by the bundled sim agent path. */
  command: string;
  /** Argument template; placeholders: {prompt} {promptFile} {workspace} {model} {script} {seed} {task} {agent} {node} {sim}. */
  args: string[];
  env: Record<string, string>;
  prompt: { via: 'arg' | 'file' | 'type'; readyPattern?: string };
  approval: {
    patterns: ApprovalPattern[];
    /** The prompt must be unchanged on screen this long before it counts. */
    stableMs: Millis;
    /** Keys written to the PTY for each decision (escape sequences allowed, e.g. "\r", "\x1b"). */
    keys: { allow: string; always: string; deny: string };
  };
  /**
   * When the agent's turn is over: `exit` (the process ends by itself) or `idle` (the CLI waits at its input
   * prompt: `pattern` on screen, unchanged for `idleMs`, unless a hook reports the end of the turn first).
   */
  done: { via: 'exit' | 'idle'; idleMs?: Millis; pattern?: string };
  /** What to type to end the CLI gracefully once its turn is over (each entry typed after a short pause). */
  exit?: string[];
  /** Structured channels the CLI offers through `conductor hook` (hooks it runs), per CLI protocol. */
  hooks?: ProviderHooks;
  /** Arguments that give the CLI its session id up front (`{agentSession}`); without them it is learnt from a hook. */
  session?: { args: string[] };
  /** Arguments that resume the CLI's own session: `{agentSession}` and `{continue}` (a short "continue" message). */
  resume?: { args: string[] };
  version?: { args: string[]; pattern?: string };
  /** Dialogs the CLI may show before it works (trust this folder, use this API key): answered like approvals. */
  dialogs?: ProviderDialog[];
  /** Screen text explaining why the CLI could not start or work, and what to do about it. */
  failures?: { match: string; reason: string }[];
  /** Whether this provider ever asks approval (shell never does). */
  asksApproval: boolean;
  /** A sim variant's own script (conductor.yaml): used for steps and scenarios that give the sim none. */
  sim?: SimScript;
}

export interface ProviderHooks {
  /** Which CLI's hook protocol: how hooks are installed for a session and how their payloads read. */
  protocol: 'claude' | 'codex' | 'gemini';
  /** Approvals are asked through the hook (exact command, no screen reading); the screen is the fallback. */
  approvals: boolean;
  /** The hook reports the end of each turn. */
  turnEnd: boolean;
  /** The hook reports the CLI's session id when the session starts. */
  sessionStart: boolean;
}

export interface ProviderDialog {
  kind: 'trust' | 'api-key' | 'onboarding' | 'hooks';
  /** Regular expression matched against the screen text. */
  match: string;
  /** What the dialog asks, for the person ("trust the folder <workspace>?"). */
  text: string;
  keys: { allow: string; deny: string };
}

export interface OutputRoots {
  proof: string;
  trace: string;
}

/** Project config (`conductor.yaml`) merged with user settings and CLI flags. */
export interface Config {
  provider: string;
  concurrency: number;
  approval: ApprovalPolicy;
  output: OutputRoots;
  providers: Record<string, ProviderDef>;
  keymap: Record<string, string[]>;
  theme: 'dark' | 'light' | 'mono';
  bell: boolean;
  /** Limits on session recordings (filled by mergeConfig; optional for hand-made configs, which get the defaults). */
  recording?: RecordingLimits;
}

export interface RecordingLimits {
  /** A `.cast` stops recording output past this many MB (a marker says so). */
  maxCastMB: number;
}

/** One problem in an input file, positioned for a person to fix. Lines and columns are 1-based. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  /** Field path, e.g. `steps[2].dependsOn[0]`; empty for whole-file problems. */
  path: string;
  message: string;
}
