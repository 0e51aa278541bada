// The session lifecycle in the pure reducer, event by event, without a PTY: prompts seen and gone,
// who decides (run mode, always, policy, person in the overlay or the pane, timeout, nobody),
// withdrawal after a grace, exits classified, stops escalated, timers armed and cancelled.
import { describe, expect, it } from 'vitest';
import type { ConductorEvent, EventBody, NewEvent, RunSettings, UnitDecl } from '../../src/core/events';
import { approvalVerdict, classifyExit, offered, RESIZE_GRACE_MS, typedDecision, WITHDRAW_GRACE_MS, withdrawGraceMs } from '../../src/core/decide';
import { reduce, replay, type Effect } from '../../src/core/machine';
import type { ExecState } from '../../src/core/state';
import type { ApprovalPolicy } from '../../src/core/types';

const EXEC = 'exec-life';
const ASK: ApprovalPolicy = { default: 'ask', allow: [], deny: [], onTimeout: 'deny' };

/** Feeds events, folding what the reducer emits (as the runtime does); keeps every effect since the last send. */
class H {
  state!: ExecState;
  log: ConductorEvent[] = [];
  effects: Effect[] = [];
  now = 10_000;

  constructor(unit: Partial<UnitDecl> = {}, settings: Partial<RunSettings> = {}, spawn = true) {
    this.raw({ type: 'execution.created', kind: 'plan', file: 'p', goal: 'g', concurrency: 1, units: [{ id: 'a', kind: 'step', agent: 'backend', provider: 'sim', dependsOn: [], expectedOutputs: [], approval: ASK, ...unit }] });
    this.send({ type: 'execution.started', approve: 'policy', interactive: true, ...settings });
    if (spawn) this.send({ type: 'session.spawned', session: 'a#1', pid: 7 });
  }

  private raw(body: NewEvent): Effect[] {
    const e = { exec: EXEC, ...body, seq: this.log.length + 1, ts: this.now } as ConductorEvent;
    const r = reduce(this.state, e);
    this.state = r.state;
    this.log.push(e);
    return r.effects;
  }

  send(body: NewEvent): this {
    this.effects = [];
    let queue: NewEvent[] = [body];
    while (queue.length) {
      const [next, ...rest] = queue;
      const fx = this.raw(next);
      this.effects.push(...fx);
      queue = [...fx.flatMap((f) => (f.type === 'emit' ? [f.event as NewEvent] : [])), ...rest];
    }
    return this;
  }

  at(ms: number): this {
    this.now += ms;
    return this;
  }

  types(): string[] {
    return this.log.map((e) => e.type);
  }

  emitted(): EventBody[] {
    return this.effects.flatMap((f) => (f.type === 'emit' ? [f.event] : []));
  }

  acts(): Effect[] {
    return this.effects.filter((f) => f.type !== 'emit' && f.type !== 'arm-timer' && f.type !== 'cancel-timer');
  }

  armed(): Effect[] {
    return this.effects.filter((f) => f.type === 'arm-timer');
  }

  seen(command = 'touch x', key = 'k1', extra: Partial<Extract<EventBody, { type: 'prompt.seen' }>> = {}): this {
    return this.send({ type: 'prompt.seen', session: 'a#1', key, via: 'screen', command, options: ['allow', 'always', 'deny'], answers: { y: 'allow', a: 'always', n: 'deny', '1': 'allow' }, ...extra });
  }

  gone(key = 'k1'): this {
    return this.send({ type: 'prompt.gone', session: 'a#1', key });
  }

  get ap() {
    return this.state.approvals['ap-1'];
  }
}

