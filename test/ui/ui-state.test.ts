import { describe, expect, test } from 'vitest';
import { handleCommand, handlePaste, stripPasteMarkers } from '../../src/ui/handle-command';
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

  test('following never moves the selection while the person types into a pane or a search', () => {
    let s: UiState = { ...initialUiState('docs'), follow: true };
    s = uiReduce(s, { type: 'input', session: 's-docs' });
    s = uiReduce(s, { type: 'sync', order, pending: ['ap-1'], attention: 'api' });
    expect(s.selected).toBe('docs');
    s = uiReduce(s, { type: 'leave-input' });
    s = uiReduce(s, { type: 'sync', order, pending: ['ap-1'], attention: 'api' });
    expect(s.selected).toBe('api');
    s = uiReduce({ ...s, mode: 'search' }, { type: 'sync', order, pending: ['ap-1'], attention: 'docs' });
    expect(s.selected).toBe('api');
  });

  test('the overlay scroll belongs to one approval and stays inside its command', () => {
    let s = initialUiState('api');
    s = uiReduce(s, { type: 'approval-scroll', id: 'ap-1', delta: 5, max: 3 });
    expect(s.approvalScroll).toEqual({ id: 'ap-1', offset: 3 });
    s = uiReduce(s, { type: 'approval-scroll', id: 'ap-2', delta: 1, max: 3 });
    expect(s.approvalScroll).toEqual({ id: 'ap-2', offset: 1 });
    s = uiReduce(s, { type: 'approval-move', delta: 1, count: 2 });
    expect(s.approvalScroll).toBeUndefined();
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

  test('an offscreen approval is not decided: a notice instead of a command', () => {
    const rt = planRuntime();
    rt.emit(
      { type: 'approval.requested', id: 'ap-1', session: 's-api', via: 'screen', command: 'ls', options: ['allow', 'deny'], key: 'k' },
      { type: 'prompt.gone', session: 's-api', key: 'k' },
    );
    const ui = initialUiState('api');
    const out = handleCommand('approval-allow', { ui, exec: rt.state, view: deriveView(ui, rt.state), pageRows: 8, buffer });
    expect(out.commands).toEqual([]);
    expect(out.actions).toEqual([{ type: 'notice', text: expect.stringContaining("left the agent's screen") }]);
  });

  test('every quit command asks first while sessions are live', () => {
    for (const name of ['quit', 'approval-quit', 'list-quit', 'help-quit', 'search-quit']) {
      expect(handleCommand(name, ctx(initialUiState('db'), 1)).actions, name).toEqual([{ type: 'overlay', overlay: { kind: 'confirm', confirm: { kind: 'quit', live: 2 } } }]);
    }
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

describe('deriveView', () => {
  test('the overlay shows the asking unit: made active when on screen, shown alone otherwise', () => {
    const exec = planRuntime({ approvals: 2 }).state;
    const single = deriveView(initialUiState('db'), exec);
    expect([single.asking?.id, single.panes, single.activeUnit, single.highlighted]).toEqual(['ap-1', ['api'], 'api', 'api']);
    const next = deriveView({ ...initialUiState('db'), approvalIndex: 1 }, exec);
    expect([next.asking?.id, next.panes, next.activeUnit]).toEqual(['ap-2', ['docs'], 'docs']);
    const split: UiState = { ...initialUiState('db'), split: ['db', 'api', 'docs'], active: 0 };
    const inSplit = deriveView({ ...split, approvalIndex: 1 }, exec);
    expect([inSplit.panes, inSplit.activeUnit, inSplit.highlighted]).toEqual([['db', 'api', 'docs'], 'docs', 'docs']);
    const zoomed = deriveView({ ...split, zoom: true }, exec);
    expect([zoomed.panes, zoomed.activeUnit]).toEqual([['api'], 'api']);
    const closed = deriveView({ ...split, later: ['ap-1', 'ap-2'] }, exec);
    expect([closed.panes, closed.activeUnit, closed.highlighted]).toEqual([['db', 'api', 'docs'], 'db', undefined]);
  });

  test('input mode on an ended session is flagged; the details scope is its own', () => {
    const rt = planRuntime({ approvals: 1 });
    const details = deriveView({ ...initialUiState('api'), details: true }, rt.state);
    expect(details.scope).toBe('details');
    const typing: UiState = { ...initialUiState('docs'), mode: 'input', inputSession: 's-docs', focus: 'pane', later: ['ap-1'] };
    expect(deriveView(typing, rt.state).inputEnded).toBeUndefined();
    rt.emit({ type: 'session.state', session: 's-docs', state: 'failed', exitCode: 2 });
    const v = deriveView(typing, rt.state);
    expect([v.scope, v.inputEnded]).toEqual(['input', { session: 's-docs', unit: 'docs' }]);
  });
});

describe('handlePaste', () => {
  const pasteCtx = (ui: UiState, bracketed = false, approvals = 0) => {
    const exec = planRuntime({ approvals }).state;
    return { ui, exec, view: deriveView(ui, exec), bracketedPaste: () => bracketed };
  };
  const typing: UiState = { ...initialUiState('api'), mode: 'input', inputSession: 's-api', focus: 'pane' };

  test('into an agent with bracketed paste: wrapped, inner markers removed, marked as a paste', () => {
    const out = handlePaste('a\x1b[201~y\x1b[20\x1b[200~0~b\nc', pasteCtx(typing, true));
    expect(out.commands).toEqual([{ type: 'input', session: 's-api', data: '\x1b[200~ayb\rc\x1b[201~', paste: true }]);
    expect(out.actions).toEqual([]);
  });

  test('into an agent without it: one line, nothing that submits or moves, and a notice', () => {
    const out = handlePaste('make\r\ntest\x03\x1b[A\tx\n\n', pasteCtx(typing));
    expect(out.commands).toEqual([{ type: 'input', session: 's-api', data: 'make test x', paste: true }]);
    expect(out.actions).toEqual([{ type: 'notice', text: expect.stringContaining('newlines became spaces') }]);
    expect(handlePaste('word', pasteCtx(typing)).actions).toEqual([]);
  });

  test('anywhere but input mode and search it is ignored with a notice', () => {
    expect(handlePaste('y', pasteCtx(initialUiState('db'), false, 1))).toEqual({ actions: [{ type: 'notice', text: 'paste ignored: answer with a key' }], commands: [] });
    const board = handlePaste('x', pasteCtx(initialUiState('db')));
    expect(board.commands).toEqual([]);
    expect(board.actions[0]).toMatchObject({ type: 'notice', text: expect.stringMatching(/^paste ignored/) });
    const search: UiState = { ...initialUiState('api'), mode: 'search', search: { session: 's-api', draft: '', query: '', matches: [], index: -1 } };
    expect(handlePaste('nee\ndle', pasteCtx(search)).actions).toEqual([{ type: 'search-edit', text: 'nee dle' }]);
  });

  test('markers that removing others puts together are removed too', () => {
    expect(stripPasteMarkers('\x1b[20\x1b[201~0~x')).toBe('x');
  });
});
