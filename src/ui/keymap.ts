// The one keymap table: command → keys, description, scope. It drives dispatch, the help bar and
// the `?` overlay; users override keys through config (`keymap: {command: [keys]}`).
import { didYouMean } from '../core/suggest';
import { displayKey, parseKeyName } from './key-names';

export type Scope = 'global' | 'board' | 'pane' | 'input' | 'search' | 'approval' | 'approval-all' | 'details' | 'approvals' | 'confirm' | 'compare' | 'help';

export interface KeyBinding {
  command: string;
  keys: string[];
  description: string;
  scope: Scope;
  /** Left out of the one-line help bar (still in the `?` overlay). */
  hidden?: boolean;
}

export type Keymap = readonly KeyBinding[];

/** Scopes whose bindings also take `global` bindings (normal mode, no overlay). */
export const NORMAL_SCOPES: readonly Scope[] = ['board', 'pane'];

/**
 * Scopes that fall back to another scope's bindings: the board and a pane to the global ones, the
 * approval overlay with its details open to the overlay's own. A key bound in the scope itself wins.
 */
export const SCOPE_PARENTS: Partial<Record<Scope, Scope>> = { board: 'global', pane: 'global', details: 'approval' };

export const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Everywhere (normal mode)',
  board: 'Step board / trial matrix',
  pane: 'Pane',
  input: 'Input mode (keys go to the agent)',
  search: 'Search prompt',
  approval: 'Approval',
  'approval-all': 'Approval: same answer for all',
  details: 'Approval with details open',
  approvals: 'Approvals list',
  confirm: 'Confirmation',
  compare: 'Comparison of providers',
  help: 'Help',
};

/** What a scope does with the keys it does not bind, for the `?` overlay. */
export const SCOPE_NOTES: Partial<Record<Scope, string>> = {
  input: 'every other key goes to the agent, Ctrl-C included; a paste goes as one paste and never answers a prompt',
  search: 'other keys are typed into the search',
  'approval-all': 'the decision goes to every pending approval asking the same command (spacing aside), one decision each',
};

