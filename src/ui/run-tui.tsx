// Entry points: the full-screen TUI on the alternate screen, and the start picker. The first
// import hides `CI` from Ink while it loads (see ci-env.ts); keep it first.
import { restoreCiEnv } from './ci-env';
import { render } from 'ink';
import { UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import type { RuntimeApi } from '../runtime/api';
import { App } from './app';
import { Picker } from './components/picker';
import type { PickerItem } from './components/picker';
import type { Keymap } from './keymap';
import type { Theme } from './theme';

restoreCiEnv();

export type { PickerItem } from './components/picker';

export interface RunTuiOptions {
  runtime: RuntimeApi;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Ring the bell on a new approval (default true), or a function to call instead. */
  bell?: boolean | (() => void);
  /** A keymap table, e.g. from applyKeymapOverrides(DEFAULT_KEYMAP, config.keymap). */
  keymap?: Keymap;
  theme?: Theme;
  /** Frames per second at most (Ink's render throttle). Default 30. */
  maxFps?: number;
  /** Called once the screen is restored, with the last execution state. */
  onExit?: (exec: ExecState) => void;
  /** After leaving, print how to continue an unfinished execution (default true). */
  resumeHint?: boolean;
}

export interface TuiEnd {
  /** The signal that ended the TUI (a lost terminal counts as SIGHUP); absent when the person quit. */
  signal?: NodeJS.Signals;
}


const ENTER = '\x1b[?1049h\x1b[?2004h\x1b[?25l\x1b[H\x1b[2J';
// Mouse reporting and bracketed paste off, cursor shown, main screen back: whatever an agent's pane or
// Ink turned on, the shell gets its terminal as it was.
const LEAVE = '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l';
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const lostTerminal = (err: NodeJS.ErrnoException): boolean => ['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ECONNRESET'].includes(err.code ?? '');
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Put the terminal in raw mode before Ink does (Ink turns it on only once its input hook has mounted): a key
 * typed while the first frame draws then arrives as typed (Enter stays \r) and waits in the stream for Ink,
 * instead of being turned into a newline by the terminal's line discipline.
 */
function rawEarly(stdin: NodeJS.ReadStream): void {
  if (stdin.isTTY && !stdin.isRaw) stdin.setRawMode(true);
}

/** Collects console output while the TUI owns the screen; hands it back afterwards. */
function holdConsole(): () => string[] {
  const held: string[] = [];
  const saved = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  for (const m of CONSOLE_METHODS) console[m] = (...args: unknown[]) => void held.push(args.map(String).join(' '));
  return () => {
    for (const [m, fn] of saved) console[m] = fn;
    return held;
  };
}

/** Run the TUI until the person quits (or a signal arrives, or the terminal goes). The terminal is restored in every case. */
export async function runTui(o: RunTuiOptions): Promise<TuiEnd> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
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
  const releaseConsole = holdConsole();
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

  const instance = render(<App runtime={o.runtime} keymap={o.keymap} theme={o.theme} bell={o.bell ?? true} />, {
    stdout,
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: o.maxFps ?? 30,
    // Ink 6.8's incremental redraw misplaces lines in this layout (seen through @xterm/headless); full frames are correct.
    incrementalRendering: false,
  });

  // A signal (SIGINT from `kill`, SIGTERM, SIGHUP when the terminal closes) or a lost terminal (EIO on
  // stdin or stdout) ends the TUI the way quitting does: agents stopped, the log flushed, the terminal
  // restored; the caller then exits 128 + the signal's number.
  let endedBy: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (endedBy) return;
    endedBy = signal;
    const quit = Promise.race([o.runtime.command({ type: 'quit' }).catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    void quit.finally(() => {
      restore();
      try {
        instance.unmount();
      } catch {
        /* the terminal is gone */
      }
    });
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  const onStreamError = (err: NodeJS.ErrnoException) => {
    if (!lostTerminal(err)) throw err;
    terminalGone = true;
    stop('SIGHUP');
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  stdout.on('error', onStreamError);
  stdin.on('error', onStreamError);

  try {
    await instance.waitUntilExit();
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off('exit', restore);
    try {
      instance.cleanup();
    } catch {
      /* the terminal is gone */
    }
    restore();
    const last = o.runtime.getSnapshot();
    if (o.resumeHint !== false && UNFINISHED_EXEC_STATUSES.includes(last.status)) write(`conductor tui --resume ${last.exec} continues this execution.\n`);
    o.onExit?.(last);
  }
  // The listeners stay: a late write to a closed terminal must not crash the exit.
  return endedBy ? { signal: endedBy } : {};
}

export interface RunPickerOptions {
  items: PickerItem[];
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/** Show the picker inline; resolves with the chosen item, or undefined when the person quits. */
export async function runPicker(o: RunPickerOptions): Promise<PickerItem | undefined> {
  let chosen: PickerItem | undefined;
  rawEarly(o.stdin ?? process.stdin);
  const instance = render(
    <Picker
      items={o.items}
      limit={Math.max(3, ((o.stdout ?? process.stdout).rows || 24) - 4)}
      onSelect={(item) => {
        chosen = item;
        instance.unmount();
      }}
      onCancel={() => instance.unmount()}
    />,
    { stdout: o.stdout ?? process.stdout, stdin: o.stdin ?? process.stdin, exitOnCtrlC: true, patchConsole: false },
  );
  await instance.waitUntilExit();
  instance.cleanup();
  return chosen;
}
