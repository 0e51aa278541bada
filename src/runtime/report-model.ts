// The report of an execution as data: what `conductor report` writes as JSON (schema in docs/report.schema.json),
// and what the markdown and html renderers draw. Built from the state replayed from the log, with a re-evaluation's
// judgments in place of the run's when one is given (core/stats `withEvaluation`).
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { readLanesChanges } from '../adapters/workspace/lanes';
import { compareRows, diffOfDiffs, scenarioCompareRows, type CompareRow, type DiffOfDiffs, type ScenarioCompareRow } from '../core/compare';
import { pairwiseFisher, summarizeScenario, trialDuration, withEvaluation, type Evaluation, type ProviderSummary } from '../core/stats';
import { UNFINISHED_EXEC_STATUSES, type ExecState, type UnitState } from '../core/state';
import type { ExecPaths } from './recorder';

export const REPORT_SCHEMA = 'conductor.report/1';

export interface ReportAssertionRate {
  name: string;
  kind: string | null;
  required: boolean;
  weight: number;
  passed: number;
  failed: number;
  unknown: number;
  passRate: number | null;
}

export interface ReportProvider {
  provider: string;
  trials: number;
  passed: number;
  failed: number;
  errors: number;
  /** Pending, running, cancelled or interrupted: not counted. */
  other: number;
  passRate: number | null;
  interval: { low: number; high: number } | null;
  meetsThreshold: boolean;
  assertions: ReportAssertionRate[];
  durations: { p50Ms: number | null; p95Ms: number | null; meanMs: number | null };
  cost: number | null;
  tokens: number | null;
  units: string[];
}

export interface ReportComparison {
  a: string;
  b: string;
  test: string;
  p: number;
}

/**
 * One provider's figures in a comparison (core/compare `CompareRow`), with null for what is unknown or does not
 * apply: `durationTotalMs`, `trials` and `passRate` only for a scenario's providers (see `ScenarioCompareRow`).
 */
export type ReportCompareRow = Omit<CompareRow, 'reason'> & { reason: string | null } & {
  [K in 'durationTotalMs' | 'trials' | 'passRate']: ScenarioCompareRow[K] | null;
};

export interface ReportDiffOfDiffs {
  providers: string[];
  onlyIn: Record<string, string[]>;
  files: {
    path: string;
    changedBy: { provider: string; status: string; added: number; removed: number }[];
    unchangedBy: string[];
    same: boolean;
    diffs: { from: string; to: string; patch: string | null; note: string | null }[];
  }[];
  missing: string[];
}

export interface ReportSignificance extends ReportComparison {
  alpha: number;
  significant: boolean;
}

/**
 * The providers side by side: a plan run once per provider (lanes, each in its own workspace: with the diff of
 * diffs), or a scenario's trials per provider (with whether their pass rates differ).
 */
export interface ReportComparisonSection {
  basis: 'lanes' | 'trials';
  /** What the rows' `durationMs` is. */
  duration: 'lane wall time' | 'median trial duration';
  providers: ReportCompareRow[];
  diffOfDiffs: ReportDiffOfDiffs | null;
  significance: ReportSignificance[];
}

export interface ReportUnitAssertion {
  name: string;
  kind: string | null;
  status: 'passed' | 'failed' | 'unknown';
  required: boolean;
  weight: number;
  expected: string | null;
  found: string | null;
}

export interface ReportUnit {
  id: string;
  kind: 'step' | 'trial';
  provider: string;
  agent: string;
  index: number | null;
  status: string;
  score: number | null;
  reason: string | null;
  attempts: number;
  durationMs: number | null;
  assertions: ReportUnitAssertion[];
  checks: { name: string; run: string; status: string; exitCode: number | null }[];
  /** Approval prompts of all its attempts: the command, and who decided what. */
  approvals: { command: string; decision: string | null; by: string | null; status: string }[];
  /** Each finished attempt's outcome, oldest first; flaky when they differ. */
  history: { attempt: number; status: string; score: number | null }[];
  flaky: boolean;
  /** Paths relative to the report's folder; null when the file is not there. */
  transcript: string | null;
  cast: string | null;
  trajectory: string | null;
}

