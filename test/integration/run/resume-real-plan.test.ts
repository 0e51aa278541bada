// Resume runs the real plan, re-read from its file and re-validated, not the redacted copy in the log; and
// env-value redaction spares plain words (FOO_TOKEN=greeting leaves "greeting" alone).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, filesUnder, onlyExec, readEvents, tempProject } from './helpers';

const TOKEN = 'tok-4f9a-77c1-8e2d';
const ENV = { FOO_TOKEN: 'greeting', DEPLOY_TOKEN: TOKEN };

const PLAN = [
  'goal: Ship the greeting module',
  'provider: sim',
  'workspace:',
  '  fixture: demo-workspace',
  'steps:',
  '  - id: first',
  '    agent: backend',
  '    task: Write what the greeting module must export to first.txt',
  '    expectedOutputs: [first.txt]',
  '    sim:',
  '      - write: { path: first.txt, content: "greeting\\n" }',
  '  - id: second',
  '    agent: tester',
  '    dependsOn: first',
  `    task: Deploy with ${TOKEN} once the release file exists`,
  '    expectedOutputs: [second.txt]',
  '    sim:',
  '      - run: "until [ -f release ]; do sleep 0.05; done"',
  '        ask: false',
  `      - write: { path: second.txt, content: "deployed with ${TOKEN}\\n" }`,
  '',
].join('\n');

async function killedInSecond(cwd: string): Promise<string> {
  const child = conductor(cwd, ['run', 'plans/deploy.plan.yaml'], { env: ENV });
  let exec = '';
  for (let i = 0; i < 600 && !exec; i++) {
    await new Promise((r) => setTimeout(r, 50));
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
  return exec;
}

describe('resume runs the real plan', () => {
  it('re-reads and re-validates the file, warns that it changed, and runs the unredacted task', async () => {
    const cwd = tempProject();
    const planFile = join(cwd, 'plans/deploy.plan.yaml');
    writeFileSync(planFile, PLAN);
    const exec = await killedInSecond(cwd);

    const log = readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8');
    expect(log).toContain('what the greeting module must export');
    expect(log).not.toContain(TOKEN);
    expect(readEvents(cwd, exec)[0]).toMatchObject({ type: 'execution.created', inputHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Gone: the log's copy is redacted, so it cannot stand in for the file.
    renameSync(planFile, `${planFile}.away`);
    const gone = await conductor(cwd, ['resume', exec], { env: ENV });
    expect(gone.exitCode, String(gone.all)).toBe(2);
    expect(gone.stderr).toContain('plans/deploy.plan.yaml: the plan file of');
    expect(gone.stderr).toContain('is gone');
    renameSync(`${planFile}.away`, planFile);

    // Broken: a positioned error, exit 2.
    writeFileSync(planFile, PLAN.replace('    agent: tester\n', '    agent: [tester\n'));
    const bad = await conductor(cwd, ['resume', exec], { env: ENV });
    expect(bad.exitCode, String(bad.all)).toBe(2);
    expect(bad.stderr).toMatch(/deploy\.plan\.yaml:\d+:\d+/);
    expect(bad.all).not.toMatch(/\n\s+at /);

    // Changed but compatible: a notice, and the task as written now.
    writeFileSync(planFile, `${PLAN}# edited after the crash\n`);
    writeFileSync(join(cwd, 'trace', exec, 'workspace', 'release'), '');
    const r = await conductor(cwd, ['resume', exec], { env: ENV });
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.stderr).toContain('plans/deploy.plan.yaml changed since');
    expect(readFileSync(join(cwd, 'trace', exec, 'workspace', 'second.txt'), 'utf8')).toBe(`deployed with ${TOKEN}\n`);
    const started = readEvents(cwd, exec).filter((e) => e.type === 'step.started').map((e) => `${String(e.unit)}#${String(e.attempt)}`);
    expect(started).toEqual(['first#1', 'second#1', 'second#2']);
    expect(r.all).not.toContain(TOKEN);
    for (const f of [...filesUnder(join(cwd, 'proof', exec)), ...filesUnder(join(cwd, 'trace', exec)).filter((f) => !f.includes('/workspace/'))]) {
      expect(readFileSync(f, 'utf8'), f).not.toContain(TOKEN);
    }
  });

  it('refuses a plan whose steps changed', async () => {
    const cwd = tempProject();
    const planFile = join(cwd, 'plans/deploy.plan.yaml');
    writeFileSync(planFile, PLAN);
    const exec = await killedInSecond(cwd);
    writeFileSync(planFile, PLAN.replace(/- id: second/, '- id: later').replace('dependsOn: first', 'dependsOn: first'));
    const r = await conductor(cwd, ['resume', exec], { env: ENV });
    expect(r.exitCode, String(r.all)).toBe(2);
    expect(r.stderr).toContain('its steps changed since this execution started');
  });
});
