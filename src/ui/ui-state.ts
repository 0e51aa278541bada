// The UI's own state (selection, focus, split, zoom, mode, scroll, search, overlays) and its pure
// reducer. Execution state lives in the runtime; this holds only what the person is looking at.

export type Focus = 'board' | 'pane';
export type Mode = 'normal' | 'input' | 'search';

export type Confirm = { kind: 'quit'; live: number } | { kind: 'stop'; session: string; unit: string };

export type Overlay =
  | { kind: 'help' }
  | { kind: 'approvals'; index: number }
  | { kind: 'confirm'; confirm: Confirm }
  /** The comparison of a run's providers, scrolled `scroll` lines down. */
  | { kind: 'compare'; scroll: number };

export interface Match {
  /** Buffer line index (scrollback + screen). */
  line: number;
  col: number;
  length: number;
}

export interface SearchState {
  session: string;
  draft: string;
  query: string;
  matches: Match[];
  /** Index of the current match, or -1 when there is none. */
  index: number;
}

export interface UiState {
  selected?: string;
  /** The selection follows the step that needs attention until the person picks one (`f` turns it back on). */
  follow: boolean;
  focus: Focus;
  /** Unit ids shown side by side (2–4 make a split view). */
  split: string[];
  /**
   * A comparison: the split follows the lanes (one pane per provider, each on its lane's current unit) until
   * the person arranges the split themselves (`v`, or Enter on another step); `f` turns it back on.
   */
  followLanes: boolean;
  /** The approval the "same answer for all" key was pressed on: the next decision goes to every identical one. */
  allFor?: string;
  /** Index of the focused pane among the visible panes. */
  active: number;
  zoom: boolean;
  mode: Mode;
  inputSession?: string;
  /** Lines scrolled up from the live screen, per session. */
  scroll: Record<string, number>;
  search?: SearchState;
  overlay?: Overlay;
  approvalIndex: number;
  details: boolean;
  /** Scenarios: the per-assertion breakdown is shown in the pane area instead of the panes. */
  breakdown: boolean;
  /** Wrapped command lines scrolled past in the overlay, for the approval it was scrolled on. */
  approvalScroll?: { id: string; offset: number };
  /** Approvals decided here, hidden until the runtime takes them out of the queue. */
  decided: string[];
  /** Approvals put off with "later": the overlay stays closed for them. */
  later: string[];
  notice?: string;
}

export const MAX_SPLIT = 4;

export const initialUiState = (selected?: string): UiState => ({
  selected,
  follow: true,
  focus: 'board',
  split: [],
  followLanes: true,
  active: 0,
  zoom: false,
  mode: 'normal',
  scroll: {},
  approvalIndex: 0,
  details: false,
  breakdown: false,
  decided: [],
  later: [],
});

export type UiAction =
  | { type: 'sync'; order: string[]; pending: string[]; attention?: string; lanes?: string[] }
  | { type: 'follow'; attention?: string }
  | { type: 'select'; delta: number; order: string[] }
  | { type: 'select-id'; id: string }
  | { type: 'focus'; focus: Focus; active?: number }
  | { type: 'focus-next'; panes: number }
  | { type: 'pane-move'; delta: number; panes: number }
  | { type: 'toggle-split'; unit: string }
  | { type: 'zoom' }
  | { type: 'input'; session: string }
  | { type: 'leave-input' }
  | { type: 'scroll'; session: string; delta: number; max: number }
  | { type: 'scroll-to'; session: string; offset: number }
  | { type: 'search-open'; session: string }
  | { type: 'search-edit'; text?: string; backspace?: boolean }
  | { type: 'search-results'; matches: Match[]; index: number; scroll?: number }
  | { type: 'search-move'; index: number; scroll?: number }
  | { type: 'search-cancel' }
  | { type: 'search-clear' }
  | { type: 'overlay'; overlay?: Overlay }
  | { type: 'list-move'; delta: number; count: number }
  | { type: 'approval-move'; delta: number; count: number }
  | { type: 'approval-scroll'; id: string; delta: number; max: number }
  | { type: 'details' }
  | { type: 'breakdown'; open?: boolean }
  | { type: 'decided'; id: string }
  | { type: 'all-for'; id?: string }
  | { type: 'compare-scroll'; delta: number; max: number }
  | { type: 'later'; ids: string[] }
  | { type: 'notice'; text?: string };

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));
const wrap = (n: number, count: number): number => (count <= 0 ? 0 : ((n % count) + count) % count);

