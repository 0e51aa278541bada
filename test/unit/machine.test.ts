// The reducer, event by event: scheduling, session transitions, approvals, retries, resume.
// Decisions come back as `emit` effects; `fold()` applies them as the runtime does.
import { describe, expect, it } from 'vitest';
import type { ConductorEvent, NewEvent, SessionState, UnitDecl } from '../../src/core/events';
import { canTransition, reduce, replay, TransitionError, type Effect } from '../../src/core/machine';
import type { ExecState } from '../../src/core/state';
import { countUnits } from '../../src/core/state';

const EXEC = 'exec-test';
const decl = (id: string, dependsOn: string[] = []): UnitDecl => ({ id, kind: 'step', agent: 'backend', provider: 'sim', dependsOn, expectedOutputs: [] });

/** Feeds events one at a time, stamping seq/ts, and keeps the last effects. */
class Harness {
  state: ExecState | undefined;
  effects: Effect[] = [];
  log: ConductorEvent[] = [];
  private seq = 0;

  send(body: NewEvent): this {
    const e = { exec: EXEC, ...body, seq: ++this.seq, ts: 1000 + this.seq } as ConductorEvent;
    const r = reduce(this.state, e);
    this.state = r.state;
    this.effects = r.effects;
    this.log.push(e);
    return this;
  }

  get s(): ExecState {
    return this.state!;
  }

  /** The events the last reduce emitted (decisions for the log). */
  get emitted(): NewEvent[] {
    return this.effects.flatMap((e) => (e.type === 'emit' ? [e.event as NewEvent] : []));
  }

  /** The effects of the last reduce other than emitted events and timers. */
  get acts(): Effect[] {
    return this.effects.filter((e) => e.type !== 'emit' && e.type !== 'arm-timer' && e.type !== 'cancel-timer');
  }

  get timers(): Effect[] {
    return this.effects.filter((e) => e.type === 'arm-timer' || e.type === 'cancel-timer');
  }

  /** Units the last reduce started. */
  get starts(): string[] {
    return this.emitted.flatMap((e) => (e.type === 'step.started' ? [e.unit] : []));
  }

  /** How the last reduce finished the execution, if it did. */
  get finish(): string | undefined {
    const f = this.emitted.find((e) => e.type === 'execution.finished');
    return f?.type === 'execution.finished' ? f.status : undefined;
  }

  /** Applies what the last reduce emitted, in order, and what those emit in turn (as the runtime does). */
  fold(): this {
    const all: Effect[] = [];
    let pending = this.emitted;
    while (pending.length) {
      const [next, ...rest] = pending;
      this.send(next);
      all.push(...this.effects);
      pending = [...this.emitted, ...rest];
    }
    this.effects = all;
    return this;
  }

  start(unit: string, attempt = 1): this {
    return this.send({ type: 'step.started', unit, session: `${unit}#${attempt}`, attempt, provider: 'sim', agent: 'backend' });
  }

  run(session: string): this {
    return this.send({ type: 'session.spawned', session, pid: 42 });
  }

  complete(unit: string, attempt = 1): this {
    this.send({ type: 'session.exited', session: `${unit}#${attempt}`, exitCode: 0 }).fold();
    return this.send({ type: 'step.finished', unit, status: 'passed' });
  }
}

const plan = (units = [decl('a'), decl('b', ['a']), decl('c', ['a']), decl('d', ['b', 'c'])], concurrency = 1) =>
  new Harness().send({ type: 'execution.created', kind: 'plan', file: 'p.plan.yaml', goal: 'g', concurrency, units });

