import { describe, expect, test } from 'vitest';
import { decodeKey } from '../../src/ui/key-decode';
import { displayKey, parseKeyName } from '../../src/ui/key-names';
import { DEFAULT_KEYMAP, applyKeymapOverrides, conflicts, helpItems, lookup } from '../../src/ui/keymap';
import type { Keymap } from '../../src/ui/keymap';

describe('keymap table', () => {
  test('every command has a key and a description, and a unique name', () => {
    const names = new Set<string>();
    for (const b of DEFAULT_KEYMAP) {
      expect(b.keys.length, b.command).toBeGreaterThan(0);
      expect(b.description.trim(), b.command).not.toBe('');
      expect(names.has(b.command), `duplicate ${b.command}`).toBe(false);
      names.add(b.command);
    }
  });

  test('no two commands in one scope share a key (global counts in board and pane)', () => {
    expect(conflicts(DEFAULT_KEYMAP)).toEqual([]);
  });

  test('conflicts are detected', () => {
    const bad: Keymap = [...DEFAULT_KEYMAP, { command: 'oops', keys: ['y'], description: 'x', scope: 'approval' }];
    expect(conflicts(bad)).toEqual(['key y is bound to both approval-allow and oops (scope approval)']);
  });

  test('every default key is in canonical form', () => {
    for (const b of DEFAULT_KEYMAP) for (const k of b.keys) expect(parseKeyName(k)).toEqual({ ok: true, key: k });
  });

  test('lookup prefers the scope, then global', () => {
    expect(lookup(DEFAULT_KEYMAP, 'board', 'down')).toBe('select-next');
    expect(lookup(DEFAULT_KEYMAP, 'pane', 'down')).toBe('pane-next');
    expect(lookup(DEFAULT_KEYMAP, 'board', 'q')).toBe('quit');
    expect(lookup(DEFAULT_KEYMAP, 'input', 'q')).toBeUndefined();
    expect(lookup(DEFAULT_KEYMAP, 'input', 'ctrl+]')).toBe('leave-input');
  });

  test('the help bar is generated per scope', () => {
    const text = (scope: Parameters<typeof helpItems>[1]) => helpItems(DEFAULT_KEYMAP, scope).map((i) => `${i.keys} ${i.description}`);
    expect(text('input')).toEqual(['Ctrl-] leave input mode']);
    expect(text('approval')).toContain('y allow');
    expect(text('approval')).toContain('n/Esc deny');
    expect(text('board')).toContain('↑/k previous step');
    expect(text('board')).toContain('q/Ctrl-c quit');
    expect(text('confirm')).toEqual(['y yes', 'n/Esc no', 'q/Ctrl-c quit']);
  });

  test('q and Ctrl-C quit from every scope but input mode; in search only Ctrl-C (q is text there)', () => {
    for (const scope of ['board', 'pane', 'approval', 'details', 'approvals', 'help'] as const) {
      expect(lookup(DEFAULT_KEYMAP, scope, 'q'), scope).toMatch(/quit$/);
      expect(lookup(DEFAULT_KEYMAP, scope, 'ctrl+c'), scope).toMatch(/quit$/);
    }
    expect(lookup(DEFAULT_KEYMAP, 'search', 'q')).toBeUndefined();
    expect(lookup(DEFAULT_KEYMAP, 'search', 'ctrl+c')).toBe('search-quit');
    expect(lookup(DEFAULT_KEYMAP, 'input', 'ctrl+c')).toBeUndefined();
    expect(lookup(DEFAULT_KEYMAP, 'help', 'esc')).toBe('help-close');
    expect(lookup(DEFAULT_KEYMAP, 'help', '?')).toBe('help-close');
  });

  test('with details open, Esc closes them; the other overlay keys still apply and the help bar says so', () => {
    expect(lookup(DEFAULT_KEYMAP, 'details', 'esc')).toBe('details-close');
    expect(lookup(DEFAULT_KEYMAP, 'approval', 'esc')).toBe('approval-deny');
    expect(lookup(DEFAULT_KEYMAP, 'details', 'n')).toBe('approval-deny');
    expect(lookup(DEFAULT_KEYMAP, 'details', 'y')).toBe('approval-allow');
    const text = helpItems(DEFAULT_KEYMAP, 'details').map((i) => `${i.keys} ${i.description}`);
    expect(text[0]).toBe('Esc close details');
    expect(text).toContain('n deny');
    expect(text).not.toContain('n/Esc deny');
  });

  test('the help bar can leave out commands that do nothing now', () => {
    const all = helpItems(DEFAULT_KEYMAP, 'approval').map((i) => i.description);
    expect(all).toContain('more of the command');
    const some = helpItems(DEFAULT_KEYMAP, 'approval', false, new Set(['approval-scroll-down', 'approval-scroll-up'])).map((i) => i.description);
    expect(some).not.toContain('more of the command');
  });
});

