// The markdown report: proof/<exec>/report.md, written when an execution ends and by `conductor report`. Plans get a
// table of their steps; scenarios the pass rates per provider, the assertion breakdown, the trials and their errors.
import { dirname } from 'node:path';
import { writeTextAtomic } from '../adapters/store/atomic';
import type { UnitStatus } from '../core/events';
import type { ExecState } from '../core/state';
import type { ExecPaths } from './recorder';
import { duration, STATUS_ICON } from './format';
import { compareFigures } from './compare-text';
import { buildReport, type Report, type ReportCompareRow, type ReportComparisonSection, type ReportOptions, type ReportUnit } from './report-model';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string): string => `\`${cell(s).replace(/`/g, "'")}\``;
const pct = (x: number | null): string => (x === null ? '—' : `${Number.isInteger(Math.round(x * 1e6) / 1e4) ? Math.round(x * 100) : (x * 100).toFixed(1)} %`);
const ms = (x: number | null): string => (x === null ? '—' : duration(x) || '0ms');
const icon = (status: string): string => STATUS_ICON[status as UnitStatus] ?? '?';
/** A p-value as people read it: three significant digits, or "< 0.001". */
export const pValue = (p: number): string => (p < 0.001 ? '< 0.001' : p.toPrecision(3).replace(/\.?0+$/, ''));

function link(label: string, path: string | null): string {
  return path ? `[${label}](${encodeURI(path).replace(/\(/g, '%28').replace(/\)/g, '%29')})` : '';
}

const recordings = (u: ReportUnit): string => [link('transcript', u.transcript), link('cast', u.cast)].filter(Boolean).join(' · ');

function header(r: Report): string[] {
  const lines = [
    `# ${r.kind === 'plan' ? 'Plan' : 'Scenario'}: ${r.goal}`,
    '',
    `- execution: \`${r.exec}\``,
    `- file: \`${r.file}\``,
    `- status: **${r.status}**${r.unfinished ? ` (${r.unfinished}: this report shows what is there so far${r.unfinished === 'interrupted' ? `; continue with \`conductor resume ${r.exec}\`` : ''})` : ''}`,
    `- started: ${r.startedAt ?? '—'}${r.finishedAt ? `, finished: ${r.finishedAt}` : ''}`,
    `- duration: ${ms(r.durationMs)}`,
  ];
  if (r.scenario) lines.push(`- threshold: pass rate ≥ ${pct(r.scenario.threshold)} per provider; a trial passes at score ≥ ${r.scenario.passScore} with every required assertion`);
  if (r.evaluation) {
    const e = r.evaluation;
    const own = e.own.map((p) => `${p.provider} ${p.passed}/${p.passed + p.failed + p.errors} (${pct(p.passRate)}) ${p.meetsThreshold ? '✓' : '✗'}`).join(', ');
    lines.push(
      `- re-evaluated with \`${e.file}\` on ${e.at} (scenario \`${e.scenario.file}\`${e.scenario.changed ? ', changed since the run' : ''}); the run's own results: ${own || 'none'}`,
    );
  }
  return lines;
}

function planTable(r: Report): string[] {
  const lines = ['', '| step | role | provider | status | time | attempts | checks | approvals | transcript |', '|---|---|---|---|---|---|---|---|---|'];
  for (const u of r.units) {
    const checks = u.checks.map((c) => `${c.status === 'passed' ? '✓' : '✗'} ${code(c.run)}`).join('<br>');
    const approvals = u.approvals.map((a) => `${code(a.command)} → ${a.decision ?? a.status} (${a.by ?? '—'})`).join('<br>');
    lines.push(
      `| ${cell(u.id)} | ${cell(u.agent)} | ${cell(u.provider)} | ${icon(u.status)} ${u.status}${u.reason ? ` (${cell(u.reason)})` : ''} | ${u.durationMs === null ? '' : ms(u.durationMs)} | ${u.attempts} | ${checks} | ${approvals} | ${recordings(u)} |`,
    );
  }
  return lines;
}