describe('a prompt is seen', () => {
  it('asks a person when the policy leaves it open: pending, queued, session waiting, nothing answered', () => {
    const h = new H().seen();
    expect(h.types().slice(-2)).toEqual(['prompt.seen', 'approval.requested']);
    expect(h.ap).toMatchObject({ status: 'pending', command: 'touch x', key: 'k1', via: 'screen' });
    expect(h.state.queue).toEqual(['ap-1']);
    expect(h.state.sessions['a#1'].state).toBe('waiting_for_approval');
    expect(h.acts()).toEqual([]);
  });

  it('the same key seen again is the same approval; a new key is a new one', () => {
    const h = new H().seen().seen().seen();
    expect(Object.keys(h.state.approvals)).toEqual(['ap-1']);
    h.send({ type: 'approval.decided', id: 'ap-1', decision: 'allow', by: 'user', how: 'overlay' }).seen();
    expect(Object.keys(h.state.approvals)).toEqual(['ap-1']);
    h.gone().seen('touch x', 'k1');
    expect(Object.keys(h.state.approvals)).toEqual(['ap-1', 'ap-2']);
  });

  it('a policy rule decides at once and the answer goes out; the event names the rule and the parts', () => {
    const h = new H({ approval: { ...ASK, allow: ['touch *'] } }).seen();
    expect(h.ap).toMatchObject({ status: 'decided', decision: 'allow', by: 'policy', rule: 'allow "touch *"' });
    expect(h.ap.parts?.[0]).toMatchObject({ text: 'touch x', verdict: 'allow' });
    expect(h.acts()).toEqual([{ type: 'answer', session: 'a#1', approval: 'ap-1', decision: 'allow', via: 'screen', key: 'k1' }]);
    expect(h.state.sessions['a#1'].state).toBe('running');
  });

  it('is ignored while the session is stopping', () => {
    const h = new H().send({ type: 'session.stop-requested', session: 'a#1' }).seen();
    expect(h.state.approvals).toEqual({});
  });
});

describe('who decides', () => {
  const session = new H().state.sessions['a#1'];
  const unit = new H().state.units.a;
  const ask = { command: 'rm -rf build', options: ['allow', 'always', 'deny'] as const };
  const verdict = (settings: Partial<RunSettings>, policy: ApprovalPolicy = ASK, always: string[] = []) =>
    approvalVerdict({ ...ask, options: [...ask.options] }, { ...session, always }, { ...unit, approval: policy }, { approve: 'policy', interactive: true, ...settings });

  it('the run mode first, then always, then the policy, then a person (or nobody headless)', () => {
    expect(verdict({ approve: 'all' }, { ...ASK, deny: ['rm *'] })).toMatchObject({ kind: 'decided', decision: 'allow', rule: '--approve all' });
    expect(verdict({ approve: 'none' }, { ...ASK, allow: ['rm *'] })).toMatchObject({ kind: 'decided', decision: 'deny', rule: '--approve none' });
    expect(verdict({}, ASK, ['rm -rf build'])).toMatchObject({ kind: 'decided', decision: 'allow' });
    expect(verdict({}, { ...ASK, deny: ['rm *'] })).toMatchObject({ kind: 'decided', decision: 'deny', rule: 'deny "rm *" on `rm -rf build`' });
    expect(verdict({})).toMatchObject({ kind: 'ask' });
    expect(verdict({ interactive: false })).toMatchObject({ kind: 'decided', decision: 'deny' });
  });

  it('"always" covers the same command (whitespace aside) in the same session, nothing else', () => {
    expect(verdict({}, ASK, ['rm   -rf  build'.replace(/\s+/g, ' ')])).toMatchObject({ kind: 'decided' });
    expect(verdict({}, ASK, ['rm -rf dist'])).toMatchObject({ kind: 'ask' });
  });

  it('a timeout in the policy is handed to the ask, with the decision it takes', () => {
    expect(verdict({}, { ...ASK, timeout: 5000, onTimeout: 'allow' })).toMatchObject({ kind: 'ask', timeoutMs: 5000, onTimeout: 'allow' });
  });

  it('never picks a decision the prompt does not offer', () => {
    expect(offered(['allow', 'deny'], 'always')).toBe('allow');
    expect(offered(['allow'], 'deny')).toBeUndefined();
  });

  it('typing in the pane counts only as an exact answer key', () => {
    const answers = { y: 'allow', '2': 'always', '\x1b': 'deny' } as const;
    expect(typedDecision('y', answers, ['allow', 'always', 'deny'])).toBe('allow');
    expect(typedDecision('2', answers, ['allow', 'always', 'deny'])).toBe('always');
    expect(typedDecision('xy', answers, ['allow', 'deny'])).toBeUndefined();
    expect(typedDecision('2', answers, ['allow', 'deny'])).toBeUndefined();
    expect(typedDecision('constructor', answers, ['allow', 'deny'])).toBeUndefined();
    expect(typedDecision(undefined, answers, ['allow'])).toBeUndefined();
  });
});

