// Pass rates of a scenario's trials, per provider: counts, the 95 % Wilson interval, durations, cost, and how often
// each assertion passed; and Fisher's exact test for whether two providers' pass rates differ.
//
// The counting rule: a trial is passed, failed (its assertions said no) or error (it could not be judged: the agent
// crashed, hung past its timeout, could not start, or conductor faulted). Errors are shown apart, and they are not
// passes: the pass rate is passed / (passed + failed + errors), over the trials that finished. Trials still pending
// or running, stopped by the person (cancelled) or interrupted are not counted. A provider with no counted trial has
// no pass rate and does not reach the threshold.
import type { AssertionResult, ExecState, UnitState } from './state';

export interface Interval {
  low: number;
  high: number;
}

/** The Wilson score interval for `k` successes in `n` trials (95 % by default); undefined when n is 0. */
export function wilson(k: number, n: number, z = 1.959963984540054): Interval | undefined {
  if (n <= 0) return undefined;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The q-quantile (0..1) of `values` by linear interpolation between closest ranks; undefined for none. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface AssertionRate {
  name: string;
  kind?: string;
  required?: boolean;
  weight?: number;
  passed: number;
  failed: number;
  unknown: number;
  /** passed / (passed + failed + unknown); undefined when no trial was judged on it. */
  passRate?: number;
}

export interface ProviderSummary {
  provider: string;
  trials: number;
  passed: number;
  failed: number;
  errors: number;
  /** Not counted: pending, running, cancelled or interrupted. */
  other: number;
  /** passed / (passed + failed + errors); undefined when none finished. */
  passRate?: number;
  interval?: Interval;
  /** Whether the pass rate reaches the threshold. */
  meetsThreshold: boolean;
  durationMs: { p50?: number; p95?: number; mean?: number };
  /** Total cost of the counted trials, when every one of them reported a cost. */
  cost?: number;
  /** Total tokens, when every counted trial reported them. */
  tokens?: number;
  assertions: AssertionRate[];
  /** Trial ids in index order. */
  units: string[];
}

export interface ScenarioSummary {
  threshold: number;
  providers: ProviderSummary[];
  /** Every provider reaches the threshold. */
  passed: boolean;
}

const COUNTED = new Set(['passed', 'failed', 'error']);

/** A trial's agent time: from its start to its latest session's end (or now, while it runs). */
export function trialDuration(state: ExecState, u: UnitState, now?: number): number | undefined {
  const s = u.sessions.length ? state.sessions[u.sessions[u.sessions.length - 1]] : undefined;
  if (!s || u.startedAt === undefined) return undefined;
  const end = s.endedAt ?? (now !== undefined && u.status === 'running' ? now : undefined);
  return end === undefined ? undefined : Math.max(0, end - u.startedAt);
}

function assertionRates(units: readonly UnitState[]): AssertionRate[] {
  const rows = new Map<string, AssertionRate>();
  for (const u of units) {
    if (u.status !== 'passed' && u.status !== 'failed') continue;
    for (const a of u.assertions as AssertionResult[]) {
      let r = rows.get(a.name);
      if (!r) rows.set(a.name, (r = { name: a.name, kind: a.kind, required: a.required, weight: a.weight, passed: 0, failed: 0, unknown: 0 }));
      const status = a.status ?? (a.passed ? 'passed' : 'failed');
      r[status]++;
    }
  }
  for (const r of rows.values()) {
    const n = r.passed + r.failed + r.unknown;
    if (n) r.passRate = r.passed / n;
  }
  return [...rows.values()];
}

/** One provider's trials summarized (in the order of `units`). */
export function summarizeUnits(state: ExecState, provider: string, units: readonly UnitState[], threshold: number): ProviderSummary {
  const counted = units.filter((u) => COUNTED.has(u.status));
  const passed = counted.filter((u) => u.status === 'passed').length;
  const failed = counted.filter((u) => u.status === 'failed').length;
  const errors = counted.filter((u) => u.status === 'error').length;
  const n = counted.length;
  const passRate = n ? passed / n : undefined;
  const durations = counted.map((u) => trialDuration(state, u)).filter((d): d is number => d !== undefined);
  const usage = counted.map((u) => (u.sessions.length ? state.sessions[u.sessions[u.sessions.length - 1]]?.usage : undefined));
  const allCost = n > 0 && usage.every((x) => x?.cost !== undefined);
  const allTokens = n > 0 && usage.every((x) => x?.tokens !== undefined);
  return {
    provider,
    trials: units.length,
    passed,
    failed,
    errors,
    other: units.length - n,
    passRate,
    interval: wilson(passed, n),
    meetsThreshold: passRate !== undefined && passRate + 1e-9 >= threshold,
    durationMs: {
      p50: quantile(durations, 0.5),
      p95: quantile(durations, 0.95),
      mean: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : undefined,
    },
    ...(allCost ? { cost: usage.reduce((a, x) => a + (x!.cost ?? 0), 0) } : {}),
    ...(allTokens ? { tokens: usage.reduce((a, x) => a + (x!.tokens ?? 0), 0) } : {}),
    assertions: assertionRates(units),
    units: units.map((u) => u.id),
  };
}

/** The scenario's trials per provider (in the order providers first appear), against its threshold. */
export function summarizeScenario(state: ExecState): ScenarioSummary {
  const threshold = state.threshold ?? 1;
  const byProvider = new Map<string, UnitState[]>();
  for (const id of state.order) {
    const u = state.units[id];
    if (u.kind !== 'trial') continue;
    let list = byProvider.get(u.provider);
    if (!list) byProvider.set(u.provider, (list = []));
    list.push(u);
  }
  const providers = [...byProvider].map(([p, units]) =>
    summarizeUnits(
      state,
      p,
      [...units].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)),
      threshold,
    ),
  );
  return { threshold, providers, passed: providers.length > 0 && providers.every((p) => p.meetsThreshold) };
}

