// `conductor reeval ID [--scenario FILE]`: judges a scenario execution's trials again, by the scenario's assertions
// as they are now (or by another scenario file), on what was stored — each trial's trajectory, the facts gathered
// from its workspace, its agent's terminal text — without running any agent. Paths or commands the run did not
// gather are read from the trial's kept workspace (`run --keep`), or judged unknown. The new judgments go to
// trace/<exec>/evaluations/eval-<n>.json beside the log, which keeps the run's own; it prints the new pass rates
// and exits like `run`: 0 when every provider reaches the threshold, 1 when not.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { resolveConfig } from '../adapters/input/config';
import { loadInputFile } from '../adapters/input/load-input';
import { writeJsonAtomic } from '../adapters/store/atomic';
import { readEventLog } from '../adapters/store/event-log';
import { isExecId } from '../adapters/store/paths';
import { redactProviderEnv, storeRedactor } from '../adapters/store/redaction';
import { readTrajectory } from '../adapters/store/trajectory';
import { evaluateTrial, trialRecord } from '../core/assert';
import type { ConductorEvent } from '../core/events';
import { formatDiagnostic } from '../core/load/index';
import { replay } from '../core/machine';
import { summarizeScenario, withEvaluation, type Evaluation } from '../core/stats';
import type { Scenario } from '../core/types';
import { runPaths, type ExecPaths } from '../runtime/recorder';
import { gatherFacts } from '../runtime/judge';
import { scenarioLines } from '../runtime/scenario-text';
import { InputError, outputRoots, type OpenFlags } from './open-execution';
import type { RunIO } from './run';

const sha256 = (path: string): string | undefined => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
};

/** The re-evaluations stored so far, oldest first. */
export function listEvaluations(paths: ExecPaths): { n: number; file: string }[] {
  if (!existsSync(paths.evaluationsDir)) return [];
  return readdirSync(paths.evaluationsDir)
    .map((f) => ({ f, m: /^eval-(\d+)\.json$/.exec(f) }))
    .filter((x) => x.m)
    .map((x) => ({ n: Number(x.m![1]), file: join(paths.evaluationsDir, x.f) }))
    .sort((a, b) => a.n - b.n);
}

export function readEvaluation(file: string): Evaluation {
  return JSON.parse(readFileSync(file, 'utf8')) as Evaluation;
}

/** A trial's events from its stored trajectory; from the log when the trajectory is missing or unreadable. */
function trialEvents(paths: ExecPaths, unit: string, log: readonly ConductorEvent[]): readonly ConductorEvent[] {
  try {
    const t = readTrajectory(paths.trajectory(unit));
    if (t.events.length) return t.events as unknown as ConductorEvent[];
  } catch {
    /* rebuilt from the log below */
  }
  return log;
}

