// The typed events of an execution: what adapters and commands report, what events.jsonl stores,
// and what the reducer folds into state. One line of the log is one of these.
import type { ApprovalVia, DecidedBy, Decision } from './types';

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

export type UnitStatus = 'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';
export type ExecStatus = 'created' | 'running' | 'passed' | 'failed' | 'cancelled' | 'interrupted';

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
  | { type: 'execution.created'; kind: 'plan' | 'scenario'; file: string; goal: string; concurrency: number; units: UnitDecl[]; input?: unknown }
  | { type: 'execution.started' }
  | { type: 'execution.resumed'; pid?: number }
  | { type: 'execution.interrupted'; reason: string }
  /** Held: running sessions go on, but no new unit starts until released (or `execution.next`). */
  | { type: 'execution.held'; held: boolean }
  /** Start the next ready unit even while held (step-by-step). */
  | { type: 'execution.next' }
  | { type: 'execution.finished'; status: 'passed' | 'failed' | 'cancelled'; passed: number; failed: number }
  | { type: 'step.started' | 'trial.started'; unit: string; session: string; attempt: number; provider: string; agent: string }
  | { type: 'step.finished' | 'trial.finished'; unit: string; status: 'passed' | 'failed'; reason?: string }
  | { type: 'step.retried' | 'trial.retried'; unit: string }
  | { type: 'session.state'; session: string; state: SessionState; exitCode?: number; signal?: number; reason?: string; pid?: number }
  | { type: 'session.output'; session: string; bytes: number }
  | { type: 'session.input'; session: string; bytes: number }
  | { type: 'session.resized'; session: string; cols: number; rows: number }
  | { type: 'approval.requested'; id: string; session: string; via: ApprovalVia; command: string; options: Decision[]; detector?: string; cliVersion?: string }
  | { type: 'approval.decided'; id: string; decision: Decision; by: DecidedBy }
  | { type: 'approval.resolved'; id: string; decision: Decision; by: DecidedBy }
  | { type: 'check.started'; unit: string; name: string; run: string }
  | { type: 'check.finished'; unit: string; name: string; run: string; exitCode: number; passed: boolean; durationMs: number; output?: string }
  | { type: 'file.touched'; session: string; path: string; reason: 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir' }
  | { type: 'diff.summary'; unit: string; files: { path: string; added: number; removed: number }[] }
  | { type: 'usage'; session: string; bytes: number; files: number; tokens?: number; cost?: number }
  | { type: 'assertion.evaluated'; unit: string; name: string; passed: boolean; detail?: string }
  | { type: 'error'; message: string };

export type EventType = EventBody['type'];
export type ConductorEvent = EventBase & EventBody;
/** An event before the log has stamped it with seq and ts. */
export type NewEvent = EventBody & Partial<EventBase>;
