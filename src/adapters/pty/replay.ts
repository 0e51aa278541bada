// Plays a recorded session's output back through a headless terminal, on the recording's own clock, and reports
// the screens it showed as they would have been seen live: after each stretch of output that the next one did not
// follow at once, and right before the program switched between the normal and the alternate screen.
import { logicalLines } from '../../core/screen';
import { createXtermEmulator } from './emulator';

export type RecordedEvent = [seconds: number, code: string, data: string];

export interface ReplayOptions {
  cols: number;
  rows: number;
  /** Epoch ms of second 0. */
  startMs: number;
  /** A screen that stays at least this long is reported (ms); shorter ones only before a buffer switch. */
  quietMs?: number;
  scrollback?: number;
}

export interface Replayed {
  /** The normal buffer's text at the end (scrollback and screen), whichever buffer was active. */
  normalText: string;
  /** Epoch ms of the last event. */
  endMs: number;
}

/** DECSET/DECRST of the alternate screen (1049, 1047, 47), where a chunk must be split to see the screen before it. */
const SWITCH = /\x1b\[\?(?:1049|1047|47)[hl]/g;

export async function replayOutput(
  events: readonly RecordedEvent[],
  opts: ReplayOptions,
  onFrame: (ts: number, text: string, alternate: boolean) => void,
): Promise<Replayed> {
  const quiet = opts.quietMs ?? 100;
  const emu = createXtermEmulator({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback ?? 10_000 });
  const write = (data: string) => new Promise<void>((r) => emu.write(data, r));
  const frame = (ts: number) => {
    const snap = emu.snapshot();
    onFrame(ts, logicalLines(snap).join('\n'), snap.alternate);
  };
  let endMs = opts.startMs;
  // When the screen next changes after each event (seconds; Infinity after the last).
  const nextChange: number[] = new Array<number>(events.length);
  for (let i = events.length - 1, after = Infinity; i >= 0; i--) {
    nextChange[i] = after;
    if (events[i][1] === 'o' || events[i][1] === 'r') after = events[i][0];
  }
  try {
    for (let i = 0; i < events.length; i++) {
      const [t, code, data] = events[i];
      const ts = opts.startMs + t * 1000;
      endMs = ts;
      if (code === 'r') {
        const m = /^(\d+)x(\d+)$/.exec(data);
        if (m) emu.resize(Number(m[1]), Number(m[2]));
        frame(ts);
        continue;
      }
      if (code !== 'o') continue;
      let from = 0;
      for (const m of data.matchAll(SWITCH)) {
        if (m.index > from) await write(data.slice(from, m.index));
        frame(ts);
        from = m.index;
      }
      await write(data.slice(from));
      if ((nextChange[i] - t) * 1000 >= quiet) frame(ts);
    }
    return { normalText: emu.normalText(), endMs };
  } finally {
    emu.dispose();
  }
}
