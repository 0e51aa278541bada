// Terminal drawing for the sim agent: colors, spinner frames, the approval box.
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

/** Word-wrap text to width; words longer than the width are split. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      let w = word;
      while (w.length > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

export interface BoxSpec {
  title: string;
  body: string;
  options: string[];
  selected: number;
  columns: number;
}

/** The approval box in the style of agent CLIs; returns its lines (no trailing newline). */
export function approvalBox(spec: BoxSpec): string[] {
  const maxInner = Math.max(20, spec.columns - 2);
  const bodyLines = wrap(spec.body, Math.max(10, maxInner - 4));
  const want = Math.max(46, spec.title.length + 2, ...bodyLines.map((l) => l.length + 4), ...spec.options.map((o) => o.length + 4));
  const inner = Math.min(maxInner, want);
  const row = (text: string): string => `│ ${text.padEnd(inner - 1).slice(0, inner - 1)}│`;
  return [
    `╭${'─'.repeat(inner)}╮`,
    row(spec.title),
    row(''),
    ...bodyLines.map((l) => row(`  ${l}`)),
    row(''),
    row('Do you want to proceed?'),
    ...spec.options.map((o, i) => row(`${i === spec.selected ? '❯' : ' '} ${o}`)),
    `╰${'─'.repeat(inner)}╯`,
  ];
}
