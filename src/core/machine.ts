// The pure engine: reduce(state, event) → {state, effects}. Every state change of an execution
// happens here; illegal transitions throw a TransitionError instead of being ignored.
import type { ConductorEvent, ExecStatus, SessionState, UnitStatus } from './events';
import { executionOrder, readyUnits, transitiveDependents } from './schedule';
import type { ApprovalState, ExecState, SessionInfo, UnitState } from './state';
import { RETRYABLE_UNIT_STATUSES, TERMINAL_UNIT_STATUSES, UNFINISHED_EXEC_STATUSES, isLiveSession } from './state';
import type { Decision } from './types';

export type Effect =
  /** Start this unit now: the runtime answers with `step.started`/`trial.started`. */
  | { type: 'start-unit'; unit: string }
  /** Spawn the session's agent in a PTY. */
  | { type: 'spawn-session'; session: string; unit: string }
  /** The agent finished well: run checks and verify outputs, then `step.finished`. */
  | { type: 'verify-unit'; unit: string; session: string }
  /** An approval waits: apply policy or leave it to a person. */
  | { type: 'approval-needed'; id: string }
  /** A decision was taken: write the provider's keys (or answer the hook). */
  | { type: 'send-decision'; id: string; decision: Decision }
  /** Nothing left to run: the runtime records `execution.finished`. */
  | { type: 'finish-execution'; status: 'passed' | 'failed' | 'cancelled' };

export interface ReduceResult {
  state: ExecState;
  effects: Effect[];
}

export class TransitionError extends Error {
  constructor(
    message: string,
    readonly event: ConductorEvent,
  ) {
    super(message);
    this.name = 'TransitionError';
  }
}

const SESSION_TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
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

export const canTransition = (from: SessionState, to: SessionState): boolean => SESSION_TRANSITIONS[from].includes(to);

/** Fold a whole log (replay). Effects are discarded: replay rebuilds state, it does not act. */
export function replay(events: readonly ConductorEvent[]): ExecState | undefined {
  let state: ExecState | undefined;
  for (const e of events) state = reduce(state, e).state;
  return state;
}

export function reduce(state: ExecState | undefined, event: ConductorEvent): ReduceResult {
  const fail = (why: string): never => {
    throw new TransitionError(`${event.type} (seq ${event.seq}): ${why}`, event);
  };
  if (!state) {
    if (event.type !== 'execution.created') fail('the log must begin with execution.created');
    return { state: created(event as Extract<ConductorEvent, { type: 'execution.created' }>), effects: [] };
  }
  if (event.type === 'execution.created') fail('execution already created');
  if (event.exec !== state.exec) fail(`event belongs to ${event.exec}, not ${state.exec}`);
  if (event.seq <= state.lastSeq) fail(`seq ${event.seq} is not after ${state.lastSeq}`);

  const m = new Mutation({ ...state, lastSeq: event.seq, lastTs: event.ts }, event, fail);
  m.apply();
  return { state: m.state, effects: m.effects };
}

function created(e: Extract<ConductorEvent, { type: 'execution.created' }>): ExecState {
  const units: Record<string, UnitState> = {};
  for (const d of e.units) {
    if (units[d.id]) throw new TransitionError(`execution.created: duplicate unit id ${d.id}`, e);
    units[d.id] = { ...d, status: 'pending', attempts: 0, sessions: [], checks: [], files: [], assertions: [] };
  }
  const ordered = executionOrder(e.units);
  if ('cycle' in ordered) throw new TransitionError(`execution.created: dependency cycle ${ordered.cycle.join(' → ')}`, e);
  return {
    exec: e.exec,
    kind: e.kind,
    file: e.file,
    goal: e.goal,
    concurrency: Math.max(1, e.concurrency),
    status: 'created',
    held: false,
    createdAt: e.ts,
    order: ordered.order,
    units,
    sessions: {},
    approvals: {},
    queue: [],
    lastSeq: e.seq,
    lastTs: e.ts,
    errors: [],
  };
}

/** Applies one event to a shallow copy of the state, copying each record it touches. */
class Mutation {
  readonly effects: Effect[] = [];

  constructor(
    public state: ExecState,
    private readonly e: ConductorEvent,
    private readonly fail: (why: string) => never,
  ) {}

  private unit(id: string | undefined): UnitState {
    const u = id === undefined ? undefined : this.state.units[id];
    if (!u) return this.fail(`unknown unit ${id}`);
    return u;
  }

  private session(id: string | undefined): SessionInfo {
    const s = id === undefined ? undefined : this.state.sessions[id];
    if (!s) return this.fail(`unknown session ${id}`);
    return s;
  }

