// The comparison view's content as lines: the figures as a table (a row per figure, a column per provider,
// as `compareTable` prints them) and the diff of diffs: its summary, then each file the providers changed
// differently with the diff between their versions. Pure, so the view scrolls over a fixed list.
import type { CompareRow, DiffOfDiffs } from '../core/compare';
import { compareFigures, diffOfDiffsLines } from '../runtime/compare-text';

export type CompareLine =
  | { kind: 'cells'; cells: string[]; head?: boolean }
  | { kind: 'text'; text: string; tone?: 'title' | 'add' | 'remove' | 'hunk' | 'muted' };

export function compareViewLines(rows: CompareRow[], dod: DiffOfDiffs): CompareLine[] {
  const lines: CompareLine[] = [{ kind: 'cells', head: true, cells: ['', ...rows.map((r) => r.provider)] }];
  for (const f of compareFigures) lines.push({ kind: 'cells', cells: [f.label, ...rows.map(f.cell)] });
  for (const r of rows) if (r.reason) lines.push({ kind: 'text', tone: 'muted', text: `${r.provider} failed at ${r.reason}` });
  lines.push({ kind: 'text', text: '' }, { kind: 'text', tone: 'title', text: 'Diff of diffs' });
  for (const l of diffOfDiffsLines(dod)) lines.push({ kind: 'text', text: l });
  for (const file of dod.files) {
    for (const d of file.diffs) {
      lines.push({ kind: 'text', text: '' }, { kind: 'text', tone: 'title', text: `${file.path}: ${d.from} → ${d.to}${d.note ? ` (${d.note})` : ''}` });
      const patch = (d.patch ?? '').split('\n');
      const start = patch.findIndex((l) => l.startsWith('--- '));
      for (const l of start >= 0 ? patch.slice(start) : []) {
        if (!l) continue;
        const tone = l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'remove' : undefined;
        lines.push({ kind: 'text', text: l, tone });
      }
    }
  }
  return lines;
}
