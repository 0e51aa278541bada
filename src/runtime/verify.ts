// Verifies a unit after its agent exited well: runs its checks in the workspace, confirms the
// expected outputs exist, and summarizes what its session changed in the workspace. Reports each step as events.
import { existsSync } from 'node:fs';
import { confined } from '../adapters/workspace/prepare';
import type { SessionDiff } from '../adapters/workspace/track';
import { ProcessTree } from '../adapters/pty/tree';

/** The env entry on an execution's check and `commandPasses` commands (see checksMark). */
export const CHECKS_MARK_ENV = 'CONDUCTOR_CHECKS';
export const checksMark = (exec: string): Record<string, string> => ({ [CHECKS_MARK_ENV]: exec });
import type { CommandFact, ConductorEvent, NewEvent } from '../core/events';
import type { ExecState, UnitState } from '../core/state';
import type { Check, Plan, Scenario } from '../core/types';
import type { VerifyResult } from './runtime';

const DEFAULT_CHECK_TIMEOUT_MS = 10 * 60_000;
/** A timed-out check gets TERM, then KILL this much later; so does what a finished check left running. */
const CHECK_KILL_GRACE_MS = 1000;
const OUTPUT_LIMIT = 16 * 1024;

export interface VerifyOptions {
  unit: UnitState;
  input: Plan | Scenario;
  workspace: string;
  dispatch: (e: NewEvent) => void;
  /** False once the unit moved on (stopped, interrupted): stop reporting. */
  isCurrent: () => boolean;
  /** What the unit's last session changed since it started (see WorkspaceTracker.diff). */
  diff?: { session: string; since: () => Promise<SessionDiff | undefined> };
  /** An env entry every check command carries, so a resume can stop what a killed conductor left running. */
  mark?: Record<string, string>;
  /** Trials: the state, the trial's events so far and where its agent's terminal text was kept, to judge it. */
  trial?: { state: ExecState; events: () => readonly ConductorEvent[]; outputFile: string; traceDir: string };
}

const checksOf = (input: Plan | Scenario, unit: string): Check[] =>
  input.kind === 'plan' ? (input.steps.find((s) => s.id === unit)?.checks ?? []) : [];

const tail = (s: string): string => (s.length > OUTPUT_LIMIT ? `…${s.slice(-OUTPUT_LIMIT)}` : s);

const formatMs = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

const loadExeca = () => import('execa').then((m) => m.execa);

/**
 * Runs a shell command in `cwd` in its own session, so its whole tree can be found and ended: a timeout that
 * killed only `sh` left its children running, and holding the output pipe open kept the caller waiting for them.
 * A timed-out command reports exit code 124 (as timeout(1) does).
 */
export async function runShell(run: string, cwd: string, timeoutMs: number, mark?: Record<string, string>): Promise<CommandFact> {
  const execa = await loadExeca();
  const started = Date.now();
  const tree = new ProcessTree();
  const sub = execa('/bin/sh', ['-c', run], { cwd, reject: false, all: true, detached: true, env: { FORCE_COLOR: '0', ...mark, ...tree.env }, stdin: 'ignore' });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  if (sub.pid !== undefined) {
    tree.attach(sub.pid, 500);
    timer = setTimeout(() => {
      timedOut = true;
      void tree.end(CHECK_KILL_GRACE_MS);
    }, timeoutMs);
    sub.once('exit', () => {
      tree.leaderExited();
      void tree.end(CHECK_KILL_GRACE_MS);
    });
  }
  const r = await sub;
  if (timer) clearTimeout(timer);
  tree.detach();
  return { exitCode: timedOut ? 124 : (r.exitCode ?? 1), durationMs: Date.now() - started, output: tail(String(r.all ?? '')), ...(timedOut ? { timedOut: true as const } : {}) };
}

export async function verifyUnit(o: VerifyOptions): Promise<VerifyResult | undefined> {
  const failures: string[] = [];
  // Taken before the checks run: what they write (build output, caches) is not the agent's change.
  const diff = await o.diff?.since().catch(() => undefined);
  if (!o.isCurrent()) return undefined;
  if (diff && o.diff) {
    o.dispatch({
      type: 'diff.summary',
      unit: o.unit.id,
      session: o.diff.session,
      base: 'session-start',
      files: diff.files,
      ...(diff.capped ? { capped: diff.capped } : {}),
      ...(diff.shared?.length ? { shared: diff.shared } : {}),
    });
  }
  if (o.input.kind === 'scenario' && o.trial) {
    const { judgeTrial } = await import('./judge');
    return judgeTrial({
      unit: o.unit,
      state: o.trial.state,
      scenario: o.input,
      workspace: o.workspace,
      outputFile: o.trial.outputFile,
      traceDir: o.trial.traceDir,
      events: o.trial.events(),
      mark: o.mark,
      dispatch: o.dispatch,
      isCurrent: o.isCurrent,
    });
  }
  for (const [i, check] of checksOf(o.input, o.unit.id).entries()) {
    if (!o.isCurrent()) return undefined;
    const name = check.name ?? (checksOf(o.input, o.unit.id).length > 1 ? `check ${i + 1}` : 'check');
    o.dispatch({ type: 'check.started', unit: o.unit.id, name, run: check.run });
    const r = await runShell(check.run, o.workspace, check.timeout ?? DEFAULT_CHECK_TIMEOUT_MS, o.mark);
    if (!o.isCurrent()) return undefined;
    const exitCode = r.exitCode;
    const passed = exitCode === 0;
    const timedOut = !!r.timedOut;
    o.dispatch({ type: 'check.finished', unit: o.unit.id, name, run: check.run, exitCode, passed, durationMs: r.durationMs, output: r.output });
    if (!passed) failures.push(timedOut ? `check "${check.run}" timed out after ${formatMs(check.timeout ?? DEFAULT_CHECK_TIMEOUT_MS)}` : `check "${check.run}" exited ${exitCode}`);
  }
  const missing = o.unit.expectedOutputs.filter((p) => {
    try {
      return !existsSync(confined(o.workspace, o.workspace, p));
    } catch {
      return true;
    }
  });
  if (missing.length) failures.push(`missing expected output${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  return failures.length ? { passed: false, reason: failures.join('; ') } : { passed: true };
}
