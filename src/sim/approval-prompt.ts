// The sim agent's on-screen approval prompt: draws the panel, reads keys, erases the panel, returns the choice.
import { approvalPanel, c, eraseUp, rowsOf } from './render';

export type Choice = 'allow' | 'always' | 'deny';

export const OPTIONS = ['1. Yes (y)', '2. Yes, always for this session (a)', '3. No (esc)'];
const CHOICES: Choice[] = ['allow', 'always', 'deny'];

export interface PromptIO {
  write(s: string): void;
  columns(): number;
  /** Subscribe to raw key input; returns an unsubscribe function. */
  onKeys(handler: (data: string) => void): () => void;
}

/** Maps one chunk of raw input to an action on the prompt. */
export function keyAction(data: string): { choose: Choice } | { move: -1 | 1 } | { enter: true } | undefined {
  if (data === '\x1b' || data === '\x1b\x1b') return { choose: 'deny' };
  if (data.startsWith('\x1b[A') || data.startsWith('\x1bOA')) return { move: -1 };
  if (data.startsWith('\x1b[B') || data.startsWith('\x1bOB')) return { move: 1 };
  if (data === '\r' || data === '\n') return { enter: true };
  const k = data[0]?.toLowerCase();
  if (k === 'y' || k === '1') return { choose: 'allow' };
  if (k === 'a' || k === '2') return { choose: 'always' };
  if (k === 'n' || k === '3') return { choose: 'deny' };
  return undefined;
}

export function askApproval(io: PromptIO, title: string, body: string): Promise<Choice> {
  let selected = 0;
  let drawn: string[] = [];
  // Rows the drawn lines take now: the terminal wrapped the long ones (and rewraps them on a resize).
  const erase = (): string => eraseUp(drawn.reduce((n, l) => n + rowsOf(l, io.columns()), 0));
  const draw = (): void => {
    const lines = approvalPanel({ title, body, options: OPTIONS, selected, columns: io.columns() });
    const colored = lines.map((l, i) => {
      const opt = i - (lines.length - 1 - OPTIONS.length);
      return opt === selected ? c.cyan(l) : c.yellow(l);
    });
    io.write(erase() + colored.join('\r\n') + '\r\n');
    drawn = lines;
  };
  draw();
  return new Promise((resolve) => {
    const off = io.onKeys((data) => {
      const a = keyAction(data);
      if (!a) return;
      if ('move' in a) {
        selected = (selected + a.move + OPTIONS.length) % OPTIONS.length;
        draw();
        return;
      }
      const choice = 'enter' in a ? CHOICES[selected] : a.choose;
      off();
      io.write(erase());
      resolve(choice);
    });
  });
}
