// `conductor run` when its terminal hangs up (SIGHUP) or its reader leaves (`run plan | head -2`):
// agents stopped, the log valid and resumable, a quiet exit with a distinct code, no stack trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, conductor, onlyExec, readEvents, tempProject } from '../run/helpers';

async function waitFor(fn: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function validLog(cwd: string, exec: string) {
  const events = readEvents(cwd, exec);
  for (let i = 1; i < events.length; i++) expect(events[i].seq).toBeGreaterThan(events[i - 1].seq);
  return events;
}

describe('conductor run under hangups and closed pipes', () => {
  it('SIGHUP stops the run like SIGINT: interrupted, resumable, exit 129', async () => {
    const cwd = tempProject();
    const child = conductor(cwd, ['run', 'test/fixtures/plans/slow.plan.yaml']);
    let out = '';
    child.all!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => /▶ second/.test(out), 30_000, 'the slow step');
    child.kill('SIGHUP');
    const r = await child;
    expect(r.exitCode, String(r.all)).toBe(129);
    expect(r.all).toMatch(/continue with: conductor resume exec-/);
    expect(r.all).not.toMatch(/internal error|\n\s+at /);
    const events = validLog(cwd, onlyExec(cwd));
    expect(events.map((e) => e.type)).toContain('execution.interrupted');
  });

  it('`run | head -2` does not crash: it stops the run quietly, the log stays valid and resumable', async () => {
    const cwd = tempProject();
    const r = await execa('/bin/sh', ['-c', `node ${BIN} run test/fixtures/plans/slow.plan.yaml | head -2`], {
      cwd,
      reject: false,
      all: true,
      env: { CI: 'true' },
      timeout: 60_000,
    });
    expect(r.all).not.toMatch(/internal error|EPIPE.*\n\s+at |Unhandled 'error' event/);
    expect(r.stdout.split('\n').filter(Boolean).length).toBe(2);
    expect(r.stderr).toMatch(/output closed \(EPIPE\): stopped exec-\S+; continue with: conductor resume exec-/);
    const exec = onlyExec(cwd);
    const events = validLog(cwd, exec);
    expect(events.map((e) => e.type)).toContain('execution.interrupted');
    // Nothing was released: the slow step was stopped, not finished.
    expect(events.some((e) => e.type === 'execution.finished')).toBe(false);
    expect(readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8').endsWith('\n')).toBe(true);
  });

  it('`run | head -2` exits 141 (128 + SIGPIPE)', async () => {
    const cwd = tempProject();
    const r = await execa('/bin/bash', ['-c', `set -o pipefail; node ${BIN} run test/fixtures/plans/slow.plan.yaml | head -2 >/dev/null`], {
      cwd,
      reject: false,
      all: true,
      env: { CI: 'true' },
      timeout: 60_000,
    });
    expect(r.exitCode, r.all).toBe(141);
  });
});
