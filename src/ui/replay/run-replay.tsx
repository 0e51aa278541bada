// Runs the replay view full-screen (see full-screen.tsx): the alternate screen, and the terminal given back as it
// was on quit, on SIGINT/SIGTERM/SIGHUP and when the terminal goes.
import { restoreCiEnv } from '../ci-env';
import type { Recording } from '../../adapters/store/cast-reader';
import type { Theme } from '../theme';
import { runFullScreen } from '../full-screen';
import { ReplayView, type ReplayInfo } from './replay-view';

restoreCiEnv();

export interface RunReplayOptions {
  recording: Recording;
  info: ReplayInfo;
  speed?: number;
  theme?: Theme;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/** Plays until the person quits or a signal arrives; resolves with that signal, if any. */
export function runReplay(o: RunReplayOptions): Promise<{ signal?: NodeJS.Signals }> {
  // Whatever the recording turned on stays inside the emulator; the terminal is given back as the TUI gives it.
  return runFullScreen((exit) => <ReplayView recording={o.recording} info={o.info} speed={o.speed} theme={o.theme} onQuit={exit} />, {
    stdout: o.stdout ?? process.stdout,
    stdin: o.stdin ?? process.stdin,
    maxFps: 30,
  });
}
