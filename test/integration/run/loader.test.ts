// `conductor validate` and `run` on plans that name what every object inherits, and on a .json plan that is not JSON.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, tempProject } from './helpers';

describe('the loader through the CLI', () => {
  it.each(['constructor', '__proto__', 'toString'])('agent: %s is an unknown role for validate and run (exit 2, no crash)', async (name) => {
    const cwd = tempProject();
    writeFileSync(join(cwd, 'plans', 'proto.plan.yaml'), `goal: g\nsteps:\n  - id: a\n    agent: ${name}\n    task: t\n`);
    for (const cmd of ['validate', 'run']) {
      const r = await conductor(cwd, [cmd, 'plans/proto.plan.yaml']);
      expect(r.exitCode, String(r.all)).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^plans/proto\\.plan\\.yaml:4:12: error: steps\\[0\\]\\.agent: found unknown role \`${name}\``, 'm'));
      expect(r.all).not.toMatch(/internal error|\n\s+at /);
    }
  }, 60_000);

  it('--provider constructor is an unknown provider (exit 2)', async () => {
    const cwd = tempProject();
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--provider', 'constructor']);
    expect(r.exitCode, String(r.all)).toBe(2);
    expect(r.stderr).toMatch(/unknown provider "constructor"/);
  }, 60_000);

  it('a .json plan with a trailing comma is a syntax error at its line:col', async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, 'plans', 'comma.plan.json'), '{\n  "goal": "g",\n  "steps": [{"id": "a", "task": "t"},]\n}\n');
    const r = await conductor(cwd, ['validate', 'plans/comma.plan.json']);
    expect(r.exitCode, String(r.all)).toBe(2);
    expect(r.stderr).toMatch(/^plans\/comma\.plan\.json:3:38: error: syntax error: /m);
  }, 60_000);
});