describe('decisions by a person', () => {
  it('in the overlay: recorded with how, answered once; the prompt leaving resolves it', () => {
    const h = new H().seen().send({ type: 'approval.decided', id: 'ap-1', decision: 'deny', by: 'user', how: 'overlay' });
    expect(h.acts()).toEqual([{ type: 'answer', session: 'a#1', approval: 'ap-1', decision: 'deny', via: 'screen', key: 'k1' }]);
    h.gone();
    expect(h.ap).toMatchObject({ status: 'resolved', decision: 'deny', by: 'user' });
    expect(h.acts()).toEqual([]);
  });

  it('typed into the pane: decided by the person with what they typed, no answer sent, resolved', () => {
    const h = new H().seen().send({ type: 'session.input', session: 'a#1', bytes: 1, data: 'n' }).gone();
    expect(h.ap).toMatchObject({ status: 'resolved', decision: 'deny', by: 'user', how: 'pane', typed: 'n' });
    expect(h.acts()).toEqual([]);
  });

  it('a paste is never an answer', () => {
    const h = new H().seen().send({ type: 'session.input', session: 'a#1', bytes: 1, data: 'y', paste: true }).gone();
    expect(h.ap.status).toBe('pending');
    expect(h.ap.typed).toBeUndefined();
  });

  it('refused while the prompt is off screen, and for an option not offered', () => {
    const h = new H().seen().gone();
    expect(() => h.send({ type: 'approval.decided', id: 'ap-1', decision: 'allow', by: 'user', how: 'overlay' })).toThrow(/not on screen/);
    const h2 = new H().send({ type: 'prompt.seen', session: 'a#1', key: 'k', via: 'screen', command: 'x', options: ['allow', 'deny'] });
    expect(() => h2.send({ type: 'approval.decided', id: 'ap-1', decision: 'always', by: 'user' })).toThrow(/does not offer always/);
  });

  it('"always" is remembered for the session', () => {
    const h = new H().seen('npm  test').send({ type: 'approval.decided', id: 'ap-1', decision: 'always', by: 'user', how: 'overlay' });
    expect(h.state.sessions['a#1'].always).toEqual(['npm test']);
    h.gone().seen('npm test', 'k2');
    expect(h.state.approvals['ap-2']).toMatchObject({ status: 'decided', decision: 'allow', by: 'policy' });
  });
});

describe('a prompt that leaves the screen', () => {
  it('goes off screen with a withdraw timer; back on screen cancels it; the timer withdraws it', () => {
    const h = new H().seen().gone();
    expect(h.ap.offscreen).toBe(true);
    expect(h.armed()).toEqual([{ type: 'arm-timer', timer: { kind: 'withdraw', id: 'ap-1' }, ms: WITHDRAW_GRACE_MS }]);
    h.seen();
    expect(h.ap.offscreen).toBeUndefined();
    expect(h.effects).toContainEqual({ type: 'cancel-timer', timer: { kind: 'withdraw', id: 'ap-1' } });
    h.gone().send({ type: 'timer.fired', timer: { kind: 'withdraw', id: 'ap-1' } });
    expect(h.ap).toMatchObject({ status: 'withdrawn', reason: 'the prompt left the screen without an answer' });
    expect(h.ap.decision).toBeUndefined();
    expect(h.state.queue).toEqual([]);
    expect(h.state.sessions['a#1'].state).toBe('running');
    expect(h.acts()).toEqual([]);
  });

  it('gets longer to come back right after a resize', () => {
    const h = new H().seen().send({ type: 'session.resized', session: 'a#1', cols: 80, rows: 20 }).at(500).gone();
    expect(h.armed()).toEqual([{ type: 'arm-timer', timer: { kind: 'withdraw', id: 'ap-1' }, ms: RESIZE_GRACE_MS }]);
    const s = h.state.sessions['a#1'];
    expect(withdrawGraceMs(s, s.resizedAt! + 10_000)).toBe(WITHDRAW_GRACE_MS);
  });

  it('a withdraw timer that fires after the prompt came back does nothing', () => {
    const h = new H().seen().gone().seen().send({ type: 'timer.fired', timer: { kind: 'withdraw', id: 'ap-1' } });
    expect(h.ap.status).toBe('pending');
  });

  it('keys typed that answer no option are kept with the withdrawal', () => {
    const h = new H().seen().send({ type: 'session.input', session: 'a#1', bytes: 2, data: 'zz' }).gone().send({ type: 'timer.fired', timer: { kind: 'withdraw', id: 'ap-1' } });
    expect(h.ap).toMatchObject({ status: 'withdrawn', typed: 'zz' });
  });

  it('a hook request that closes is withdrawn at once', () => {
    const h = new H().seen('touch x', 'h1', { via: 'hook' }).gone('h1');
    expect(h.ap.status).toBe('withdrawn');
  });
});

