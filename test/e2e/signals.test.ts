// e2e: `conductor tui` ended by a signal or by losing its terminal restores the terminal (main screen,
// bracketed paste off, cursor shown), stops its agents, keeps its log valid and exits 128 + the signal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pty from 'node-pty';
import { describe, expect, it } from 'vitest';
import { BIN, onlyExec, tempProject } from '../integration/run/helpers';
import { spawnConductor } from './term';

/** Every line of the log parses and seq strictly increases. */
function validLog(cwd: string, exec: string): { type: string; [k: string]: unknown }[] {
  const lines = readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
  const events = lines.map((l) => JSON.parse(l) as { seq: number; type: string });
  for (let i = 1; i < events.length; i++) expect(events[i].seq).toBeGreaterThan(events[i - 1].seq);
  return events;
}

function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) [ZX] /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(fn: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('conductor tui under signals', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGHUP', 129],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} restores the terminal, interrupts the execution and exits ${code}`, async () => {
      const cwd = tempProject();
      const t = spawnConductor(['tui', 'plans/demo.plan.yaml'], { cwd });
      await t.waitFor(/●[1-9]/, 45_000);
      const before = t.raw().length;
      t.kill(signal);
      const exit = await t.exited;
      const after = t.raw().slice(before);
      expect(after).toContain('\x1b[?1049l');
      expect(after).toContain('\x1b[?2004l');
      expect(after).toContain('\x1b[?25h');
      expect(after).not.toMatch(/internal error|at .*\.js:\d+/);
      expect(exit.exitCode).toBe(code);
      const events = validLog(cwd, onlyExec(cwd));
      expect(events.map((e) => e.type)).toContain('execution.interrupted');
    }, 90_000);
  }

  it('a terminal that goes away (PTY master closed) ends the TUI cleanly: agents stopped, log valid', async () => {
    const cwd = tempProject();
    const env = { ...process.env, TERM: 'xterm-256color', CI: 'true' } as Record<string, string>;
    const child = pty.spawn(process.execPath, [BIN, 'tui', 'plans/demo.plan.yaml'], { cwd, cols: 120, rows: 36, env, name: 'xterm-256color' });
    let raw = '';
    child.onData((d) => (raw += d));
    let exec = '';
    await waitFor(
      () => {
        try {
          exec ||= onlyExec(cwd);
          return validLog(cwd, exec).some((e) => e.type === 'session.spawned');
        } catch {
          return false;
        }
      },
      45_000,
      'an agent to start',
    );
    const agents = validLog(cwd, exec).filter((e) => e.type === 'session.spawned' && typeof e.pid === 'number').map((e) => e.pid as number);
    (child as unknown as { destroy(): void }).destroy();
    await waitFor(() => !alive(child.pid), 20_000, 'conductor to exit');
    for (const pid of agents) expect(alive(pid), `agent ${pid} outlived conductor`).toBe(false);
    const events = validLog(cwd, exec);
    expect(events.map((e) => e.type)).toContain('execution.interrupted');
    expect(raw).not.toMatch(/internal error/);
  }, 90_000);
});
