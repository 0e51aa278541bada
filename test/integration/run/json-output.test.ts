// `conductor run --json` / `resume --json`: stdout is the event log, one redacted JSON event a line (the
// same lines as events.jsonl), then a `run.summary`; notices stay on stderr; a closed pipe exits 141.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, conductor, onlyExec, tempProject } from './helpers';

const GHP = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const ENV_SECRET = 'q8Zr2mVx7LpT4kWs9NbY';

/** The demo plan with a GitHub token in its goal and the value of an env secret in a task. */
function secretDemo(cwd: string): void {
  const file = join(cwd, 'plans/demo.plan.yaml');
  const text = readFileSync(file, 'utf8')
    .replace('goal: Add a greeting module with tests to a tiny Node project', `goal: "Add a greeting module (deploy key ${GHP})"`)
    .replace('task: Write docs/usage.md explaining how to use greet().', `task: "Write docs/usage.md explaining how to use greet() with ${ENV_SECRET}."`);
  expect(text).toContain(GHP);
  expect(text).toContain(ENV_SECRET);
  writeFileSync(file, text);
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

describe('conductor run --json', () => {
  it('prints each logged event as its events.jsonl line, redacted, then a run.summary', async () => {
    const cwd = tempProject();
    secretDemo(cwd);
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--approve', 'all', '--json'], { env: { CI: 'true', DEMO_DEPLOY_TOKEN: ENV_SECRET } });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = lines(String(r.stdout));
    const parsed = out.map((l) => JSON.parse(l) as { seq?: number; type: string; [k: string]: unknown });
    const summary = parsed.pop()!;
    const exec = onlyExec(cwd);
    expect(summary).toEqual({ type: 'run.summary', exec, status: 'passed', exitCode: 0, proof: `proof/${exec}`, trace: `trace/${exec}` });

    // Line for line the log: same seq, ts, type and fields, in the same order.
    const logged = lines(readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8'));
    expect(out.slice(0, -1)).toEqual(logged);
    for (let i = 1; i < parsed.length; i++) expect(parsed[i].seq!).toBeGreaterThan(parsed[i - 1].seq!);
    expect(parsed[0]).toMatchObject({ seq: 1, type: 'execution.created' });
    expect(parsed.map((e) => e.type)).toEqual(expect.arrayContaining(['execution.started', 'step.started', 'approval.requested', 'session.output', 'check.finished', 'execution.finished']));

    // Redacted: the token pattern and the env secret's value are gone from everything printed.
    expect(String(r.stdout)).toContain('[REDACTED:github-token]');
    expect(String(r.stdout)).toContain('[REDACTED:env:DEMO_DEPLOY_TOKEN]');
    expect(String(r.all)).not.toContain(GHP);
    expect(String(r.all)).not.toContain(ENV_SECRET);
    // No human lines on stdout.
    expect(String(r.stdout)).not.toMatch(/^\[\s*\d/m);
  }, 90_000);

  it('resume --json prints what it adds to the log, from execution.resumed, and a finished one just its summary', async () => {
    const cwd = tempProject();
    // Stop the run after its first line: the reader leaves, the run is interrupted and resumable.
    const cut = await execa('/bin/bash', ['-c', `set -o pipefail; node ${BIN} run plans/demo.plan.yaml --approve all --json | head -1`], { cwd, reject: false, env: { CI: 'true' }, timeout: 60_000 });
    expect(cut.exitCode, cut.stderr).toBe(141);
    expect(JSON.parse(cut.stdout)).toMatchObject({ seq: 1, type: 'execution.created' });
    const exec = onlyExec(cwd);
    const before = lines(readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8')).length;

    const r = await conductor(cwd, ['resume', exec, '--approve', 'all', '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = lines(String(r.stdout));
    const logged = lines(readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8'));
    expect(out.slice(0, -1)).toEqual(logged.slice(before));
    expect(JSON.parse(out[0])).toMatchObject({ seq: before + 1, type: 'execution.resumed' });
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ type: 'run.summary', exec, status: 'passed', exitCode: 0 });

    const again = await conductor(cwd, ['resume', exec, '--json']);
    expect(again.exitCode).toBe(0);
    expect(lines(String(again.stdout)).map((l) => JSON.parse(l))).toEqual([{ type: 'run.summary', exec, status: 'passed', exitCode: 0, proof: `proof/${exec}`, trace: `trace/${exec}` }]);
  }, 120_000);

  it('`run --json | head -1` exits 141 quietly', async () => {
    const cwd = tempProject();
    const r = await execa('/bin/bash', ['-c', `set -o pipefail; node ${BIN} run plans/demo.plan.yaml --json | head -1 >/dev/null`], { cwd, reject: false, all: true, env: { CI: 'true' }, timeout: 60_000 });
    expect(r.exitCode, r.all).toBe(141);
    expect(r.all).not.toMatch(/internal error|\n\s+at |Unhandled 'error' event/);
    expect(r.stderr).toMatch(/output closed \(EPIPE\): stopped exec-\S+; continue with: conductor resume exec-/);
  });

  it('--json is refused where it means nothing', async () => {
    const cwd = tempProject();
    const r = await conductor(cwd, ['status', '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--json is an option of `providers`, `run`, `compare` and `resume`, not of `status`/);
  });
});
