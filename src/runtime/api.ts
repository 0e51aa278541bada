// What the UI, the headless printer and tests see of a running execution: snapshots of state,
// screens read from pane emulators, and commands (the same objects whether from a key, the CLI or a test).
import type { ExecState } from '../core/state';
import type { ScreenLine, ScreenSnapshot } from '../core/screen';
import type { Decision } from '../core/types';

export type Command =
  /** Start the execution; once running and held, start the next ready step (step by step). */
  | { type: 'start' }
  /** Hold (no new steps start; running ones go on) or release; toggles when `held` is omitted. */
  | { type: 'hold'; held?: boolean }
  | { type: 'approve'; id: string; decision: Decision }
  | { type: 'pause'; session: string }
  | { type: 'continue'; session: string }
  | { type: 'stop'; session: string }
  /** The session is done: end its CLI gracefully (as at the end of a turn) and verify the step. */
  | { type: 'finish'; session: string }
  | { type: 'retry'; unit: string }
  /** Bytes typed or pasted into a session's PTY (a paste is recorded as such and never answers a prompt). */
  | { type: 'input'; session: string; data: string; paste?: boolean }
  | { type: 'resize'; session: string; cols: number; rows: number }
  /** The size of the main pane: sessions that start from now on start at it. */
  | { type: 'pane-size'; cols: number; rows: number }
  /** Stop live sessions cleanly, mark them interrupted, save. */
  | { type: 'quit' };

export interface RuntimeApi {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ExecState;
  command(cmd: Command): Promise<void>;
  /** The session's visible screen, or `scrollback` lines above the bottom. Undefined before it starts. */
  screen(session: string, scrollback?: number): ScreenSnapshot | undefined;
  /** Buffer lines [start, end) of a session (scrollback and screen), for paging and search. */
  readLines(session: string, start: number, end: number): ScreenLine[];
  /** Whether the session's agent asked its terminal for bracketed paste (a paste is then wrapped, not typed). */
  bracketedPaste(session: string): boolean;
  /** Paths of the session's transcript and recording, for display. */
  artifacts(session: string): { transcript: string; cast: string } | undefined;
}
