// `conductor validate`: summary lines on stdout, diagnostics on stderr, exit codes 0 / 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/validate';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function run(files: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await validateCommand(files, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd });
  return { code, stdout, stderr };
}

describe('validateCommand', () => {
  let confDir: string;
  const saved = process.env.CONDUCTOR_CONFIG_DIR;
  beforeAll(() => {
    confDir = mkdtempSync(join(tmpdir(), 'conductor-conf-'));
    process.env.CONDUCTOR_CONFIG_DIR = confDir;
  });
  afterAll(() => {
    rmSync(confDir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.CONDUCTOR_CONFIG_DIR;
    else process.env.CONDUCTOR_CONFIG_DIR = saved;
  });

  it('summarizes good plans and scenarios', async () => {
    const r = await run(['plans/demo.plan.yaml', 'plans/greeting.scenario.yaml', 'plans/swarm-example.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'ok plans/demo.plan.yaml: plan, 4 steps: plan → {api, docs} → test',
        'ok plans/greeting.scenario.yaml: scenario, 8 trials × 1 provider (sim), 8 assertions, threshold 50%',
        'ok plans/swarm-example.json: plan (swarm format), 4 steps: 1 → {2, 3} → 4',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toContain('warning: steps[2].agentName: agent `docs-writer` matches no built-in role');
  });

  it('prints diagnostics and exits 2 when any file is bad', async () => {
    const r = await run(['plans/demo.plan.yaml', 'test/fixtures/bad/cycle.plan.yaml', 'missing.plan.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('ok plans/demo.plan.yaml: plan, 4 steps: plan → {api, docs} → test\n');
    expect(r.stderr).toBe(
      'test/fixtures/bad/cycle.plan.yaml:5:16: error: steps[0].dependsOn: dependency cycle build → test → build (each step depends on the next), expected no cycles\n' +
        'missing.plan.yaml:1:1: error: cannot read file: ENOENT: no such file\n',
    );
  });

  it('prints usage without files', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: conductor validate FILE\.\.\./);
  });

  it('reports a broken conductor.yaml instead of throwing', async () => {
    const r = await run(['x.plan.yaml'], join(root, 'test/fixtures/bad-config'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('conductor.yaml:1:14: error: concurrency: found "lots", expected how many sessions may run at once (a whole number of at least 1)\n');
  });

  it('checks a conductor.yaml given as a file, providers resolved against the presets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-validate-'));
    try {
      writeFileSync(join(dir, 'conductor.yaml'), 'providers:\n  claude:\n    env: {ANTHROPIC_BASE_URL: "http://127.0.0.1:9"}\n  claude-fast:\n    extends: claude\n');
      writeFileSync(join(dir, 'other.conductor.yaml'), 'providers:\n  claude:\n    approval: {stableMs: 400}\n');
      const r = await run(['conductor.yaml', 'other.conductor.yaml'], dir);
      expect(r.stdout).toBe('ok conductor.yaml: config, 2 providers configured: claude, claude-fast\n');
      expect(r.stderr).toBe('other.conductor.yaml:3:26: error: providers.claude.approval.stableMs: found number 400; write `400ms` or `400s`: a bare number is ambiguous here\n');
      expect(r.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
