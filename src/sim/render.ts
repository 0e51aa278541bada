// Terminal drawing for the sim agent: colors, spinner frames, the approval prompt.
import { cellWidth } from '../core/screen';

export const c = {
  reset: '\x1b[0m',
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  red: (s: string) => `\x1b[31m${s}\x1b[39m`,
  green: (s: string) => `\x1b[32m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
  blue: (s: string) => `\x1b[34m${s}\x1b[39m`,
  magenta: (s: string) => `\x1b[35m${s}\x1b[39m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
  orange: (s: string) => `\x1b[38;5;208m${s}\x1b[39m`,
};

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export const HIDE_CURSOR = '\x1b[?25h'.replace('h', 'l');
export const SHOW_CURSOR = '\x1b[?25h';
export const CLEAR_LINE = '\r\x1b[2K';

/** Move up n lines to column 0 and clear to the end of the screen. */
export const eraseUp = (n: number): string => (n > 0 ? `\x1b[${n}A\r\x1b[J` : '\r\x1b[J');

/** Visible text of a line: SGR color sequences removed. */
export const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Rows a line printed from column 0 takes once the terminal has wrapped it at `columns`. */
export const rowsOf = (line: string, columns: number): number =>
  Math.max(1, Math.ceil(cellWidth(plain(line)) / Math.max(1, columns)));

export interface PromptSpec {
  title: string;
  body: string;
  options: string[];
  selected: number;
  columns: number;
}

/**
 * The approval prompt the way a CLI that leaves wrapping to the terminal draws it: a rule, the title,
 * the body on its own line(s) exactly as given, the question, the options, a rule. The body is never
 * re-wrapped here: a line longer than the pane is wrapped by the terminal, which marks the wrap, so a
 * reader of the screen (the detector) gets it back byte for byte. Each line of a multi-line body is
 * its own indented line. Returns the lines (no trailing newline).
 */
export function approvalPanel(spec: PromptSpec): string[] {
  const rule = '─'.repeat(Math.max(1, Math.min(spec.columns, 60)));
  return [
    rule,
    ` ${spec.title}`,
    '',
    ...spec.body.split('\n').map((l) => `   ${l}`),
    '',
    ' Do you want to proceed?',
    ...spec.options.map((o, i) => ` ${i === spec.selected ? '❯' : ' '} ${o}`),
    rule,
  ];
}
