// The loader on hostile input: huge values are judged quickly and echoed short, names every object inherits
// are not roles, and a `.json` plan is read as strict JSON.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseInputText } from '../../../src/core/load/index';
import { suggest } from '../../../src/core/suggest';

// Half the largest file the loader reads (1 MB): big enough that echoing or comparing it costs.
const HUGE = 'x'.repeat(512 * 1024);

function errors(text: string, file = 'p.plan.yaml'): string[] {
  const r = parseInputText(text, file, { absPath: `/project/${file}`, root: '/project' });
  if (r.ok) throw new Error('expected diagnostics, the file loaded');
  return r.diagnostics.map((d) => formatDiagnostic(d));
}

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
};

describe('huge values', () => {
  it.each([
    ['agent', `goal: g\nsteps:\n  - id: a\n    agent: ${HUGE}\n    task: t\n`],
    ['provider', `goal: g\nsteps:\n  - id: a\n    provider: ${HUGE}\n    task: t\n`],
    ['dependsOn', `goal: g\nsteps:\n  - id: a\n    task: t\n    dependsOn: ${HUGE}\n`],
    ['key', `{"goal": "g", "steps": [{"id": "a", "task": "t", "${HUGE}": 1}]}`, 'p.plan.json'],
    ['step id', `goal: g\nsteps:\n  - id: ${HUGE.slice(3e5)}\n    task: t\n  - id: ${HUGE.slice(3e5)}\n    task: t\n  - id: b\n    task: t\n    dependsOn: ${HUGE.slice(3e5)}y\n`],
    ['approval', `goal: g\napproval: ${HUGE}\nsteps:\n  - id: a\n    task: t\n`],
  ])('a 512 KB %s is refused in under 2 s with a short message', (_what, text, file = 'p.plan.yaml') => {
    const { value, ms } = timed(() => errors(text, file));
    expect(ms).toBeLessThan(2000);
    expect(value.length).toBeGreaterThan(0);
    for (const line of value) {
      expect(line.length).toBeLessThan(400);
      expect(line).toMatch(/^p\.plan\.(yaml|json):\d+:\d+: error: /);
    }
    expect(value.join('\n')).toMatch(/…|\.\.\./);
  });

  it('a 10 MB file is refused at once, whatever it holds', () => {
    const { value, ms } = timed(() => errors(`goal: g\nsteps:\n  - id: a\n    agent: ${'x'.repeat(10 * 1024 * 1024)}\n    task: t\n`));
    expect(ms).toBeLessThan(500);
    expect(value).toEqual(['p.plan.yaml:1:1: error: found a file of 10.0 MB, expected at most 1 MB; move large text into files the task names']);
  });

  it('did-you-mean skips words far longer than any candidate, and still finds near ones', () => {
    const { value, ms } = timed(() => suggest(HUGE, ['backend', 'frontend']));
    expect(value).toBeUndefined();
    expect(ms).toBeLessThan(100);
    expect(suggest('bakend', ['backend', 'frontend'])).toBe('backend');
    expect(suggest('x'.repeat(200), ['x'.repeat(199)])).toBeUndefined();
  });
});

describe('names every object inherits', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('agent: %s is an unknown role', (name) => {
    const lines = errors(`goal: g\nsteps:\n  - id: a\n    agent: ${name}\n    task: t\n`);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^p\\.plan\\.yaml:4:12: error: steps\\[0\\]\\.agent: found unknown role \`${name}\`, expected one of`))]);
  });

  it.each(['constructor', '__proto__', 'toString'])('%s is an unknown provider (plan) and an unknown role (scenario)', (name) => {
    expect(errors(`goal: g\nprovider: ${name}\nsteps:\n  - id: a\n    task: t\n`)).toEqual([expect.stringMatching(/^p\.plan\.yaml:2:11: error: provider: found unknown provider/)]);
    const sc = errors(`task: t\nagent: ${name}\nassertions:\n  - exitCode: 0\n`, 's.scenario.yaml');
    expect(sc).toEqual([expect.stringMatching(/^s\.scenario\.yaml:2:8: error: agent: found unknown role/)]);
  });

  it('a swarm agentName `constructor` becomes a generic role of that name, not an inherited one', () => {
    const r = parseInputText(JSON.stringify({ goal: 'g', steps: [{ stepNumber: 1, agentName: 'constructor', task: 't' }] }), 'w.json', { absPath: '/project/w.json', root: '/project' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const plan = r.value as { roles: Record<string, { name: string; purpose: string }> };
    expect(Object.hasOwn(plan.roles, 'constructor')).toBe(true);
    expect(plan.roles.constructor).toMatchObject({ name: 'constructor', purpose: expect.any(String) });
  });
});

describe('.json plans are strict JSON', () => {
  it('a trailing comma is a syntax error at its line:col', () => {
    const text = '{\n  "goal": "g",\n  "steps": [\n    {"id": "a", "task": "t"},\n  ]\n}\n';
    expect(errors(text, 'p.plan.json')).toEqual([expect.stringMatching(/^p\.plan\.json:5:3: error: syntax error: .*JSON/i)]);
  });

  it.each([
    ['a comment', '{"goal": "g", // no\n "steps": [{"id": "a", "task": "t"}]}'],
    ['YAML', 'goal: g\nsteps:\n  - id: a\n    task: t\n'],
    ['single quotes', "{'goal': 'g', 'steps': [{'id': 'a', 'task': 't'}]}"],
  ])('%s in a .json file is refused', (_what, text) => {
    expect(errors(text, 'p.plan.json')[0]).toMatch(/^p\.plan\.json:\d+:\d+: error: syntax error: /);
  });

  it('valid JSON still loads, with positions for schema errors', () => {
    const ok = parseInputText('{"goal": "g", "steps": [{"id": "a", "task": "t"}]}', 'p.plan.json', { absPath: '/project/p.plan.json', root: '/project' });
    expect(ok.ok).toBe(true);
    expect(errors('{\n  "goal": "g",\n  "steps": [{"id": "a", "task": "t", "agent": "nobody"}]\n}', 'p.plan.json')).toEqual([
      expect.stringMatching(/^p\.plan\.json:3:47: error: steps\[0\]\.agent: found unknown role `nobody`/),
    ]);
  });
});
