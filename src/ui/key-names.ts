// Key names as written in the keymap and in user config: parsing, canonical form, display.

export const SPECIAL_KEYS = [
  'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end',
  'enter', 'esc', 'tab', 'backspace', 'delete', 'insert', 'space',
  'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10', 'f11', 'f12',
] as const;

const ALIASES: Record<string, string> = {
  return: 'enter', escape: 'esc', pgup: 'pageup', pgdn: 'pagedown', pgdown: 'pagedown', del: 'delete', ins: 'insert',
  arrowup: 'up', arrowdown: 'down', arrowleft: 'left', arrowright: 'right', bs: 'backspace', cr: 'enter',
};

const CTRL_SYMBOLS = ['[', '\\', ']', '^', '_', 'space'];
/** ctrl+letter combinations that a terminal cannot tell apart from another key. */
const CTRL_SAME_AS: Record<string, string> = { 'ctrl+i': 'tab', 'ctrl+m': 'enter', 'ctrl+[': 'esc' };

export type ParsedKey = { ok: true; key: string } | { ok: false; message: string };

const MODIFIER = /^(ctrl|control|c|alt|meta|m|option|shift|s)[+-](.+)$/i;
const MOD_NAMES: Record<string, 'ctrl' | 'alt' | 'shift'> = {
  ctrl: 'ctrl', control: 'ctrl', c: 'ctrl', alt: 'alt', meta: 'alt', m: 'alt', option: 'alt', shift: 'shift', s: 'shift',
};

/** Parse `ctrl+]`, `Shift+Up`, `PgDn`, `q`, `A` into the canonical name (`ctrl+]`, `shift+up`, `pagedown`, `q`, `A`). */
export function parseKeyName(input: string): ParsedKey {
  if (typeof input !== 'string' || input.length === 0) return { ok: false, message: 'a key name must be a non-empty string' };
  const mods = new Set<'ctrl' | 'alt' | 'shift'>();
  let rest = input;
  for (;;) {
    if ([...rest].length === 1) break;
    const m = MODIFIER.exec(rest);
    if (!m) break;
    mods.add(MOD_NAMES[m[1].toLowerCase()]);
    rest = m[2];
  }
  let base: string;
  if ([...rest].length === 1) {
    if (rest === ' ') base = 'space';
    else if (/[\u0000-\u001f\u007f]/.test(rest)) return { ok: false, message: `"${escapeForMessage(input)}" is a control character; write it as a name like ctrl+a` };
    else base = rest;
  } else {
    const lower = rest.toLowerCase();
    base = ALIASES[lower] ?? lower;
    if (!(SPECIAL_KEYS as readonly string[]).includes(base)) {
      return { ok: false, message: `cannot read key "${input}": expected one character (q, A, /), a name (${SPECIAL_KEYS.slice(0, 15).join(', ')}, f1-f12) or a modifier chord like ctrl+], alt+x, shift+up` };
    }
  }
  if (mods.has('ctrl')) {
    if (mods.size > 1 && base.length === 1) return { ok: false, message: `cannot read key "${input}": a terminal sends ctrl+${base} the same with or without other modifiers` };
    if (base.length === 1) {
      const c = base.toLowerCase();
      if (!/^[a-z]$/.test(c) && !CTRL_SYMBOLS.includes(c)) return { ok: false, message: `cannot read key "${input}": ctrl works with a letter or one of [ \\ ] ^ _ space` };
      const name = `ctrl+${c}`;
      return { ok: true, key: CTRL_SAME_AS[name] ?? name };
    }
    if (base === 'space') return { ok: true, key: 'ctrl+space' };
  }
  if (mods.has('shift') && base.length === 1) {
    if (mods.size === 1) return { ok: false, message: `cannot read key "${input}": write the shifted character itself (e.g. "A", "?")` };
    mods.delete('shift');
  }
  if (mods.has('shift') && ['enter', 'esc', 'backspace', 'space'].includes(base)) {
    return { ok: false, message: `cannot read key "${input}": terminals send shift+${base} the same as ${base}` };
  }
  const prefix = (['ctrl', 'alt', 'shift'] as const).filter((m) => mods.has(m)).map((m) => `${m}+`).join('');
  return { ok: true, key: prefix + base };
}

const escapeForMessage = (s: string): string => s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const GLYPHS: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
  enter: 'Enter', esc: 'Esc', tab: 'Tab', backspace: 'Bksp', delete: 'Del', insert: 'Ins', space: 'Space',
};

/** How a key is shown in the help bar: `↑`, `Ctrl-]`, `S-↓`, `PgUp`. */
export function displayKey(key: string): string {
  const parts = key.length > 1 ? key.split('+') : [key];
  if (key.endsWith('++')) parts.splice(parts.length - 2, 2, '+');
  const base = parts[parts.length - 1];
  const mods = parts.slice(0, -1).map((m) => (m === 'ctrl' ? 'Ctrl-' : m === 'alt' ? 'Alt-' : 'S-')).join('');
  const shown = GLYPHS[base] ?? (/^f\d+$/.test(base) ? base.toUpperCase() : base);
  return mods + shown;
}
