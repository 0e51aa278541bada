// A flood of output stays bounded in the emulator queue and still arrives complete.
import { expect, test } from 'vitest';
import { tmpdir } from 'node:os';
import { createXtermEmulator, HIGH_WATER, LOW_WATER, spawnPtySession } from '../../../src/adapters/pty';

test('8 MB flood: bounded backlog, every byte delivered', async () => {
  const MB = 8;
  const line = `${'0123456789abcdef'.repeat(6)}\n`;
  const count = Math.ceil((MB * 1024 * 1024) / line.length);
  const s = spawnPtySession({
    command: process.execPath,
    args: ['-e', `const l=${JSON.stringify(line)}.repeat(1000);for(let i=0;i<${Math.ceil(count / 1000)};i++)process.stdout.write(l)`],
    cwd: tmpdir(),
    env: { ...process.env },
    scrollback: 1000,
  });
  let received = 0;
  let maxBacklog = 0;
  s.onData((d) => {
    received += d.length;
    maxBacklog = Math.max(maxBacklog, s.backlog + d.length);
  });
  const e = await s.exited;
  expect(e.exitCode).toBe(0);
  expect(received).toBe(Math.ceil(count / 1000) * 1000 * (line.length + 1));
  expect(s.backlog).toBe(0);
  expect(maxBacklog).toBeLessThan(HIGH_WATER + 512 * 1024);
  expect(s.text().split('\n').at(-1)).toBe(line.trim());
  s.dispose();
}, 120_000);

test('a slow emulator pauses reading: backlog stays under the high-water mark, nothing lost', async () => {
  let maxBacklog = 0;
  let delivered = 0;
  const s = spawnPtySession({
    command: process.execPath,
    args: ['-e', `const l='x'.repeat(99)+'\\n';for(let i=0;i<40000;i++)process.stdout.write(l)`],
    cwd: tmpdir(),
    env: { ...process.env },
    scrollback: 100,
    createEmulator: (o) => {
      // A slow emulator: it parses, but reports chunks done only once more than the high-water mark is
      // waiting (or the stream went quiet), so reading must pause however fast this machine is.
      const real = createXtermEmulator(o);
      let queue: { n: number; done?: () => void }[] = [];
      let held = 0;
      let quiet: NodeJS.Timeout | undefined;
      const release = () => {
        const q = queue;
        queue = [];
        held = 0;
        for (const w of q) w.done?.();
      };
      return {
        ...real,
        write(data, done) {
          real.write(data, () => {
            queue.push({ n: data.length, done });
            held += data.length;
            if (quiet) clearTimeout(quiet);
            if (held > HIGH_WATER) release();
            else quiet = setTimeout(release, 50);
          });
        },
        dispose() {
          if (quiet) clearTimeout(quiet);
          real.dispose();
        },
      };
    },
  });
  s.onData((d) => {
    delivered += d.length;
    maxBacklog = Math.max(maxBacklog, s.backlog + d.length);
  });
  const e = await s.exited;
  expect(e.exitCode).toBe(0);
  expect(delivered).toBe(40000 * 101);
  expect(maxBacklog).toBeGreaterThan(LOW_WATER);
  expect(maxBacklog).toBeLessThan(HIGH_WATER + 512 * 1024);
  s.dispose();
}, 120_000);
