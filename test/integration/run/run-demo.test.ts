// `conductor run` on the bundled demo with real PTYs and the sim agent: exit codes, proof and trace files,
// approvals answered by policy, denial effects, crash + resume, redaction.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCast } from '../../../src/adapters/store/cast-writer';
import { conductor, filesUnder, onlyExec, readEvents, REPO, tempProject } from './helpers';

const STEPS = ['plan-reviewer', 'api-backend', 'docs-frontend', 'test-tester'];

describe('conductor run plans/demo.plan.yaml', () => {
  it('--approve all passes and writes proof and trace', async () => {
    const cwd = tempProject();
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--approve', 'all']);
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.stdout).toMatch(/✓ passed: 4 passed, 0 not passed/);
    const exec = onlyExec(cwd);
    const proof = join(cwd, 'proof', exec);
    const snapshot = JSON.parse(readFileSync(join(proof, 'execution.json'), 'utf8'));
    expect(snapshot).toMatchObject({ exec, status: 'passed' });
    for (const step of STEPS) {
      expect(readFileSync(join(proof, `step-${step}.md`), 'utf8')).toMatch(/^# Transcript: step /);
      const cast = readCast(join(proof, `step-${step}.cast`));
      expect(cast.header).toMatchObject({ version: 2, width: 120, height: 40 });
      expect(cast.events.some(([, code]) => code === 'o')).toBe(true);
    }
    expect(existsSync(join(proof, 'report.md'))).toBe(true);

    const events = readEvents(cwd, exec);
    for (let i = 1; i < events.length; i++) expect(events[i].seq).toBeGreaterThan(events[i - 1].seq);
    const requested = events.filter((e) => e.type === 'approval.requested');
    expect(requested.length).toBe(2);
    for (const req of requested) {
      expect(req.via).toBe('screen');
      const resolved = events.find((e) => e.type === 'approval.resolved' && e.id === req.id);
      expect(resolved, `approval ${String(req.id)} resolved`).toMatchObject({ decision: 'allow', by: 'policy' });
    }
    expect(existsSync(join(cwd, 'trace', exec, 'workspace/build/greeting.txt'))).toBe(true);
    expect(existsSync(join(cwd, 'trace', exec, 'manifest.json'))).toBe(true);
    expect(existsSync(join(cwd, 'trace', exec, 'trajectories/api.jsonl'))).toBe(true);
    const check = events.find((e) => e.type === 'check.finished');
    expect(check).toMatchObject({ unit: 'test', passed: true, exitCode: 0 });

    // The recording's markers sit on the event log's clock: a reader can jump from an event to its frame.
    const cast = readCast(join(proof, 'step-api-backend.cast'));
    const markers = cast.events.filter(([, code]) => code === 'm').map(([t, , label]) => [t, label] as const);
    const asked = events.find((e) => e.type === 'approval.requested' && e.session === 'api#1')!;
    const marker = markers.find(([, label]) => label.startsWith(`approval ${String(asked.id)} requested via screen`));
    expect(marker).toBeDefined();
    expect(Math.abs(cast.header.timestamp * 1000 + marker![0] * 1000 - asked.ts)).toBeLessThan(1000);
    expect(markers.map(([, l]) => l)).toEqual(expect.arrayContaining(['state: completed', expect.stringMatching(/resolved: allow by policy/)]));
  });

  it('--approve none denies, the effect is absent, the step fails, exit 1', async () => {
    const cwd = tempProject();
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--approve', 'none']);
    expect(r.exitCode, String(r.all)).toBe(1);
    const exec = onlyExec(cwd);
    expect(existsSync(join(cwd, 'trace', exec, 'workspace/build/greeting.txt'))).toBe(false);
    const events = readEvents(cwd, exec);
    expect(events.find((e) => e.type === 'approval.resolved')).toMatchObject({ decision: 'deny', by: 'policy' });
    expect(events.find((e) => e.type === 'step.finished' && e.unit === 'api')).toMatchObject({ status: 'failed', reason: 'missing expected output: build/greeting.txt' });
    expect(r.stdout).toMatch(/skipped: test/);
  });

  it('survives kill -9 in a later step; resume finishes without re-running completed steps', async () => {
    const cwd = tempProject();
    const child = conductor(cwd, ['run', 'test/fixtures/plans/slow.plan.yaml']);
    let exec = '';
    for (let i = 0; i < 200 && !exec; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        exec = onlyExec(cwd);
        if (!readEvents(cwd, exec).some((e) => e.type === 'step.started' && e.unit === 'second')) exec = '';
      } catch {
        exec = '';
      }
    }
    expect(exec).not.toBe('');
    child.kill('SIGKILL');
    await child;
    const before = readEvents(cwd, exec);
    expect(before.some((e) => e.type === 'execution.finished')).toBe(false);

    const status = await conductor(cwd, ['status', exec]);
    expect(status.stdout).toMatch(/✓ first\s+passed/);
    expect(status.stdout).toMatch(/continue with: conductor resume/);

    writeFileSync(join(cwd, 'trace', exec, 'workspace', 'release'), '');
    const r = await conductor(cwd, ['resume', exec]);
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.stdout).toMatch(/took over a stale lock|resumed/);
    const after = readEvents(cwd, exec);
    const started = after.filter((e) => e.type === 'step.started').map((e) => `${String(e.unit)}#${String(e.attempt)}`);
    expect(started).toEqual(['first#1', 'second#1', 'second#2', 'third#1']);
    expect(after.some((e) => e.type === 'execution.resumed')).toBe(true);
    expect(after.at(-1)).toMatchObject({ type: 'execution.finished', status: 'passed' });
    for (let i = 1; i < after.length; i++) expect(after[i].seq).toBe(after[i - 1].seq + 1);
  }, 90_000);

  it('keeps secrets an agent prints out of every file under proof/ and trace/', async () => {
    const cwd = tempProject();
    const token = 'tok_9f8e7d6c5b4a39281706';
    const r = await conductor(cwd, ['run', 'test/fixtures/plans/secret.plan.yaml', '--approve', 'all'], { env: { DEMO_API_TOKEN: token } });
    expect(r.exitCode, String(r.all)).toBe(0);
    const files = [...filesUnder(join(cwd, 'proof')), ...filesUnder(join(cwd, 'trace')).filter((f) => !f.includes('/workspace/'))];
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/sk-ant-api03-AAAA/);
      expect(text, f).not.toContain(token);
      expect(text, f).not.toMatch(/ghp_abcdefghij/);
    }
    const transcript = readFileSync(join(cwd, 'proof', onlyExec(cwd), 'step-leak-backend.md'), 'utf8');
    expect(transcript).toMatch(/REDACTED/);
  });
});

