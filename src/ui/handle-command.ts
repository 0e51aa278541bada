// Turns a keymap command into what it does: UI actions, runtime commands, exit. Pure given its
// context, so every key's effect is testable without Ink.
import type { ExecState } from '../core/state';
import { currentSession, isLiveSession, RETRYABLE_UNIT_STATUSES } from '../core/state';
import type { Decision } from '../core/types';
import type { Command } from '../runtime/api';
import { COMMAND_ROWS } from './approval-text';
import { PASTE_END, PASTE_START } from './key-decode';
import { QUIT_COMMANDS } from './keymap';
import { moveInGrid, trialGrid } from './components/trial-grid';
import type { GridMove } from './components/trial-grid';
import { sanitize } from './sanitize';
import { findMatches, scrollFor } from './search';
import type { UiAction, UiState } from './ui-state';
import type { View } from './view';
import { approvalList, attentionUnit, identicalPending, syncAction } from './view';

export interface BufferAccess {
  /** Buffer size of a session's terminal, if it has one. */
  info(session: string): { bufferLength: number; rows: number } | undefined;
  /** Plain text of every buffer line (scrollback and screen). */
  lines(session: string): string[];
}

export interface CommandContext {
  ui: UiState;
  exec: ExecState;
  view: View;
  /** Rows of the focused pane: one page. */
  pageRows: number;
  buffer: BufferAccess;
  /** How many lines the asking approval's command wraps to in the overlay, and how many it shows at once. */
  commandLines?: number;
  commandRows?: number;
  /** The comparison view's lines, and how many it shows at once. */
  compareLines?: number;
  compareRows?: number;
}

export interface Outcome {
  actions: UiAction[];
  commands: Command[];
  exit?: boolean;
}


