// Runs the replay view full-screen on the alternate screen and gives the terminal back as it was on quit,
// on SIGINT/SIGTERM/SIGHUP and when the terminal goes (as run-tui.tsx does for the TUI).
import { restoreCiEnv } from '../ci-env';
import { render } from 'ink';
import type { Recording } from '../../adapters/store/cast-reader';
import type { Theme } from '../theme';
import { ReplayView, type ReplayInfo } from './replay-view';

restoreCiEnv();

// The same enter/leave sequences as the TUI's: whatever the recording turned on stays inside the emulator,
// and Ink's own modes (cursor, paste) are put back.
const ENTER = '\x1b[?1049h\x1b[?2004h\x1b[?25l\x1b[H\x1b[2J';
const LEAVE = '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l';
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const lostTerminal = (err: NodeJS.ErrnoException): boolean => ['EIO', 'EPIPE', 'ENXIO', 'EBADF', 'ECONNRESET'].includes(err.code ?? '');

export interface RunReplayOptions {
  recording: Recording;
  info: ReplayInfo;
  speed?: number;
  theme?: Theme;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/** Plays until the person quits or a signal arrives; resolves with that signal, if any. */
export async function runReplay(o: RunReplayOptions): Promise<{ signal?: NodeJS.Signals }> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  let gone = false;
  const write = (text: string) => {
    if (gone) return;
    try {
      stdout.write(text);
    } catch {
      gone = true;
    }
  };
  write(ENTER);
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
  };
  process.on('exit', restore);
  if (stdin.isTTY && !stdin.isRaw) stdin.setRawMode(true);
  const instance = render(<ReplayView recording={o.recording} info={o.info} speed={o.speed} theme={o.theme} onQuit={() => instance.unmount()} />, {
    stdout,
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 30,
    // As in the TUI: full frames, since Ink's incremental redraw misplaces lines in a full-screen layout.
    incrementalRendering: false,
  });
  let endedBy: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (endedBy) return;
    endedBy = signal;
    restore();
    try {
      instance.unmount();
    } catch {
      /* the terminal is gone */
    }
  };
  const onStreamError = (err: NodeJS.ErrnoException) => {
    if (!lostTerminal(err)) throw err;
    gone = true;
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
  }
  return endedBy ? { signal: endedBy } : {};
}