describe('limits and the shell provider', () => {
  it('fails a step past its timeout and a step whose check fails, with reasons', async () => {
    const cwd = tempProject();
    const started = Date.now();
    const r = await conductor(cwd, ['run', 'test/fixtures/plans/timeout.plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    const events = readEvents(cwd, onlyExec(cwd));
    expect(events.find((e) => e.type === 'step.finished' && e.unit === 'slow')).toBeUndefined();
    expect(events.find((e) => e.type === 'session.state' && e.session === 'slow#1' && e.state === 'failed')).toMatchObject({ reason: 'timed out after 1s' });
    expect(events.find((e) => e.type === 'step.finished' && e.unit === 'build')).toMatchObject({ status: 'failed', reason: 'check "false" exited 1' });
    const checks = events.filter((e) => e.type === 'check.finished').map((e) => [e.name, e.passed]);
    expect(checks).toEqual([
      ['check 1', true],
      ['always fails', false],
    ]);
    expect(readFileSync(join(cwd, 'proof', onlyExec(cwd), 'step-build-integrator.md'), 'utf8')).toMatch(/building/);
  });

  it('bad input exits 2 with file:line:col and no stack trace', async () => {
    const cwd = tempProject();
    const r = await conductor(cwd, ['run', 'test/fixtures/plans/missing.plan.yaml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('test/fixtures/plans/missing.plan.yaml:1:1: error: cannot read file: ENOENT: no such file');
    const bad = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--approve', 'maybe']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--approve takes all, none or policy, not "maybe"/);
    const unknown = await conductor(cwd, ['resume', 'exec-20200101-000000-zzzz']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/no execution exec-20200101-000000-zzzz/);
    for (const x of [r, bad, unknown]) expect(x.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('providers that are not installed', () => {
  it('fail the step with a message naming the missing command, and nothing is left running', async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, 'conductor.yaml'), 'providers:\n  ghost:\n    command: definitely-not-installed-cli\n    args: ["{prompt}"]\n');
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--provider', 'ghost']);
    expect(r.exitCode, String(r.all)).toBe(1);
    expect(r.stdout).toMatch(/could not start ghost: "definitely-not-installed-cli" was not found on PATH/);
    expect(r.stdout).toMatch(/skipped: api, docs, test/);
  });
});

describe('conductor tui without a terminal', () => {
  it('refuses with a message pointing at conductor run, exit 2, and records nothing', async () => {
    const cwd = tempProject();
    const r = await conductor(cwd, ['tui', 'plans/demo.plan.yaml'], { stdin: 'ignore' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/conductor tui needs a terminal.*use `conductor run FILE`/);
    expect(existsSync(join(cwd, 'trace'))).toBe(false);
  });
});

describe('conductor validate through the binary', () => {
  it('every bad fixture gives file:line:col and a message, exit 2, no stack trace', async () => {
    const bad = readdirSync(join(REPO, 'test/fixtures/bad')).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(bad.length).toBeGreaterThanOrEqual(25);
    const r = await conductor(REPO, ['validate', ...bad.map((f) => `test/fixtures/bad/${f}`)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    for (const f of bad) expect(r.stderr, f).toMatch(new RegExp(`^test/fixtures/bad/${f.replace(/\./g, '\\.')}:\\d+:\\d+: error: `, 'm'));
  });

  it('the bundled plans and a swarm-conductor plan validate and print their order', async () => {
    const r = await conductor(REPO, ['validate', 'plans/demo.plan.yaml', 'plans/release.plan.yaml', 'plans/greeting.scenario.yaml', 'plans/swarm-example.json', 'test/fixtures/good/swarm-plan.json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/^ok plans\/demo\.plan\.yaml: plan, 4 steps: plan → \{api, docs\} → test$/m);
    expect(r.stdout).toMatch(/^ok test\/fixtures\/good\/swarm-plan\.json: plan \(swarm format\), \d+ steps: 1 → /m);
  });
});
