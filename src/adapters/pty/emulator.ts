// The terminal emulator behind a message-shaped interface (bytes in with a callback, snapshots out),
// so it can move to a worker thread later. This is the in-thread @xterm/headless implementation.
import xterm from '@xterm/headless';
import type { ScreenLine, ScreenSnapshot } from '../../core/screen';
import { bufferText, lineToSpans, readBufferLines } from './snapshot';

export interface Disposable {
  dispose(): void;
}

export interface EmulatorOptions {
  cols: number;
  rows: number;
  scrollback: number;
}

export interface Emulator {
  /** Feed output; `done` runs once this chunk has been parsed. */
  write(data: string, done?: () => void): void;
  resize(cols: number, rows: number): void;
  /** Visible rows; `scrollOffset` lines up from the bottom of the buffer (0 = live view). */
  snapshot(scrollOffset?: number): ScreenSnapshot;
  /** Buffer rows [start, end). */
  readLines(start: number, end: number): ScreenLine[];
  text(): string;
  /** The normal buffer's text (scrollback and screen), whichever buffer is active. */
  normalText(): string;
  /** Whether the program turned on bracketed paste (DECSET 2004). */
  bracketedPaste(): boolean;
  /** The terminal's own replies (cursor position report, device attributes) that belong in the PTY input. */
  onReply(cb: (data: string) => void): Disposable;
  /** Screen, title or size changed. */
  onChange(cb: () => void): Disposable;
  dispose(): void;
}

export function createXtermEmulator(opts: EmulatorOptions): Emulator {
  const term = new xterm.Terminal({
    cols: opts.cols,
    rows: opts.rows,
    scrollback: opts.scrollback,
    allowProposedApi: true,
    logLevel: 'off',
  });
  const cell = term.buffer.active.getNullCell();
  let title = '';
  let cursorVisible = true;
  const changeCbs = new Set<() => void>();
  const changed = (): void => {
    for (const cb of changeCbs) cb();
  };
  const trackCursor = (visible: boolean) => (params: (number | number[])[]): boolean => {
    if (params.includes(25)) cursorVisible = visible;
    return false;
  };
  const subs: Disposable[] = [
    term.onWriteParsed(changed),
    term.onTitleChange((t) => {
      title = t;
      changed();
    }),
    term.parser.registerCsiHandler({ prefix: '?', final: 'h' }, trackCursor(true)),
    term.parser.registerCsiHandler({ prefix: '?', final: 'l' }, trackCursor(false)),
  ];
  let disposed = false;

  return {
    write(data, done) {
      if (disposed) {
        done?.();
        return;
      }
      term.write(data, done);
    },
    resize(cols, rows) {
      term.resize(cols, rows);
      changed();
    },
    snapshot(scrollOffset = 0) {
      const buf = term.buffer.active;
      const viewportY = Math.max(0, buf.baseY - Math.max(0, Math.floor(scrollOffset)));
      const lines: ScreenLine[] = [];
      for (let y = 0; y < term.rows; y++) lines.push(lineToSpans(buf.getLine(viewportY + y), term.cols, cell));
      return {
        cols: term.cols,
        rows: term.rows,
        lines,
        cursor: { x: buf.cursorX, y: buf.cursorY, visible: cursorVisible },
        title,
        bufferLength: buf.length,
        viewportY,
        alternate: buf.type === 'alternate',
      };
    },
    readLines(start, end) {
      return readBufferLines(term.buffer.active, start, end, term.cols, cell);
    },
    text() {
      const parts = [bufferText(term.buffer.normal)];
      if (term.buffer.active.type === 'alternate') parts.push(bufferText(term.buffer.alternate));
      return parts.filter(Boolean).join('\n');
    },
    normalText() {
      return bufferText(term.buffer.normal);
    },
    bracketedPaste() {
      return !disposed && term.modes.bracketedPasteMode;
    },
    onReply(cb) {
      return term.onData(cb);
    },
    onChange(cb) {
      changeCbs.add(cb);
      return { dispose: () => changeCbs.delete(cb) };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of subs) s.dispose();
      changeCbs.clear();
      term.dispose();
    },
  };
}
