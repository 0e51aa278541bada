// A scenario execution built event by event through the reducer (as the runtime folds its decisions): two providers,
// passed, failed and error trials, an unknown assertion, usage with cost on one provider. For the report's tests.
import type { ConductorEvent, NewEvent, UnitDecl } from '../../../src/core/events';
import { reduce } from '../../../src/core/machine';
import type { ExecState } from '../../../src/core/state';

export const EXEC = 'exec-20261201-120000-test';

export interface TrialPlan {
  provider: string;
  index: number;
  /** judged: its assertions' statuses in order; error: the agent was killed by a signal. */
  outcome: { judged: ('passed' | 'failed' | 'unknown')[] } | { error: true };
  cost?: number;
  ms?: number;
}

export const ASSERTIONS = [
  { name: 'exitCode 0', kind: 'exitCode', required: true, weight: 1 },
  { name: 'tests pass', kind: 'commandPasses', required: false, weight: 2 },
  { name: 'costAtMost $0.5', kind: 'costAtMost', required: false, weight: 1 },
];

export class LogBuilder {
  state: ExecState | undefined;
  log: ConductorEvent[] = [];
  private seq = 0;
  private now = 1_780_000_000_000;

  send(body: NewEvent, advance = 1): this {
    this.now += advance;
    const e = { exec: EXEC, ...body, seq: ++this.seq, ts: this.now } as ConductorEvent;
    const r = reduce(this.state, e);
    this.state = r.state;
    this.log.push(e);
    for (const fx of r.effects) if (fx.type === 'emit') this.send(fx.event as NewEvent, 0);
    return this;
  }

  get s(): ExecState {
    return this.state!;
  }
}

/** Unit ids like the runtime's: `<provider>-<index>`. `ids` overrides them (hostile ids in the html test). */
export function scenarioLog(trials: TrialPlan[], o: { threshold?: number; goal?: string; ids?: string[]; finish?: boolean } = {}): LogBuilder {
  const b = new LogBuilder();
  const ids = o.ids ?? trials.map((t) => `${t.provider}-${t.index}`);
  const units: UnitDecl[] = trials.map((t, i) => ({ id: ids[i], kind: 'trial', agent: 'backend', provider: t.provider, dependsOn: [], expectedOutputs: [], index: t.index }));
  b.send({ type: 'execution.created', kind: 'scenario', file: '/p/plans/greeting.scenario.yaml', goal: o.goal ?? 'greeting', concurrency: 100, units, threshold: o.threshold ?? 0.5, passScore: 1 });
  b.send({ type: 'execution.started', approve: 'policy', interactive: false });
  const last = o.finish === false ? trials.length - 1 : trials.length;
  trials.slice(0, last).forEach((t, i) => {
    const unit = ids[i];
    const session = b.s.units[unit].sessions.at(-1)!;
    b.send({ type: 'session.spawned', session, pid: 100 + i });
    if (t.cost !== undefined) b.send({ type: 'usage', session, bytes: 10, files: 1, tokens: 1000, cost: t.cost });
    if ('error' in t.outcome) {
      b.send({ type: 'session.exited', session, exitCode: 137, signal: 9 }, t.ms ?? 1000);
      return;
    }
    b.send({ type: 'session.exited', session, exitCode: 0 }, t.ms ?? 1000);
    b.send({ type: 'trial.facts', unit, session, files: {}, commands: {} });
    const statuses = t.outcome.judged;
    statuses.forEach((status, k) => {
      const a = ASSERTIONS[k];
      b.send({ type: 'assertion.evaluated', unit, ...a, status, passed: status === 'passed', expected: `expected <${a.name}>`, found: status === 'unknown' ? 'the provider reported no cost' : `found ${status}` });
    });
    const total = ASSERTIONS.reduce((n, a) => n + a.weight, 0);
    const got = statuses.reduce((n, st, k) => n + (st === 'passed' ? ASSERTIONS[k].weight : 0), 0);
    const passed = statuses.every((st) => st === 'passed');
    b.send({ type: 'trial.finished', unit, status: passed ? 'passed' : 'failed', score: got / total, ...(passed ? {} : { reason: `score ${(got / total).toFixed(2)} below 1` }) });
  });
  return b;
}