export function handleCommand(name: string, ctx: CommandContext): Outcome {
  const out: Outcome = { actions: [], commands: [] };
  const act = (a: UiAction): Outcome => (out.actions.push(a), out);
  const run = (c: Command): Outcome => (out.commands.push(c), out);
  const notice = (text: string): Outcome => act({ type: 'notice', text });
  const { ui, exec, view } = ctx;

  const targetUnit = ui.focus === 'pane' ? view.activeUnit : ui.selected;
  const targetSession = targetUnit ? currentSession(exec, targetUnit) : undefined;
  const paneSession = view.activeSession;

  const decide = (id: string | undefined, decision: Decision): Outcome => {
    const a = id ? exec.approvals[id] : undefined;
    if (!a || a.status !== 'pending' || ui.decided.includes(a.id)) return out;
    if (!a.options.includes(decision)) return notice(`this prompt does not offer "${decision}"`);
    // The runtime takes no decision for a prompt that is not on the agent's screen: nothing is sent.
    if (a.offscreen) return notice(`not sent: the prompt left the agent's screen; decide when it is back`);
    run({ type: 'approve', id: a.id, decision });
    return act({ type: 'decided', id: a.id });
  };

  // One decision per approval asking the same command, each exactly as the overlay sends a single one; an
  // approval that is not pending, was decided here, or does not offer the decision is left alone.
  const decideAll = (decision: Decision): Outcome => {
    const asking = view.asking;
    if (!asking) return out;
    act({ type: 'all-for', id: undefined });
    const same = identicalPending(view, asking);
    const sent: string[] = [];
    const skipped: string[] = [];
    for (const a of same) {
      const now = exec.approvals[a.id];
      if (!now || now.status !== 'pending' || ui.decided.includes(a.id) || !now.options.includes(decision)) {
        skipped.push(a.id);
        continue;
      }
      if (now.offscreen) {
        skipped.push(a.id);
        continue;
      }
      run({ type: 'approve', id: now.id, decision });
      act({ type: 'decided', id: now.id });
      sent.push(exec.units[now.unit]?.lane ?? now.unit);
    }
    const verb = decision === 'deny' ? 'denied' : decision === 'always' ? 'always allowed' : 'allowed';
    return notice(`${verb} for ${sent.length}: ${sent.join(', ') || 'none'}${skipped.length ? ` · ${skipped.length} not sent (off screen, or no "${decision}")` : ''}`);
  };

  const scrollBy = (delta: number): Outcome => {
    if (!paneSession) return out;
    const info = ctx.buffer.info(paneSession.id);
    if (!info) return out;
    return act({ type: 'scroll', session: paneSession.id, delta, max: info.bufferLength - info.rows });
  };

  const moveMatch = (delta: number): Outcome => {
    const s = ui.search;
    if (!s || s.matches.length === 0) return s?.query ? notice(`no match for "${s.query}"`) : out;
    const index = (s.index + delta + s.matches.length) % s.matches.length;
    const info = ctx.buffer.info(s.session);
    const scroll = info ? scrollFor(s.matches[index].line, info.bufferLength, info.rows) : undefined;
    return act({ type: 'search-move', index, scroll });
  };

  if (QUIT_COMMANDS.includes(name)) name = 'quit';

  switch (name) {
    case 'help':
      return act({ type: 'overlay', overlay: { kind: 'help' } });
    case 'help-close':
    case 'list-close':
    case 'confirm-no':
      return act({ type: 'overlay', overlay: undefined });
    case 'quit':
      if (view.live > 0) return act({ type: 'overlay', overlay: { kind: 'confirm', confirm: { kind: 'quit', live: view.live } } });
      run({ type: 'quit' });
      out.exit = true;
      return out;
    case 'confirm-yes': {
      const c = ui.overlay?.kind === 'confirm' ? ui.overlay.confirm : undefined;
      act({ type: 'overlay', overlay: undefined });
      if (c?.kind === 'quit') {
        run({ type: 'quit' });
        out.exit = true;
      } else if (c?.kind === 'stop') run({ type: 'stop', session: c.session });
      return out;
    }
    case 'start':
      return run({ type: 'start' });
    case 'hold':
      return run({ type: 'hold' });
    case 'input':
    case 'pane-input': {
      const s = name === 'input' ? targetSession : paneSession;
      if (!s || !isLiveSession(s)) return notice('no live session here to type into');
      if (name === 'input' && targetUnit && targetUnit !== view.activeUnit) act({ type: 'focus', focus: 'pane', active: Math.max(0, view.panes.indexOf(targetUnit)) });
      return act({ type: 'input', session: s.id });
    }
    case 'leave-input':
      return act({ type: 'leave-input' });
    case 'focus-next':
      return act({ type: 'focus-next', panes: view.panes.length });
    case 'zoom':
      return view.activeUnit ? act({ type: 'zoom' }) : out;
    case 'split': {
      if (!targetUnit) return out;
      return act({ type: 'toggle-split', unit: targetUnit });
    }
    case 'pause': {
      if (!targetSession) return notice('no session to pause');
      if (targetSession.state === 'paused') return run({ type: 'continue', session: targetSession.id });
      if (targetSession.state === 'running' || targetSession.state === 'waiting_for_approval') return run({ type: 'pause', session: targetSession.id });
      return notice(`session is ${targetSession.state}; nothing to pause`);
    }
    case 'stop': {
      if (!targetSession || !isLiveSession(targetSession)) return notice('no live session to stop');
      return act({ type: 'overlay', overlay: { kind: 'confirm', confirm: { kind: 'stop', session: targetSession.id, unit: targetSession.unit } } });
    }
    case 'finish': {
      if (!targetSession || !isLiveSession(targetSession)) return notice('no live session to end');
      if (targetSession.stopping) return notice('the session is already ending');
      run({ type: 'finish', session: targetSession.id });
      return notice(`ending ${targetSession.unit}: its CLI exits, then checks run`);
    }
    case 'retry': {
      const u = targetUnit ? exec.units[targetUnit] : undefined;
      if (!u) return out;
      if (!RETRYABLE_UNIT_STATUSES.includes(u.status)) return notice(`${u.id} is ${u.status}; only a failed, stopped or skipped ${u.kind} is retried`);
      return run({ type: 'retry', unit: u.id });
    }
    case 'approvals':
    case 'approval-list':
      return act({ type: 'overlay', overlay: { kind: 'approvals', index: 0 } });
    case 'follow':
      act({ type: 'follow', attention: attentionUnit(exec) });
      // Following turns lane panes back on too: they take their places now, not at the next change.
      return act(syncAction(exec));
    case 'compare':
      if (!exec.lanes?.length) return notice('nothing to compare: this execution runs on one provider (conductor compare FILE --providers A,B)');
      return act({ type: 'overlay', overlay: { kind: 'compare', scroll: 0 } });
    case 'compare-close':
      return act({ type: 'overlay', overlay: undefined });
    case 'compare-up':
    case 'compare-down':
    case 'compare-page-up':
    case 'compare-page-down': {
      const rows = Math.max(1, ctx.compareRows ?? 1);
      const step = name.includes('page') ? Math.max(1, rows - 1) : 1;
      return act({ type: 'compare-scroll', delta: name.endsWith('up') ? -step : step, max: (ctx.compareLines ?? 0) - rows });
    }
    case 'approval-all':
      return view.asking ? act({ type: 'all-for', id: view.asking.id }) : out;
    case 'all-cancel':
      return act({ type: 'all-for', id: undefined });
    case 'all-allow':
      return decideAll('allow');
    case 'all-always':
      return decideAll('always');
    case 'all-deny':
      return decideAll('deny');
    case 'select-prev':
    case 'select-next':
    case 'select-left':
    case 'select-right': {
      const delta = name === 'select-next' || name === 'select-right' ? 1 : -1;
      if (exec.kind !== 'scenario') return act({ type: 'select', delta, order: exec.order });
      // The trial matrix: ←/→ along a provider's row, ↑/↓ (j/k) to the same trial of the next provider.
      const move: GridMove = name === 'select-prev' ? 'up' : name === 'select-next' ? 'down' : name === 'select-left' ? 'left' : 'right';
      const next = moveInGrid(trialGrid(exec), ui.selected, move);
      return next === undefined || (next === ui.selected && !ui.follow) ? out : act({ type: 'select-id', id: next });
    }
    case 'breakdown':
      if (exec.kind !== 'scenario') return notice('the assertion breakdown is for scenarios');
      return act({ type: 'breakdown' });
    case 'open': {
      if (!ui.selected) return out;
      // The pane is what Enter opens: the breakdown in its place closes.
      if (ui.breakdown) act({ type: 'breakdown', open: false });
      if (ui.split.length >= 2 && !ui.split.includes(ui.selected)) {
        if (ui.split.length >= 4) return notice('the split is full; remove a pane with v first');
        act({ type: 'toggle-split', unit: ui.selected });
        return act({ type: 'focus', focus: 'pane', active: ui.split.length });
      }
      return act({ type: 'focus', focus: 'pane', active: Math.max(0, view.panes.indexOf(ui.selected)) });
    }
    case 'pane-prev':
    case 'pane-next': {
      act({ type: 'pane-move', delta: name === 'pane-next' ? 1 : -1, panes: view.panes.length });
      return out;
    }
    case 'page-up':
      return scrollBy(Math.max(1, ctx.pageRows - 1));
    case 'page-down':
      return scrollBy(-Math.max(1, ctx.pageRows - 1));
    case 'line-up':
      return scrollBy(1);
    case 'line-down':
      return scrollBy(-1);
    case 'scroll-bottom':
      return paneSession ? act({ type: 'scroll-to', session: paneSession.id, offset: 0 }) : out;
    case 'back':
      if (ui.search) return act({ type: 'search-clear' });
      if (paneSession && (ui.scroll[paneSession.id] ?? 0) > 0) return act({ type: 'scroll-to', session: paneSession.id, offset: 0 });
      return act({ type: 'focus', focus: 'board' });
    case 'search':
      if (!paneSession || !ctx.buffer.info(paneSession.id)) return notice('nothing to search yet');
      return act({ type: 'search-open', session: paneSession.id });
    case 'search-submit': {
      const s = ui.search;
      if (!s) return out;
      if (!s.draft) return act({ type: 'search-cancel' });
      const matches = findMatches(ctx.buffer.lines(s.session), s.draft);
      const index = matches.length - 1;
      const info = ctx.buffer.info(s.session);
      const scroll = index >= 0 && info ? scrollFor(matches[index].line, info.bufferLength, info.rows) : undefined;
      return act({ type: 'search-results', matches, index, scroll });
    }
    case 'search-cancel':
      return act({ type: 'search-cancel' });
    case 'search-next':
      return moveMatch(-1);
    case 'search-prev':
      return moveMatch(1);
    case 'approval-allow':
      return decide(view.asking?.id, 'allow');
    case 'approval-always':
      return decide(view.asking?.id, 'always');
    case 'approval-deny':
      return decide(view.asking?.id, 'deny');
    case 'approval-details':
    case 'details-close':
      return name === 'details-close' && !ui.details ? out : act({ type: 'details' });
    case 'approval-scroll-down':
    case 'approval-scroll-up': {
      const a = view.asking;
      const lines = ctx.commandLines ?? 0;
      const rows = ctx.commandRows ?? COMMAND_ROWS;
      if (!a || lines <= rows) return out;
      const page = Math.max(1, rows - 1);
      return act({ type: 'approval-scroll', id: a.id, delta: name === 'approval-scroll-down' ? page : -page, max: lines - rows });
    }
    case 'approval-next':
    case 'approval-prev':
      return act({ type: 'approval-move', delta: name === 'approval-next' ? 1 : -1, count: view.askable.length });
    case 'approval-later':
      return act({ type: 'later', ids: view.askable.map((a) => a.id) });
    case 'list-prev':
    case 'list-next':
      return act({ type: 'list-move', delta: name === 'list-next' ? 1 : -1, count: approvalList(exec, ui.decided).length });
    case 'list-allow':
    case 'list-always':
    case 'list-deny': {
      const index = ui.overlay?.kind === 'approvals' ? ui.overlay.index : 0;
      const a = approvalList(exec, ui.decided)[index];
      return decide(a?.id, name === 'list-allow' ? 'allow' : name === 'list-always' ? 'always' : 'deny');
    }
    default:
      return out;
  }
}

