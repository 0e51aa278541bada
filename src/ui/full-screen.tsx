// Owning the terminal for a full-screen Ink view (the TUI, replay): the alternate screen and raw mode on entry, and
// the terminal given back as it was on quit, on SIGINT/SIGTERM/SIGHUP, when the terminal goes, and at process exit.
import { render } from 'ink';
import type { ReactElement } from 'react';

const ENTER = '\x1b[?1049h\x1b[?2004h\x1b[?25l\x1b[H\x1b[2J';
// Mouse reporting and bracketed paste off, cursor shown, main screen back: whatever an agent's pane or
// Ink turned on, the shell gets its terminal as it was.
const LEAVE = '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l';
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const lostTerminal = (err: NodeJS.ErrnoException): boolean => ['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ECONNRESET'].includes(err.code ?? '');
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Collects console output while the view owns the screen; hands it back afterwards. */
function holdConsole(): () => string[] {
  const held: string[] = [];
  const saved = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  for (const m of CONSOLE_METHODS) console[m] = (...args: unknown[]) => void held.push(args.map(String).join(' '));
  return () => {
    for (const [m, fn] of saved) console[m] = fn;
    return held;
  };
}

/**
 * Put the terminal in raw mode before Ink does (Ink turns it on only once its input hook has mounted): a key
 * typed while the first frame draws then arrives as typed (Enter stays \r) and waits in the stream for Ink,
 * instead of being turned into a newline by the terminal's line discipline.
 */
export function rawEarly(stdin: NodeJS.ReadStream): void {
  if (stdin.isTTY && !stdin.isRaw) stdin.setRawMode(true);
}

export interface FullScreenOptions {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  maxFps: number;
  /** Console output is held while the view owns the screen and printed to stderr once it is restored. */
  holdConsole?: boolean;
  /** Run before the screen is restored when a signal or a lost terminal ends the view (given 3 s at most). */
  beforeStop?: () => Promise<unknown>;
  /** Run once the terminal is restored, however the view ended; `write` writes to it unless it is gone. */
  afterRestore?: (write: (text: string) => void) => void;
}

export interface FullScreenEnd {
  /** The signal that ended the view (a lost terminal counts as SIGHUP); absent when it exited by itself. */
  signal?: NodeJS.Signals;
}

/** Shows `view(exit)` full-screen until it calls `exit`, a signal arrives or the terminal goes; the terminal is restored in every case. */
export async function runFullScreen(view: (exit: () => void) => ReactElement, o: FullScreenOptions): Promise<FullScreenEnd> {
  const { stdout, stdin } = o;
  // Once the terminal is gone, writing to it fails: nothing more is written, and nothing throws.
  let terminalGone = false;
  const write = (text: string): void => {
    if (terminalGone) return;
    try {
      stdout.write(text);
    } catch {
      terminalGone = true;
    }
  };
  write(ENTER);
  const releaseConsole = o.holdConsole ? holdConsole() : () => [];
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    write(LEAVE);
    try {
      if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    } catch {
      /* the terminal is gone */
    }
    for (const line of releaseConsole()) {
      try {
        process.stderr.write(`${line}\n`);
      } catch {
        /* nowhere to say it */
      }
    }
  };
  process.on('exit', restore);
  rawEarly(stdin);

  const instance = render(view(() => instance.unmount()), {
    stdout,
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: o.maxFps,
    // Ink 6.8's incremental redraw misplaces lines in these layouts (seen through @xterm/headless); full frames are correct.
    incrementalRendering: false,
  });

  // A signal (SIGINT from `kill`, SIGTERM, SIGHUP when the terminal closes) or a lost terminal (EIO on
  // stdin or stdout) ends the view the way quitting does, after `beforeStop`, with the terminal restored;
  // the caller then exits 128 + the signal's number.
  let endedBy: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (endedBy) return;
    endedBy = signal;
    const before = o.beforeStop
      ? Promise.race([o.beforeStop().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())])
      : Promise.resolve();
    void before.finally(() => {
      restore();
      try {
        instance.unmount();
      } catch {
        /* the terminal is gone */
      }
    });
  };
  const onStreamError = (err: NodeJS.ErrnoException) => {
    if (!lostTerminal(err)) throw err;
    terminalGone = true;
    stop('SIGHUP');
  };
  for (const s of SIGNALS) process.on(s, stop);
  stdout.on('error', onStreamError);
  stdin.on('error', onStreamError);

  try {
    await instance.waitUntilExit();
  } finally {
    for (const s of SIGNALS) process.off(s, stop);
    process.off('exit', restore);
    try {
      instance.cleanup();
    } catch {
      /* the terminal is gone */
    }
    restore();
    o.afterRestore?.(write);
  }
  // The stream listeners stay: a late write to a closed terminal must not crash the exit.
  return endedBy ? { signal: endedBy } : {};
}