  private approval(id: string): ApprovalState {
    const a = this.state.approvals[id];
    if (!a) return this.fail(`unknown approval ${id}`);
    return a;
  }

  private putUnit(u: UnitState): void {
    this.state = { ...this.state, units: { ...this.state.units, [u.id]: u } };
  }

  private putSession(s: SessionInfo): void {
    this.state = { ...this.state, sessions: { ...this.state.sessions, [s.id]: s } };
  }

  private putApproval(a: ApprovalState): void {
    const queue = a.status === 'pending' ? this.state.queue : this.state.queue.filter((q) => q !== a.id);
    this.state = { ...this.state, approvals: { ...this.state.approvals, [a.id]: a }, queue };
  }

  private setExec(status: ExecStatus, extra: Partial<ExecState> = {}): void {
    this.state = { ...this.state, status, ...extra };
  }

  apply(): void {
    const e = this.e;
    switch (e.type) {
      case 'execution.started':
        if (this.state.status !== 'created') this.fail(`execution is ${this.state.status}, not created`);
        this.setExec('running', { startedAt: e.ts });
        this.schedule();
        return;
      case 'execution.resumed':
        if (!UNFINISHED_EXEC_STATUSES.includes(this.state.status)) {
          this.fail(`execution is ${this.state.status}; only an unfinished execution resumes`);
        }
        this.interruptLive('resumed after an interruption');
        for (const id of this.state.order) {
          const u = this.state.units[id];
          if (u.status === 'interrupted' || u.status === 'running') this.putUnit({ ...u, status: 'pending', phase: undefined });
        }
        this.setExec('running', { startedAt: this.state.startedAt ?? e.ts, finishedAt: undefined });
        this.schedule();
        return;
      case 'execution.interrupted':
        if (this.state.status !== 'running' && this.state.status !== 'created') {
          this.fail(`execution is ${this.state.status}; only a running execution is interrupted`);
        }
        this.interruptLive(e.reason);
        this.setExec('interrupted');
        return;
      case 'execution.held':
        if (this.state.held === e.held) this.fail(`execution is already ${e.held ? 'held' : 'released'}`);
        this.state = { ...this.state, held: e.held };
        if (!e.held) this.schedule();
        return;
      case 'execution.next': {
        if (this.state.status !== 'running') this.fail(`execution is ${this.state.status}, not running`);
        const units = this.declared();
        const next = readyUnits(units, this.state.concurrency)[0];
        if (!next) {
          const running = units.filter((u) => u.status === 'running').length;
          this.fail(running >= this.state.concurrency ? `${running} running already (concurrency ${this.state.concurrency})` : 'no step is ready to start');
        }
        this.effects.push({ type: 'start-unit', unit: next });
        return;
      }
      case 'execution.finished':
        if (this.state.status !== 'running') this.fail(`execution is ${this.state.status}, not running`);
        if (this.state.order.some((id) => !TERMINAL_UNIT_STATUSES.includes(this.state.units[id].status))) {
          this.fail('units are still pending or running');
        }
        this.setExec(e.status, { finishedAt: e.ts });
        return;
      case 'step.started':
      case 'trial.started':
        return this.unitStarted(e);
      case 'step.finished':
      case 'trial.finished': {
        const u = this.unit(e.unit);
        if (u.status !== 'running' || u.phase !== 'checks') this.fail(`${u.id} is not being verified (status ${u.status})`);
        this.finishUnit(u, e.status, e.reason, e.ts);
        return;
      }
      case 'step.retried':
      case 'trial.retried':
        return this.retry(this.unit(e.unit));
      case 'session.state':
        return this.sessionState(e);
      case 'session.output': {
        const s = this.session(e.session);
        this.putSession({ ...s, version: s.version + 1, outputBytes: s.outputBytes + e.bytes });
        return;
      }
      case 'session.input':
        this.session(e.session);
        return;
      case 'session.resized': {
        const s = this.session(e.session);
        this.putSession({ ...s, cols: e.cols, rows: e.rows, version: s.version + 1 });
        return;
      }
      case 'approval.requested':
        return this.approvalRequested(e);
      case 'approval.decided': {
        const a = this.approval(e.id);
        if (a.status !== 'pending') this.fail(`approval ${a.id} is ${a.status}, not pending`);
        if (!a.options.includes(e.decision)) this.fail(`approval ${a.id} does not offer ${e.decision}`);
        this.putApproval({ ...a, status: 'decided', decision: e.decision, by: e.by, decidedAt: e.ts });
        this.effects.push({ type: 'send-decision', id: a.id, decision: e.decision });
        return;
      }
      case 'approval.resolved': {
        const a = this.approval(e.id);
        if (a.status !== 'decided' && a.status !== 'pending') this.fail(`approval ${a.id} is already ${a.status}`);
        this.putApproval({ ...a, status: 'resolved', decision: e.decision, by: e.by, decidedAt: a.decidedAt ?? e.ts, resolvedAt: e.ts });
        const s = this.session(a.session);
        const stillWaiting = s.approvals.some((id) => id !== a.id && this.state.approvals[id].status === 'pending');
        if (s.state === 'waiting_for_approval' && !stillWaiting) this.putSession({ ...s, state: 'running' });
        return;
      }
      case 'check.started': {
        const u = this.unit(e.unit);
        if (u.phase !== 'checks') this.fail(`${u.id} is not being verified`);
        this.putUnit({ ...u, checks: [...u.checks, { name: e.name, run: e.run, status: 'running' }] });
        return;
      }
      case 'check.finished': {
        const u = this.unit(e.unit);
        const i = u.checks.findIndex((c) => c.name === e.name && c.status === 'running');
        const result = { name: e.name, run: e.run, status: e.passed ? 'passed' : 'failed', exitCode: e.exitCode, durationMs: e.durationMs } as const;
        const checks = i >= 0 ? u.checks.map((c, j) => (j === i ? result : c)) : [...u.checks, result];
        this.putUnit({ ...u, checks });
        return;
      }
      case 'file.touched': {
        const s = this.session(e.session);
        const u = this.unit(s.unit);
        if (!u.files.includes(e.path) && u.files.length < 1000) this.putUnit({ ...u, files: [...u.files, e.path] });
        return;
      }
      case 'diff.summary':
        this.putUnit({ ...this.unit(e.unit), diff: e.files });
        return;
      case 'usage': {
        const s = this.session(e.session);
        this.putSession({ ...s, usage: { bytes: e.bytes, files: e.files, tokens: e.tokens, cost: e.cost } });
        return;
      }
      case 'assertion.evaluated': {
        const u = this.unit(e.unit);
        this.putUnit({ ...u, assertions: [...u.assertions, { name: e.name, passed: e.passed, detail: e.detail }] });
        return;
      }
      case 'error':
        this.state = { ...this.state, errors: [...this.state.errors, e.message].slice(-20) };
        return;
    }
  }