export function uiReduce(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'sync': {
      const known = new Set(a.order);
      const pending = new Set(a.pending);
      // While the person types into a pane (or a search), following never moves the pane under them.
      const typing = s.mode === 'input' || s.mode === 'search';
      const followed = s.follow && !typing && a.attention && known.has(a.attention) ? a.attention : undefined;
      const selected = followed ?? (s.selected && known.has(s.selected) ? s.selected : a.order[0]);
      const lanes = s.followLanes && a.lanes && a.lanes.length >= 2 ? a.lanes.filter((u) => known.has(u)) : undefined;
      const kept = s.split.filter((u) => known.has(u));
      const split = lanes && (lanes.length !== kept.length || lanes.some((u, i) => u !== kept[i])) ? lanes : kept;
      const decided = s.decided.filter((id) => pending.has(id));
      const later = s.later.filter((id) => pending.has(id));
      const allFor = s.allFor && pending.has(s.allFor) ? s.allFor : undefined;
      if (selected === s.selected && split.length === s.split.length && split.every((u, i) => u === s.split[i]) && decided.length === s.decided.length && later.length === s.later.length && allFor === s.allFor) return s;
      return { ...s, selected, split, decided, later, allFor };
    }
    case 'select': {
      if (a.order.length === 0) return s;
      const i = s.selected ? a.order.indexOf(s.selected) : -1;
      const next = a.order[clamp(i + a.delta, 0, a.order.length - 1)];
      return next === s.selected && !s.follow ? s : { ...s, selected: next, follow: false };
    }
    case 'select-id':
      return { ...s, selected: a.id, follow: false };
    case 'follow':
      return { ...s, follow: true, followLanes: true, selected: a.attention ?? s.selected, notice: 'following the step that needs attention' };
    case 'focus':
      return { ...s, focus: a.focus, active: a.active ?? s.active };
    case 'focus-next': {
      if (s.focus === 'board') return { ...s, focus: 'pane', active: 0 };
      if (s.active + 1 < a.panes && !s.zoom) return { ...s, active: s.active + 1 };
      return { ...s, focus: 'board', active: 0 };
    }
    case 'pane-move':
      return { ...s, active: wrap(s.active + a.delta, a.panes) };
    case 'toggle-split': {
      // The person arranges the split from here on: it stops following the lanes.
      if (s.split.includes(a.unit)) {
        const split = s.split.filter((u) => u !== a.unit);
        return { ...s, split, followLanes: false, active: clamp(s.active, 0, Math.max(0, split.length - 1)) };
      }
      if (s.split.length >= MAX_SPLIT) return { ...s, notice: `a split shows at most ${MAX_SPLIT} panes` };
      return { ...s, split: [...s.split, a.unit], followLanes: false };
    }
    case 'zoom':
      return { ...s, zoom: !s.zoom };
    case 'input':
      return { ...s, mode: 'input', inputSession: a.session, focus: 'pane' };
    case 'leave-input':
      return { ...s, mode: 'normal', inputSession: undefined };
    case 'scroll': {
      const cur = s.scroll[a.session] ?? 0;
      const next = clamp(cur + a.delta, 0, Math.max(0, a.max));
      return next === cur ? s : { ...s, scroll: { ...s.scroll, [a.session]: next } };
    }
    case 'scroll-to':
      return { ...s, scroll: { ...s.scroll, [a.session]: Math.max(0, a.offset) } };
    case 'search-open':
      return { ...s, mode: 'search', search: { session: a.session, draft: '', query: '', matches: [], index: -1 } };
    case 'search-edit': {
      if (!s.search) return s;
      const draft = a.backspace ? [...s.search.draft].slice(0, -1).join('') : s.search.draft + (a.text ?? '');
      return { ...s, search: { ...s.search, draft } };
    }
    case 'search-results': {
      if (!s.search) return s;
      const search = { ...s.search, query: s.search.draft, matches: a.matches, index: a.index };
      const scroll = a.scroll === undefined ? s.scroll : { ...s.scroll, [search.session]: a.scroll };
      return { ...s, mode: 'normal', search, scroll, notice: a.matches.length ? undefined : `no match for "${search.draft}"` };
    }
    case 'search-move': {
      if (!s.search) return s;
      const scroll = a.scroll === undefined ? s.scroll : { ...s.scroll, [s.search.session]: a.scroll };
      return { ...s, search: { ...s.search, index: a.index }, scroll };
    }
    case 'search-cancel':
      return { ...s, mode: 'normal', search: s.search && s.search.query ? { ...s.search, draft: s.search.query } : undefined };
    case 'search-clear':
      return s.search ? { ...s, search: undefined } : s;
    case 'overlay':
      return { ...s, overlay: a.overlay };
    case 'list-move':
      if (s.overlay?.kind !== 'approvals') return s;
      return { ...s, overlay: { kind: 'approvals', index: clamp(s.overlay.index + a.delta, 0, Math.max(0, a.count - 1)) } };
    case 'approval-move':
      return { ...s, approvalIndex: wrap(s.approvalIndex + a.delta, a.count), details: false, approvalScroll: undefined };
    case 'approval-scroll': {
      const cur = s.approvalScroll?.id === a.id ? s.approvalScroll.offset : 0;
      const offset = clamp(cur + a.delta, 0, Math.max(0, a.max));
      return offset === cur ? s : { ...s, approvalScroll: { id: a.id, offset } };
    }
    case 'details':
      return { ...s, details: !s.details };
    case 'breakdown': {
      const breakdown = a.open ?? !s.breakdown;
      return breakdown === s.breakdown ? s : { ...s, breakdown };
    }
    case 'decided':
      return { ...s, decided: [...s.decided, a.id], details: false, approvalScroll: undefined, allFor: s.allFor === a.id ? undefined : s.allFor };
    case 'all-for':
      return a.id === s.allFor ? s : { ...s, allFor: a.id };
    case 'compare-scroll': {
      if (s.overlay?.kind !== 'compare') return s;
      const scroll = clamp(s.overlay.scroll + a.delta, 0, Math.max(0, a.max));
      return scroll === s.overlay.scroll ? s : { ...s, overlay: { kind: 'compare', scroll } };
    }
    case 'later':
      return { ...s, later: [...new Set([...s.later, ...a.ids])] };
    case 'notice':
      return s.notice === a.text ? s : { ...s, notice: a.text };
  }
}
