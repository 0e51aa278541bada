// Paths from plans on real files: symlinked fixtures and workspaces are judged by where they lead, and step
// ids that clean up to the same text still get files of their own.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, onlyExec, tempProject } from './helpers';

const writeStep = (id: string, file: string, content: string) => `
  - id: "${id}"
    agent: backend
    task: write ${file}
    sim:
      - write:
          path: ${file}
          content: ${content}
      - say: wrote ${file}`;

describe('symlinked workspace folders', () => {
  it('a fixture that links outside the project root is refused at its line:col (validate and run, exit 2)', async () => {
    const cwd = tempProject();
    const outside = mkdtempSync(join(tmpdir(), 'conductor-outside-'));
    writeFileSync(join(outside, 'keep.txt'), 'original\n');
    symlinkSync(outside, join(cwd, 'plans', 'linked'));
    writeFileSync(join(cwd, 'plans', 'escape.plan.yaml'), `goal: escape\nworkspace:\n  fixture: linked\nsteps:${writeStep('a', 'keep.txt', 'overwritten')}\n`);
    for (const cmd of ['validate', 'run']) {
      const r = await conductor(cwd, [cmd, 'plans/escape.plan.yaml']);
      expect(r.exitCode, String(r.all)).toBe(2);
      expect(r.stderr).toMatch(/plans\/escape\.plan\.yaml:3:12: error: workspace\.fixture: found "linked", a symlink to .* outside the project root/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('original\n');
    expect(existsSync(join(cwd, 'trace'))).toBe(false);
  });

  it('a fixture that is a symlink inside the root is copied, and agents write into the copy, not the original', async () => {
    const cwd = tempProject();
    mkdirSync(join(cwd, 'plans', 'real-fixture'));
    writeFileSync(join(cwd, 'plans', 'real-fixture', 'README.md'), 'fixture\n');
    symlinkSync(join(cwd, 'plans', 'real-fixture'), join(cwd, 'plans', 'linked'));
    writeFileSync(join(cwd, 'plans', 'linked.plan.yaml'), `goal: copy\nworkspace:\n  fixture: linked\nsteps:${writeStep('a', 'out.txt', 'made')}\n`);
    const r = await conductor(cwd, ['run', 'plans/linked.plan.yaml', '--approve', 'all']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const ws = join(cwd, 'trace', onlyExec(cwd), 'workspace');
    expect(lstatSync(ws).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(ws, 'out.txt'), 'utf8')).toMatch(/made/);
    expect(readFileSync(join(ws, 'README.md'), 'utf8')).toBe('fixture\n');
    expect(existsSync(join(cwd, 'plans', 'real-fixture', 'out.txt'))).toBe(false);
  });

  it('a fixture holding a symlink that leads outside it is refused', async () => {
    const cwd = tempProject();
    const outside = mkdtempSync(join(tmpdir(), 'conductor-outside-'));
    mkdirSync(join(cwd, 'plans', 'fx'));
    symlinkSync(outside, join(cwd, 'plans', 'fx', 'escape'));
    writeFileSync(join(cwd, 'plans', 'inner.plan.yaml'), `goal: inner\nworkspace:\n  fixture: fx\nsteps:${writeStep('a', 'escape/pwned.txt', 'x')}\n`);
    const r = await conductor(cwd, ['run', 'plans/inner.plan.yaml', '--approve', 'all']);
    expect(r.exitCode, String(r.all)).toBe(2);
    expect(r.stderr).toMatch(/escape, a symlink to .* outside the fixture/);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('file names of step ids', () => {
  it('ids `a/b` and `a_b` keep separate transcripts, recordings and trajectories; a secret id is not in any name', async () => {
    const cwd = tempProject();
    const secret = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const plan = `goal: ids\nconcurrency: 3\nsteps:${writeStep('a/b', 'one.txt', 'first')}${writeStep('a_b', 'two.txt', 'second')}${writeStep(secret, 'three.txt', 'third')}\n`;
    writeFileSync(join(cwd, 'plans', 'ids.plan.yaml'), plan);
    const r = await conductor(cwd, ['run', 'plans/ids.plan.yaml', '--approve', 'all']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const exec = onlyExec(cwd);
    const proof = readdirSync(join(cwd, 'proof', exec));
    const transcripts = proof.filter((f) => f.endsWith('.md') && f.startsWith('step-'));
    expect(transcripts).toHaveLength(3);
    expect(proof.filter((f) => f.endsWith('.cast'))).toHaveLength(3);
    const trajectories = readdirSync(join(cwd, 'trace', exec, 'trajectories'));
    expect(trajectories).toHaveLength(3);
    expect(trajectories).toContain('a_b.jsonl');
    const all = [...proof, ...trajectories, ...readdirSync(join(cwd, 'trace', exec, 'prompts'))];
    expect(all.some((f) => f.includes(secret) || f.includes(secret.slice(0, 12)))).toBe(false);
    const texts = transcripts.map((f) => readFileSync(join(cwd, 'proof', exec, f), 'utf8'));
    for (const file of ['one.txt', 'two.txt', 'three.txt']) expect(texts.filter((t) => t.includes(`wrote ${file}`))).toHaveLength(1);

    const status = await conductor(cwd, ['status', exec]);
    expect(status.exitCode, String(status.all)).toBe(0);
    // Each step's lines (changes, then its transcript) under its own row; the secret id is found by its redacted form.
    expect(status.stdout).toMatch(/a\/b .*\n(?:\s+changes:.*\n)?\s+transcript: \S+step-a_b~[0-9a-f]{10}-backend\.md/);
    expect(status.stdout).toMatch(/a_b .*\n(?:\s+changes:.*\n)?\s+transcript: \S+step-a_b-backend\.md/);
    expect(status.stdout).toMatch(/\[REDACTED:github-token\] .*\n(?:\s+changes:.*\n)?\s+transcript: \S+step-redacted~[0-9a-f]{10}-backend\.md/);
    expect(status.stdout).not.toContain(secret.slice(4, 12));
  }, 120_000);
});