function scenarioSections(r: Report): string[] {
  const lines: string[] = ['', '## Pass rates', ''];
  lines.push('| provider | trials | passed | failed | errors | pass rate | 95 % interval | p50 | p95 | cost | threshold |', '|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of r.providers) {
    const interval = p.interval ? `${pct(p.interval.low)} – ${pct(p.interval.high)}` : '—';
    const other = p.other ? ` (+${p.other} not counted)` : '';
    lines.push(
      `| ${cell(p.provider)} | ${p.trials}${other} | ${p.passed} | ${p.failed} | ${p.errors} | ${pct(p.passRate)} | ${interval} | ${ms(p.durations.p50Ms)} | ${ms(p.durations.p95Ms)} | ${p.cost === null ? '—' : `$${p.cost.toFixed(4)}`} | ${p.meetsThreshold ? '✓' : '✗'} ${pct(r.scenario!.threshold)} |`,
    );
  }
  lines.push('', 'Errors (the agent crashed, hung past its timeout, could not start, or conductor faulted) count as not passed; pending, cancelled and interrupted trials are not counted.');
  if (r.comparisons.length) {
    lines.push('', `## Comparisons (${r.comparisons[0].test}, passed vs not passed)`, '');
    for (const c of r.comparisons) lines.push(`- ${cell(c.a)} vs ${cell(c.b)}: p = ${pValue(c.p)}${c.p < 0.05 ? ' (differ at the 5 % level)' : ''}`);
  }
  lines.push('', '## Assertions');
  for (const p of r.providers) {
    lines.push('', `### ${cell(p.provider)}`, '', '| assertion | kind | required | weight | passed | failed | unknown | pass rate |', '|---|---|---|---|---|---|---|---|');
    for (const a of p.assertions) {
      lines.push(`| ${cell(a.name)} | ${a.kind ?? ''} | ${a.required ? 'yes' : ''} | ${a.weight} | ${a.passed} | ${a.failed} | ${a.unknown} | ${pct(a.passRate)} |`);
    }
    if (!p.assertions.length) lines.push('| (no trial judged yet) | | | | | | | |');
  }
  lines.push('', '## Trials', '', '| trial | provider | status | score | reason | attempts | time | recording |', '|---|---|---|---|---|---|---|---|');
  for (const u of r.units) {
    const flaky = u.flaky ? ` ⚑ flaky (${u.history.map((h) => h.status).join(' → ')})` : '';
    lines.push(
      `| ${cell(u.id)} | ${cell(u.provider)} | ${icon(u.status)} ${u.status}${flaky} | ${u.score === null ? '—' : u.score.toFixed(2)} | ${cell(u.reason ?? '')} | ${u.attempts} | ${ms(u.durationMs)} | ${recordings(u)} |`,
    );
  }
  const errors = r.units.filter((u) => u.status === 'error');
  if (errors.length) {
    lines.push('', '## Trial errors (not judged)', '');
    for (const u of errors) lines.push(`- ${cell(u.id)} (${cell(u.provider)}): ${cell(u.reason ?? 'no cause recorded')}`);
  }
  const failing = r.units.filter((u) => u.assertions.some((a) => a.status !== 'passed'));
  if (failing.length) {
    lines.push('', '## Assertions that did not pass', '');
    for (const u of failing) {
      for (const a of u.assertions.filter((x) => x.status !== 'passed')) {
        lines.push(`- ${cell(u.id)}: ${a.status === 'unknown' ? '? unknown' : '✗ failed'} ${cell(a.name)}${a.required ? ' (required)' : ''}: expected ${cell(a.expected ?? '?')}; ${cell(a.found ?? '')}`);
      }
    }
  }
  return lines;
}

/** The comparison's figures, a row per figure and a column per provider; for trials, labels that say what they count. */
export function comparisonFigures(c: ReportComparisonSection): { label: string; cells: string[] }[] {
  const rows = c.providers.map((p) => ({ ...p, reason: p.reason ?? undefined }));
  const relabel: Record<string, string> =
    c.basis === 'trials' ? { 'steps passed': 'trials passed', duration: 'median trial duration', 'checks passed': 'assertions and checks passed' } : { duration: 'duration (lane wall time)' };
  const figures = compareFigures.map((f) => ({ label: relabel[f.label] ?? f.label, cells: rows.map(f.cell) }));
  if (c.basis === 'trials') {
    const at = figures.findIndex((f) => f.label === 'trials passed') + 1;
    figures.splice(at, 0, { label: 'pass rate', cells: c.providers.map((p) => pct(p.passRate)) });
  }
  return figures;
}

/** A fence longer than any run of backticks in the text, so a diff holding ``` cannot end its block. */
export function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