describe('the approval timeout', () => {
  const timed = () => new H({ approval: { ...ASK, timeout: 3000, onTimeout: 'deny' } });

  it('arms at the request with a deadline; firing decides onTimeout and answers', () => {
    const h = timed().seen();
    expect(h.ap.deadline).toBe(h.ap.requestedAt + 3000);
    expect(h.armed()).toEqual([{ type: 'arm-timer', timer: { kind: 'approval-timeout', id: 'ap-1' }, ms: 3000 }]);
    h.at(3000).send({ type: 'timer.fired', timer: { kind: 'approval-timeout', id: 'ap-1' } });
    expect(h.ap).toMatchObject({ status: 'decided', decision: 'deny', by: 'timeout' });
    expect(h.acts()).toEqual([{ type: 'answer', session: 'a#1', approval: 'ap-1', decision: 'deny', via: 'screen', key: 'k1' }]);
  });

  it('is cancelled by a decision; a late fire does nothing', () => {
    const h = timed().seen().send({ type: 'approval.decided', id: 'ap-1', decision: 'allow', by: 'user', how: 'overlay' });
    expect(h.effects).toContainEqual({ type: 'cancel-timer', timer: { kind: 'approval-timeout', id: 'ap-1' } });
    h.send({ type: 'timer.fired', timer: { kind: 'approval-timeout', id: 'ap-1' } });
    expect(h.ap).toMatchObject({ decision: 'allow', by: 'user' });
  });

  it('waits while the prompt is off screen and decides when it is back after the deadline', () => {
    const h = timed().seen().gone().at(3000).send({ type: 'timer.fired', timer: { kind: 'approval-timeout', id: 'ap-1' } });
    expect(h.ap.status).toBe('pending');
    h.seen();
    expect(h.ap).toMatchObject({ status: 'decided', by: 'timeout' });
  });

  it('is not armed headless (policy denies) nor without a timeout', () => {
    expect(new H({ approval: { ...ASK, timeout: 3000 } }, { interactive: false }).seen().armed()).toEqual([]);
    expect(new H().seen().armed()).toEqual([]);
  });
});