  private unitStarted(e: Extract<ConductorEvent, { type: 'step.started' | 'trial.started' }>): void {
    if (this.state.status !== 'running') this.fail(`execution is ${this.state.status}, not running`);
    const u = this.unit(e.unit);
    if (u.status !== 'pending') this.fail(`${u.id} is ${u.status}, not pending`);
    const unmet = u.dependsOn.filter((d) => this.state.units[d]?.status !== 'passed');
    if (unmet.length) this.fail(`${u.id} waits for ${unmet.join(', ')}`);
    if (this.state.sessions[e.session]) this.fail(`session ${e.session} already exists`);
    const session: SessionInfo = {
      id: e.session,
      unit: u.id,
      provider: e.provider,
      agent: e.agent,
      attempt: e.attempt,
      state: 'pending',
      createdAt: e.ts,
      version: 0,
      outputBytes: 0,
      approvals: [],
    };
    this.putSession(session);
    this.putUnit({
      ...u,
      status: 'running',
      phase: 'agent',
      attempts: e.attempt,
      sessions: [...u.sessions, e.session],
      startedAt: e.ts,
      finishedAt: undefined,
      reason: undefined,
      checks: [],
    });
    this.effects.push({ type: 'spawn-session', session: e.session, unit: u.id });
  }

  private sessionState(e: Extract<ConductorEvent, { type: 'session.state' }>): void {
    const s = this.session(e.session);
    if (!canTransition(s.state, e.state)) this.fail(`session ${s.id} cannot go from ${s.state} to ${e.state}`);
    const next: SessionInfo = { ...s, state: e.state, reason: e.reason ?? s.reason };
    if (e.state === 'running' && !s.startedAt) next.startedAt = e.ts;
    if (e.pid !== undefined) next.pid = e.pid;
    if (e.exitCode !== undefined) next.exitCode = e.exitCode;
    if (e.signal !== undefined) next.signal = e.signal;
    if (!isLiveSession(next)) next.endedAt = e.ts;
    this.putSession(next);
    if (isLiveSession(next)) return;

    this.abandonApprovals(next);
    const u = this.unit(s.unit);
    if (u.sessions[u.sessions.length - 1] !== s.id || u.status !== 'running') return;
    if (e.state === 'completed') {
      this.putUnit({ ...u, phase: 'checks' });
      this.effects.push({ type: 'verify-unit', unit: u.id, session: s.id });
    } else if (e.state === 'interrupted') {
      this.putUnit({ ...u, status: 'interrupted', phase: undefined, reason: e.reason ?? 'interrupted' });
    } else {
      const why = e.reason ?? (e.state === 'cancelled' ? 'stopped' : `agent exited with code ${e.exitCode ?? '?'}`);
      this.finishUnit(u, e.state === 'cancelled' ? 'cancelled' : 'failed', why, e.ts);
    }
  }