const changedBy = (f: { changedBy: { provider: string; status: string; added: number; removed: number }[] }): string =>
  f.changedBy.map((c) => `${cell(c.provider)} (${c.status}, +${c.added} −${c.removed})`).join(', ');

/** The Fisher line people read: the test by name, the p-value, and whether it is significant at the level. */
export const significanceLine = (s: { a: string; b: string; test: string; p: number; alpha: number; significant: boolean }): string =>
  `${s.test} on pass/fail counts, ${s.a} vs ${s.b}: p = ${pValue(s.p)}, significant at ${s.alpha}: ${s.significant ? 'yes' : 'no'}`;

function comparisonSection(r: Report): string[] {
  const c = r.comparison;
  if (!c) return [];
  const lines = ['', '## Comparison', ''];
  lines.push(
    c.basis === 'lanes'
      ? 'Each provider ran the same steps in its own workspace from one base; duration is each lane\'s wall time, from its first start to its last end.'
      : `Each provider's trials together: status is whether its pass rate reached the threshold; duration is the median trial duration; approvals, commands and changes are summed over the trials.`,
    '',
    `| | ${c.providers.map((p: ReportCompareRow) => cell(p.provider)).join(' | ')} |`,
    `|---|${c.providers.map(() => '---|').join('')}`,
  );
  for (const f of comparisonFigures(c)) lines.push(`| ${f.label} | ${f.cells.map(cell).join(' | ')} |`);
  const reasons = c.providers.filter((p) => p.reason);
  if (reasons.length) lines.push('', ...reasons.map((p) => `- ${cell(p.provider)}: ${cell(p.reason!)}`));
  if (c.significance.length) lines.push('', ...c.significance.map((s) => `- ${cell(significanceLine(s))}`));
  const d = c.diffOfDiffs;
  if (!d) return lines;
  lines.push('', '### Diff of diffs');
  const only = Object.entries(d.onlyIn).filter(([, paths]) => paths.length);
  const byPath = new Map(d.files.map((f) => [f.path, f]));
  if (only.length) {
    lines.push('');
    const how = (path: string): string => {
      const c = byPath.get(path)!.changedBy[0];
      return `${code(path)} (${c.status}, +${c.added} −${c.removed})`;
    };
    for (const [lane, paths] of only) lines.push(`- only ${cell(lane)} changed: ${paths.map(how).join(', ')}`);
  }
  const shared = d.files.filter((f) => f.changedBy.length > 1);
  for (const f of shared.filter((x) => !x.same)) {
    lines.push('', `#### Changed differently: ${code(f.path)}`, '', `changed by ${changedBy(f)}${f.unchangedBy.length ? `; left as it was by ${f.unchangedBy.map(cell).join(', ')}` : ''}`);
    for (const x of f.diffs) {
      lines.push('', `${cell(x.from)} → ${cell(x.to)}${x.note ? ` (${cell(x.note)})` : ''}:`);
      if (x.patch !== null) {
        const fen = fence(x.patch);
        lines.push('', `${fen}diff`, x.patch.replace(/\n$/, ''), fen);
      }
    }
  }
  const same = shared.filter((x) => x.same);
  if (same.length) lines.push('', ...same.map((f) => `- changed the same way: ${code(f.path)} by ${changedBy(f)}`));
  if (!d.files.length && !d.missing.length) lines.push('', 'No provider changed any file.');
  for (const lane of d.missing) lines.push('', `- ${cell(lane)}: its changes were not recorded (it did not finish)`);
  return lines;
}

export function renderMarkdown(r: Report): string {
  // A plan's steps table has no heading of its own: the comparison follows it; a scenario's leads its sections.
  const lines = [...header(r), ...(r.kind === 'scenario' ? [...comparisonSection(r), ...scenarioSections(r)] : [...planTable(r), ...comparisonSection(r)])];
  if (r.errors.length) lines.push('', '## Errors', '', ...r.errors.map((e) => `- ${cell(e)}`));
  return `${lines.join('\n')}\n`;
}

export function renderReport(state: ExecState, paths: ExecPaths, o: Partial<ReportOptions> = {}): string {
  return renderMarkdown(buildReport(state, paths, { reportDir: dirname(paths.report), ...o }));
}

export function writeReport(path: string, state: ExecState, paths: ExecPaths): void {
  writeTextAtomic(path, renderMarkdown(buildReport(state, paths, { reportDir: dirname(path) })));
}
