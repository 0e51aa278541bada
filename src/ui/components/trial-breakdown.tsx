// Which assertion fails how often: for the selected trial's provider, each assertion with required/weight and
// how many judged trials it passed, failed or could not tell; and for the selected trial, what was expected
// and what was found. Drawn in the pane area (toggled with `b`); lines are cut, never wrapped.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { AssertionResult } from '../../core/state';
import type { AssertionRate } from '../../core/stats';
import { summarizeScenario } from '../../core/stats';
import type { ExecState } from '../../core/state';
import { fit } from '../format';
import { plainLine } from '../sanitize';
import type { Theme } from '../theme';

export interface TrialBreakdownProps {
  exec: ExecState;
  selected?: string;
  width: number;
  height: number;
  theme: Theme;
}

const statusOf = (a: AssertionResult) => a.status ?? (a.passed ? 'passed' : 'failed');

const evidence = (a: AssertionResult): string => {
  const parts = [a.expected !== undefined ? `expected ${a.expected}` : '', a.found !== undefined ? `found ${a.found}` : ''].filter(Boolean);
  return plainLine(parts.length ? parts.join(' · ') : (a.detail ?? ''));
};

const role = (r: { required?: boolean; weight?: number }): string => (r.required ? 'req' : `w${r.weight ?? 1}`);

export function TrialBreakdown(p: TrialBreakdownProps) {
  const { exec, theme } = p;
  const u = p.selected ? exec.units[p.selected] : undefined;
  const summary = summarizeScenario(exec);
  const prov = summary.providers.find((r) => u && r.units.includes(u.id)) ?? summary.providers[0];
  const inner = Math.max(10, p.width - 4);
  const rows = Math.max(1, p.height - 2);
  const judged = prov ? prov.passed + prov.failed : 0;
  const mine = new Map((u?.assertions ?? []).map((a) => [a.name, a]));
  // Rates of the judged trials; an assertion only the selected (running) trial has so far still gets a row.
  const rates: AssertionRate[] = [...(prov?.assertions ?? [])];
  for (const a of u?.assertions ?? []) {
    if (!rates.some((r) => r.name === a.name)) rates.push({ name: a.name, kind: a.kind, required: a.required, weight: a.weight, passed: 0, failed: 0, unknown: 0 });
  }

  // Narrow panes get the counts as one `pass/fail/unknown` column, so the names keep some room.
  const compact = inner < 44;
  const counts = (r: AssertionRate) =>
    compact
      ? `${role(r).padStart(3)} ${`${r.passed}/${r.failed}/${r.unknown}`.padStart(8)}`
      : `${role(r).padStart(4)} ${`${theme.icons.passed}${r.passed}`.padStart(4)} ${`${theme.icons.failed}${r.failed}`.padStart(4)} ${`?${r.unknown}`.padStart(4)}`;
  const countsWidth = compact ? 12 : 19;
  const nameWidth = Math.max(4, inner - 2 - countsWidth - 1);
  const mark = (a: AssertionResult | undefined) => {
    if (!a) return { glyph: ' ', color: theme.muted };
    const s = statusOf(a);
    return s === 'passed' ? { glyph: theme.icons.passed, color: theme.ok } : s === 'failed' ? { glyph: theme.icons.failed, color: theme.bad } : { glyph: '?', color: theme.warn };
  };

  // Evidence under every assertion when it fits; else under those the selected trial did not pass; then cut.
  const room = Math.max(0, rows - 2);
  const withEvidence = (r: AssertionRate, all: boolean) => {
    const a = mine.get(r.name);
    return !!a && (all || statusOf(a) !== 'passed');
  };
  const all = rates.length + rates.filter((r) => withEvidence(r, true)).length <= room;
  const lines: { key: string; node: ReactNode }[] = [];
  for (const r of rates) {
    const a = mine.get(r.name);
    const m = mark(a);
    lines.push({
      key: `a:${r.name}`,
      node: (
        <Text wrap="truncate">
          <Text color={m.color}>{m.glyph}</Text> {fit(plainLine(r.name), nameWidth).padEnd(nameWidth)} <Text color={theme.muted}>{counts(r)}</Text>
        </Text>
      ),
    });
    if (a && withEvidence(r, all)) {
      lines.push({ key: `e:${r.name}`, node: <Text wrap="truncate" color={theme.muted}>{`  ${evidence(a)}`}</Text> });
    }
  }
  let shown = lines;
  if (lines.length > room) {
    shown = lines.slice(0, Math.max(0, room - 1));
    const more = rates.length - shown.filter((l) => l.key.startsWith('a:')).length;
    shown.push({ key: 'more', node: <Text wrap="truncate" color={theme.muted}>{`  +${more} more (a taller terminal shows them)`}</Text> });
  }

  const title = prov
    ? `Assertions · ${plainLine(prov.provider)} · ${judged} judged${u ? ` · ${plainLine(u.id)}` : ''}`
    : 'Assertions';
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle="round" borderColor={theme.accent} paddingX={1} overflow="hidden">
      <Text bold wrap="truncate">{title}</Text>
      {rates.length === 0 ? (
        <Text wrap="truncate" color={theme.muted}>no trial judged yet</Text>
      ) : (
        <>
          <Text wrap="truncate" color={theme.muted}>
            {'  '}
            {'assertion'.padEnd(nameWidth)} {compact ? `${'req'.padStart(3)} ${`${theme.icons.passed}/${theme.icons.failed}/?`.padStart(8)}` : `${'role'.padStart(4)} ${'pass'.padStart(4)} ${'fail'.padStart(4)} ${'unkn'.padStart(4)}`}
          </Text>
          {shown.map((l) => (
            <Box key={l.key}>{l.node}</Box>
          ))}
        </>
      )}
    </Box>
  );
}