describe('execution lifecycle', () => {
  it('creates units in dependency order, pending', () => {
    const h = plan([decl('d', ['b', 'c']), decl('b', ['a']), decl('a'), decl('c', ['a'])]);
    expect(h.s.order).toEqual(['a', 'b', 'c', 'd']);
    expect(h.s.status).toBe('created');
    expect(Object.values(h.s.units).every((u) => u.status === 'pending')).toBe(true);
  });

  it('rejects a cycle and duplicate ids at creation', () => {
    expect(() => plan([decl('a', ['b']), decl('b', ['a'])])).toThrow(/cycle a → b → a|cycle b → a → b/);
    expect(() => plan([decl('a'), decl('a')])).toThrow(/duplicate unit id a/);
  });

  it('requires execution.created first', () => {
    expect(() => reduce(undefined, { type: 'execution.started', exec: EXEC, seq: 1, ts: 1 } as ConductorEvent)).toThrow(TransitionError);
  });

  it('starting schedules the first ready unit only, within concurrency', () => {
    const h = plan().send({ type: 'execution.started' });
    expect(h.s.status).toBe('running');
    expect(h.emitted).toEqual([{ type: 'step.started', unit: 'a', session: 'a#1', attempt: 1, provider: 'sim', agent: 'backend' }]);
  });

  it('schedules independent units up to the concurrency limit', () => {
    const h = plan(undefined, 2).send({ type: 'execution.started' }).start('a').run('a#1').complete('a');
    expect(h.starts).toEqual(['b', 'c']);
    h.start('b');
    expect(h.effects).toEqual([{ type: 'spawn-session', session: 'b#1', unit: 'b' }]);
    expect(h.s.sessions['b#1'].state).toBe('starting');
  });

  it('runs a plan to passed and asks to finish', () => {
    const h = plan().send({ type: 'execution.started' });
    for (const u of ['a', 'b', 'c', 'd']) h.start(u).run(`${u}#1`).complete(u);
    expect(h.finish).toBe('passed');
    h.fold();
    expect(h.effects).toEqual([{ type: 'execution-ended' }]);
    expect(h.s.status).toBe('passed');
    expect(h.s.finishedAt).toBeDefined();
  });

  it('refuses execution.finished while units remain', () => {
    const h = plan().send({ type: 'execution.started' });
    expect(() => h.send({ type: 'execution.finished', status: 'passed', passed: 0, failed: 0 })).toThrow(/still pending/);
  });

  it('refuses to start a unit whose dependencies have not passed', () => {
    const h = plan().send({ type: 'execution.started' });
    expect(() => h.start('b')).toThrow(/b waits for a/);
  });

  it('refuses to start a unit before the execution starts', () => {
    expect(() => plan().start('a')).toThrow(/not running/);
  });

  it('refuses stale or foreign events', () => {
    const h = plan();
    const started = { type: 'execution.started', exec: EXEC, seq: 1, ts: 5 } as ConductorEvent;
    expect(() => reduce(h.s, started)).toThrow(/seq 1 is not after 1/);
    expect(() => reduce(h.s, { ...started, seq: 9, exec: 'other' })).toThrow(/belongs to other/);
  });
});

describe('session transitions', () => {
  const states: SessionState[] = ['pending', 'starting', 'running', 'waiting_for_approval', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'];
  const legal: Record<SessionState, SessionState[]> = {
    pending: ['starting', 'failed', 'cancelled', 'interrupted'],
    starting: ['running', 'failed', 'cancelled', 'interrupted'],
    running: ['waiting_for_approval', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'],
    waiting_for_approval: ['running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'],
    paused: ['running', 'waiting_for_approval', 'failed', 'cancelled', 'interrupted'],
    completed: [],
    failed: [],
    cancelled: [],
    interrupted: [],
  };

  /** A harness whose session a#1 is in `state`, reached through legal events. */
  const at = (state: SessionState): Harness => {
    const h = plan().send({ type: 'execution.started' }).start('a');
    const path: Record<SessionState, SessionState[]> = {
      pending: [],
      starting: [],
      running: ['running'],
      waiting_for_approval: ['running', 'waiting_for_approval'],
      paused: ['running', 'paused'],
      completed: ['running', 'completed'],
      failed: ['failed'],
      cancelled: ['cancelled'],
      interrupted: ['interrupted'],
    };
    for (const s of path[state]) h.send({ type: 'session.state', session: 'a#1', state: s, exitCode: s === 'completed' ? 0 : undefined });
    return h;
  };

  for (const from of states) {
    for (const to of states) {
      const ok = legal[from].includes(to);
      it(`${from} → ${to} is ${ok ? 'accepted' : 'rejected'}`, () => {
        expect(canTransition(from, to)).toBe(ok);
        // Sessions are created starting (spawning begins with the unit); pending is only a table entry.
        if (from === 'pending') return;
        const h = at(from);
        expect(h.s.sessions['a#1'].state).toBe(from);
        const send = () => h.send({ type: 'session.state', session: 'a#1', state: to, exitCode: to === 'completed' ? 0 : 1 });
        if (ok) {
          send();
          expect(h.s.sessions['a#1'].state).toBe(to);
        } else {
          expect(send).toThrow(new RegExp(`cannot go from ${from} to ${to}`));
        }
      });
    }
  }

  it('a completed session sends its unit to verification', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1');
    h.send({ type: 'session.state', session: 'a#1', state: 'completed', exitCode: 0 });
    expect(h.s.units.a.phase).toBe('checks');
    // Declared complete while its process was still there: the process goes.
    expect(h.acts).toEqual([{ type: 'signal', session: 'a#1', signal: 'SIGKILL' }, { type: 'verify-unit', unit: 'a', session: 'a#1' }]);
    h.send({ type: 'check.started', unit: 'a', name: 'test', run: 'npm test' });
    expect(h.s.units.a.checks).toEqual([{ name: 'test', run: 'npm test', status: 'running' }]);
    h.send({ type: 'check.finished', unit: 'a', name: 'test', run: 'npm test', exitCode: 1, passed: false, durationMs: 5 });
    expect(h.s.units.a.checks[0].status).toBe('failed');
    h.send({ type: 'step.finished', unit: 'a', status: 'failed', reason: 'check test failed' });
    expect(h.s.units.a).toMatchObject({ status: 'failed', reason: 'check test failed' });
  });

  it('a failed session fails its unit and skips every dependent', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1');
    h.send({ type: 'session.state', session: 'a#1', state: 'failed', exitCode: 3 });
    expect(h.s.units.a).toMatchObject({ status: 'failed', reason: 'agent exited with code 3' });
    expect(['b', 'c', 'd'].map((u) => h.s.units[u].status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(h.finish).toBe('failed');
  });

  it('a stopped session cancels its unit', () => {
    const h = plan([decl('a')]).send({ type: 'execution.started' }).start('a').run('a#1');
    h.send({ type: 'session.state', session: 'a#1', state: 'cancelled' });
    expect(h.s.units.a).toMatchObject({ status: 'cancelled', reason: 'stopped' });
    expect(h.finish).toBe('cancelled');
  });

  it('counts output for throttled pane renders', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1');
    h.send({ type: 'session.output', session: 'a#1', bytes: 10 }).send({ type: 'session.output', session: 'a#1', bytes: 5 });
    expect(h.s.sessions['a#1']).toMatchObject({ version: 2, outputBytes: 15 });
  });

  it('step.finished is only accepted while verifying', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1');
    expect(() => h.send({ type: 'step.finished', unit: 'a', status: 'passed' })).toThrow(/not being verified/);
  });
});