  private approvalRequested(e: Extract<ConductorEvent, { type: 'approval.requested' }>): void {
    if (this.state.approvals[e.id]) this.fail(`approval ${e.id} already exists`);
    const s = this.session(e.session);
    if (s.state !== 'running' && s.state !== 'waiting_for_approval') this.fail(`session ${s.id} is ${s.state}; only a running session asks`);
    if (e.options.length === 0) this.fail('an approval needs at least one option');
    const a: ApprovalState = {
      id: e.id,
      session: s.id,
      unit: s.unit,
      via: e.via,
      command: e.command,
      options: e.options,
      detector: e.detector,
      cliVersion: e.cliVersion,
      status: 'pending',
      requestedAt: e.ts,
    };
    this.putApproval(a);
    this.state = { ...this.state, queue: [...this.state.queue, a.id] };
    this.putSession({ ...s, state: 'waiting_for_approval', approvals: [...s.approvals, a.id] });
    this.effects.push({ type: 'approval-needed', id: a.id });
  }

  private abandonApprovals(s: SessionInfo): void {
    for (const id of s.approvals) {
      const a = this.state.approvals[id];
      if (a.status === 'pending' || a.status === 'decided') this.putApproval({ ...a, status: 'abandoned' });
    }
  }

  private interruptLive(reason: string): void {
    for (const s of Object.values(this.state.sessions)) {
      if (!isLiveSession(s)) continue;
      const next = { ...s, state: 'interrupted' as const, reason, endedAt: this.e.ts };
      this.putSession(next);
      this.abandonApprovals(next);
      const u = this.state.units[s.unit];
      if (u.status === 'running') this.putUnit({ ...u, status: 'interrupted', phase: undefined, reason });
    }
    for (const id of this.state.order) {
      const u = this.state.units[id];
      if (u.status === 'running') this.putUnit({ ...u, status: 'interrupted', phase: undefined, reason });
    }
  }

  private finishUnit(u: UnitState, status: UnitStatus, reason: string | undefined, ts: number): void {
    this.putUnit({ ...u, status, phase: undefined, reason, finishedAt: ts });
    if (status !== 'passed') {
      for (const id of transitiveDependents(this.declared(), u.id)) {
        const d = this.state.units[id];
        if (d.status === 'pending') this.putUnit({ ...d, status: 'skipped', reason: `${u.id} ${status}` });
      }
    }
    this.schedule();
  }

  private retry(u: UnitState): void {
    if (!RETRYABLE_UNIT_STATUSES.includes(u.status)) this.fail(`${u.id} is ${u.status}; only a failed, stopped or skipped unit is retried`);
    if (this.state.status === 'interrupted' || this.state.status === 'created') this.fail(`execution is ${this.state.status}; resume it first`);
    this.putUnit({ ...u, status: 'pending', reason: undefined, phase: undefined });
    for (const id of transitiveDependents(this.declared(), u.id)) {
      const d = this.state.units[id];
      if (d.status === 'skipped') this.putUnit({ ...d, status: 'pending', reason: undefined });
    }
    if (this.state.status !== 'running') this.setExec('running', { finishedAt: undefined });
    this.schedule();
  }

  private declared() {
    return this.state.order.map((id) => this.state.units[id]);
  }

  /** Ask for ready units to start, or for the execution to finish when nothing is left. */
  private schedule(): void {
    if (this.state.status !== 'running') return;
    const units = this.declared();
    if (!this.state.held) for (const id of readyUnits(units, this.state.concurrency)) this.effects.push({ type: 'start-unit', unit: id });
    if (units.every((u) => TERMINAL_UNIT_STATUSES.includes(u.status))) {
      const status = units.every((u) => u.status === 'passed')
        ? 'passed'
        : units.some((u) => u.status === 'failed' || u.status === 'skipped')
          ? 'failed'
          : 'cancelled';
      this.effects.push({ type: 'finish-execution', status });
    }
  }
}
