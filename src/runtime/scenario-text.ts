// One line per provider of a scenario's pass rates, as `run`, `resume` and `reeval` print them at the end.
import { pairwiseFisher, summarizeScenario, type ProviderSummary } from '../core/stats';
import type { ExecState } from '../core/state';
import { duration } from './format';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function providerLine(p: ProviderSummary, threshold: number): string {
  const counted = p.passed + p.failed + p.errors;
  const rate = p.passRate === undefined ? 'no pass rate (no trial finished)' : `${pct(p.passRate)} [95% CI ${pct(p.interval!.low)}–${pct(p.interval!.high)}]`;
  const parts = [`${p.passed}/${counted} passed`, rate];
  if (p.errors) parts.push(`${p.errors} error${p.errors === 1 ? '' : 's'} (counted as not passed)`);
  if (p.other) parts.push(`${p.other} not finished`);
  if (p.durationMs.p50 !== undefined) parts.push(`p50 ${duration(p.durationMs.p50)} p95 ${duration(p.durationMs.p95)}`);
  if (p.cost !== undefined) parts.push(`$${p.cost.toFixed(4)}`);
  return `${p.meetsThreshold ? '✓' : '✗'} ${p.provider}: ${parts.join(', ')}; threshold ${pct(threshold)} ${p.meetsThreshold ? 'met' : 'not met'}`;
}

/** The summary lines of a scenario execution, with the assertions that failed most. */
export function scenarioLines(state: ExecState): string[] {
  const s = summarizeScenario(state);
  const lines: string[] = [];
  for (const p of s.providers) {
    lines.push(providerLine(p, s.threshold));
    for (const a of p.assertions) {
      const judged = a.passed + a.failed + a.unknown;
      if (a.passed === judged) continue;
      const why = [a.failed ? `failed ${a.failed}` : '', a.unknown ? `unknown ${a.unknown}` : ''].filter(Boolean).join(', ');
      lines.push(`    ${a.name}${a.required ? ' (required)' : ''}: passed ${a.passed}/${judged} (${why})`);
    }
  }
  lines.push(...significanceLines(s.providers));
  return lines;
}

/** Whether two providers' pass rates differ beyond chance: Fisher's exact test on their pass / not-passed counts. */
export function significanceLines(providers: readonly ProviderSummary[]): string[] {
  return pairwiseFisher(providers).map(({ a, b, na, nb, p }) => {
    const verdict = p < 0.05 ? 'significant at 0.05' : 'not significant at 0.05 (could be chance)';
    return `${a.provider} vs ${b.provider}: ${a.passed}/${na} vs ${b.passed}/${nb} passed; Fisher's exact test (two-sided) p = ${p.toFixed(3)}, ${verdict}`;
  });
}
