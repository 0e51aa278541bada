// Drives the real `bin/conductor` in a pseudo-terminal and reads its screen through @xterm/headless,
// the way a person sees it. No tmux needed.
import xterm from '@xterm/headless';
import pty from 'node-pty';
import { BIN } from '../integration/run/helpers';

export interface Term {
  /** The visible screen as text, one line per row. */
  screen(): string;
  /** Everything the program wrote, raw. */
  raw(): string;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Until the screen matches `pattern`, or `pattern(screen)` holds. */
  waitFor(pattern: RegExp | string | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  exited: Promise<{ exitCode: number; signal?: number }>;
  kill(signal?: string): void;
}

export function spawnConductor(args: string[], opts: { cwd: string; cols?: number; rows?: number; env?: Record<string, string> }): Term {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 36;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  // CI=true is set for CI runs; the TUI must still draw live frames on a terminal, so the test keeps it.
  const env = { ...process.env, TERM: 'xterm-256color', CI: 'true', ...opts.env } as Record<string, string>;
  const child = pty.spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, cols, rows, env, name: 'xterm-256color' });
  let raw = '';
  child.onData((d) => {
    raw += d;
    term.write(d);
  });
  // The program's terminal queries get answers, as a real terminal would give.
  term.onData((d) => child.write(d));
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => child.onExit((e) => resolve(e)));
  const screen = () => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  const flush = () => new Promise<void>((r) => term.write('', r));
  return {
    screen,
    raw: () => raw,
    write: (d) => child.write(d),
    resize: (c, r) => {
      child.resize(c, r);
      term.resize(c, r);
    },
    async waitFor(pattern, timeoutMs = 20_000) {
      const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
      const ok = typeof re === 'function' ? re : (s: string) => re.test(s);
      const deadline = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      for (;;) {
        await flush();
        const s = screen();
        if (ok(s)) return s;
        if (Date.now() > deadline || done) {
          await new Promise((r) => setTimeout(r, done ? 50 : 0));
          await flush();
          const last = screen();
          if (ok(last)) return last;
          throw new Error(`timed out waiting for ${typeof re === 'function' ? 'the condition' : re} ${done ? '(program exited)' : ''}; screen:\n${last}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
    kill: (signal) => child.kill(signal),
  };
}
