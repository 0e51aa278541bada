// Verifies a unit after its agent exited well: runs its checks in the workspace, confirms the
// expected outputs exist, and summarizes the git diff. Reports each step as events.
import { existsSync } from 'node:fs';
import { confined } from '../adapters/workspace/prepare';
import { gitDiffSummary } from '../adapters/workspace/diff';
import type { NewEvent } from '../core/events';
import type { UnitState } from '../core/state';
import type { Check, Plan, Scenario } from '../core/types';

const DEFAULT_CHECK_TIMEOUT_MS = 10 * 60_000;
const OUTPUT_LIMIT = 16 * 1024;

export interface VerifyOptions {
  unit: UnitState;
  input: Plan | Scenario;
  workspace: string;
  dispatch: (e: NewEvent) => void;
  /** False once the unit moved on (stopped, interrupted): stop reporting. */
  isCurrent: () => boolean;
}

const checksOf = (input: Plan | Scenario, unit: string): Check[] =>
  input.kind === 'plan' ? (input.steps.find((s) => s.id === unit)?.checks ?? []) : [];

const tail = (s: string): string => (s.length > OUTPUT_LIMIT ? `…${s.slice(-OUTPUT_LIMIT)}` : s);

const loadExeca = () => import('execa').then((m) => m.execa);

export async function verifyUnit(o: VerifyOptions): Promise<{ passed: boolean; reason?: string } | undefined> {
  const failures: string[] = [];
  const execa = await loadExeca();
  for (const [i, check] of checksOf(o.input, o.unit.id).entries()) {
    if (!o.isCurrent()) return undefined;
    const name = check.name ?? (checksOf(o.input, o.unit.id).length > 1 ? `check ${i + 1}` : 'check');
    o.dispatch({ type: 'check.started', unit: o.unit.id, name, run: check.run });
    const started = Date.now();
    const r = await execa('/bin/sh', ['-c', check.run], {
      cwd: o.workspace,
      reject: false,
      all: true,
      timeout: check.timeout ?? DEFAULT_CHECK_TIMEOUT_MS,
      env: { FORCE_COLOR: '0' },
      stdin: 'ignore',
    });
    if (!o.isCurrent()) return undefined;
    const exitCode = r.timedOut ? 124 : (r.exitCode ?? 1);
    const passed = exitCode === 0;
    o.dispatch({ type: 'check.finished', unit: o.unit.id, name, run: check.run, exitCode, passed, durationMs: Date.now() - started, output: tail(String(r.all ?? '')) });
    if (!passed) failures.push(r.timedOut ? `check "${check.run}" timed out` : `check "${check.run}" exited ${exitCode}`);
  }
  const missing = o.unit.expectedOutputs.filter((p) => {
    try {
      return !existsSync(confined(o.workspace, o.workspace, p));
    } catch {
      return true;
    }
  });
  if (missing.length) failures.push(`missing expected output${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  const diff = await gitDiffSummary(o.workspace).catch(() => undefined);
  if (!o.isCurrent()) return undefined;
  if (diff) o.dispatch({ type: 'diff.summary', unit: o.unit.id, files: diff });
  return failures.length ? { passed: false, reason: failures.join('; ') } : { passed: true };
}