describe('exits, stops and timeouts', () => {
  it('an exit is classified by why conductor ended the session', () => {
    expect(classifyExit({}, { exitCode: 0 }, undefined)).toEqual({ state: 'completed' });
    expect(classifyExit({}, { exitCode: 2 }, undefined)).toEqual({ state: 'failed', reason: 'agent exited with code 2' });
    expect(classifyExit({}, { exitCode: 137, signal: 9 }, undefined)).toEqual({ state: 'failed', reason: 'agent exited with code 137 (signal 9)' });
    expect(classifyExit({ stopping: 'user' }, { exitCode: 143 }, undefined)).toEqual({ state: 'cancelled', reason: 'stopped by user' });
    expect(classifyExit({ stopping: 'timeout' }, { exitCode: 0 }, 90_000)).toEqual({ state: 'failed', reason: 'timed out after 1m30s' });
  });

  it('exit 0 completes the session and verifies the unit; answered prompts are resolved first', () => {
    const h = new H().seen().send({ type: 'approval.decided', id: 'ap-1', decision: 'allow', by: 'user', how: 'overlay' });
    h.send({ type: 'session.exited', session: 'a#1', exitCode: 0 });
    expect(h.types().slice(-3)).toEqual(['session.exited', 'approval.resolved', 'session.state']);
    expect(h.state.sessions['a#1']).toMatchObject({ state: 'completed', exited: true, exitCode: 0 });
    expect(h.acts()).toEqual([{ type: 'verify-unit', unit: 'a', session: 'a#1' }]);
  });

  it('a stop sends TERM and arms the grace; the grace kills only a process still there', () => {
    const h = new H().send({ type: 'session.stop-requested', session: 'a#1' });
    expect(h.acts()).toEqual([{ type: 'signal', session: 'a#1', signal: 'SIGTERM' }]);
    expect(h.armed()).toEqual([{ type: 'arm-timer', timer: { kind: 'stop-grace', id: 'a#1' }, ms: 2000 }]);
    h.send({ type: 'timer.fired', timer: { kind: 'stop-grace', id: 'a#1' } });
    expect(h.acts()).toEqual([{ type: 'signal', session: 'a#1', signal: 'SIGKILL' }]);
    h.send({ type: 'session.exited', session: 'a#1', exitCode: 137, signal: 9 });
    expect(h.state.sessions['a#1']).toMatchObject({ state: 'cancelled', reason: 'stopped by user' });
    expect(h.effects).toContainEqual({ type: 'cancel-timer', timer: { kind: 'stop-grace', id: 'a#1' } });
    h.send({ type: 'timer.fired', timer: { kind: 'stop-grace', id: 'a#1' } });
    expect(h.acts()).toEqual([]);
  });

  it('a paused session gets CONT with the stop, so it can exit', () => {
    const h = new H().send({ type: 'session.pause-requested', session: 'a#1' }).send({ type: 'session.stop-requested', session: 'a#1' });
    expect(h.acts()).toEqual([
      { type: 'signal', session: 'a#1', signal: 'SIGCONT' },
      { type: 'signal', session: 'a#1', signal: 'SIGTERM' },
    ]);
  });

  it('a stop before the process exists ends the session at once; a process that comes up anyway is killed', () => {
    const h = new H({}, {}, false);
    expect(h.state.sessions['a#1'].state).toBe('starting');
    h.send({ type: 'session.stop-requested', session: 'a#1' });
    expect(h.state.sessions['a#1']).toMatchObject({ state: 'cancelled', reason: 'stopped by user' });
    expect(h.state.units.a.status).toBe('cancelled');
    h.send({ type: 'session.spawned', session: 'a#1', pid: 9 });
    expect(h.acts()).toEqual([{ type: 'signal', session: 'a#1', signal: 'SIGKILL' }]);
  });

  it('the unit timeout is armed at spawn and stops the session as a timeout', () => {
    const h = new H({ timeout: 60_000 });
    expect(h.armed()).toEqual([{ type: 'arm-timer', timer: { kind: 'unit-timeout', id: 'a#1' }, ms: 60_000 }]);
    h.send({ type: 'timer.fired', timer: { kind: 'unit-timeout', id: 'a#1' } });
    expect(h.state.sessions['a#1'].stopping).toBe('timeout');
    h.send({ type: 'session.exited', session: 'a#1', exitCode: 143, signal: 15 });
    expect(h.state.units.a).toMatchObject({ status: 'failed', reason: 'timed out after 1m' });
  });

  it('spawn failure fails the session and the unit with its reason', () => {
    const h = new H({}, {}, false).send({ type: 'session.spawn-failed', session: 'a#1', reason: 'could not start sim: nope' });
    expect(h.state.sessions['a#1']).toMatchObject({ state: 'failed', reason: 'could not start sim: nope' });
    expect(h.state.units.a).toMatchObject({ status: 'failed', reason: 'could not start sim: nope' });
  });

  it('an exit after an interruption is recorded, not an error; a second exit is', () => {
    const h = new H().send({ type: 'execution.interrupted', reason: 'quit' }).send({ type: 'session.exited', session: 'a#1', exitCode: 143, signal: 15 });
    expect(h.state.sessions['a#1']).toMatchObject({ state: 'interrupted', exited: true, exitCode: 143 });
    expect(() => h.send({ type: 'session.exited', session: 'a#1', exitCode: 0 })).toThrow(/already exited/);
  });

  it('pause and continue only from the states that allow them', () => {
    const h = new H();
    expect(() => h.send({ type: 'session.continue-requested', session: 'a#1' })).toThrow(/not paused/);
    h.send({ type: 'session.pause-requested', session: 'a#1' });
    expect(h.acts()).toEqual([{ type: 'signal', session: 'a#1', signal: 'SIGSTOP' }]);
    expect(() => h.send({ type: 'session.pause-requested', session: 'a#1' })).toThrow(/only a running session pauses/);
    h.seen().send({ type: 'session.continue-requested', session: 'a#1' });
    expect(h.state.sessions['a#1'].state).toBe('waiting_for_approval');
  });
});

