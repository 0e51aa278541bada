// Usage a CLI reported (tokens, cost), summed over a unit's sessions and said the same way on the board,
// in `conductor run`'s step lines and in `conductor status`.
import { describe, expect, it } from 'vitest';
import type { ConductorEvent, NewEvent } from '../../src/core/events';
import { replay } from '../../src/core/machine';
import { usageText } from '../../src/runtime/format';
import { createPrinter } from '../../src/cli/printer';
import type { ApprovalPolicy } from '../../src/core/types';

const ASK: ApprovalPolicy = { default: 'ask', allow: [], deny: [], onTimeout: 'deny' };

function run(usages: [{ tokens?: number; cost?: number }]): ConductorEvent[] {
  const bodies: NewEvent[] = [
    { type: 'execution.created', kind: 'plan', file: 'p', goal: 'g', concurrency: 1, units: [{ id: 'a', kind: 'step', agent: 'backend', provider: 'claude', dependsOn: [], expectedOutputs: [], approval: ASK }] },
    { type: 'execution.started', approve: 'policy', interactive: false },
  ];
  for (const u of usages) {
    bodies.push({ type: 'step.started', unit: 'a', session: 'a#1', attempt: 1, provider: 'claude', agent: 'backend' });
    bodies.push({ type: 'session.spawned', session: 'a#1', pid: 7 });
    bodies.push({ type: 'usage', session: 'a#1', bytes: 10, files: 0, ...u });
  }
  return bodies.map((b, i) => ({ exec: 'e', seq: i + 1, ts: 1000 + i, ...b }) as ConductorEvent);
}

describe('usageText', () => {
  it('sums tokens and cost over attempts', () => {
    const one = replay(run([{ tokens: 1200, cost: 0.01 }]))!;
    const two = replay(run([{ tokens: 3400, cost: 0.0215 }]))!;
    // A second attempt's session, as a retry leaves it.
    const s = { ...one, sessions: { ...one.sessions, 'a#2': { ...two.sessions['a#1'], id: 'a#2', attempt: 2 } }, units: { ...one.units, a: { ...one.units.a, sessions: ['a#1', 'a#2'] } } };
    expect(usageText(s, 'a')).toBe('4.6k tokens · $0.032');
  });
  it('says only what the CLI reported, and nothing when it reported neither', () => {
    expect(usageText(replay(run([{ tokens: 950 }]))!, 'a')).toBe('950 tokens');
    expect(usageText(replay(run([{ cost: 2.5 }]))!, 'a')).toBe('$2.50');
    expect(usageText(replay(run([{}]))!, 'a')).toBe('');
  });
  it('is on the step line conductor run prints', () => {
    const state = replay(run([{ tokens: 120_000, cost: 1.234 }]))!;
    const lines: string[] = [];
    const finished = { exec: 'e', seq: 99, ts: 5000, type: 'step.finished', unit: 'a', status: 'passed' } as ConductorEvent;
    createPrinter({ write: (l) => lines.push(l) }, () => state)(finished);
    expect(lines[0]).toMatch(/✓ a {2}passed \(.*· 120k tokens · \$1\.23\)/);
  });
});