/** ln(n!) by summing logs (n is a trial count, so small). */
function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/**
 * Fisher's exact test, two-sided, on a 2×2 table [[a, b], [c, d]] (rows: providers; columns: passed, not passed):
 * the probability, with the margins fixed, of a table at most as likely as the one observed.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const lf = (k: number) => logFactorial(k);
  const base = lf(r1) + lf(r2) + lf(c1) + lf(n - c1) - lf(n);
  const p = (x: number) => Math.exp(base - lf(x) - lf(r1 - x) - lf(c1 - x) - lf(r2 - c1 + x));
  const observed = p(a);
  let total = 0;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) {
    const px = p(x);
    if (px <= observed * (1 + 1e-7)) total += px;
  }
  return Math.min(1, total);
}

/**
 * Whether a trial index flips between attempts or between providers' runs: within one provider, the same trial
 * index gave different outcomes on different attempts. Read from the unit's attempt history (`outcomes`).
 */
/** One pair of providers' pass / not-passed counts and Fisher's exact p on them. */
export interface PairTest {
  a: ProviderSummary;
  b: ProviderSummary;
  /** Counted trials (passed + failed + errors: errors count as not passed). */
  na: number;
  nb: number;
  p: number;
}

/** Fisher's exact test (two-sided) for each pair of providers that both have counted trials, in order. */
export function pairwiseFisher(providers: readonly ProviderSummary[]): PairTest[] {
  const counted = (x: ProviderSummary) => x.passed + x.failed + x.errors;
  return providers.flatMap((a, i) =>
    providers.slice(i + 1).flatMap((b) => {
      const na = counted(a);
      const nb = counted(b);
      return na && nb ? [{ a, b, na, nb, p: fisherExact(a.passed, na - a.passed, b.passed, nb - b.passed) }] : [];
    }),
  );
}

export const isFlaky = (outcomes: readonly string[]): boolean => new Set(outcomes.filter((o) => COUNTED.has(o))).size > 1;

/**
 * A re-evaluation (`conductor reeval`): each trial judged again by a scenario's assertions as they are now, kept in
 * `trace/<exec>/evaluations/eval-<n>.json` beside the log, which keeps the run's own results.
 */
export interface Evaluation {
  /** 1 for the first re-evaluation. */
  n: number;
  at: number;
  /** The scenario file judged by, its sha256, and whether it differs from the one the execution ran. */
  scenario: { file: string; sha256?: string; changed: boolean };
  threshold: number;
  passScore: number;
  units: Record<string, { status: 'passed' | 'failed' | 'error'; score?: number; reason?: string; assertions: AssertionResult[] }>;
}

/** The execution's state with a re-evaluation's judgments in place of the run's (trials it judged only). */
export function withEvaluation(state: ExecState, evaluation: Evaluation | undefined): ExecState {
  if (!evaluation) return state;
  const units = { ...state.units };
  for (const [id, j] of Object.entries(evaluation.units)) {
    const u = units[id];
    if (!u) continue;
    units[id] = { ...u, status: j.status, score: j.score, reason: j.reason, assertions: j.assertions };
  }
  return { ...state, units, threshold: evaluation.threshold, passScore: evaluation.passScore };
}