export interface ReportEvaluation {
  n: number;
  /** The eval-<n>.json file, relative to the report's folder. */
  file: string;
  at: string;
  scenario: { file: string; sha256: string | null; changed: boolean };
  /** The run's own results per provider, for comparison. */
  own: { provider: string; passed: number; failed: number; errors: number; passRate: number | null; meetsThreshold: boolean }[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  exec: string;
  kind: 'plan' | 'scenario';
  file: string;
  goal: string;
  status: string;
  /** Set while the execution is not finished: "still running" or "interrupted". */
  unfinished: 'still running' | 'interrupted' | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  evaluation: ReportEvaluation | null;
  scenario: { name: string; threshold: number; passScore: number; passed: boolean } | null;
  providers: ReportProvider[];
  comparisons: ReportComparison[];
  comparison: ReportComparisonSection | null;
  units: ReportUnit[];
  errors: string[];
}

export const FISHER = "Fisher's exact test (two-sided)";

export interface ReportOptions {
  /** Where the report goes: its paths are relative to this folder. */
  reportDir: string;
  evaluation?: { evaluation: Evaluation; file: string };
  /** The execution's log is held by a running conductor (else an unfinished one was interrupted). */
  running?: boolean;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function provider(p: ProviderSummary): ReportProvider {
  return {
    provider: p.provider,
    trials: p.trials,
    passed: p.passed,
    failed: p.failed,
    errors: p.errors,
    other: p.other,
    passRate: orNull(p.passRate),
    interval: p.interval ? { low: p.interval.low, high: p.interval.high } : null,
    meetsThreshold: p.meetsThreshold,
    assertions: p.assertions.map((a) => ({
      name: a.name,
      kind: orNull(a.kind),
      required: a.required ?? false,
      weight: a.weight ?? 1,
      passed: a.passed,
      failed: a.failed,
      unknown: a.unknown,
      passRate: orNull(a.passRate),
    })),
    durations: { p50Ms: orNull(p.durationMs.p50), p95Ms: orNull(p.durationMs.p95), meanMs: orNull(p.durationMs.mean) },
    cost: orNull(p.cost),
    tokens: orNull(p.tokens),
    units: p.units,
  };
}

function unit(state: ExecState, u: UnitState, paths: ExecPaths, rel: (p: string) => string | null): ReportUnit {
  const session = u.sessions.length ? state.sessions[u.sessions[u.sessions.length - 1]] : undefined;
  const files = session ? paths.sessionFiles(u.id, session.agent, session.attempt) : undefined;
  const took = u.kind === 'trial' ? trialDuration(state, u) : u.startedAt !== undefined && u.finishedAt !== undefined ? u.finishedAt - u.startedAt : undefined;
  const history = (u.history ?? []).map((h) => ({ attempt: h.attempt, status: h.status, score: orNull(h.score) }));
  const outcomes = new Set(history.map((h) => h.status).filter((s) => s === 'passed' || s === 'failed' || s === 'error'));
  return {
    id: u.id,
    kind: u.kind,
    provider: u.provider,
    agent: u.agent,
    index: orNull(u.index),
    status: u.status,
    score: orNull(u.score),
    reason: orNull(u.reason),
    attempts: u.attempts,
    durationMs: orNull(took),
    assertions: u.assertions.map((a) => ({
      name: a.name,
      kind: orNull(a.kind),
      status: a.status ?? (a.passed ? 'passed' : 'failed'),
      required: a.required ?? false,
      weight: a.weight ?? 1,
      expected: a.expected ?? (a.status === undefined ? orNull(a.detail) : null),
      found: orNull(a.found),
    })),
    checks: u.checks.map((c) => ({ name: c.name, run: c.run, status: c.status, exitCode: orNull(c.exitCode) })),
    approvals: u.sessions
      .flatMap((s) => state.sessions[s]?.approvals ?? [])
      .map((id) => state.approvals[id])
      .filter((a) => a !== undefined)
      .map((a) => ({ command: a.command, decision: orNull(a.decision), by: orNull(a.by), status: a.status })),
    history,
    flaky: outcomes.size > 1,
    transcript: files ? rel(files.transcript) : null,
    cast: files ? rel(files.cast) : null,
    trajectory: rel(paths.trajectory(u.id)),
  };
}

function comparisons(providers: readonly ProviderSummary[]): ReportComparison[] {
  return pairwiseFisher(providers).map((t) => ({ a: t.a.provider, b: t.b.provider, test: FISHER, p: t.p }));
}

/** The level below which two providers' pass rates are said to differ. */
export const ALPHA = 0.05;

function compareRow(r: CompareRow | ScenarioCompareRow): ReportCompareRow {
  const t = 'trials' in r ? r : undefined;
  return {
    provider: r.provider,
    status: r.status,
    durationMs: r.durationMs,
    durationTotalMs: t ? t.durationTotalMs : null,
    approvals: r.approvals,
    denied: r.denied,
    commands: r.commands,
    commandList: r.commandList,
    filesChanged: r.filesChanged,
    linesAdded: r.linesAdded,
    linesRemoved: r.linesRemoved,
    checks: r.checks,
    steps: r.steps,
    tokens: r.tokens,
    cost: r.cost,
    reason: orNull(r.reason),
    trials: t ? t.trials : null,
    passRate: t ? t.passRate : null,
  };
}

function reportDiffOfDiffs(d: DiffOfDiffs): ReportDiffOfDiffs {
  return {
    providers: d.providers,
    onlyIn: d.onlyIn,
    files: d.files.map((f) => ({ ...f, diffs: f.diffs.map((x) => ({ from: x.from, to: x.to, patch: orNull(x.patch), note: orNull(x.note) })) })),
    missing: d.missing,
  };
}

function comparison(state: ExecState, paths: ExecPaths, pairs: ReportComparison[]): ReportComparisonSection | null {
  if (state.lanes?.length) {
    const changes = readLanesChanges(state.lanes, paths.laneChanges);
    return {
      basis: 'lanes',
      duration: 'lane wall time',
      providers: compareRows(state, changes).map(compareRow),
      diffOfDiffs: reportDiffOfDiffs(diffOfDiffs(state.lanes, changes)),
      significance: [],
    };
  }
  if (state.kind !== 'scenario') return null;
  const rows = scenarioCompareRows(state);
  if (rows.length < 2) return null;
  return {
    basis: 'trials',
    duration: 'median trial duration',
    providers: rows.map(compareRow),
    diffOfDiffs: null,
    significance: pairs.map((c) => ({ ...c, alpha: ALPHA, significant: c.p < ALPHA })),
  };
}

export function buildReport(own: ExecState, paths: ExecPaths, o: ReportOptions): Report {
  const state = withEvaluation(own, o.evaluation?.evaluation);
  const rel = (p: string): string | null => (existsSync(p) ? relative(o.reportDir, p) || '.' : null);
  const scenario = state.kind === 'scenario' ? summarizeScenario(state) : undefined;
  const ev = o.evaluation;
  const unfinished = UNFINISHED_EXEC_STATUSES.includes(state.status) ? (o.running ? 'still running' : 'interrupted') : null;
  const start = state.startedAt ?? state.createdAt;
  const end = state.finishedAt ?? state.lastTs;
  const pairs = scenario ? comparisons(scenario.providers) : [];
  return {
    schema: REPORT_SCHEMA,
    exec: state.exec,
    kind: state.kind,
    file: state.file,
    goal: state.goal,
    status: state.status,
    unfinished,
    startedAt: iso(state.startedAt),
    finishedAt: iso(state.finishedAt),
    durationMs: state.startedAt === undefined ? null : Math.max(0, end - start),
    evaluation: ev
      ? {
          n: ev.evaluation.n,
          file: relative(o.reportDir, ev.file),
          at: new Date(ev.evaluation.at).toISOString(),
          scenario: { file: ev.evaluation.scenario.file, sha256: orNull(ev.evaluation.scenario.sha256), changed: ev.evaluation.scenario.changed },
          own: summarizeScenario(own).providers.map((p) => ({
            provider: p.provider,
            passed: p.passed,
            failed: p.failed,
            errors: p.errors,
            passRate: orNull(p.passRate),
            meetsThreshold: p.meetsThreshold,
          })),
        }
      : null,
    scenario: scenario ? { name: state.goal, threshold: scenario.threshold, passScore: state.passScore ?? 1, passed: scenario.passed } : null,
    providers: scenario ? scenario.providers.map(provider) : [],
    comparisons: pairs,
    comparison: comparison(state, paths, pairs),
    units: state.order.map((id) => unit(state, state.units[id], paths, rel)),
    errors: state.errors,
  };
}
