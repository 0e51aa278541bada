// Time to first frame of `conductor tui plans/demo.plan.yaml`: from spawning the process in a PTY to
// the first screen that shows the header and the board. Median of N runs (default 10).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import pty from 'node-pty';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Spawns `args` under node in a PTY and resolves with the ms until the screen matches every pattern. */
export function timeToScreen(args, cwd, patterns) {
  return new Promise((done, fail) => {
    const term = new xterm.Terminal({ cols: 120, rows: 36, allowProposedApi: true });
    const started = performance.now();
    const child = pty.spawn(process.execPath, args, {
      cwd,
      cols: 120,
      rows: 36,
      name: 'xterm-256color',
      env: { ...process.env, TERM: 'xterm-256color' },
    });
    let finished = false;
    const timer = setTimeout(() => fail(new Error('no frame within 20 s')), 20_000);
    child.onData((d) =>
      term.write(d, () => {
        if (finished) return;
        const buf = term.buffer.active;
        const text = Array.from({ length: term.rows }, (_, y) => buf.getLine(y)?.translateToString(true) ?? '').join('\n');
        if (patterns.every((p) => p.test(text))) {
          finished = true;
          clearTimeout(timer);
          const ms = performance.now() - started;
          child.kill('SIGTERM');
          child.onExit(() => done(ms));
        }
      }),
    );
    term.onData((d) => child.write(d));
  });
}

export async function firstFrame(runs = 10) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const cwd = mkdtempSync(join(tmpdir(), 'conductor-bench-'));
    cpSync(join(repo, 'plans'), join(cwd, 'plans'), { recursive: true });
    times.push(await timeToScreen([join(repo, 'bin/conductor'), 'tui', 'plans/demo.plan.yaml'], cwd, [/Add a greeting module/, /Steps/]));
  }
  return summarize(times);
}

export function summarize(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { runs: times.length, median, min: sorted[0], max: sorted.at(-1), times };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await firstFrame(Number(process.argv[2] ?? 10));
  console.log(JSON.stringify(r));
}
