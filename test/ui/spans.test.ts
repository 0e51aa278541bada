import { describe, expect, test } from 'vitest';
import { computeLayout } from '../../src/ui/layout';
import { plainLine, sanitize } from '../../src/ui/sanitize';
import { clipPieces, inkColor, markSpans } from '../../src/ui/spans';

describe('sanitize', () => {
  test('removes OSC, CSI and lone controls whole', () => {
    expect(sanitize('a\x1b]52;c;SGVsbG8=\x07b')).toBe('ab');
    expect(sanitize('\x1b]0;title\x1b\\t')).toBe('t');
    expect(sanitize('x\x1b[2Jy\x1b[?1049hz')).toBe('xyz');
    expect(sanitize('bell\x07 nul\x00 c1\x9b31m')).toBe('bell nul c1');
    expect(sanitize('unterminated \x1b]52;c;AAAA')).toBe('unterminated ');
    expect(plainLine('rm\t-rf\n/tmp')).toBe('rm -rf /tmp');
  });
});

describe('spans', () => {
  test('colors map to Ink colors', () => {
    expect([inkColor(1), inkColor(9), inkColor(196), inkColor('#00ff00'), inkColor('red; evil'), inkColor(undefined)]).toEqual([
      'red', 'redBright', 'ansi256(196)', '#00ff00', undefined, undefined,
    ]);
  });

  test('marks split spans and keep their style', () => {
    const pieces = markSpans([{ text: 'hello ', fg: 1 }, { text: 'world', bold: true }], [{ col: 4, length: 4, mark: 'match' }]);
    expect(pieces).toEqual([
      { text: 'hell', fg: 1, mark: undefined },
      { text: 'o ', fg: 1, mark: 'match' },
      { text: 'wo', bold: true, mark: 'match' },
      { text: 'rld', bold: true, mark: undefined },
    ]);
  });

  test('clipping counts cells and sanitizes', () => {
    expect(clipPieces([{ text: 'ab\x1b[31mcd' }, { text: 'ef' }], 5).map((p) => p.text)).toEqual(['abcd', 'e']);
    expect(clipPieces([{ text: '日本語' }], 5).map((p) => p.text)).toEqual(['日本']);
  });
});

describe('layout', () => {
  test('80×24: sidebar of 30 beside one pane; frame one row short of the screen', () => {
    const l = computeLayout({ cols: 80, rows: 24, panes: 1, zoom: false, below: 0, banner: 0 });
    expect(l.height).toBe(23);
    expect(l.board?.width).toBe(30);
    expect(l.panes).toEqual([{ width: 50, height: 21 }]);
  });

  test('200×60: wide sidebar, a split of 4 in a 2×2 grid', () => {
    const l = computeLayout({ cols: 200, rows: 60, panes: 4, zoom: false, below: 0, banner: 0 });
    expect(l.board?.width).toBe(40);
    expect(l.gridCols).toBe(2);
    expect(l.panes.reduce((n, p) => n + p.width, 0)).toBe(2 * 160);
  });

  test('zoom gives the pane the whole width', () => {
    const l = computeLayout({ cols: 120, rows: 30, panes: 3, zoom: true, below: 7, banner: 0 });
    expect(l.board).toBeUndefined();
    expect(l.panes).toEqual([{ width: 120, height: 29 - 2 - 7 }]);
  });
});
