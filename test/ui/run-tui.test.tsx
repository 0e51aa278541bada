import { expect, test, vi } from 'vitest';

// Ink decides at import time (is-in-ci) whether to draw live frames. This test drives runTui with a
// fake terminal, so it hides CI from Ink, as the CLI does when stdout is a real terminal.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});
import { runTui } from '../../src/ui/run-tui';
import { EXEC, planRuntime } from './fake-runtime';
import { FakeStdin, FakeStdout, settle } from './harness';

test('enters the alternate screen, quits through the runtime, restores the terminal and says how to resume', async () => {
  const rt = planRuntime();
  const stdout = new FakeStdout(100, 30);
  const stdin = new FakeStdin();
  const written = () => stdout.written.join('');
  let exitedWith: string | undefined;
  const done = runTui({
    runtime: rt,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    bell: false,
    onExit: (s) => (exitedWith = s.exec),
  });
  await settle(50);
  expect(written().startsWith('\x1b[?1049h')).toBe(true);
  expect(written()).toContain('Ship the todo API');
  stdin.write('q');
  await settle();
  stdin.write('y');
  await done;
  expect(rt.sent('quit')).toEqual([{ type: 'quit' }]);
  expect(written()).toContain('\x1b[?25h\x1b[?1049l');
  expect(written().endsWith(`conductor tui --resume ${EXEC} continues this execution.\n`)).toBe(true);
  expect(exitedWith).toBe(EXEC);
});
