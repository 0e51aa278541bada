// A comparison as text: the table `compare` prints at the end (and the report's markdown reuses), one
// column per provider, and the diff of diffs in a few lines.
import type { CompareRow, DiffOfDiffs } from '../core/compare';
import { duration } from './format';

const dash = '–';

export const compareFigures: { label: string; cell: (r: CompareRow) => string }[] = [
  { label: 'status', cell: (r) => `${r.status === 'passed' ? '✓' : r.status === 'failed' ? '✗' : ''} ${r.status}`.trim() },
  { label: 'steps passed', cell: (r) => `${r.steps.passed}/${r.steps.total}` },
  { label: 'duration', cell: (r) => (r.durationMs === null ? dash : duration(r.durationMs)) },
  { label: 'approvals asked', cell: (r) => String(r.approvals) },
  { label: 'denied', cell: (r) => String(r.denied) },
  { label: 'commands run', cell: (r) => String(r.commands) },
  { label: 'files changed', cell: (r) => String(r.filesChanged) },
  { label: 'lines +/−', cell: (r) => `+${r.linesAdded} −${r.linesRemoved}` },
  { label: 'checks passed', cell: (r) => (r.checks.total ? `${r.checks.passed}/${r.checks.total}` : dash) },
  { label: 'tokens', cell: (r) => (r.tokens === null ? dash : String(r.tokens)) },
  { label: 'cost', cell: (r) => (r.cost === null ? dash : `$${r.cost.toFixed(4)}`) },
];

const width = (s: string): number => [...s].length;
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));

/** The figures as an aligned table: a row per figure, a column per provider. */
export function compareTable(rows: CompareRow[]): string[] {
  const head = ['', ...rows.map((r) => r.provider)];
  const body = compareFigures.map((f) => [f.label, ...rows.map(f.cell)]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((line) => width(line[i]))));
  return [head, ...body].map((line) => line.map((c, i) => pad(c, widths[i])).join('  ').trimEnd());
}

/** The diff of diffs in lines: files only one provider changed, files both changed and whether they agree. */
export function diffOfDiffsLines(d: DiffOfDiffs): string[] {
  const lines: string[] = [];
  for (const [lane, paths] of Object.entries(d.onlyIn)) if (paths.length) lines.push(`only ${lane} changed: ${paths.join(', ')}`);
  const shared = d.files.filter((f) => f.changedBy.length > 1);
  const differ = shared.filter((f) => !f.same).map((f) => f.path);
  const same = shared.filter((f) => f.same).map((f) => f.path);
  if (differ.length) lines.push(`changed differently: ${differ.join(', ')}`);
  if (same.length) lines.push(`changed the same way: ${same.join(', ')}`);
  if (!d.files.length && !d.missing.length) lines.push('no provider changed any file');
  for (const lane of d.missing) lines.push(`${lane}: its changes were not recorded (it did not finish)`);
  return lines;
}