describe('replay', () => {
  it('the folded log of a whole lifecycle replays to the same state', () => {
    const h = new H({ approval: { ...ASK, allow: ['ls'], timeout: 1000 } })
      .seen('ls', 'k0')
      .gone('k0')
      .seen()
      .send({ type: 'session.resized', session: 'a#1', cols: 80, rows: 24 })
      .gone()
      .seen()
      .send({ type: 'session.input', session: 'a#1', bytes: 1, data: 'y' })
      .gone()
      .seen('rm x', 'k2')
      .send({ type: 'timer.fired', timer: { kind: 'approval-timeout', id: 'ap-3' } })
      .gone('k2')
      .send({ type: 'session.exited', session: 'a#1', exitCode: 0 });
    expect(Object.values(h.state.approvals).map((a) => [a.id, a.status, a.decision, a.by, a.how])).toEqual([
      ['ap-1', 'resolved', 'allow', 'policy', undefined],
      ['ap-2', 'resolved', 'allow', 'user', 'pane'],
      ['ap-3', 'resolved', 'deny', 'timeout', undefined],
    ]);
    expect(replay(h.log)).toEqual(h.state);
  });
});

describe('the end of a turn', () => {
  it('ends the CLI gracefully: its exit command, TERM after the grace, KILL after another; the exit counts as done', () => {
    const h = new H().send({ type: 'session.turn-ended', session: 'a#1', via: 'hook', message: 'Done.' });
    expect(h.state.sessions['a#1'].stopping).toBe('done');
    expect(h.acts()).toEqual([{ type: 'finish-session', session: 'a#1' }]);
    expect(h.armed()).toEqual([{ type: 'arm-timer', timer: { kind: 'exit-grace', id: 'a#1' }, ms: 10_000 }]);
    h.send({ type: 'timer.fired', timer: { kind: 'exit-grace', id: 'a#1' } });
    expect(h.acts()).toEqual([{ type: 'signal', session: 'a#1', signal: 'SIGTERM' }]);
    h.send({ type: 'session.exited', session: 'a#1', exitCode: 143, signal: 15 });
    expect(h.state.sessions['a#1'].state).toBe('completed');
    expect(h.acts()).toEqual([{ type: 'verify-unit', unit: 'a', session: 'a#1' }]);
  });

  it('a question waits for the person in the TUI; their typing clears it; headless the turn end is the end', () => {
    const h = new H().send({ type: 'session.turn-ended', session: 'a#1', via: 'hook', question: true, message: 'Which port?' });
    expect(h.state.sessions['a#1'].awaitingInput).toMatchObject({ message: 'Which port?' });
    expect(h.acts()).toEqual([]);
    h.send({ type: 'session.input', session: 'a#1', bytes: 4, data: '8080' });
    expect(h.state.sessions['a#1'].awaitingInput).toBeUndefined();
    const headless = new H({}, { interactive: false }).send({ type: 'session.turn-ended', session: 'a#1', via: 'screen', question: true });
    expect(headless.state.sessions['a#1'].stopping).toBe('done');
  });

  it('is ignored while an approval is pending or the session is already ending', () => {
    const h = new H().seen().send({ type: 'session.turn-ended', session: 'a#1', via: 'screen' });
    expect(h.state.sessions['a#1'].stopping).toBeUndefined();
    const s = new H().send({ type: 'session.stop-requested', session: 'a#1' }).send({ type: 'session.turn-ended', session: 'a#1', via: 'hook' });
    expect(s.state.sessions['a#1'].stopping).toBe('user');
  });

  it('the person can finish a session that waits for them', () => {
    const h = new H().send({ type: 'session.turn-ended', session: 'a#1', via: 'hook', question: true }).send({ type: 'session.finish-requested', session: 'a#1' });
    expect(h.state.sessions['a#1'].stopping).toBe('done');
    expect(h.acts()).toEqual([{ type: 'finish-session', session: 'a#1' }]);
  });

  it('a stop during the graceful end still cancels', () => {
    const h = new H().send({ type: 'session.turn-ended', session: 'a#1', via: 'hook' }).send({ type: 'session.stop-requested', session: 'a#1' });
    h.send({ type: 'session.exited', session: 'a#1', exitCode: 143 });
    expect(h.state.sessions['a#1'].state).toBe('cancelled');
  });

  it('a failed start is explained by the hint the screen gave', () => {
    expect(classifyExit({}, { exitCode: 1 }, undefined, 'claude is not logged in')).toEqual({ state: 'failed', reason: 'claude is not logged in (agent exited with code 1)' });
  });
});

