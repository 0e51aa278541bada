// Colors and status icons, overridable as a whole through runTui({theme}).
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
    skipped: '↷',
    cancelled: '■',
    interrupted: '⏸',
  },
};