export async function reevalCommand(id: string, flags: OpenFlags & { cwd: string; scenario?: string }, io: RunIO): Promise<number> {
  const cfg = await resolveConfig({ cwd: flags.cwd });
  if (!cfg.ok) throw InputError.fromDiagnostics(cfg.diagnostics);
  if (!isExecId(id)) throw new InputError(`"${id}" is not an execution id (they look like exec-20261121-140211-a1b2)`);
  const paths = runPaths(outputRoots(cfg.value, flags.cwd, flags.out), id);
  if (!existsSync(paths.events)) throw new InputError(`no execution ${id}: ${paths.events} does not exist (see \`conductor status\`)`);
  const events = readEventLog(paths.events).events as unknown as ConductorEvent[];
  const state = replay(events);
  const created = events[0];
  if (!state || created?.type !== 'execution.created') throw new InputError(`${paths.events}: the log does not start with the execution's scenario`);
  if (state.kind !== 'scenario') throw new InputError(`${id} ran a plan; reeval judges scenario executions (their trials' assertions)`);

  const file = flags.scenario ? resolve(flags.cwd, flags.scenario) : state.file;
  const shown = relative(flags.cwd, file) || file;
  if (!existsSync(file)) throw new InputError(`${shown}: no such scenario file${flags.scenario ? '' : ` (the one ${id} ran); give one with --scenario FILE`}`);
  const loaded = await loadInputFile(file, { cwd: flags.cwd, config: cfg.value });
  if (!loaded.ok) throw new InputError(loaded.diagnostics.map((d) => formatDiagnostic(d))[0], loaded.diagnostics.map((d) => formatDiagnostic(d)));
  if (loaded.value.kind !== 'scenario') throw new InputError(`${shown} is a plan; reeval needs a scenario file`);
  const scenario: Scenario = loaded.value;
  redactProviderEnv(cfg.value.providers);
  const redact = storeRedactor().redact;
  const say = (s: string) => io.stderr.write(redact(`conductor: ${s}\n`));

  const hash = sha256(file);
  const changed = !created.inputHash || hash !== created.inputHash || file !== state.file;
  if (changed) say(`${shown} differs from the scenario ${id} ran${created.inputHash ? ' (its sha256 changed)' : ''}; judging by the file as it is now`);

  const units: Evaluation['units'] = {};
  let unknownPaths = 0;
  for (const uid of state.order) {
    const u = state.units[uid];
    if (u.kind !== 'trial') continue;
    if (u.status === 'error') {
      // It could not be judged then, and nothing it left can be judged now.
      units[uid] = { status: 'error', reason: u.reason, assertions: [] };
      continue;
    }
    if (u.status !== 'passed' && u.status !== 'failed') continue;
    const sid = u.sessions.at(-1);
    const s = sid ? state.sessions[sid] : undefined;
    if (!s) continue;
    const kept = resolve(paths.workspace, uid);
    const { facts, output } = await gatherFacts({
      assertions: scenario.assertions,
      workspace: existsSync(kept) ? kept : undefined,
      outputFile: paths.sessionFiles(uid, s.agent, s.attempt).output,
      traceDir: paths.traceDir,
      have: u.facts ?? { files: {}, commands: {} },
    });
    const verdict = evaluateTrial({ assertions: scenario.assertions, passScore: scenario.passScore, record: trialRecord(trialEvents(paths, uid, events), uid), facts, output });
    unknownPaths += verdict.results.filter((r) => r.status === 'unknown' && (r.found === 'not gathered' || r.found === 'not run')).length;
    units[uid] = {
      status: verdict.passed ? 'passed' : 'failed',
      score: verdict.score,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      assertions: verdict.results.map((r) => ({ ...r, detail: `expected ${r.expected}; ${r.found}` })),
    };
  }
  if (unknownPaths) say(`${unknownPaths} result${unknownPaths === 1 ? '' : 's'} unknown: files or commands the run did not gather, and the trial's workspace was not kept (run with --keep to re-judge new paths)`);

  const previous = listEvaluations(paths);
  const n = (previous.at(-1)?.n ?? 0) + 1;
  const evaluation: Evaluation = {
    n,
    at: Date.now(),
    scenario: { file, ...(hash ? { sha256: hash } : {}), changed },
    threshold: scenario.threshold,
    passScore: scenario.passScore,
    units,
  };
  const out = join(paths.evaluationsDir, `eval-${n}.json`);
  writeJsonAtomic(out, evaluation);

  const judged = withEvaluation(state, evaluation);
  const before = summarizeScenario(state);
  const after = summarizeScenario(judged);
  for (const line of scenarioLines(judged)) io.stdout.write(redact(`${line}\n`));
  for (const p of after.providers) {
    const was = before.providers.find((b) => b.provider === p.provider);
    if (was && was.passRate !== p.passRate) {
      const pct = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x * 100)}%`);
      io.stdout.write(`  ${p.provider}: pass rate ${pct(was.passRate)} in the run, ${pct(p.passRate)} now\n`);
    }
  }
  io.stdout.write(`evaluation ${n}: ${relative(flags.cwd, out) || out}\n`);
  return after.passed ? 0 : 1;
}
