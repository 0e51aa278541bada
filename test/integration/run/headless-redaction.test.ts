// Everything headless commands print passes the store's redaction: run, status, validate and the
// positioned errors of bad input; PEM private keys and tokens used as goal, step id or command included.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, filesUnder, onlyExec, tempProject } from './helpers';

const TOKEN = 'xoxb-1234567890-abcdefghij';
const GHP = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const PEM_BODY = 'MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun';
const PEM = `-----BEGIN RSA PRIVATE KEY-----\\n${PEM_BODY}\\n-----END RSA PRIVATE KEY-----`;

const plan = (agent = 'backend') =>
  [
    `goal: "Deploy with ${PEM} and ${GHP}"`,
    'provider: sim',
    'workspace:',
    '  fixture: demo-workspace',
    'approval:',
    '  allow: ["echo *"]',
    'steps:',
    `  - id: ${TOKEN}`,
    `    agent: ${agent}`,
    `    task: "Use ${PEM}"`,
    '    sim:',
    `      - run: "echo ${GHP}"`,
    '      - say: done',
    '',
  ].join('\n');

const leaks = (text: string) => [TOKEN, GHP, PEM_BODY, 'abcdefghijklmnopqrstuvwxyz0123456789'].filter((s) => text.includes(s));

describe('headless output is redacted', () => {
  it('run, status and validate print no token, step-id token or PEM body', async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, 'plans/secret.plan.yaml'), plan());
    const run = await conductor(cwd, ['run', 'plans/secret.plan.yaml']);
    expect(run.exitCode, String(run.all)).toBe(0);
    expect(run.stdout).toContain('[REDACTED:private-key]');
    expect(run.stdout).toContain('[REDACTED:slack-token]');
    expect(leaks(String(run.all))).toEqual([]);

    const exec = onlyExec(cwd);
    const status = await conductor(cwd, ['status', exec]);
    expect(status.exitCode).toBe(0);
    expect(leaks(String(status.all))).toEqual([]);

    const validate = await conductor(cwd, ['validate', 'plans/secret.plan.yaml']);
    expect(validate.exitCode, String(validate.all)).toBe(0);
    expect(validate.stdout).toContain('[REDACTED:slack-token]');
    expect(leaks(String(validate.all))).toEqual([]);

    for (const f of [...filesUnder(join(cwd, 'proof', exec)), ...filesUnder(join(cwd, 'trace', exec)).filter((f) => !f.includes('/workspace/'))]) {
      expect(leaks(readFileSync(f, 'utf8')), f).toEqual([]);
    }
  });

  it('bad input: the positioned errors of run and validate are redacted too', async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, 'plans/bad.plan.yaml'), plan(GHP));
    for (const args of [['run', 'plans/bad.plan.yaml'], ['validate', 'plans/bad.plan.yaml']]) {
      const r = await conductor(cwd, args);
      expect(r.exitCode, String(r.all)).toBe(2);
      expect(r.stderr).toMatch(/bad\.plan\.yaml:\d+:\d+/);
      expect(leaks(String(r.all))).toEqual([]);
    }
  });
});