describe('approvals', () => {
  const asking = () =>
    plan()
      .send({ type: 'execution.started' })
      .start('a')
      .run('a#1')
      .send({ type: 'approval.requested', id: 'ap1', session: 'a#1', via: 'screen', command: 'npm test', options: ['allow', 'always', 'deny'] });

  it('a request queues, moves the session to waiting and asks for a decision', () => {
    const h = asking();
    expect(h.s.queue).toEqual(['ap1']);
    expect(h.s.sessions['a#1'].state).toBe('waiting_for_approval');
    expect(h.effects).toEqual([]);
    expect(countUnits(h.s)).toMatchObject({ waiting: 1, running: 0 });
  });

  it('a decision leaves the queue, asks for the answer and resumes the session; resolution records the prompt gone', () => {
    const h = asking().send({ type: 'approval.decided', id: 'ap1', decision: 'allow', by: 'user', how: 'overlay' });
    expect(h.s.queue).toEqual([]);
    expect(h.s.approvals.ap1).toMatchObject({ status: 'decided', decision: 'allow', by: 'user', how: 'overlay' });
    expect(h.acts).toEqual([{ type: 'answer', session: 'a#1', approval: 'ap1', decision: 'allow', via: 'screen' }]);
    expect(h.s.sessions['a#1'].state).toBe('running');
    h.send({ type: 'approval.resolved', id: 'ap1', decision: 'allow', by: 'user' });
    expect(h.s.approvals.ap1.status).toBe('resolved');
    expect(h.s.sessions['a#1'].state).toBe('running');
  });

  it('rejects a second decision, an unknown id, an option not offered and a duplicate request', () => {
    const h = asking().send({ type: 'approval.decided', id: 'ap1', decision: 'deny', by: 'policy' });
    expect(() => h.send({ type: 'approval.decided', id: 'ap1', decision: 'allow', by: 'user' })).toThrow(/is decided, not pending/);
    expect(() => h.send({ type: 'approval.decided', id: 'nope', decision: 'allow', by: 'user' })).toThrow(/unknown approval nope/);
    const h2 = plan()
      .send({ type: 'execution.started' })
      .start('a')
      .run('a#1')
      .send({ type: 'approval.requested', id: 'x', session: 'a#1', via: 'screen', command: 'ls', options: ['allow', 'deny'] });
    expect(() => h2.send({ type: 'approval.decided', id: 'x', decision: 'always', by: 'user' })).toThrow(/does not offer always/);
    expect(() => h2.send({ type: 'approval.requested', id: 'x', session: 'a#1', via: 'screen', command: 'ls', options: ['allow'] })).toThrow(/already exists/);
  });

  it('keeps the session waiting while another of its approvals is pending', () => {
    const h = asking().send({ type: 'approval.requested', id: 'ap2', session: 'a#1', via: 'hook', command: 'rm x', options: ['allow', 'deny'] });
    expect(h.s.queue).toEqual(['ap1', 'ap2']);
    h.send({ type: 'approval.decided', id: 'ap1', decision: 'allow', by: 'user' }).send({ type: 'approval.resolved', id: 'ap1', decision: 'allow', by: 'user' });
    expect(h.s.sessions['a#1'].state).toBe('waiting_for_approval');
    h.send({ type: 'approval.decided', id: 'ap2', decision: 'deny', by: 'timeout' });
    expect(h.s.sessions['a#1'].state).toBe('running');
    h.send({ type: 'approval.resolved', id: 'ap2', decision: 'deny', by: 'timeout' });
    expect(h.s.sessions['a#1'].state).toBe('running');
    expect(h.s.approvals.ap2).toMatchObject({ status: 'resolved', by: 'timeout' });
  });

  it('a session that ends abandons its open approvals', () => {
    const h = asking().send({ type: 'session.state', session: 'a#1', state: 'failed', exitCode: 1 });
    expect(h.s.approvals.ap1.status).toBe('abandoned');
    expect(h.s.queue).toEqual([]);
  });

  it('only a running session asks', () => {
    const h = plan().send({ type: 'execution.started' }).start('a');
    expect(() => h.send({ type: 'approval.requested', id: 'z', session: 'a#1', via: 'screen', command: 'ls', options: ['allow'] })).toThrow(/only a running session asks/);
  });
});

