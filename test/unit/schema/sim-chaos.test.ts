// `sim.chaos` in scenario and plan files: strict keys, each a probability 0..1, errors at file:line:col.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseInputText } from '../../../src/core/load/index';

const scenario = (chaos: string) => `task: do it\nsim:\n  seed: 1\n  chaos: ${chaos}\n  actions:\n    - say: hi\nassertions:\n  - exitCode: 0\n`;

function load(text: string, file = 'x.scenario.yaml') {
  const r = parseInputText(text, file);
  return r.ok ? { value: r.value, error: undefined } : { value: undefined, error: formatDiagnostic(r.diagnostics[0]) };
}

describe('sim.chaos', () => {
  it('reads each fault probability, fractions and percentages alike', () => {
    const r = load(scenario('{crash: 0.1, hang: 0.05, garbage: 20%}'));
    expect(r.error).toBeUndefined();
    expect(r.value?.kind === 'scenario' && r.value.sim?.chaos).toEqual({ crash: 0.1, hang: 0.05, garbage: 0.2 });
  });

  it('keeps only the faults given', () => {
    const r = load(scenario('{hang: 1}'));
    expect(r.value?.kind === 'scenario' && r.value.sim?.chaos).toEqual({ hang: 1 });
  });

  it('rejects a probability above 1 at its position', () => {
    expect(load(scenario('{crash: 2}')).error).toBe(
      'x.scenario.yaml:4:18: error: sim.chaos.crash: found number 2, expected the probability of a crash per trial between 0 and 1 (or a percentage like 80%)',
    );
  });

  it('rejects a probability that is not a number', () => {
    expect(load(scenario('{garbage: "lots"}')).error).toBe(
      'x.scenario.yaml:4:20: error: sim.chaos.garbage: found "lots", expected the probability of garbage output per trial between 0 and 1 (or a percentage like 80%)',
    );
  });

  it('suggests the fault meant by an unknown key', () => {
    expect(load(scenario('{crsh: 0.1}')).error).toBe('x.scenario.yaml:4:11: error: sim.chaos: unknown key `crsh`; did you mean `crash`?');
  });

  it('rejects chaos that is not a mapping', () => {
    expect(load(scenario('0.5')).error).toMatch(/^x\.scenario\.yaml:4:10: error: sim\.chaos: /);
  });

  it('is accepted in a plan step’s sim script too', () => {
    const plan = 'goal: g\nsteps:\n  - id: a\n    task: t\n    sim:\n      chaos: {garbage: 1}\n      actions:\n        - say: hi\n';
    const r = load(plan, 'x.plan.yaml');
    expect(r.error).toBeUndefined();
    expect(r.value?.kind === 'plan' && r.value.steps[0].sim?.chaos).toEqual({ garbage: 1 });
  });
});
