// core/stats: the Wilson interval, quantiles, Fisher's exact test, and the counting rule for errors.
import { describe, expect, it } from 'vitest';
import type { ConductorEvent, NewEvent, UnitDecl } from '../../../src/core/events';
import { reduce } from '../../../src/core/machine';
import type { ExecState } from '../../../src/core/state';
import { fisherExact, isFlaky, quantile, summarizeScenario, wilson } from '../../../src/core/stats';

describe('wilson', () => {
  it('matches published values (95 %)', () => {
    // 8 of 10: 0.4902–0.9433; 0 of 10: 0–0.2775; 10 of 10: 0.7225–1 (Wilson 1927, as computed by statsmodels proportion_confint method="wilson").
    const a = wilson(8, 10)!;
    expect(a.low).toBeCloseTo(0.4902, 4);
    expect(a.high).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 10)!.low).toBe(0);
    expect(wilson(0, 10)!.high).toBeCloseTo(0.2775, 4);
    expect(wilson(10, 10)!.low).toBeCloseTo(0.7225, 4);
    expect(wilson(0, 0)).toBeUndefined();
  });
});

describe('quantile', () => {
  it('interpolates between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.95)).toBe(10);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.95)).toBeCloseTo(19.05);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});

describe('fisherExact', () => {
  it('matches scipy.stats.fisher_exact (two-sided)', () => {
    // The tea-tasting table [[3,1],[1,3]]: p = 0.4857; [[8,2],[1,5]]: p = 0.03497; [[10,0],[0,10]]: p = 1.0825e-05.
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
    expect(fisherExact(8, 2, 1, 5)).toBeCloseTo(0.03497, 4);
    expect(fisherExact(10, 0, 0, 10)).toBeCloseTo(1.0825e-5, 8);
    expect(fisherExact(5, 5, 5, 5)).toBeCloseTo(1, 6);
  });
});

describe('isFlaky', () => {
  it('an index whose finished attempts disagree', () => {
    expect(isFlaky(['passed', 'failed'])).toBe(true);
    expect(isFlaky(['failed', 'failed'])).toBe(false);
    expect(isFlaky(['cancelled', 'passed'])).toBe(false);
  });
});

/** A scenario execution driven through the reducer: trials that pass, fail, error, and one never started. */
function scenario(outcomes: Record<string, 'passed' | 'failed' | 'error' | 'pending'>, threshold: number): { state: ExecState; finished?: NewEvent } {
  let seq = 0;
  let state: ExecState | undefined;
  let finished: NewEvent | undefined;
  const queue: NewEvent[] = [];
  const send = (body: NewEvent) => {
    queue.push(body);
    while (queue.length) {
      const e = { exec: 'x', ...queue.shift()!, seq: ++seq, ts: 1000 * seq } as ConductorEvent;
      const r = reduce(state, e);
      state = r.state;
      for (const eff of r.effects) if (eff.type === 'emit') queue.push(eff.event);
      if (e.type === 'execution.finished') finished = e;
    }
  };
  const ids = Object.keys(outcomes);
  const units: UnitDecl[] = ids.map((id, i) => ({ id, kind: 'trial', agent: 'a', provider: id.split('-')[0], dependsOn: [], expectedOutputs: [], index: i + 1 }));
  send({ type: 'execution.created', kind: 'scenario', file: 'f', goal: 'g', concurrency: 100, units, threshold, passScore: 1 });
  send({ type: 'execution.started', approve: 'policy', interactive: false });
  for (const id of ids) {
    const o = outcomes[id];
    if (o === 'pending') continue;
    send({ type: 'session.spawned', session: `${id}#1`, pid: 1 });
    if (o === 'error') {
      // Killed by a signal: a crash, not an answer.
      send({ type: 'session.exited', session: `${id}#1`, exitCode: 0, signal: 11 });
      continue;
    }
    send({ type: 'session.exited', session: `${id}#1`, exitCode: o === 'passed' ? 0 : 1 });
    send({ type: 'assertion.evaluated', unit: id, name: 'exitCode 0', passed: o === 'passed', status: o === 'passed' ? 'passed' : 'failed' });
    send({ type: 'trial.finished', unit: id, status: o, score: o === 'passed' ? 1 : 0 });
  }
  return { state: state!, finished };
}

describe('summarizeScenario and the scenario verdict', () => {
  it('errors are shown apart and count as not passed; a threshold decides the execution', () => {
    const { state, finished } = scenario({ 'a-1': 'passed', 'a-2': 'passed', 'a-3': 'failed', 'a-4': 'error', 'b-1': 'passed', 'b-2': 'passed' }, 0.5);
    const s = summarizeScenario(state);
    const a = s.providers.find((p) => p.provider === 'a')!;
    expect(a).toMatchObject({ trials: 4, passed: 2, failed: 1, errors: 1, passRate: 0.5, meetsThreshold: true });
    expect(a.interval!.low).toBeCloseTo(wilson(2, 4)!.low, 10);
    expect(a.assertions).toEqual([expect.objectContaining({ name: 'exitCode 0', passed: 2, failed: 1, unknown: 0 })]);
    expect(state.units['a-4']).toMatchObject({ status: 'error', reason: 'agent exited with code 0 (signal 11)' });
    expect(s.passed).toBe(true);
    expect(finished).toMatchObject({ status: 'passed', passed: 4, failed: 1, errors: 1 });
  });
  it('below the threshold for one provider fails the scenario', () => {
    const { finished } = scenario({ 'a-1': 'passed', 'a-2': 'failed', 'b-1': 'passed' }, 0.6);
    expect(finished).toMatchObject({ status: 'failed' });
  });
  it('a provider with nothing counted has no pass rate', () => {
    const { state } = scenario({ 'a-1': 'passed', 'b-1': 'pending' }, 0.5);
    const b = summarizeScenario(state).providers.find((p) => p.provider === 'b')!;
    expect(b).toMatchObject({ passRate: undefined, interval: undefined, meetsThreshold: false, other: 1 });
  });
});