describe('retry, interruption and resume', () => {
  it('retry puts a failed unit and its skipped dependents back and reopens the execution', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1');
    h.send({ type: 'session.state', session: 'a#1', state: 'failed', exitCode: 1 }).fold();
    expect(h.s.status).toBe('failed');
    h.send({ type: 'step.retried', unit: 'a' });
    expect(h.s.status).toBe('running');
    expect(['a', 'b', 'c', 'd'].map((u) => h.s.units[u].status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(h.starts).toEqual(['a']);
    h.start('a', 2);
    expect(h.s.units.a).toMatchObject({ attempts: 2, sessions: ['a#1', 'a#2'] });
  });

  it('retry is refused for a unit that passed or runs', () => {
    const h = plan().send({ type: 'execution.started' }).start('a');
    expect(() => h.send({ type: 'step.retried', unit: 'a' })).toThrow(/only a failed, stopped or skipped unit/);
  });

  it('interruption marks live sessions and their units interrupted', () => {
    const h = plan(undefined, 2).send({ type: 'execution.started' }).start('a').run('a#1').complete('a').start('b').run('b#1').start('c');
    h.send({ type: 'execution.interrupted', reason: 'quit' });
    expect(h.s.status).toBe('interrupted');
    expect(h.s.sessions['b#1'].state).toBe('interrupted');
    expect(h.s.sessions['c#1'].state).toBe('interrupted');
    expect(h.s.units.a.status).toBe('passed');
    expect(h.s.units.b.status).toBe('interrupted');
    // Both processes are told to stop, and killed if they are still there after the grace.
    expect(h.acts).toEqual([
      { type: 'signal', session: 'b#1', signal: 'SIGTERM' },
      { type: 'signal', session: 'c#1', signal: 'SIGTERM' },
    ]);
    expect(h.timers.filter((t) => t.type === 'arm-timer')).toEqual([
      { type: 'arm-timer', timer: { kind: 'stop-grace', id: 'b#1' }, ms: 2000 },
      { type: 'arm-timer', timer: { kind: 'stop-grace', id: 'c#1' }, ms: 2000 },
    ]);
  });

  it('resume after a crash (no interruption recorded) reruns what was running, never what passed', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1').complete('a').start('b').run('b#1');
    h.send({ type: 'execution.resumed' });
    expect(h.s.sessions['b#1'].state).toBe('interrupted');
    expect(h.s.units.a.status).toBe('passed');
    expect(h.s.units.b.status).toBe('pending');
    expect(h.starts).toEqual(['b']);
    expect(h.acts).toEqual([]);
  });

  it('resume after an interruption reruns interrupted units', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1').send({ type: 'execution.interrupted', reason: 'quit' });
    h.send({ type: 'execution.resumed' });
    expect(h.s.status).toBe('running');
    expect(h.starts).toEqual(['a']);
  });

  it('a finished execution does not resume', () => {
    const h = plan([decl('a')]).send({ type: 'execution.started' }).start('a').run('a#1').complete('a').fold();
    expect(() => h.send({ type: 'execution.resumed' })).toThrow(/only an unfinished execution resumes/);
  });
});

