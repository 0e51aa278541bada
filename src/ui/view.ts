// What to show, derived from execution state and UI state: the current key scope, the panes on
// screen, the approval the overlay asks about. Pure selectors shared by the layout and the keys.
import type { ApprovalState, ExecState, SessionInfo } from '../core/state';
import { currentSession, isLiveSession } from '../core/state';
import { laneUnits } from '../core/compare';
import type { Scope } from './keymap';
import type { UiAction, UiState } from './ui-state';

export interface View {
  scope: Scope;
  /** Unit ids of the panes on screen, in order. */
  panes: string[];
  /** The panes the person arranged (before the overlay shows an asking unit's pane in their place): PTYs are sized for these. */
  basePanes: string[];
  activeUnit?: string;
  activeSession?: SessionInfo;
  /** The pane drawn as focused: the active one while a pane has focus, the asking unit's while the overlay asks. */
  highlighted?: string;
  /** Pending approvals not yet decided here, oldest first. */
  pending: ApprovalState[];
  /** Approvals the overlay may show (pending, not put off, not for the session being typed into). */
  askable: ApprovalState[];
  /** The approval in the overlay, if it is open. */
  asking?: ApprovalState;
  /** Lines of the asking command scrolled past. */
  askingScroll: number;
  /** While typing into a pane: an approval waiting (on that session first, else any), shown as a banner, not an overlay. */
  banner?: ApprovalState;
  /** Input mode on a session that has ended: keys are swallowed until the person leaves input mode. */
  inputEnded?: { session: string; unit: string };
  live: number;
}

/** Lanes shown at once as split panes; more are named in the last pane's title. */
export const MAX_LANE_PANES = 4;

export interface LanePane {
  lane: string;
  unit: string;
}

/**
 * A comparison's lanes and the unit each one's pane shows: its running unit, else the one that ran last,
 * else the next to run.
 */
export function laneUnitsNow(exec: ExecState): LanePane[] {
  const out: LanePane[] = [];
  for (const lane of exec.lanes ?? []) {
    const units = laneUnits(exec, lane);
    if (!units.length) continue;
    const running = units.find((u) => u.status === 'running');
    const ran = units.filter((u) => u.startedAt !== undefined).sort((a, b) => (a.finishedAt ?? a.startedAt!) - (b.finishedAt ?? b.startedAt!)).at(-1);
    const next = units.find((u) => u.status === 'pending');
    out.push({ lane, unit: (running ?? ran ?? next ?? units[0]).id });
  }
  return out;
}

/** A command as the same-answer-for-all key compares it: runs of whitespace count as one space. */
export const sameCommand = (command: string): string => command.trim().replace(/\s+/g, ' ');

/** Pending approvals (not decided here) asking exactly the command `a` asks, `a` first. */
export function identicalPending(view: Pick<View, 'pending'>, a: ApprovalState): ApprovalState[] {
  const key = sameCommand(a.command);
  const others = view.pending.filter((p) => p.id !== a.id && p.status === 'pending' && sameCommand(p.command) === key);
  return [a, ...others];
}

/** The sync action for this execution state: its order, queue, the unit that needs attention, the lanes' panes. */
export function syncAction(exec: ExecState): UiAction {
  const lanes = laneUnitsNow(exec).slice(0, MAX_LANE_PANES).map((l) => l.unit);
  return { type: 'sync', order: exec.order, pending: exec.queue, attention: attentionUnit(exec), lanes: lanes.length >= 2 ? lanes : undefined };
}

export function panesOf(ui: UiState): string[] {
  if (ui.split.length >= 2) return ui.split;
  return ui.selected ? [ui.selected] : [];
}

export function deriveView(ui: UiState, exec: ExecState): View {
  const all = panesOf(ui);
  const active = Math.min(ui.active, Math.max(0, all.length - 1));
  let activeUnit = all[active];
  let panes = ui.zoom && activeUnit ? [activeUnit] : all;
  const basePanes = panes;
  const decided = new Set(ui.decided);
  const pending = exec.queue.map((id) => exec.approvals[id]).filter((a) => a && a.status === 'pending' && !decided.has(a.id));
  const typingInto = ui.mode === 'input' ? ui.inputSession : undefined;
  const later = new Set(ui.later);
  const askable = pending.filter((a) => !later.has(a.id) && a.session !== typingInto);
  // While the person types into a pane, no overlay takes their keys: a `y` meant for that agent must never
  // allow another agent's command. Waiting approvals show in the banner until they leave input mode.
  const banner = typingInto ? (pending.find((a) => a.session === typingInto) ?? askable[0]) : undefined;
  const asking = ui.overlay || typingInto ? undefined : askable[Math.min(ui.approvalIndex, askable.length - 1)];
  // The overlay asks about one session: its pane is on screen and marked, whatever was shown before.
  if (asking && exec.units[asking.unit]) {
    if (!panes.includes(asking.unit)) panes = [asking.unit];
    activeUnit = asking.unit;
  }
  const activeSession = activeUnit ? currentSession(exec, activeUnit) : undefined;
  const highlighted = asking ? activeUnit : ui.focus === 'pane' ? activeUnit : undefined;
  const typed = typingInto ? exec.sessions[typingInto] : undefined;
  const inputEnded = typingInto && (!typed || !isLiveSession(typed)) ? { session: typingInto, unit: typed?.unit ?? typingInto } : undefined;
  const askingScroll = asking && ui.approvalScroll?.id === asking.id ? ui.approvalScroll.offset : 0;
  const live = Object.values(exec.sessions).filter(isLiveSession).length;
  return { scope: scopeOf(ui, asking), panes, basePanes, activeUnit, activeSession, highlighted, pending, askable, asking, askingScroll, banner, inputEnded, live };
}

function scopeOf(ui: UiState, asking: ApprovalState | undefined): Scope {
  if (ui.overlay?.kind === 'confirm') return 'confirm';
  if (ui.overlay?.kind === 'help') return 'help';
  if (ui.overlay?.kind === 'approvals') return 'approvals';
  if (ui.overlay?.kind === 'compare') return 'compare';
  if (asking && ui.allFor === asking.id) return 'approval-all';
  if (asking) return ui.details ? 'details' : 'approval';
  if (ui.mode === 'search') return 'search';
  if (ui.mode === 'input') return 'input';
  return ui.focus;
}

/** Every approval for the list: pending first (oldest first), then past decisions (newest first). */
export function approvalList(exec: ExecState, decidedHere: readonly string[] = []): ApprovalState[] {
  const all = Object.values(exec.approvals);
  const decided = new Set(decidedHere);
  const waiting = all.filter((a) => a.status === 'pending' && !decided.has(a.id)).sort((a, b) => a.requestedAt - b.requestedAt);
  const past = all
    .filter((a) => a.status !== 'pending' || decided.has(a.id))
    .sort((a, b) => (b.decidedAt ?? b.requestedAt) - (a.decidedAt ?? a.requestedAt));
  return [...waiting, ...past];
}

/** The unit a person most likely wants to see: the oldest waiting approval's, else the latest started running unit. */
export function attentionUnit(exec: ExecState): string | undefined {
  const asking = exec.queue.map((id) => exec.approvals[id]).find((a) => a?.status === 'pending');
  if (asking) return asking.unit;
  let latest: { unit: string; at: number } | undefined;
  for (const id of exec.order) {
    const u = exec.units[id];
    if (u.status === 'running' && u.startedAt !== undefined && (!latest || u.startedAt > latest.at)) latest = { unit: id, at: u.startedAt };
  }
  return latest?.unit;
}
