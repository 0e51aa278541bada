// Renders a component into fake streams of a chosen size (like ink-testing-library, with rows and
// resize), and writes keys to its stdin.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

export class FakeStdout extends EventEmitter {
  isTTY = true;
  frames: string[] = [];
  written: string[] = [];
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (data: string) => {
    this.written.push(data);
    if (data !== '\x07') this.frames.push(data);
    return true;
  };
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export const settle = (ms = 15) => new Promise((r) => setTimeout(r, ms));

/** Waits until `ok()` holds (a render committed, a callback ran), failing after `timeoutMs`: conditions, not sleeps. */
export async function until(ok: () => boolean, what = 'the condition', timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await settle(10);
  }
}

export function mount(node: ReactElement, size: { cols: number; rows: number } = { cols: 100, rows: 30 }) {
  const stdout = new FakeStdout(size.cols, size.rows);
  const stdin = new FakeStdin();
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => stdout.frames[stdout.frames.length - 1] ?? '';
  return {
    stdout,
    stdin,
    instance,
    frame,
    /** Types each key and lets it take effect: until no new frame came for two quiet intervals (a busy machine renders late). */
    async press(...keys: string[]) {
      for (const k of keys) {
        stdin.write(k);
        await settle();
        for (let quiet = 0, seen = stdout.frames.length; quiet < 2; ) {
          await settle();
          if (stdout.frames.length === seen) quiet++;
          else [quiet, seen] = [0, stdout.frames.length];
        }
      }
    },
    /** Waits until the last frame contains `text`. */
    async shows(text: string, timeoutMs?: number) {
      await until(() => frame().includes(text), `a frame showing ${JSON.stringify(text)}`, timeoutMs);
    },
    unmount() {
      instance.unmount();
      instance.cleanup();
    },
  };
}

export const KEY = {
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', enter: '\r', esc: '\x1b', tab: '\t',
  pageUp: '\x1b[5~', pageDown: '\x1b[6~', backspace: '\x7f', leave: '\x1d', ctrlC: '\x03',
};
