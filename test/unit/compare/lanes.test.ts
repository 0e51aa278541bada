// A comparison in a plan: `providers:` at plan level or on steps, checked at file:line:col, and lanes expanded
// into `<step>@<provider>` units that depend only on their own lane.
import { describe, expect, it } from 'vitest';
import { parseInputText } from '../../../src/core/load/index';
import { expandLanes, withProviders } from '../../../src/core/lanes';
import type { Plan } from '../../../src/core/types';

const load = (text: string, providers: string[] = []) => parseInputText(text, '/p/compare.plan.yaml', { root: '/p', providers });
const plan = (text: string, providers?: string[]): Plan => {
  const r = load(text, providers);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n'));
  return r.value as Plan;
};
const errors = (text: string, providers?: string[]): string[] => {
  const r = load(text, providers);
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
};

const TWO_STEPS = `goal: g
providers: [claude, codex]
concurrency: 2
steps:
  - id: build
    task: build it
  - id: review
    task: review it
    provider: sim
    dependsOn: build
`;

describe('providers: in a plan', () => {
  it('compares every step not pinned to its own provider', () => {
    const p = plan(TWO_STEPS);
    expect(p.providers).toEqual(['claude', 'codex']);
    expect(p.steps.map((s) => [s.id, s.providers])).toEqual([
      ['build', ['claude', 'codex']],
      ['review', undefined],
    ]);
  });

  it('expands into one lane per provider, each depending on its own lane, side by side', () => {
    const p = expandLanes(plan(TWO_STEPS));
    expect(p.lanes).toEqual(['claude', 'codex']);
    expect(p.concurrency).toBe(4);
    expect(p.steps.map((s) => [s.id, s.lane, s.base, s.provider, s.dependsOn])).toEqual([
      ['build@claude', 'claude', 'build', 'claude', []],
      ['build@codex', 'codex', 'build', 'codex', []],
      ['review@claude', 'claude', 'review', 'sim', ['build@claude']],
      ['review@codex', 'codex', 'review', 'sim', ['build@codex']],
    ]);
    // Expanding twice changes nothing (a resume re-expands the reloaded file).
    expect(expandLanes(p)).toBe(p);
  });

  it('compares only the steps that name providers when the plan does not', () => {
    const p = expandLanes(
      plan(`goal: g
steps:
  - id: a
    task: t
  - id: b
    task: t
    providers: [claude, gemini]
    dependsOn: a
`),
    );
    expect(p.steps.map((s) => [s.id, s.provider])).toEqual([
      ['a@claude', 'sim'],
      ['a@gemini', 'sim'],
      ['b@claude', 'claude'],
      ['b@gemini', 'gemini'],
    ]);
  });

  it('--providers replaces the compared providers, or compares every step of a plan that compared none', () => {
    const compared = expandLanes(withProviders(plan(TWO_STEPS), ['gemini', 'sim']));
    expect(compared.steps.map((s) => [s.id, s.provider])).toEqual([
      ['build@gemini', 'gemini'],
      ['build@sim', 'sim'],
      ['review@gemini', 'sim'],
      ['review@sim', 'sim'],
    ]);
    const single = expandLanes(withProviders(plan('goal: g\nsteps:\n  - id: a\n    task: t\n'), ['claude', 'codex']));
    expect(single.steps.map((s) => [s.id, s.provider])).toEqual([
      ['a@claude', 'claude'],
      ['a@codex', 'codex'],
    ]);
  });

  it('a plan without providers is left alone', () => {
    const p = plan('goal: g\nsteps:\n  - id: a\n    task: t\n');
    expect(expandLanes(p)).toBe(p);
    expect(p.providers).toBeUndefined();
  });

  it('configured variants are known providers', () => {
    expect(plan('goal: g\nproviders: [sim-careful, sim-quick]\nsteps:\n  - id: a\n    task: t\n', ['sim-careful', 'sim-quick']).providers).toEqual(['sim-careful', 'sim-quick']);
  });
});

describe('providers: mistakes, at their line and column', () => {
  it('unknown providers, with a suggestion', () => {
    expect(errors('goal: g\nproviders: [claude, codx]\nsteps:\n  - id: a\n    task: t\n')).toEqual([
      expect.stringMatching(/^2:21: found unknown provider `codx`, expected one of .*; did you mean `codex`\?$/),
    ]);
  });

  it('one provider, a duplicate, an empty list', () => {
    expect(errors('goal: g\nproviders: [claude]\nsteps:\n  - id: a\n    task: t\n')).toEqual([
      '2:12: found one provider, expected two or more to compare (for one, write `provider: claude`)',
    ]);
    expect(errors('goal: g\nproviders: [claude, claude]\nsteps:\n  - id: a\n    task: t\n')).toEqual([expect.stringMatching(/^2:21: found "claude" twice/)]);
    expect(errors('goal: g\nproviders: []\nsteps:\n  - id: a\n    task: t\n')).toEqual([expect.stringMatching(/^2:12: found an empty list, expected two or more providers/)]);
  });

  it('a step with both provider: and providers:, and a step comparing other providers than the plan', () => {
    expect(errors('goal: g\nsteps:\n  - id: a\n    task: t\n    provider: sim\n    providers: [claude, codex]\n')).toEqual([
      expect.stringMatching(/^6:16: found both `provider:` and `providers:`/),
    ]);
    expect(errors('goal: g\nproviders: [claude, codex]\nsteps:\n  - id: a\n    task: t\n    providers: [claude, gemini]\n')).toEqual([
      expect.stringMatching(/^6:16: found providers `claude`, `gemini`, expected the ones the plan compares \(`claude`, `codex`\)/),
    ]);
  });
});