describe('native resume', () => {
  it('an interrupted attempt with an agent session is resumed by the next one; one without starts over', () => {
    const h = new H().send({ type: 'session.agent-session', session: 'a#1', id: 'cli-123', via: 'preassigned' });
    h.send({ type: 'execution.interrupted', reason: 'quit' }).send({ type: 'session.exited', session: 'a#1', exitCode: 143 });
    h.send({ type: 'execution.resumed' });
    const started = h.log.find((e) => e.type === 'step.started' && e.session === 'a#2');
    expect(started).toMatchObject({ resume: { from: 'a#1', agentSession: 'cli-123' } });
    expect(h.state.sessions['a#2'].resume).toEqual({ from: 'a#1', agentSession: 'cli-123' });
    expect(h.state.units.a.resumable).toBeUndefined();
    const fresh = new H().send({ type: 'execution.interrupted', reason: 'quit' }).send({ type: 'execution.resumed' });
    expect(fresh.log.find((e) => e.type === 'step.started' && e.session === 'a#2')).not.toHaveProperty('resume');
  });

  it('a unit cut off in its checks runs its checks again on resume, not its agent', () => {
    for (const how of ['killed', 'quit'] as const) {
      const h = new H({ expectedOutputs: ['out.txt'] }).send({ type: 'session.exited', session: 'a#1', exitCode: 0 });
      h.send({ type: 'check.started', unit: 'a', name: 'check', run: 'make test' });
      // Killed: the log just stops (the reducer sees the resume next); quit: the execution was interrupted first.
      if (how === 'quit') h.send({ type: 'execution.interrupted', reason: 'quit' });
      h.send({ type: 'execution.resumed' });
      expect(h.acts(), how).toEqual([{ type: 'verify-unit', unit: 'a', session: 'a#1' }]);
      expect(h.state.units.a, how).toMatchObject({ status: 'running', phase: 'checks', checks: [], sessions: ['a#1'] });
      expect(h.log.filter((e) => e.type === 'step.started'), how).toHaveLength(1);
      h.send({ type: 'check.started', unit: 'a', name: 'check', run: 'make test' });
      h.send({ type: 'check.finished', unit: 'a', name: 'check', run: 'make test', exitCode: 0, passed: true, durationMs: 5 });
      h.send({ type: 'step.finished', unit: 'a', status: 'passed' });
      expect(h.state.units.a, how).toMatchObject({ status: 'passed', attempts: 1 });
      expect(h.state.status, how).toBe('passed');
      expect(replay(h.log), how).toEqual(h.state);
    }
  });

  it('a retry after a failure starts over', () => {
    const h = new H().send({ type: 'session.agent-session', session: 'a#1', id: 'cli-1', via: 'hook' }).send({ type: 'session.exited', session: 'a#1', exitCode: 1 });
    h.send({ type: 'step.retried', unit: 'a' });
    expect(h.log.at(-1)).not.toHaveProperty('resume');
  });
});

describe('first-run dialogs', () => {
  const dialog = (h: H, kind: 'trust' | 'api-key' = 'trust') =>
    h.send({ type: 'prompt.seen', session: 'a#1', key: `dialog:${kind}`, via: 'screen', dialog: kind, command: 'trust the folder /w?', options: ['allow', 'deny'] });

  it('a trust dialog for a workspace conductor made is allowed by policy, saying why', () => {
    const h = dialog(new H({ ownedWorkspace: true }));
    expect(h.ap).toMatchObject({ status: 'decided', decision: 'allow', by: 'policy', dialog: 'trust' });
    expect(h.ap.rule).toMatch(/conductor made this workspace/);
  });

  it('otherwise a person answers (headless: denied, the CLI then says why it cannot start); policy globs never apply', () => {
    expect(dialog(new H({ approval: { ...ASK, default: 'allow' } })).ap.status).toBe('pending');
    expect(dialog(new H({}, { interactive: false }), 'api-key').ap).toMatchObject({ decision: 'deny', by: 'policy' });
    expect(dialog(new H({}, { approve: 'all' }), 'api-key').ap).toMatchObject({ decision: 'allow', rule: '--approve all' });
  });

  it('"always" on a dialog is not remembered as a command', () => {
    const h = dialog(new H()).send({ type: 'approval.decided', id: 'ap-1', decision: 'allow', by: 'user', how: 'overlay' });
    expect(h.state.sessions['a#1'].always).toEqual([]);
  });
});
