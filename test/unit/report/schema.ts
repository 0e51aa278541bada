// The JSON report's shape in zod, as docs/report.schema.json describes it (report.test.ts keeps the two in agreement).
import { z } from 'zod';

const num = z.number();
const nnum = z.number().nullable();
const nstr = z.string().nullable();
const count = z.number().int().min(0);
const AssertionRate = z.strictObject({ name: z.string(), kind: nstr, required: z.boolean(), weight: num, passed: count, failed: count, unknown: count, passRate: nnum });
const Provider = z.strictObject({
  provider: z.string(),
  trials: count,
  passed: count,
  failed: count,
  errors: count,
  other: count,
  passRate: nnum,
  interval: z.strictObject({ low: num, high: num }).nullable(),
  meetsThreshold: z.boolean(),
  assertions: z.array(AssertionRate),
  durations: z.strictObject({ p50Ms: nnum, p95Ms: nnum, meanMs: nnum }),
  cost: nnum,
  tokens: nnum,
  units: z.array(z.string()),
});
const UnitAssertion = z.strictObject({ name: z.string(), kind: nstr, status: z.enum(['passed', 'failed', 'unknown']), required: z.boolean(), weight: num, expected: nstr, found: nstr });
const Unit = z.strictObject({
  id: z.string(),
  kind: z.enum(['step', 'trial']),
  provider: z.string(),
  agent: z.string(),
  index: z.number().int().nullable(),
  status: z.enum(['pending', 'running', 'passed', 'failed', 'error', 'skipped', 'cancelled', 'interrupted']),
  score: nnum,
  reason: nstr,
  attempts: count,
  durationMs: nnum,
  assertions: z.array(UnitAssertion),
  checks: z.array(z.strictObject({ name: z.string(), run: z.string(), status: z.string(), exitCode: z.number().int().nullable() })),
  approvals: z.array(z.strictObject({ command: z.string(), decision: nstr, by: nstr, status: z.string() })),
  history: z.array(z.strictObject({ attempt: count, status: z.string(), score: nnum })),
  flaky: z.boolean(),
  transcript: nstr,
  cast: nstr,
  trajectory: nstr,
});
const Evaluation_ = z.strictObject({
  n: z.number().int().min(1),
  file: z.string(),
  at: z.iso.datetime(),
  scenario: z.strictObject({ file: z.string(), sha256: nstr, changed: z.boolean() }),
  own: z.array(z.strictObject({ provider: z.string(), passed: count, failed: count, errors: count, passRate: nnum, meetsThreshold: z.boolean() })),
});
const Counts = z.strictObject({ passed: count, total: count });
const CompareRow = z.strictObject({
  provider: z.string(),
  status: z.enum(['passed', 'failed', 'cancelled', 'running', 'pending']),
  durationMs: nnum,
  durationTotalMs: nnum,
  approvals: count,
  denied: count,
  commands: count,
  commandList: z.array(z.string()),
  filesChanged: count,
  linesAdded: count,
  linesRemoved: count,
  checks: Counts,
  steps: Counts,
  tokens: nnum,
  cost: nnum,
  reason: nstr,
  trials: z.strictObject({ passed: count, counted: count, total: count }).nullable(),
  passRate: nnum,
});
const DiffOfDiffs = z.strictObject({
  providers: z.array(z.string()),
  onlyIn: z.record(z.string(), z.array(z.string())),
  files: z.array(
    z.strictObject({
      path: z.string(),
      changedBy: z.array(z.strictObject({ provider: z.string(), status: z.string(), added: count, removed: count })),
      unchangedBy: z.array(z.string()),
      same: z.boolean(),
      diffs: z.array(z.strictObject({ from: z.string(), to: z.string(), patch: nstr, note: nstr })),
    }),
  ),
  missing: z.array(z.string()),
});
const Comparison = z.strictObject({
  basis: z.enum(['lanes', 'trials']),
  duration: z.enum(['lane wall time', 'median trial duration']),
  providers: z.array(CompareRow),
  diffOfDiffs: DiffOfDiffs.nullable(),
  significance: z.array(z.strictObject({ a: z.string(), b: z.string(), test: z.string(), p: num, alpha: num, significant: z.boolean() })),
});
export const ReportSchema = z.strictObject({
  schema: z.literal('conductor.report/1'),
  exec: z.string(),
  kind: z.enum(['plan', 'scenario']),
  file: z.string(),
  goal: z.string(),
  status: z.enum(['created', 'running', 'passed', 'failed', 'cancelled', 'interrupted']),
  unfinished: z.enum(['still running', 'interrupted']).nullable(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: nnum,
  evaluation: Evaluation_.nullable(),
  scenario: z.strictObject({ name: z.string(), threshold: num, passScore: num, passed: z.boolean() }).nullable(),
  providers: z.array(Provider),
  comparisons: z.array(z.strictObject({ a: z.string(), b: z.string(), test: z.string(), p: num })),
  comparison: Comparison.nullable(),
  units: z.array(Unit),
  errors: z.array(z.string()),
});

