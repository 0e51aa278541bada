import { EventEmitter } from 'node:events';
import { expect, test, vi } from 'vitest';

// Ink decides at import time (is-in-ci) whether to draw live frames. This test drives runTui with a
// fake terminal, so it hides CI from Ink, as the CLI does when stdout is a real terminal.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});
import { runTui } from '../../src/ui/run-tui';
import { EXEC, planRuntime } from './fake-runtime';
import { settle } from './harness';

class Out extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  text = '';
  write = (d: string) => {
    this.text += d;
    return true;
  };
}
class In extends EventEmitter {
  isTTY = true;
  private d: string | null = null;
  write(d: string) {
    this.d = d;
    this.emit('readable');
  }
  read = () => {
    const d = this.d;
    this.d = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

test('enters the alternate screen, quits through the runtime, restores the terminal and says how to resume', async () => {
  const rt = planRuntime();
  const stdout = new Out();
  const stdin = new In();
  let exitedWith: string | undefined;
  const done = runTui({
    runtime: rt,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    bell: false,
    onExit: (s) => (exitedWith = s.exec),
  });
  await settle(50);
  expect(stdout.text.startsWith('\x1b[?1049h')).toBe(true);
  expect(stdout.text).toContain('Ship the todo API');
  stdin.write('q');
  await settle();
  stdin.write('y');
  await done;
  expect(rt.sent('quit')).toEqual([{ type: 'quit' }]);
  expect(stdout.text).toContain('\x1b[?25h\x1b[?1049l');
  expect(stdout.text.endsWith(`conductor tui --resume ${EXEC} continues this execution.\n`)).toBe(true);
  expect(exitedWith).toBe(EXEC);
});
