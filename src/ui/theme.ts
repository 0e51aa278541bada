// Colors and status icons: the named themes users pick in settings (`theme: dark|light|mono`),
// or a whole Theme passed to runTui({theme}). An empty color means the terminal's default.
import type { UnitStatus } from '../core/events';

export interface Theme {
  accent: string;
  muted: string;
  ok: string;
  bad: string;
  warn: string;
  running: string;
  border: string;
  focusBorder: string;
  match: string;
  currentMatch: string;
  icons: Record<UnitStatus | 'waiting' | 'paused', string>;
}

export const DEFAULT_THEME: Theme = {
  accent: 'cyan',
  muted: 'gray',
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  running: 'blue',
  border: 'gray',
  focusBorder: 'cyan',
  match: 'yellow',
  currentMatch: 'magenta',
  icons: {
    pending: '○',
    running: '●',
    waiting: '⚑',
    paused: '‖',
    passed: '✓',
    failed: '✗',
    error: '⚠',
    skipped: '↷',
    cancelled: '■',
    interrupted: '⏸',
  },
};

/** For light backgrounds: no yellow or cyan text, darker accents. */
export const LIGHT_THEME: Theme = {
  ...DEFAULT_THEME,
  accent: 'blue',
  muted: 'gray',
  ok: 'green',
  bad: 'red',
  warn: 'magenta',
  running: 'blue',
  border: 'gray',
  focusBorder: 'blue',
  match: 'yellowBright',
  currentMatch: 'cyanBright',
};

/** No colors at all: matches are shown inverted. */
export const MONO_THEME: Theme = {
  ...DEFAULT_THEME,
  accent: '',
  muted: '',
  ok: '',
  bad: '',
  warn: '',
  running: '',
  border: '',
  focusBorder: '',
  match: '',
  currentMatch: '',
};

export const THEMES = { dark: DEFAULT_THEME, light: LIGHT_THEME, mono: MONO_THEME } as const;

export const themeNamed = (name: keyof typeof THEMES | undefined): Theme => THEMES[name ?? 'dark'] ?? DEFAULT_THEME;
