// Joining rows an app wrapped itself, by geometry: mid-token at the edge, one space short of it.
import { describe, expect, test } from 'vitest';
import { joinWrappedRows, sliceCells } from '../../../src/adapters/providers/rejoin';
import { cellWidth } from '../../../src/core/screen';
import { cleanCommand } from '../../../src/adapters/providers';

describe('joinWrappedRows', () => {
  test('a row that reaches the width was broken mid-token: no separator', () => {
    expect(joinWrappedRows(["console.log(JSON.stringify(", "p,null,2))"], 27)).toBe('console.log(JSON.stringify(p,null,2))');
    expect(joinWrappedRows(['aaaaaa', 'aaaaaa', 'a'], 6)).toBe('aaaaaaaaaaaaa');
  });

  test('a row that ends short of the width was broken at a space: one space', () => {
    expect(joinWrappedRows(['npm run build', '--watch'], 16)).toBe('npm run build --watch');
    expect(joinWrappedRows(['node -e "const', `s='${'a'.repeat(13)}`, `aa'"`], 16)).toBe(`node -e "const s='${'a'.repeat(15)}'"`);
  });

  test('trailing blanks do not count; a space already at the start of the next row is kept, not doubled', () => {
    expect(joinWrappedRows(['abcdef   ', 'gh'], 6)).toBe('abcdefgh');
    expect(joinWrappedRows(['abcdef', ' gh'], 6)).toBe('abcdef gh');
    expect(joinWrappedRows(['abc', ' gh'], 6)).toBe('abc gh');
  });

  test('widths are terminal cells: wide characters count two', () => {
    expect(joinWrappedRows(['echo 日本', '語'], 9)).toBe('echo 日本語');
    expect(joinWrappedRows(['echo 日本', '語'], 10)).toBe('echo 日本 語');
  });

  test('one row or none', () => {
    expect(joinWrappedRows(['ls -la'], 80)).toBe('ls -la');
    expect(joinWrappedRows([], 80)).toBe('');
  });

  test('the limit of a fallback: a break at a space that fell exactly on the edge loses the space', () => {
    // Claude Code, Codex and Gemini all drop that space; only a structured channel has the exact text.
    expect(joinWrappedRows(['touch bbbbbb', 'cc'], 12)).toBe('touch bbbbbbcc');
  });
});

describe('cells', () => {
  test('cellWidth and sliceCells count cells as xterm does', () => {
    expect(cellWidth('abc')).toBe(3);
    expect(cellWidth('日本')).toBe(4);
    expect(cellWidth('│ ❯ 1.')).toBe(6);
    expect(sliceCells('│ │ touch x   │ │', 4, 13)).toBe('touch x  ');
    expect(sliceCells('日本語', 2)).toBe('本語');
  });
});

/** A box drawn like Ink draws one: border, padding 1, the text padded to `inner`, padding 1, border. */
const box = (rows: string[], inner: number): string => rows.map((r) => `│ ${r.padEnd(inner)} │`).join('\n');

describe('cleanCommand by geometry', () => {
  test('boxed rows: the content area ends one cell inside the right border', () => {
    expect(cleanCommand(box(["node -e \"console.log(JSON.stringify(", "p,null,2))\""], 36))).toBe('node -e "console.log(JSON.stringify(p,null,2))"');
    expect(cleanCommand(box(['npm run build --', '--watch'], 20))).toBe('npm run build -- --watch');
    expect(cleanCommand('│   npm run build --   │\n│   --watch            │\n')).toBe('npm run build -- --watch');
  });

  test('nested boxes, with the gap an app leaves inside its box (Gemini 0.61: 3)', () => {
    // Text 24 cells wide, then 1 cell of padding and 2 the app keeps free, then the inner border.
    const rows = ['node -e "const', `s='${'a'.repeat(21)}`, `aaaa'"`].map((r) => `│ │ ${r.padEnd(24)}   │ │`).join('\n');
    expect(cleanCommand(rows, { gap: 3 })).toBe(`node -e "const s='${'a'.repeat(25)}'"`);
    // With the default gap the full rows look two cells short of the edge, and a space goes in.
    expect(cleanCommand(rows)).toBe(`node -e "const s='${'a'.repeat(21)} aaaa'"`);
  });

  test('a panel without a right border ends at the screen edge (Claude Code 2.1: gutter, gap 1)', () => {
    // 30 columns: gutter " │ " (3), text 26, one blank cell.
    const rows = [` │ node -e "const s='${'a'.repeat(8)}`, ` │ ${'a'.repeat(4)}';console.log(s)"`].join('\n');
    expect(cleanCommand(rows, { width: 30 })).toBe(`node -e "const s='${'a'.repeat(12)}';console.log(s)"`);
    // A leading space on a continuation row is the command's own: the content area starts at the gutter.
    expect(cleanCommand([` │ echo ${'a'.repeat(21)}`, ' │  b'].join('\n'), { width: 30 })).toBe(`echo ${'a'.repeat(21)} b`);
  });

  test('the leading $ of a shell-style line goes; continuation rows share its content edge (Codex)', () => {
    // 30 columns: indent 2, text 26, 2 blank cells.
    const rows = ['  $ node -e "const', `  s='${'a'.repeat(23)}`, `  aa'"`].join('\n');
    expect(cleanCommand(rows, { width: 30, gap: 2 })).toBe(`node -e "const s='${'a'.repeat(25)}'"`);
  });

  test("wrap 'terminal': each line is a line of the command; the common indent goes, newlines stay", () => {
    expect(cleanCommand('   cat <<EOF\n     indented\n\n   EOF\n', { wrap: 'terminal' })).toBe('cat <<EOF\n  indented\n\nEOF');
    expect(cleanCommand(`   node -e "${'a'.repeat(150)}"\n`, { wrap: 'terminal', width: 60 })).toBe(`node -e "${'a'.repeat(150)}"`);
  });
});
