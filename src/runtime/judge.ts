// Judging a trial after its agent finished: the facts its assertions need are gathered from its workspace (the
// files they name, the commands they run) and from the agent's terminal text kept beside the log; they are logged
// as `trial.facts`, then core/assert judges them with the trial's events, and each result is logged as
// `assertion.evaluated`. `conductor reeval` judges the same facts again.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { confined } from '../adapters/workspace/prepare';
import { detailOf, evaluateTrial, trialRecord, type TrialVerdict } from '../core/assert';
import type { ConductorEvent, FileFact, NewEvent, TrialFacts } from '../core/events';
import type { ExecState, UnitState } from '../core/state';
import type { Assertion, Scenario } from '../core/types';
import { trajectoryOf } from './recorder';
import { runShell } from './verify';

/** A file's text is read up to this many bytes; an assertion that finds nothing in a cut file is unknown, not failed. */
export const FACT_TEXT_LIMIT = 256 * 1024;
/** How long a `commandPasses` command may run. */
export const COMMAND_TIMEOUT_MS = 10 * 60_000;

const looksBinary = (buf: Buffer): boolean => buf.subarray(0, 8192).includes(0);

/** What an assertion about `path` finds in the workspace (confined to it: `../x` or a symlink out is not found). */
export function fileFact(workspace: string, path: string): FileFact {
  let abs: string;
  try {
    abs = confined(workspace, workspace, path);
  } catch (err) {
    return { exists: false, error: err instanceof Error ? err.message : String(err) };
  }
  let st;
  try {
    st = statSync(abs);
  } catch {
    return { exists: false };
  }
  if (st.isDirectory()) return { exists: true, size: st.size, error: 'it is a folder' };
  try {
    const fd = readFileSync(abs);
    const cut = fd.length > FACT_TEXT_LIMIT;
    const buf = cut ? fd.subarray(0, FACT_TEXT_LIMIT) : fd;
    if (looksBinary(buf)) return { exists: true, size: st.size, binary: true };
    return { exists: true, size: st.size, text: buf.toString('utf8'), ...(cut ? { truncated: true as const } : {}) };
  } catch (err) {
    return { exists: true, size: st.size, error: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}

/** The paths and commands a scenario's assertions need. */
export function factsNeeded(assertions: readonly Assertion[]): { paths: string[]; commands: string[] } {
  const paths = new Set<string>();
  const commands = new Set<string>();
  for (const a of assertions) {
    if (a.type === 'fileExists' || a.type === 'fileContains') paths.add(a.path);
    if (a.type === 'commandPasses') commands.add(a.run);
  }
  return { paths: [...paths], commands: [...commands] };
}

/** Gathers what `assertions` need from the workspace (files and commands not in `have` only) and the output file. */
export async function gatherFacts(o: {
  assertions: readonly Assertion[];
  workspace: string | undefined;
  outputFile: string;
  traceDir: string;
  have?: TrialFacts;
  isCurrent?: () => boolean;
  mark?: Record<string, string>;
}): Promise<{ facts: TrialFacts; output?: string }> {
  const need = factsNeeded(o.assertions);
  const files: TrialFacts['files'] = { ...(o.have?.files ?? {}) };
  const commands: TrialFacts['commands'] = { ...(o.have?.commands ?? {}) };
  const ws = o.workspace && existsSync(o.workspace) ? o.workspace : undefined;
  if (ws) {
    for (const p of need.paths) if (!Object.hasOwn(files, p)) files[p] = fileFact(ws, p);
    for (const run of need.commands) {
      if (Object.hasOwn(commands, run)) continue;
      if (o.isCurrent && !o.isCurrent()) break;
      commands[run] = await runShell(run, ws, COMMAND_TIMEOUT_MS, o.mark);
    }
  }
  const facts: TrialFacts = { files, commands };
  let output: string | undefined;
  if (existsSync(o.outputFile)) {
    const buf = readFileSync(o.outputFile);
    output = buf.toString('utf8');
    facts.output = { path: relative(o.traceDir, o.outputFile), bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
  } else if (o.have?.output) facts.output = o.have.output;
  return { facts, output };
}

/** The events of each trial (its trajectory, without output byte counts), kept as the run goes for judging it. */
export class TrialEvents {
  private readonly byUnit = new Map<string, ConductorEvent[]>();

  add(e: ConductorEvent, state: ExecState): void {
    if (e.type === 'session.output' || e.type === 'session.input' || e.type === 'file.touched') return;
    const at = trajectoryOf(e, state);
    if (!at || state.units[at.unit]?.kind !== 'trial') return;
    let list = this.byUnit.get(at.unit);
    if (!list) this.byUnit.set(at.unit, (list = []));
    list.push(e);
  }

  of(unit: string): ConductorEvent[] {
    return this.byUnit.get(unit) ?? [];
  }
}

/** Logs each result as `assertion.evaluated` (with its evidence). */
export function dispatchResults(unit: string, verdict: TrialVerdict, dispatch: (e: NewEvent) => void): void {
  for (const r of verdict.results) {
    dispatch({
      type: 'assertion.evaluated',
      unit,
      name: r.name,
      kind: r.kind,
      status: r.status,
      passed: r.passed,
      weight: r.weight,
      required: r.required,
      expected: r.expected,
      found: r.found,
      detail: detailOf(r),
    });
  }
}

/** Gathers a finished trial's facts, logs them, judges it and logs the results; undefined once the trial moved on. */
export async function judgeTrial(o: {
  unit: UnitState;
  state: ExecState;
  scenario: Scenario;
  workspace: string;
  outputFile: string;
  traceDir: string;
  events: readonly ConductorEvent[];
  mark?: Record<string, string>;
  dispatch: (e: NewEvent) => void;
  isCurrent: () => boolean;
}): Promise<{ passed: boolean; reason?: string; score: number } | undefined> {
  const session = o.unit.sessions.at(-1);
  if (!session) return undefined;
  const { facts, output } = await gatherFacts({ assertions: o.scenario.assertions, workspace: o.workspace, outputFile: o.outputFile, traceDir: o.traceDir, isCurrent: o.isCurrent, mark: o.mark });
  if (!o.isCurrent()) return undefined;
  o.dispatch({ type: 'trial.facts', unit: o.unit.id, session, ...facts });
  const verdict = evaluateTrial({ assertions: o.scenario.assertions, passScore: o.scenario.passScore, record: trialRecord(o.events, o.unit.id), facts, output });
  dispatchResults(o.unit.id, verdict, o.dispatch);
  return { passed: verdict.passed, score: verdict.score, ...(verdict.reason ? { reason: verdict.reason } : {}) };
}