export const DEFAULT_KEYMAP: Keymap = [
  { command: 'help', keys: ['?'], description: 'help', scope: 'global' },
  { command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'global' },
  { command: 'start', keys: ['s'], description: 'start/next', scope: 'global' },
  { command: 'hold', keys: ['h'], description: 'hold/release', scope: 'global' },
  { command: 'input', keys: ['i'], description: 'type to agent', scope: 'global' },
  { command: 'focus-next', keys: ['tab'], description: 'focus', scope: 'global' },
  { command: 'zoom', keys: ['z'], description: 'zoom', scope: 'global' },
  { command: 'split', keys: ['v'], description: 'split +/-', scope: 'global' },
  { command: 'pause', keys: ['p'], description: 'pause/continue', scope: 'global' },
  { command: 'stop', keys: ['x'], description: 'stop', scope: 'global' },
  { command: 'finish', keys: ['e'], description: 'end: agent done', scope: 'global' },
  { command: 'retry', keys: ['r'], description: 'retry', scope: 'global' },
  { command: 'approvals', keys: ['A'], description: 'approvals', scope: 'global' },
  { command: 'compare', keys: ['C'], description: 'compare providers', scope: 'global' },

  { command: 'select-prev', keys: ['up', 'k'], description: 'previous step', scope: 'board' },
  { command: 'select-next', keys: ['down', 'j'], description: 'next step', scope: 'board' },
  { command: 'select-left', keys: ['left'], description: 'previous trial', scope: 'board' },
  { command: 'select-right', keys: ['right'], description: 'next trial', scope: 'board' },
  { command: 'open', keys: ['enter'], description: 'open pane', scope: 'board' },
  { command: 'breakdown', keys: ['b'], description: 'assertion breakdown', scope: 'board' },
  { command: 'follow', keys: ['f'], description: 'follow active step', scope: 'board' },

  { command: 'pane-prev', keys: ['up', 'k'], description: 'previous pane', scope: 'pane' },
  { command: 'pane-next', keys: ['down', 'j'], description: 'next pane', scope: 'pane' },
  { command: 'pane-input', keys: ['enter'], description: 'type to agent', scope: 'pane', hidden: true },
  { command: 'page-up', keys: ['pageup', 'ctrl+b'], description: 'page up', scope: 'pane' },
  { command: 'page-down', keys: ['pagedown', 'ctrl+f'], description: 'page down', scope: 'pane' },
  { command: 'line-up', keys: ['shift+up', 'K'], description: 'line up', scope: 'pane', hidden: true },
  { command: 'line-down', keys: ['shift+down', 'J'], description: 'line down', scope: 'pane', hidden: true },
  { command: 'scroll-bottom', keys: ['G', 'end'], description: 'to live screen', scope: 'pane', hidden: true },
  { command: 'search', keys: ['/'], description: 'search', scope: 'pane' },
  { command: 'search-next', keys: ['n'], description: 'next match (older)', scope: 'pane' },
  { command: 'search-prev', keys: ['N'], description: 'previous match (newer)', scope: 'pane', hidden: true },
  { command: 'back', keys: ['esc'], description: 'back to board', scope: 'pane' },

  { command: 'leave-input', keys: ['ctrl+]'], description: 'leave input mode', scope: 'input' },

  { command: 'search-submit', keys: ['enter'], description: 'find', scope: 'search' },
  { command: 'search-cancel', keys: ['esc'], description: 'cancel', scope: 'search' },
  { command: 'search-quit', keys: ['ctrl+c'], description: 'quit', scope: 'search' },

  { command: 'approval-allow', keys: ['y'], description: 'allow', scope: 'approval' },
  { command: 'approval-always', keys: ['a'], description: 'always (this session)', scope: 'approval' },
  { command: 'approval-deny', keys: ['n', 'esc'], description: 'deny', scope: 'approval' },
  { command: 'approval-scroll-down', keys: ['shift+down', ']'], description: 'more of the command', scope: 'approval' },
  { command: 'approval-scroll-up', keys: ['shift+up', '['], description: 'back up the command', scope: 'approval' },
  { command: 'approval-details', keys: ['enter'], description: 'details', scope: 'approval' },
  { command: 'approval-next', keys: ['right', 'tab'], description: 'next in queue', scope: 'approval', hidden: true },
  { command: 'approval-prev', keys: ['left', 'shift+tab'], description: 'previous in queue', scope: 'approval', hidden: true },
  { command: 'approval-later', keys: ['l'], description: 'later', scope: 'approval' },
  { command: 'approval-list', keys: ['A'], description: 'all approvals', scope: 'approval' },
  { command: 'approval-all', keys: ['*'], description: 'same answer for all', scope: 'approval' },
  { command: 'approval-quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'approval' },

  { command: 'details-close', keys: ['esc'], description: 'close details', scope: 'details' },

  { command: 'all-allow', keys: ['y'], description: 'allow all', scope: 'approval-all' },
  { command: 'all-always', keys: ['a'], description: 'always, all', scope: 'approval-all' },
  { command: 'all-deny', keys: ['n'], description: 'deny all', scope: 'approval-all' },
  { command: 'all-cancel', keys: ['esc', '*'], description: 'just this one', scope: 'approval-all' },
  { command: 'all-quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'approval-all' },

  { command: 'list-prev', keys: ['up', 'k'], description: 'previous', scope: 'approvals' },
  { command: 'list-next', keys: ['down', 'j'], description: 'next', scope: 'approvals' },
  { command: 'list-allow', keys: ['y'], description: 'allow', scope: 'approvals' },
  { command: 'list-always', keys: ['a'], description: 'always', scope: 'approvals' },
  { command: 'list-deny', keys: ['n'], description: 'deny', scope: 'approvals' },
  { command: 'list-close', keys: ['esc', 'A'], description: 'close', scope: 'approvals' },
  { command: 'list-quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'approvals' },

  { command: 'confirm-yes', keys: ['y'], description: 'yes', scope: 'confirm' },
  { command: 'confirm-no', keys: ['n', 'esc'], description: 'no', scope: 'confirm' },
  { command: 'confirm-quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'confirm' },

  { command: 'compare-down', keys: ['down', 'j'], description: 'scroll down', scope: 'compare' },
  { command: 'compare-up', keys: ['up', 'k'], description: 'scroll up', scope: 'compare' },
  { command: 'compare-page-down', keys: ['pagedown', 'ctrl+f', 'space'], description: 'page down', scope: 'compare' },
  { command: 'compare-page-up', keys: ['pageup', 'ctrl+b'], description: 'page up', scope: 'compare' },
  { command: 'compare-close', keys: ['esc', 'C'], description: 'close', scope: 'compare' },
  { command: 'compare-quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'compare' },

  { command: 'help-close', keys: ['esc', '?'], description: 'close help', scope: 'help' },
  { command: 'help-quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'help' },
];

/** Commands only a scenario's trial matrix has: the help bar leaves them out for a plan. */
export const SCENARIO_COMMANDS: readonly string[] = ['select-left', 'select-right', 'breakdown'];

/** Commands only a comparison (an execution with lanes) has: the help bar and `?` leave them out otherwise. */
export const COMPARE_COMMANDS: readonly string[] = ['compare', 'compare-down', 'compare-up', 'compare-page-down', 'compare-page-up', 'compare-close', 'compare-quit'];

/** Commands that quit (asking first while sessions run), one per scope that offers it. */
export const QUIT_COMMANDS: readonly string[] = ['quit', 'approval-quit', 'list-quit', 'help-quit', 'search-quit', 'confirm-quit', 'all-quit', 'compare-quit'];

/** The scopes whose bindings apply when `scope` is current, most specific first. */
export function activeScopes(scope: Scope): Scope[] {
  const out: Scope[] = [];
  for (let s: Scope | undefined = scope; s && !out.includes(s); s = SCOPE_PARENTS[s]) out.push(s);
  return out;
}

/** The command bound to `key` in `scope` (scope bindings win over global ones). */
export function lookup(table: Keymap, scope: Scope, key: string): string | undefined {
  for (const s of activeScopes(scope)) {
    const b = table.find((e) => e.scope === s && e.keys.includes(key));
    if (b) return b.command;
  }
  return undefined;
}

export const keysOf = (table: Keymap, command: string): string[] => table.find((e) => e.command === command)?.keys ?? [];

export interface HelpItem {
  keys: string;
  description: string;
}

/**
 * The help bar for a scope: its own bindings first, then those of the scopes it falls back to, without
 * the keys a more specific scope took. `omit` leaves out commands that do nothing now.
 */
export function helpItems(table: Keymap, scope: Scope, all = false, omit: ReadonlySet<string> = new Set()): HelpItem[] {
  const out: HelpItem[] = [];
  const taken = new Set<string>();
  for (const s of activeScopes(scope)) {
    const mine = table.filter((b) => b.scope === s);
    for (const b of mine) {
      const keys = b.keys.filter((k) => !taken.has(k));
      if ((b.hidden && !all) || keys.length === 0 || omit.has(b.command)) continue;
      out.push({ keys: keys.slice(0, all ? 4 : 2).map(displayKey).join('/'), description: b.description });
    }
    for (const b of mine) for (const k of b.keys) taken.add(k);
  }
  return out;
}

/**
 * Keys bound twice in one effective scope, as messages. The board and a pane count the global bindings
 * (they must not hide them); the details scope hides the overlay's Esc on purpose, so it counts only its own.
 */
export function conflicts(table: Keymap): string[] {
  const out: string[] = [];
  const pairs = new Set<string>();
  const scopes = [...new Set(table.map((b) => b.scope))];
  for (const scope of scopes) {
    const seen = new Map<string, string>();
    const inScope = table.filter((b) => b.scope === scope || (scope !== 'global' && NORMAL_SCOPES.includes(scope) && b.scope === 'global'));
    for (const b of inScope) {
      for (const k of b.keys) {
        const other = seen.get(k);
        if (other && other !== b.command) {
          const pair = `${k}\0${other}\0${b.command}`;
          if (!pairs.has(pair)) out.push(`key ${k} is bound to both ${other} and ${b.command} (scope ${scope})`);
          pairs.add(pair);
        }
        else seen.set(k, b.command);
      }
    }
  }
  return out;
}

export type OverrideResult = { table: Keymap } | { errors: string[] };

/** Apply `keymap: {command: [keys]}` from config. Unknown commands, unreadable keys and clashes are errors. */
export function applyKeymapOverrides(table: Keymap, overrides: unknown): OverrideResult {
  if (overrides === undefined || overrides === null) return { table };
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    return { errors: ['keymap: expected a mapping of command to keys, e.g. keymap: {quit: ["q"]}'] };
  }
  const errors: string[] = [];
  const commands = table.map((b) => b.command);
  const next = table.map((b) => ({ ...b, keys: [...b.keys] }));
  for (const [command, value] of Object.entries(overrides as Record<string, unknown>)) {
    const binding = next.find((b) => b.command === command);
    if (!binding) {
      errors.push(`keymap: unknown command "${command}"${didYouMean(command, commands)}`);
      continue;
    }
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0 || list.some((k) => typeof k !== 'string')) {
      errors.push(`keymap.${command}: expected a key or a list of keys, e.g. ["${binding.keys[0] ?? 'x'}"]`);
      continue;
    }
    const keys: string[] = [];
    for (const k of list as string[]) {
      const parsed = parseKeyName(k);
      if (parsed.ok) keys.push(parsed.key);
      else errors.push(`keymap.${command}: ${parsed.message}`);
    }
    binding.keys = [...new Set(keys)];
  }
  if (errors.length) return { errors };
  const clashes = conflicts(next);
  if (clashes.length) return { errors: clashes.map((c) => `keymap: ${c}`) };
  return { table: next };
}