describe('applyKeymapOverrides', () => {
  test('replaces keys of known commands, normalizing names', () => {
    const r = applyKeymapOverrides(DEFAULT_KEYMAP, { quit: ['Q', 'Ctrl-Q'], 'leave-input': 'ctrl+\\' });
    expect('table' in r).toBe(true);
    if (!('table' in r)) return;
    expect(r.table.find((b) => b.command === 'quit')?.keys).toEqual(['Q', 'ctrl+q']);
    expect(r.table.find((b) => b.command === 'leave-input')?.keys).toEqual(['ctrl+\\']);
    expect(DEFAULT_KEYMAP.find((b) => b.command === 'quit')?.keys).toEqual(['q', 'ctrl+c']);
  });

  test('unknown commands get a did-you-mean', () => {
    expect(applyKeymapOverrides(DEFAULT_KEYMAP, { qiut: ['x'] })).toEqual({ errors: ['keymap: unknown command "qiut"; did you mean `quit`?'] });
  });

  test('unreadable keys say what is expected', () => {
    const r = applyKeymapOverrides(DEFAULT_KEYMAP, { help: ['hyper+x'], zoom: [] });
    expect('errors' in r && r.errors).toEqual([
      expect.stringMatching(/^keymap\.help: cannot read key "hyper\+x": expected one character/),
      'keymap.zoom: expected a key or a list of keys, e.g. ["z"]',
    ]);
  });

  test('a clash created by an override is an error', () => {
    const r = applyKeymapOverrides(DEFAULT_KEYMAP, { zoom: ['q'] });
    expect(r).toEqual({ errors: ['keymap: key q is bound to both quit and zoom (scope global)'] });
  });

  test('a non-mapping is rejected', () => {
    expect(applyKeymapOverrides(DEFAULT_KEYMAP, ['q'])).toEqual({ errors: [expect.stringContaining('expected a mapping')] });
    expect(applyKeymapOverrides(DEFAULT_KEYMAP, undefined)).toEqual({ table: DEFAULT_KEYMAP });
  });
});

describe('key names', () => {
  test.each([
    ['q', 'q'], ['A', 'A'], ['Enter', 'enter'], ['return', 'enter'], ['PgDn', 'pagedown'], ['Shift+Up', 'shift+up'],
    ['ctrl+]', 'ctrl+]'], ['C-a', 'ctrl+a'], ['ctrl+I', 'tab'], ['alt+x', 'alt+x'], [' ', 'space'], ['F5', 'f5'], ['+', '+'],
  ])('%s → %s', (input, key) => expect(parseKeyName(input)).toEqual({ ok: true, key }));

  test.each(['', 'ctrl+1', 'shift+a', 'ctrl+alt+x', 'shift+enter', 'bogus', '\x07'])('%j is rejected', (input) => {
    expect(parseKeyName(input).ok).toBe(false);
  });

  test('display', () => {
    expect(['up', 'ctrl+]', 'shift+down', 'pageup', 'enter', 'alt++'].map(displayKey)).toEqual(['↑', 'Ctrl-]', 'S-↓', 'PgUp', 'Enter', 'Alt-+']);
  });

  test.each([
    ['\x1b[A', 'up'], ['\x1bOB', 'down'], ['\x1b[1;2A', 'shift+up'], ['\x1b[1;5C', 'ctrl+right'], ['\x1b[5~', 'pageup'],
    ['\x1b[6~', 'pagedown'], ['\r', 'enter'], ['\x7f', 'backspace'], ['\x1b', 'esc'], ['\t', 'tab'], ['\x1b[Z', 'shift+tab'],
    ['\x1d', 'ctrl+]'], ['\x03', 'ctrl+c'], ['\x1bx', 'alt+x'], ['q', 'q'], ['N', 'N'], ['é', 'é'], ['\x1b[3~', 'delete'],
  ])('decode %j → %s', (seq, key) => expect(decodeKey(seq)).toBe(key));
});