export interface PasteContext {
  ui: UiState;
  exec: ExecState;
  view: View;
  /** Whether the session's agent turned bracketed paste on. */
  bracketedPaste(session: string): boolean;
}

/** Removes paste markers, also those that removing others would put together (`ESC[20ESC[201~0~`). */
export function stripPasteMarkers(text: string): string {
  let prev: string;
  let next = text;
  do {
    prev = next;
    next = prev.split(PASTE_START).join('').split(PASTE_END).join('');
  } while (next !== prev);
  return next;
}

/**
 * What a paste from the host terminal becomes. Only in input mode does it reach an agent, as one paste
 * (`paste: true`, never an answer to a prompt): wrapped in bracketed-paste markers when the agent asked for
 * them, else flattened to one line so that no newline submits anything. In the search prompt it is text;
 * anywhere else (an approval, a list, a dialog, the board) it is ignored: there, only a key decides.
 */
export function handlePaste(text: string, ctx: PasteContext): Outcome {
  const out: Outcome = { actions: [], commands: [] };
  const notice = (t: string): Outcome => (out.actions.push({ type: 'notice', text: t }), out);
  const { ui, exec, view } = ctx;
  switch (view.scope) {
    case 'input': {
      const s = ui.inputSession ? exec.sessions[ui.inputSession] : undefined;
      // A session that ended takes nothing; the banner says how to leave input mode.
      if (!s || !isLiveSession(s)) return out;
      const clean = stripPasteMarkers(text);
      if (ctx.bracketedPaste(s.id)) {
        if (!clean) return out;
        out.commands.push({ type: 'input', session: s.id, data: `${PASTE_START}${clean.replace(/\r?\n/g, '\r')}${PASTE_END}`, paste: true });
        return out;
      }
      const flat = sanitize(clean.replace(/[\r\n]+$/, '').replace(/\r\n|[\r\n\t]/g, ' '));
      if (flat) out.commands.push({ type: 'input', session: s.id, data: flat, paste: true });
      if (/[\r\n]/.test(clean)) notice('pasted as one line: this agent has no bracketed paste, so newlines became spaces (nothing was submitted)');
      return out;
    }
    case 'search':
      out.actions.push({ type: 'search-edit', text: sanitize(text.replace(/[\r\n\t]+/g, ' ')) });
      return out;
    case 'board':
    case 'pane':
    case 'help':
      return notice('paste ignored: not typing into an agent (input mode takes a paste)');
    default:
      return notice('paste ignored: answer with a key');
  }
}
