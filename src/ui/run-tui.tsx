// Entry points: the full-screen TUI on the alternate screen, and the start picker. The first
// import hides `CI` from Ink while it loads (see ci-env.ts); keep it first.
import { restoreCiEnv } from './ci-env';
import { render } from 'ink';
import { UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import type { RuntimeApi } from '../runtime/api';
import { App } from './app';
import type { CompareLoader } from './hooks/use-controller';
import { Picker } from './components/picker';
import type { PickerItem } from './components/picker';
import type { Keymap } from './keymap';
import type { Theme } from './theme';
import { rawEarly, runFullScreen, type FullScreenEnd } from './full-screen';

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
  /** A comparison: reads what each lane changed, for the comparison view (the UI reads no files itself). */
  loadCompare?: CompareLoader;
}

export type { FullScreenEnd as TuiEnd } from './full-screen';

/** Run the TUI until the person quits (or a signal arrives, or the terminal goes). The terminal is restored in every case. */
export async function runTui(o: RunTuiOptions): Promise<FullScreenEnd> {
  // A signal or a lost terminal ends the TUI the way quitting does: agents stopped and the log flushed first.
  return runFullScreen(() => <App runtime={o.runtime} keymap={o.keymap} theme={o.theme} bell={o.bell ?? true} loadCompare={o.loadCompare} />, {
    stdout: o.stdout ?? process.stdout,
    stdin: o.stdin ?? process.stdin,
    maxFps: o.maxFps ?? 30,
    holdConsole: true,
    beforeStop: () => o.runtime.command({ type: 'quit' }),
    afterRestore: (write) => {
      const last = o.runtime.getSnapshot();
      if (o.resumeHint !== false && UNFINISHED_EXEC_STATUSES.includes(last.status)) write(`conductor tui --resume ${last.exec} continues this execution.\n`);
      o.onExit?.(last);
    },
  });
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