describe('hold and next', () => {
  it('a held execution starts nothing new; running sessions go on; release schedules again', () => {
    const h = plan(undefined, 2).send({ type: 'execution.held', held: true }).send({ type: 'execution.started' });
    expect(h.effects).toEqual([]);
    expect(h.s.held).toBe(true);
    h.send({ type: 'execution.next' });
    expect(h.starts).toEqual(['a']);
    h.start('a').run('a#1').complete('a');
    expect(h.starts).toEqual([]);
    h.send({ type: 'execution.held', held: false });
    expect(h.starts).toEqual(['b', 'c']);
  });

  it('next needs a ready unit and a running execution; holding twice is refused', () => {
    const h = plan().send({ type: 'execution.started' }).send({ type: 'execution.held', held: true }).start('a');
    expect(() => h.send({ type: 'execution.next' })).toThrow(/1 running already \(concurrency 1\)/);
    const wide = plan(undefined, 2).send({ type: 'execution.started' }).send({ type: 'execution.held', held: true }).start('a');
    expect(() => wide.send({ type: 'execution.next' })).toThrow(/no step is ready/);
    expect(() => h.send({ type: 'execution.held', held: true })).toThrow(/already held/);
    expect(() => plan().send({ type: 'execution.next' })).toThrow(/not running/);
  });

  it('a held execution still finishes when its last unit ends', () => {
    const h = plan([decl('a')]).send({ type: 'execution.started' }).start('a').send({ type: 'execution.held', held: true }).run('a#1').complete('a');
    expect(h.finish).toBe('passed');
  });
});

describe('workspace changes', () => {
  it('a change credited to one session counts for its unit; a shared one is noted apart by each unit and counts for none', () => {
    const h = plan([decl('a'), decl('b')], 2).send({ type: 'execution.started' }).start('a').start('b').run('a#1').run('b#1');
    h.send({ type: 'file.touched', session: 'a#1', path: 'mine.txt', reason: 'add' });
    h.send({ type: 'file.touched', shared: true, sessions: ['a#1', 'b#1'], path: 'both.txt', reason: 'add' });
    h.send({ type: 'file.touched', shared: true, sessions: ['a#1', 'b#1'], path: 'both.txt', reason: 'change' });
    expect(h.s.units.a).toMatchObject({ files: ['mine.txt'], sharedFiles: ['both.txt'] });
    expect(h.s.units.b.files).toEqual([]);
    expect(h.s.units.b.sharedFiles).toEqual(['both.txt']);
    h.send({ type: 'diff.summary', unit: 'b', session: 'b#1', base: 'session-start', files: [{ path: 'both.txt', status: 'added', added: 1, removed: 0 }], shared: ['a#1'] });
    expect(h.s.units.b).toMatchObject({ diff: [{ path: 'both.txt', status: 'added', added: 1, removed: 0 }], diffShared: ['a#1'] });
    // A later diff replaces the earlier one's notes too.
    h.send({ type: 'diff.summary', unit: 'b', files: [] });
    expect(h.s.units.b.diffShared).toBeUndefined();
    expect(replay(h.log)).toEqual(h.s);
  });
});

describe('replay', () => {
  it('replaying the log reaches the same state as the live fold', () => {
    const h = plan().send({ type: 'execution.started' }).start('a').run('a#1');
    h.send({ type: 'approval.requested', id: 'p', session: 'a#1', via: 'screen', command: 'ls', options: ['allow', 'deny'] });
    h.send({ type: 'approval.decided', id: 'p', decision: 'allow', by: 'user' }).send({ type: 'approval.resolved', id: 'p', decision: 'allow', by: 'user' });
    h.send({ type: 'file.touched', session: 'a#1', path: 'src/x.js', reason: 'add' }).complete('a');
    expect(replay(h.log)).toEqual(h.s);
  });
});
