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


const ENTER = '\x1b[?1049h\x1b[?2004h\x1b[?25l\x1b[H\x1b[2J';
const LEAVE = '\x1b[?2004l\x1b[?25h\x1b[?1049l';
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

/** Run the TUI until the person quits (or a signal arrives). The terminal is restored in every case. */
export async function runTui(o: RunTuiOptions): Promise<void> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  stdout.write(ENTER);
  const releaseConsole = holdConsole();
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE);
    for (const line of releaseConsole()) process.stderr.write(`${line}\n`);
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

  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    const othersListen = process.listenerCount(signal) > 1;
    const quit = Promise.race([o.runtime.command({ type: 'quit' }).catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    void quit.finally(() => {
      instance.unmount();
      restore();
      if (!othersListen) {
        for (const s of signals) process.off(s, onSignal);
        process.kill(process.pid, signal);
      }
    });
  };
  for (const s of signals) process.on(s, onSignal);

  try {
    await instance.waitUntilExit();
  } finally {
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', restore);
    instance.cleanup();
    restore();
    const last = o.runtime.getSnapshot();
    if (o.resumeHint !== false && UNFINISHED_EXEC_STATUSES.includes(last.status)) stdout.write(`conductor tui --resume ${last.exec} continues this execution.\n`);
    o.onExit?.(last);
  }
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
