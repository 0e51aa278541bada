import { describe, expect, test } from 'vitest';
import { handleCommand } from '../../src/ui/handle-command';
import type { BufferAccess } from '../../src/ui/handle-command';
import { findMatches, scrollFor } from '../../src/ui/search';
import { initialUiState, uiReduce } from '../../src/ui/ui-state';
import type { UiState } from '../../src/ui/ui-state';
import { deriveView } from '../../src/ui/view';
import { planRuntime } from './fake-runtime';

const order = ['db', 'api', 'docs', 'web'];

describe('uiReduce', () => {
  test('selection stays inside the list', () => {
    let s = initialUiState('db');
    s = uiReduce(s, { type: 'select', delta: -1, order });
    expect(s.selected).toBe('db');
    s = uiReduce(s, { type: 'select', delta: 10, order });
    expect(s.selected).toBe('web');
  });

  test('split holds at most 4 panes and toggles', () => {
    let s = initialUiState('db');
    for (const u of ['db', 'api', 'docs', 'web']) s = uiReduce(s, { type: 'toggle-split', unit: u });
    expect(s.split).toEqual(['db', 'api', 'docs', 'web']);
    s = uiReduce(s, { type: 'toggle-split', unit: 'x' });
    expect(s.split).toHaveLength(4);
    expect(s.notice).toMatch(/at most 4/);
    s = uiReduce(s, { type: 'toggle-split', unit: 'api' });
    expect(s.split).toEqual(['db', 'docs', 'web']);
  });

  test('focus cycles board → panes → board', () => {
    let s = initialUiState('db');
    s = uiReduce(s, { type: 'focus-next', panes: 2 });
    expect([s.focus, s.active]).toEqual(['pane', 0]);
    s = uiReduce(s, { type: 'focus-next', panes: 2 });
    expect([s.focus, s.active]).toEqual(['pane', 1]);
    s = uiReduce(s, { type: 'focus-next', panes: 2 });
    expect(s.focus).toBe('board');
  });

  test('modes: input, search with results, cancel keeps the last query', () => {
    let s = uiReduce(initialUiState('api'), { type: 'input', session: 's-api' });
    expect([s.mode, s.inputSession, s.focus]).toEqual(['input', 's-api', 'pane']);
    s = uiReduce(s, { type: 'leave-input' });
    expect(s.mode).toBe('normal');
    s = uiReduce(s, { type: 'search-open', session: 's-api' });
    s = uiReduce(s, { type: 'search-edit', text: 'nee' });
    s = uiReduce(s, { type: 'search-edit', backspace: true });
    expect(s.search?.draft).toBe('ne');
    s = uiReduce(s, { type: 'search-results', matches: [{ line: 3, col: 0, length: 2 }], index: 0, scroll: 5 });
    expect([s.mode, s.search?.query, s.scroll['s-api']]).toEqual(['normal', 'ne', 5]);
  });

  test('scroll is clamped to the buffer', () => {
    let s = initialUiState('api');
    s = uiReduce(s, { type: 'scroll', session: 'x', delta: 50, max: 20 });
    expect(s.scroll.x).toBe(20);
    s = uiReduce(s, { type: 'scroll', session: 'x', delta: -100, max: 20 });
    expect(s.scroll.x).toBe(0);
  });

  test('sync drops decided approvals once they leave the queue and keeps a valid selection', () => {
    let s: UiState = { ...initialUiState('gone'), decided: ['a1', 'a2'] };
    s = uiReduce(s, { type: 'sync', order, pending: ['a2'] });
    expect(s.decided).toEqual(['a2']);
    expect(s.selected).toBe('db');
  });
});

describe('handleCommand', () => {
  const buffer: BufferAccess = { info: () => ({ bufferLength: 30, rows: 8 }), lines: () => ['a needle', 'b', 'needle needle'] };
  const ctx = (ui: UiState, approvals = 0) => {
    const exec = planRuntime({ approvals }).state;
    return { ui, exec, view: deriveView(ui, exec), pageRows: 8, buffer };
  };

  test('approval keys emit one decision and hide it locally', () => {
    const out = handleCommand('approval-always', ctx(initialUiState('db'), 2));
    expect(out.commands).toEqual([{ type: 'approve', id: 'ap-1', decision: 'always' }]);
    expect(out.actions).toEqual([{ type: 'decided', id: 'ap-1' }]);
  });

  test('a decided approval is not decided twice', () => {
    const out = handleCommand('approval-allow', ctx({ ...initialUiState('db'), decided: ['ap-1', 'ap-2'] }, 2));
    expect(out.commands).toEqual([]);
  });

  test('quit confirms while sessions are live', () => {
    const out = handleCommand('quit', ctx(initialUiState('db')));
    expect(out.actions).toEqual([{ type: 'overlay', overlay: { kind: 'confirm', confirm: { kind: 'quit', live: 2 } } }]);
    const yes = handleCommand('confirm-yes', ctx({ ...initialUiState('db'), overlay: { kind: 'confirm', confirm: { kind: 'quit', live: 2 } } }));
    expect(yes.commands).toEqual([{ type: 'quit' }]);
    expect(yes.exit).toBe(true);
  });

  test('retry only for failed work; input only into a live session', () => {
    expect(handleCommand('retry', ctx(initialUiState('api'))).commands).toEqual([]);
    expect(handleCommand('input', ctx(initialUiState('db'))).actions).toEqual([{ type: 'notice', text: 'no live session here to type into' }]);
    expect(handleCommand('input', ctx(initialUiState('api'))).actions).toContainEqual({ type: 'input', session: 's-api' });
  });

  test('search submit finds matches and jumps to the newest', () => {
    const ui: UiState = { ...initialUiState('api'), focus: 'pane', mode: 'search', search: { session: 's-api', draft: 'Needle', query: '', matches: [], index: -1 } };
    const out = handleCommand('search-submit', ctx(ui));
    expect(out.actions).toEqual([{ type: 'search-results', matches: findMatches(buffer.lines('s-api'), 'needle'), index: 2, scroll: scrollFor(2, 30, 8) }]);
  });

  test('matches and scroll targets', () => {
    expect(findMatches(['xAbab', 'ab'], 'AB')).toEqual([
      { line: 0, col: 1, length: 2 },
      { line: 0, col: 3, length: 2 },
      { line: 1, col: 0, length: 2 },
    ]);
    expect(scrollFor(29, 30, 8)).toBe(0);
    expect(scrollFor(0, 30, 8)).toBe(22);
  });
});
