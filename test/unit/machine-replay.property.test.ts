// Property: for any sequence of events the reducer accepts, replaying the log reproduces the live state,
// and the reducer's invariants hold after every event.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConductorEvent, NewEvent, SessionState } from '../../src/core/events';
import { reduce, replay, TransitionError } from '../../src/core/machine';
import type { ExecState } from '../../src/core/state';
import { isLiveSession } from '../../src/core/state';

const SESSION_STATES: SessionState[] = ['starting', 'running', 'waiting_for_approval', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'];

/** Candidate next events for a state; the choice index picks one (some will be illegal, which is the point). */
function candidates(s: ExecState, n: number): NewEvent[] {
  const units = s.order;
  const sessions = Object.keys(s.sessions);
  const approvals = Object.keys(s.approvals);
  const u = units[n % units.length];
  const sess = sessions.length ? sessions[n % sessions.length] : 'none';
  const ap = approvals.length ? approvals[n % approvals.length] : 'none';
  const attempt = (s.units[u]?.attempts ?? 0) + 1;
  return [
    { type: 'execution.started' },
    { type: 'execution.resumed' },
    { type: 'execution.interrupted', reason: 'quit' },
    { type: 'execution.finished', status: 'passed', passed: 0, failed: 0 },
    { type: 'step.started', unit: u, session: `${u}#${attempt}`, attempt, provider: 'sim', agent: 'x' },
    { type: 'session.state', session: sess, state: SESSION_STATES[n % SESSION_STATES.length], exitCode: n % 2 },
    { type: 'session.output', session: sess, bytes: n },
    { type: 'approval.requested', id: `ap${n}`, session: sess, via: 'screen', command: 'ls', options: ['allow', 'always', 'deny'] },
    { type: 'approval.decided', id: ap, decision: (['allow', 'always', 'deny'] as const)[n % 3], by: 'user' },
    { type: 'approval.resolved', id: ap, decision: 'allow', by: 'policy' },
    { type: 'step.finished', unit: u, status: n % 3 ? 'passed' : 'failed' },
    { type: 'step.retried', unit: u },
    { type: 'file.touched', session: sess, path: `f${n}`, reason: 'add' },
    { type: 'execution.held', held: n % 2 === 0 },
    { type: 'execution.next' },
  ];
}

function invariants(s: ExecState): void {
  for (const id of s.queue) expect(s.approvals[id].status).toBe('pending');
  const running = s.order.filter((id) => s.units[id].status === 'running');
  expect(running.length).toBeLessThanOrEqual(s.concurrency);
  for (const id of s.order) {
    const unit = s.units[id];
    if (unit.status === 'passed') for (const d of unit.dependsOn) expect(s.units[d].status).toBe('passed');
    const live = unit.sessions.filter((sid) => isLiveSession(s.sessions[sid]));
    expect(live.length).toBeLessThanOrEqual(1);
    if (live.length) expect(unit.status).toBe('running');
  }
}

describe('replay property', () => {
  it('replay(log) equals the live state for random accepted sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(14), fc.nat(1000)), { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 3 }), (choices, concurrency) => {
        let seq = 0;
        const stamp = (b: NewEvent) => ({ exec: 'e', ...b, seq: ++seq, ts: seq * 10 }) as ConductorEvent;
        const first = stamp({
          type: 'execution.created',
          kind: 'plan',
          file: 'f',
          goal: 'g',
          concurrency,
          units: [
            { id: 'a', kind: 'step', agent: 'x', provider: 'sim', dependsOn: [], expectedOutputs: [] },
            { id: 'b', kind: 'step', agent: 'x', provider: 'sim', dependsOn: ['a'], expectedOutputs: [] },
            { id: 'c', kind: 'step', agent: 'x', provider: 'sim', dependsOn: [], expectedOutputs: [] },
          ],
        });
        let state = reduce(undefined, first).state;
        const log: ConductorEvent[] = [first];
        for (const [pick, n] of choices) {
          const e = stamp(candidates(state, n)[pick]);
          try {
            state = reduce(state, e).state;
            log.push(e);
          } catch (err) {
            if (!(err instanceof TransitionError)) throw err;
            seq--;
          }
          invariants(state);
        }
        expect(replay(log)).toEqual(state);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
