// Every file in plans/ loads; the demo plan, the swarm fixture and the scenario normalize as documented.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInputFile } from '../../../src/adapters/input/load-input';
import { resolveConfig } from '../../../src/adapters/input/config';
import { parseInputText } from '../../../src/core/load/index';
import type { Plan, Scenario } from '../../../src/core/types';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const plansDir = join(root, 'plans');
const inputs = readdirSync(plansDir).filter((f) => /\.(ya?ml|json)$/.test(f));

// As the CLI loads them from the repository's root: with its conductor.yaml (the compare plan's sim variants).
async function load<T>(file: string): Promise<T> {
  const config = await resolveConfig({ cwd: root });
  if (!config.ok) throw new Error(config.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  const r = await loadInputFile(file, { cwd: root, config: config.value });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  return r.value as T;
}

describe('plans/', () => {
  it('holds the documented examples', () => {
    expect(inputs).toEqual(expect.arrayContaining(['demo.plan.yaml', 'swarm-example.json', 'release.plan.yaml', 'greeting.scenario.yaml', 'compare.plan.yaml']));
  });

  it.each(inputs)('%s loads without errors', async (f) => {
    await load(`plans/${f}`);
  });

  it('demo plan: four sim steps on a fresh copy of demo-workspace', async () => {
    const plan = await load<Plan>('plans/demo.plan.yaml');
    expect(plan.format).toBe('conductor');
    expect(plan.workspace).toEqual({ fixture: join(plansDir, 'demo-workspace') });
    expect(plan.steps.map((s) => [s.id, s.agent, s.provider, s.dependsOn])).toEqual([
      ['plan', 'reviewer', 'sim', []],
      ['api', 'backend', 'sim', ['plan']],
      ['docs', 'frontend', 'sim', ['plan']],
      ['test', 'tester', 'sim', ['api', 'docs']],
    ]);
    for (const s of plan.steps) {
      expect(s.expectedOutputs.length).toBeGreaterThan(0);
      const writes = (s.sim?.actions ?? []).flatMap((a) => ('write' in a ? [a.write.path] : []));
      const thinkMs = (s.sim?.actions ?? []).reduce((t, a) => t + ('think' in a ? (a.ms ?? 500) : 0), 0);
      expect(thinkMs).toBeLessThanOrEqual(1000);
      for (const out of s.expectedOutputs.filter((o) => !o.startsWith('build/'))) expect(writes).toContain(out);
    }
    const api = plan.steps[1];
    expect(api.expectedOutputs).toContain('build/greeting.txt');
    expect(api.sim?.actions.some((a) => 'run' in a && a.run.includes('build/greeting.txt'))).toBe(true);
    expect(plan.steps[3].checks).toEqual([{ run: 'node test/greet.test.js', name: 'greet tests', timeout: 30_000 }]);
  });

  it('scenario: 8 seeded sim trials, threshold 0.5, passScore 0.75, required and weighted assertions', async () => {
    const s = await load<Scenario>('plans/greeting.scenario.yaml');
    expect(s).toMatchObject({ kind: 'scenario', name: 'greeting', providers: ['sim'], trials: 8, threshold: 0.5, passScore: 0.75, agent: 'backend' });
    expect(s.sim).toMatchObject({ seed: 73, failRate: 0.35 });
    expect(s.assertions.slice(0, 4)).toEqual([
      { type: 'exitCode', equals: 0, weight: 1, required: false },
      { type: 'fileExists', path: 'src/greet.js', weight: 1, required: true },
      { type: 'fileContains', path: 'src/greet.js', text: 'Hello, ', weight: 1, required: false },
      { type: 'commandPasses', run: 'node test/greet.test.js', weight: 2, required: true, name: 'tests pass' },
    ]);
    expect(s.assertions.slice(4).map((a) => a.type)).toEqual(['transcriptMatches', 'ranCommand', 'approvalsAtMost', 'durationAtMost']);
    expect(s.assertions[7]).toMatchObject({ max: 60_000 });
  });
});

describe('swarm-conductor format', () => {
  it('loads unchanged and means the same', () => {
    const file = fileURLToPath(new URL('../../fixtures/good/swarm-plan.json', import.meta.url));
    const r = parseInputText(readFileSync(file, 'utf8'), 'swarm-plan.json', { absPath: file, defaultProvider: 'sim' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const plan = r.value as Plan;
    expect(plan).toMatchObject({ kind: 'plan', format: 'swarm', goal: 'Build a todo API with a web UI', provider: 'sim', concurrency: 1 });
    expect(plan.steps.map((s) => [s.id, s.agent, s.dependsOn, s.expectedOutputs])).toEqual([
      ['1', 'backend', [], ['src/api.js']],
      ['2', 'frontend', ['1'], ['src/ui.js']],
      ['3', 'tester', ['1', '2'], ['test/api.test.js', 'test/ui.test.js']],
      ['4', 'Data Wizard', ['1'], ['data/seed.json']],
    ]);
    expect(plan.roles['Data Wizard'].purpose).toBe(plan.roles.generic.purpose);
    expect(r.warnings.map((w) => `${w.line}:${w.col} ${w.message}`)).toEqual([
      '32:20 agent `Data Wizard` matches no built-in role; using the generic role under that name',
    ]);
  });

  it('stringifies numeric native ids and accepts a single dependsOn', () => {
    const r = parseInputText('goal: g\nsteps:\n  - id: 1\n    task: a\n  - id: 2\n    task: b\n    dependsOn: 1\n', 'n.plan.yaml');
    expect(r.ok && (r.value as Plan).steps.map((s) => [s.id, s.dependsOn, s.agent, s.provider])).toEqual([
      ['1', [], 'generic', 'sim'],
      ['2', ['1'], 'generic', 'sim'],
    ]);
  });

  it('accepts config-defined providers and the config default', () => {
    const text = 'goal: g\nsteps:\n  - id: a\n    task: t\n    provider: mine\n  - id: b\n    task: t\n';
    expect(parseInputText(text, 'p.plan.yaml').ok).toBe(false);
    const r = parseInputText(text, 'p.plan.yaml', { providers: ['mine'], defaultProvider: 'shell' });
    expect(r.ok && (r.value as Plan).steps.map((s) => s.provider)).toEqual(['mine', 'shell']);
  });
});
