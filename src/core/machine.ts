// The pure engine: reduce(state, event) → {state, effects}. Every state change of an execution
// happens here, and so does every decision of a session's lifecycle: which units start, what an
// approval prompt gets (policy, "always", a person, a timeout), when a prompt that left the screen
// is withdrawn, what an exit means. Decisions the log must show are returned as `emit` effects
// (the runtime logs and folds them next, before anything else); what must happen outside is
// returned as effects for the adapters. Illegal transitions throw a TransitionError.
import type { ConductorEvent, EventBody, ExecStatus, RunSettings, SessionState, TimerRef, UnitStatus } from './events';
import { approvalVerdict, classifyExit, dialogVerdict, EXIT_GRACE_MS, normalizeCommand, STOP_GRACE_MS, typedDecision, TYPED_LIMIT, withdrawGraceMs } from './decide';
import { executionOrder, readyUnits, transitiveDependents } from './schedule';
import { summarizeScenario } from './stats';
import type { ApprovalState, ExecState, SessionInfo, UnitState } from './state';
import { RETRYABLE_UNIT_STATUSES, TERMINAL_UNIT_STATUSES, UNFINISHED_EXEC_STATUSES, isLiveSession } from './state';
import type { Decision } from './types';

export type Signal = 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT';

export type Effect =
  /** A decision for the log: the runtime stamps it and folds it next. */
  | { type: 'emit'; event: EventBody }
  /** Spawn the session's agent in a PTY: the adapter answers `session.spawned` or `session.spawn-failed`. */
  | { type: 'spawn-session'; session: string; unit: string }
  /** The agent finished well: run checks and verify outputs, then `step.finished`. */
  | { type: 'verify-unit'; unit: string; session: string }
  /** Answer an approval: the provider's keys on screen (`via: screen`), or the hook's reply (`via: hook`, by key). */
  | { type: 'answer'; session: string; approval: string; decision: Decision; via: 'screen' | 'hook'; key?: string }
  /** End the CLI gracefully: type its exit command. */
  | { type: 'finish-session'; session: string }
  /** Signal the session's process group. */
  | { type: 'signal'; session: string; signal: Signal }
  | { type: 'arm-timer'; timer: TimerRef; ms: number }
  | { type: 'cancel-timer'; timer: TimerRef }
  /** The execution reached its end: reports and snapshots are written. */
  | { type: 'execution-ended' };

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

export const DEFAULT_SETTINGS: RunSettings = { approve: 'policy', interactive: false };

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
    settings: DEFAULT_SETTINGS,
    approvalSeq: 0,
    createdAt: e.ts,
    order: ordered.order,
    units,
    sessions: {},
    approvals: {},
    queue: [],
    lastSeq: e.seq,
    lastTs: e.ts,
    errors: [],
    ...(e.kind === 'scenario' ? { threshold: e.threshold ?? 1, passScore: e.passScore ?? 1 } : {}),
    ...(e.lanes?.length ? { lanes: e.lanes } : {}),
    ...(e.baseCommit ? { baseCommit: e.baseCommit } : {}),
  };
}

type Ev<T extends ConductorEvent['type']> = Extract<ConductorEvent, { type: T }>;

const LIVE_APPROVAL: readonly ApprovalState['status'][] = ['pending', 'decided'];

/** Applies one event to a shallow copy of the state, copying each record it touches. */
class Mutation {
  readonly effects: Effect[] = [];
  private readonly starting = new Set<string>();

  constructor(
    public state: ExecState,
    private readonly e: ConductorEvent,
    private readonly fail: (why: string) => never,
  ) {}

  // ── access ──────────────────────────────────────────────────────────────

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

  private emit(event: EventBody): void {
    this.effects.push({ type: 'emit', event });
  }

  private arm(timer: TimerRef, ms: number): void {
    this.effects.push({ type: 'arm-timer', timer, ms });
  }

  private cancel(timer: TimerRef): void {
    this.effects.push({ type: 'cancel-timer', timer });
  }

  /** The live approval of a session showing the prompt with this key. */
  private approvalByKey(session: SessionInfo, key: string): ApprovalState | undefined {
    for (const id of session.approvals) {
      const a = this.state.approvals[id];
      if (a.key === key && LIVE_APPROVAL.includes(a.status)) return a;
    }
    return undefined;
  }

  private hasPending(session: SessionInfo, except?: string): boolean {
    return session.approvals.some((id) => id !== except && this.state.approvals[id].status === 'pending');
  }

  // ── events ──────────────────────────────────────────────────────────────

  apply(): void {
    const e = this.e;
    switch (e.type) {
      case 'execution.started':
        if (this.state.status !== 'created') this.fail(`execution is ${this.state.status}, not created`);
        this.setExec('running', { startedAt: e.ts, settings: settingsOf(e) });
        this.schedule();
        return;
      case 'execution.resumed':
        if (!UNFINISHED_EXEC_STATUSES.includes(this.state.status)) {
          this.fail(`execution is ${this.state.status}; only an unfinished execution resumes`);
        }
        // A unit whose agent session completed was cut off in its checks: the checks run again, the agent does not
        // (a session is completed only by its agent's good exit, and that is what sends a unit to its checks).
        const verifying = this.state.order.filter((id) => {
          const u = this.state.units[id];
          const last = u.sessions.length ? this.state.sessions[u.sessions[u.sessions.length - 1]] : undefined;
          return (u.status === 'interrupted' || u.status === 'running') && !!last && (last.state === 'completed' || (u.kind === 'trial' && judgedExit(last)));
        });
        this.interruptLive('resumed after an interruption', false);
        for (const id of this.state.order) {
          const u = this.state.units[id];
          if (verifying.includes(id)) {
            const session = u.sessions[u.sessions.length - 1];
            this.putUnit({ ...u, status: 'running', phase: 'checks', reason: undefined, resumable: undefined, checks: [] });
            this.effects.push({ type: 'verify-unit', unit: id, session });
            continue;
          }
          if (u.status !== 'interrupted' && u.status !== 'running') continue;
          // The agent's own session goes on where its CLI can resume it; otherwise the unit starts over.
          const last = u.sessions.length ? this.state.sessions[u.sessions[u.sessions.length - 1]] : undefined;
          const resumable = u.phase !== 'checks' && last?.agentSession ? { from: last.id, agentSession: last.agentSession } : undefined;
          this.putUnit({ ...u, status: 'pending', phase: undefined, resumable });
        }
        this.setExec('running', { startedAt: this.state.startedAt ?? e.ts, finishedAt: undefined, settings: settingsOf(e) });
        this.schedule();
        return;
      case 'execution.interrupted':
        if (this.state.status !== 'running' && this.state.status !== 'created') {
          this.fail(`execution is ${this.state.status}; only a running execution is interrupted`);
        }
        this.interruptLive(e.reason, true);
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
        this.startUnit(next);
        return;
      }
      case 'execution.finished':
        if (this.state.status !== 'running') this.fail(`execution is ${this.state.status}, not running`);
        if (this.state.order.some((id) => !TERMINAL_UNIT_STATUSES.includes(this.state.units[id].status))) {
          this.fail('units are still pending or running');
        }
        this.setExec(e.status, { finishedAt: e.ts });
        this.effects.push({ type: 'execution-ended' });
        return;
      case 'step.started':
      case 'trial.started':
        return this.unitStarted(e);
      case 'step.finished':
      case 'trial.finished': {
        const u = this.unit(e.unit);
        if (u.status !== 'running' || u.phase !== 'checks') this.fail(`${u.id} is not being verified (status ${u.status})`);
        this.finishUnit(e.score !== undefined ? { ...u, score: e.score } : u, e.status, e.reason, e.ts);
        return;
      }
      case 'step.retried':
      case 'trial.retried':
        return this.retry(this.unit(e.unit));

      case 'session.spawned':
        return this.spawned(e);
      case 'session.spawn-failed': {
        const s = this.session(e.session);
        if (isLiveSession(s)) this.emit({ type: 'session.state', session: s.id, state: 'failed', reason: e.reason });
        return;
      }
      case 'session.exited':
        return this.exited(e);
      case 'session.state':
        return this.sessionState(e);
      case 'session.output': {
        const s = this.session(e.session);
        this.putSession({ ...s, version: s.version + 1, outputBytes: s.outputBytes + e.bytes });
        return;
      }
      case 'session.input':
        return this.typed(e);
      case 'session.resized': {
        const s = this.session(e.session);
        this.putSession({ ...s, cols: e.cols, rows: e.rows, version: s.version + 1, resizedAt: e.ts });
        return;
      }
      case 'session.stop-requested':
        return this.stop(this.session(e.session), 'user');
      case 'session.finish-requested':
        return this.finish(this.session(e.session));
      case 'session.agent-session': {
        const s = this.session(e.session);
        this.putSession({ ...s, agentSession: e.id });
        return;
      }
      case 'session.turn-ended':
        return this.turnEnded(e);
      case 'session.pause-requested': {
        const s = this.session(e.session);
        if (s.state !== 'running' && s.state !== 'waiting_for_approval') this.fail(`session ${s.id} is ${s.state}; only a running session pauses`);
        this.putSession({ ...s, state: 'paused' });
        this.effects.push({ type: 'signal', session: s.id, signal: 'SIGSTOP' });
        return;
      }
      case 'session.continue-requested': {
        const s = this.session(e.session);
        if (s.state !== 'paused') this.fail(`session ${s.id} is ${s.state}, not paused`);
        this.putSession({ ...s, state: this.hasPending(s) ? 'waiting_for_approval' : 'running' });
        this.effects.push({ type: 'signal', session: s.id, signal: 'SIGCONT' });
        return;
      }
      case 'timer.fired':
        return this.timerFired(e);

      case 'prompt.seen':
        return this.promptSeen(e);
      case 'prompt.gone':
        return this.promptGone(e);
      case 'approval.requested':
        return this.approvalRequested(e);
      case 'approval.decided':
        return this.approvalDecided(e);
      case 'approval.resolved': {
        const a = this.approval(e.id);
        if (a.status !== 'decided' && a.status !== 'pending') this.fail(`approval ${a.id} is already ${a.status}`);
        this.putApproval({ ...a, status: 'resolved', decision: e.decision, by: e.by, decidedAt: a.decidedAt ?? e.ts, resolvedAt: e.ts, offscreen: undefined });
        this.afterAnswered(a);
        return;
      }
      case 'approval.withdrawn': {
        const a = this.approval(e.id);
        if (a.status !== 'pending') this.fail(`approval ${a.id} is ${a.status}; only a pending approval is withdrawn`);
        this.putApproval({ ...a, status: 'withdrawn', reason: e.reason, typed: e.typed ?? a.typed, resolvedAt: e.ts, offscreen: undefined });
        this.afterAnswered(a);
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
        if ('shared' in e) {
          // Each unit that shared the folder notes the path apart from its own files; none is credited with it.
          for (const id of e.sessions) {
            const s = this.state.sessions[id];
            const u = s && this.state.units[s.unit];
            const shared = u?.sharedFiles ?? [];
            if (u && !shared.includes(e.path) && shared.length < 1000) this.putUnit({ ...u, sharedFiles: [...shared, e.path] });
          }
          return;
        }
        const s = this.session(e.session);
        const u = this.unit(s.unit);
        if (!u.files.includes(e.path) && u.files.length < 1000) this.putUnit({ ...u, files: [...u.files, e.path] });
        return;
      }
      case 'diff.summary': {
        const { diffShared: _s, diffCapped: _c, ...u } = this.unit(e.unit);
        this.putUnit({ ...u, diff: e.files, ...(e.shared?.length ? { diffShared: e.shared } : {}), ...(e.capped ? { diffCapped: e.capped } : {}) });
        return;
      }
      case 'usage': {
        const s = this.session(e.session);
        this.putSession({ ...s, usage: { bytes: e.bytes, files: e.files, tokens: e.tokens, cost: e.cost } });
        return;
      }
      case 'assertion.evaluated': {
        const u = this.unit(e.unit);
        const { type: _t, unit: _u, seq: _s, ts: _ts, exec: _e, session: _se, step: _st, trial: _tr, ...result } = e;
        this.putUnit({ ...u, assertions: [...u.assertions, result] });
        return;
      }
      case 'trial.facts': {
        const u = this.unit(e.unit);
        if (u.phase !== 'checks') this.fail(`${u.id} is not being verified`);
        this.putUnit({ ...u, facts: { files: e.files, commands: e.commands, ...(e.output ? { output: e.output } : {}) } });
        return;
      }
      case 'fault.injected': {
        const u = this.unit(e.unit);
        this.putUnit({ ...u, faults: [...(u.faults ?? []), { fault: e.fault, at: e.at }] });
        return;
      }
      case 'error':
        this.state = { ...this.state, errors: [...this.state.errors, e.message].slice(-20) };
        return;
    }
  }

  // ── units ───────────────────────────────────────────────────────────────

  /** Emit the start of a unit (once per reduce): its session id is `<unit>#<attempt>`. */
  private startUnit(id: string): void {
    if (this.starting.has(id)) return;
    this.starting.add(id);
    const u = this.state.units[id];
    const attempt = u.attempts + 1;
    this.emit({
      type: u.kind === 'trial' ? 'trial.started' : 'step.started',
      unit: u.id,
      session: `${u.id}#${attempt}`,
      attempt,
      provider: u.provider,
      agent: u.agent,
      ...(u.resumable ? { resume: u.resumable } : {}),
    });
  }

  private unitStarted(e: Ev<'step.started' | 'trial.started'>): void {
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
      state: 'starting',
      createdAt: e.ts,
      version: 0,
      outputBytes: 0,
      approvals: [],
      always: [],
    };
    if (e.resume) session.resume = e.resume;
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
      resumable: undefined,
      // A new attempt is judged afresh.
      assertions: [],
      score: undefined,
      facts: undefined,
      faults: undefined,
    });
    this.effects.push({ type: 'spawn-session', session: e.session, unit: u.id });
  }

  private finishUnit(u: UnitState, status: UnitStatus, reason: string | undefined, ts: number): void {
    // Trials keep each attempt's outcome: the same trial passing once and failing once is flaky.
    const history = u.kind === 'trial' ? { history: [...(u.history ?? []), { attempt: u.attempts, status, ...(u.score !== undefined ? { score: u.score } : {}) }] } : {};
    this.putUnit({ ...u, status, phase: undefined, reason, finishedAt: ts, ...history });
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

  /** Start the units that are ready, or finish the execution when nothing is left. */
  private schedule(): void {
    if (this.state.status !== 'running') return;
    const units = this.declared();
    if (!this.state.held) for (const id of readyUnits(units, this.state.concurrency)) this.startUnit(id);
    if (units.every((u) => TERMINAL_UNIT_STATUSES.includes(u.status))) {
      if (this.state.kind === 'scenario') return this.finishScenario(units);
      const status = units.every((u) => u.status === 'passed')
        ? 'passed'
        : units.some((u) => u.status === 'failed' || u.status === 'skipped')
          ? 'failed'
          : 'cancelled';
      this.emit({
        type: 'execution.finished',
        status,
        passed: units.filter((u) => u.status === 'passed').length,
        failed: units.filter((u) => u.status !== 'passed').length,
      });
    }
  }

  /** A scenario passes when every provider's pass rate reaches its threshold (see core/stats for the counting rule). */
  private finishScenario(units: UnitState[]): void {
    const summary = summarizeScenario(this.state);
    const counted = units.filter((u) => u.status === 'passed' || u.status === 'failed' || u.status === 'error');
    this.emit({
      type: 'execution.finished',
      status: counted.length === 0 ? 'cancelled' : summary.passed ? 'passed' : 'failed',
      passed: units.filter((u) => u.status === 'passed').length,
      failed: units.filter((u) => u.status !== 'passed' && u.status !== 'error').length,
      errors: units.filter((u) => u.status === 'error').length,
    });
  }

  // ── sessions ────────────────────────────────────────────────────────────

  private spawned(e: Ev<'session.spawned'>): void {
    const s = this.session(e.session);
    if (!isLiveSession(s)) {
      // Stopped or interrupted while it was starting: the process that came up anyway goes.
      this.putSession({ ...s, pid: e.pid });
      this.effects.push({ type: 'signal', session: s.id, signal: 'SIGKILL' });
      return;
    }
    if (s.state !== 'starting') this.fail(`session ${s.id} is ${s.state}, not starting`);
    this.putSession({ ...s, state: 'running', pid: e.pid, startedAt: s.startedAt ?? e.ts, cols: e.cols ?? s.cols, rows: e.rows ?? s.rows });
    const timeout = this.state.units[s.unit]?.timeout;
    if (timeout !== undefined) this.arm({ kind: 'unit-timeout', id: s.id }, timeout);
  }

  private exited(e: Ev<'session.exited'>): void {
    const s = this.session(e.session);
    if (s.exited) this.fail(`session ${s.id} already exited`);
    this.putSession({ ...s, exited: true, exitCode: s.exitCode ?? e.exitCode, signal: s.signal ?? e.signal, ...(e.hint ? { hint: e.hint } : {}) });
    this.cancel({ kind: 'unit-timeout', id: s.id });
    this.cancel({ kind: 'stop-grace', id: s.id });
    this.cancel({ kind: 'exit-grace', id: s.id });
    if (!isLiveSession(s)) return;
    // A prompt answered is gone once the agent has exited, even if it left faster than the screen was read:
    // by conductor's answer, or by the person's keys typed into the pane.
    for (const id of s.approvals) {
      const a = this.state.approvals[id];
      if (a.status === 'decided') this.emit({ type: 'approval.resolved', id, decision: a.decision!, by: a.by! });
      const typed = a.status === 'pending' ? typedDecision(a.typed, a.answers, a.options) : undefined;
      if (typed) this.emit({ type: 'approval.decided', id, decision: typed, by: 'user', how: 'pane', typed: a.typed });
    }
    const ended = classifyExit(s, e, this.state.units[s.unit]?.timeout, e.hint);
    this.emit({ type: 'session.state', session: s.id, state: ended.state, reason: ended.reason, exitCode: e.exitCode, signal: e.signal });
  }

  private sessionState(e: Ev<'session.state'>): void {
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

    this.abandonApprovals(next, 'the session ended');
    this.cancel({ kind: 'unit-timeout', id: s.id });
    if (!next.exited) {
      // Ended before its process did (failed to start, or a stop that is still under way).
      this.effects.push({ type: 'signal', session: s.id, signal: 'SIGKILL' });
    }
    const u = this.unit(s.unit);
    if (u.sessions[u.sessions.length - 1] !== s.id || u.status !== 'running') return;
    if (e.state === 'completed') {
      this.putUnit({ ...u, phase: 'checks' });
      this.effects.push({ type: 'verify-unit', unit: u.id, session: s.id });
    } else if (e.state === 'interrupted') {
      this.putUnit({ ...u, status: 'interrupted', phase: undefined, reason: e.reason ?? 'interrupted' });
    } else if (u.kind === 'trial' && e.state === 'failed') {
      // Judged if its agent ended by itself; an error if it could not be judged (see judgedExit).
      if (judgedExit(next)) {
        this.putUnit({ ...u, phase: 'checks' });
        this.effects.push({ type: 'verify-unit', unit: u.id, session: s.id });
      } else this.finishUnit(u, 'error', e.reason ?? `agent exited with code ${e.exitCode ?? '?'}`, e.ts);
    } else {
      const why = e.reason ?? (e.state === 'cancelled' ? 'stopped' : `agent exited with code ${e.exitCode ?? '?'}`);
      this.finishUnit(u, e.state === 'cancelled' ? 'cancelled' : 'failed', why, e.ts);
    }
  }

  /** The agent's turn is over: it waits for the person (a question, in the TUI), or its CLI is ended gracefully. */
  private turnEnded(e: Ev<'session.turn-ended'>): void {
    const s = this.session(e.session);
    // Still waiting for the person (the screen also sees the turn that a hook already reported over).
    if (!isLiveSession(s) || s.state === 'starting' || s.stopping || this.hasPending(s) || s.awaitingInput) return;
    if (e.question && this.state.settings.interactive) {
      this.putSession({ ...s, awaitingInput: { since: e.ts, message: e.message } });
      return;
    }
    this.finish(s);
  }

  /** End the CLI gracefully: its exit command now, TERM after a grace, KILL after another; the exit counts as done. */
  private finish(s: SessionInfo): void {
    if (!isLiveSession(s) || s.stopping) return;
    if (s.state === 'starting' || s.state === 'pending') return this.stop(s, 'user');
    this.putSession({ ...s, stopping: 'done', awaitingInput: undefined });
    if (s.state === 'paused') this.effects.push({ type: 'signal', session: s.id, signal: 'SIGCONT' });
    this.effects.push({ type: 'finish-session', session: s.id });
    this.arm({ kind: 'exit-grace', id: s.id }, EXIT_GRACE_MS);
  }

  /** Conductor ends a session: TERM now, KILL after a grace. Before the process exists, the session just ends. */
  private stop(s: SessionInfo, why: 'user' | 'timeout'): void {
    if (!isLiveSession(s)) return;
    if (s.state === 'starting' || s.state === 'pending') {
      this.emit({ type: 'session.state', session: s.id, state: why === 'user' ? 'cancelled' : 'failed', reason: why === 'user' ? 'stopped by user' : 'timed out while starting' });
      return;
    }
    if (s.stopping && s.stopping !== 'done') return;
    this.putSession({ ...s, stopping: why });
    if (s.state === 'paused') this.effects.push({ type: 'signal', session: s.id, signal: 'SIGCONT' });
    this.effects.push({ type: 'signal', session: s.id, signal: 'SIGTERM' });
    this.arm({ kind: 'stop-grace', id: s.id }, STOP_GRACE_MS);
  }

  private interruptLive(reason: string, stopProcesses: boolean): void {
    for (const s of Object.values(this.state.sessions)) {
      if (!isLiveSession(s)) continue;
      const next = { ...s, state: 'interrupted' as const, reason, endedAt: this.e.ts };
      this.putSession(next);
      this.abandonApprovals(next, reason);
      this.cancel({ kind: 'unit-timeout', id: s.id });
      if (stopProcesses && !s.exited) {
        if (s.state === 'paused') this.effects.push({ type: 'signal', session: s.id, signal: 'SIGCONT' });
        this.effects.push({ type: 'signal', session: s.id, signal: 'SIGTERM' });
        this.arm({ kind: 'stop-grace', id: s.id }, STOP_GRACE_MS);
      }
    }
    for (const id of this.state.order) {
      const u = this.state.units[id];
      if (u.status === 'running') this.putUnit({ ...u, status: 'interrupted', phase: undefined, reason });
    }
  }

  private timerFired(e: Ev<'timer.fired'>): void {
    const t = e.timer;
    switch (t.kind) {
      case 'unit-timeout': {
        const s = this.session(t.id);
        if (isLiveSession(s)) this.stop(s, 'timeout');
        return;
      }
      case 'stop-grace': {
        const s = this.session(t.id);
        if (!s.exited) this.effects.push({ type: 'signal', session: s.id, signal: 'SIGKILL' });
        return;
      }
      case 'exit-grace': {
        const s = this.session(t.id);
        if (s.exited) return;
        this.effects.push({ type: 'signal', session: s.id, signal: 'SIGTERM' });
        this.arm({ kind: 'stop-grace', id: s.id }, STOP_GRACE_MS);
        return;
      }
      case 'approval-timeout': {
        const a = this.approval(t.id);
        if (a.status !== 'pending' || a.offscreen || !a.onTimeout) return;
        this.emit({ type: 'approval.decided', id: a.id, decision: a.onTimeout, by: 'timeout', rule: 'no answer before the approval timeout' });
        return;
      }
      case 'withdraw': {
        const a = this.approval(t.id);
        if (a.status !== 'pending' || !a.offscreen) return;
        const reason = a.typed
          ? 'the prompt left the screen after keys typed in the pane that answer none of its options'
          : 'the prompt left the screen without an answer';
        this.emit({ type: 'approval.withdrawn', id: a.id, reason, typed: a.typed });
        return;
      }
    }
  }

  // ── approvals ───────────────────────────────────────────────────────────

  private promptSeen(e: Ev<'prompt.seen'>): void {
    const s = this.session(e.session);
    if (!isLiveSession(s) || s.state === 'starting' || s.stopping) return;
    const same = this.approvalByKey(s, e.key);
    if (same) {
      // The same prompt, redrawn (after a resize, a scroll or a re-render): the same approval.
      if (same.offscreen) {
        this.putApproval({ ...same, offscreen: undefined });
        this.cancel({ kind: 'withdraw', id: same.id });
        if (same.status === 'pending' && same.onTimeout && same.deadline !== undefined && e.ts >= same.deadline) {
          this.emit({ type: 'approval.decided', id: same.id, decision: same.onTimeout, by: 'timeout', rule: 'no answer before the approval timeout' });
        }
      }
      return;
    }
    if (e.options.length === 0) this.fail('a prompt needs at least one option');
    const id = `ap-${this.state.approvalSeq + 1}`;
    this.state = { ...this.state, approvalSeq: this.state.approvalSeq + 1 };
    const unit = this.unit(s.unit);
    const verdict = e.dialog
      ? dialogVerdict(e.dialog, e.options, unit, this.state.settings)
      : approvalVerdict({ command: e.command, options: e.options }, s, unit, this.state.settings);
    const deadline = verdict.kind === 'ask' && verdict.timeoutMs !== undefined ? e.ts + verdict.timeoutMs : undefined;
    this.emit({
      type: 'approval.requested',
      id,
      session: s.id,
      via: e.via,
      command: e.command,
      options: e.options,
      key: e.key,
      ...(e.dialog ? { dialog: e.dialog } : {}),
      answers: e.answers,
      detector: e.detector,
      cliVersion: e.cliVersion,
      deadline,
      onTimeout: deadline !== undefined && verdict.kind === 'ask' ? verdict.onTimeout : undefined,
    });
    if (verdict.kind === 'decided') {
      this.emit({ type: 'approval.decided', id, decision: verdict.decision, by: 'policy', rule: verdict.rule, parts: verdict.parts });
    }
  }

  private approvalRequested(e: Ev<'approval.requested'>): void {
    if (this.state.approvals[e.id]) this.fail(`approval ${e.id} already exists`);
    const s = this.session(e.session);
    if (!isLiveSession(s) || s.state === 'starting' || s.state === 'pending') this.fail(`session ${s.id} is ${s.state}; only a running session asks`);
    if (e.options.length === 0) this.fail('an approval needs at least one option');
    const seq = Number(/^ap-(\d+)$/.exec(e.id)?.[1] ?? 0);
    const onTimeout = e.deadline !== undefined && e.onTimeout && e.options.includes(e.onTimeout) ? e.onTimeout : undefined;
    const a: ApprovalState = {
      id: e.id,
      session: s.id,
      unit: s.unit,
      via: e.via,
      command: e.command,
      options: e.options,
      key: e.key,
      dialog: e.dialog,
      answers: e.answers,
      detector: e.detector,
      cliVersion: e.cliVersion,
      status: 'pending',
      requestedAt: e.ts,
      deadline: e.deadline,
      onTimeout,
    };
    this.state = { ...this.state, approvalSeq: Math.max(this.state.approvalSeq, seq) };
    this.putApproval(a);
    this.state = { ...this.state, queue: [...this.state.queue, a.id] };
    this.putSession({ ...s, state: s.state === 'paused' ? 'paused' : 'waiting_for_approval', approvals: [...s.approvals, a.id] });
    if (e.deadline !== undefined && onTimeout) this.arm({ kind: 'approval-timeout', id: a.id }, Math.max(0, e.deadline - e.ts));
  }

  private approvalDecided(e: Ev<'approval.decided'>): void {
    const a = this.approval(e.id);
    if (a.status !== 'pending') this.fail(`approval ${a.id} is ${a.status}, not pending`);
    if (!a.options.includes(e.decision)) this.fail(`approval ${a.id} does not offer ${e.decision}`);
    if (a.offscreen && e.how !== 'pane') this.fail(`approval ${a.id}'s prompt is not on screen; it cannot be answered now`);
    const s = this.session(a.session);
    this.putApproval({ ...a, status: 'decided', decision: e.decision, by: e.by, how: e.how, typed: e.typed ?? a.typed, rule: e.rule, parts: e.parts, decidedAt: e.ts });
    this.cancel({ kind: 'approval-timeout', id: a.id });
    const command = normalizeCommand(a.command);
    const always = e.decision === 'always' && !a.dialog && command && !s.always.includes(command) ? [...s.always, command] : s.always;
    this.putSession({ ...s, always, awaitingInput: undefined, state: s.state === 'waiting_for_approval' && !this.hasPending(s, a.id) ? 'running' : s.state });
    if (e.how === 'pane') {
      // The person's own keys already answered the agent, and its prompt is gone.
      this.emit({ type: 'approval.resolved', id: a.id, decision: e.decision, by: e.by });
    } else {
      this.effects.push({ type: 'answer', session: a.session, approval: a.id, decision: e.decision, via: a.via === 'hook' ? 'hook' : 'screen', key: a.key });
    }
  }

  private promptGone(e: Ev<'prompt.gone'>): void {
    const s = this.session(e.session);
    const a = this.approvalByKey(s, e.key);
    if (!a || a.offscreen) return;
    if (a.status === 'decided') {
      this.emit({ type: 'approval.resolved', id: a.id, decision: a.decision!, by: a.by! });
      return;
    }
    const typed = typedDecision(a.typed, a.answers, a.options);
    if (typed) {
      this.emit({ type: 'approval.decided', id: a.id, decision: typed, by: 'user', how: 'pane', typed: a.typed });
      return;
    }
    if (a.via === 'hook') {
      // A hook request that closed is not coming back.
      this.emit({ type: 'approval.withdrawn', id: a.id, reason: 'the agent withdrew its request' });
      return;
    }
    this.putApproval({ ...a, offscreen: true });
    this.arm({ kind: 'withdraw', id: a.id }, withdrawGraceMs(s, e.ts));
  }

  /** The person typed into the pane: remembered per pending prompt (pastes never answer one). */
  private typed(e: Ev<'session.input'>): void {
    const s = this.session(e.session);
    if (s.awaitingInput) this.putSession({ ...s, awaitingInput: undefined });
    if (e.paste || !e.data) return;
    for (const id of s.approvals) {
      const a = this.state.approvals[id];
      if (a.status !== 'pending') continue;
      this.putApproval({ ...a, typed: `${a.typed ?? ''}${e.data}`.slice(-TYPED_LIMIT) });
    }
  }

  /** After an approval is resolved or withdrawn: the session stops waiting when nothing else is pending. */
  private afterAnswered(a: ApprovalState): void {
    this.cancel({ kind: 'withdraw', id: a.id });
    this.cancel({ kind: 'approval-timeout', id: a.id });
    const s = this.session(a.session);
    if (s.state === 'waiting_for_approval' && !this.hasPending(s, a.id)) this.putSession({ ...s, state: 'running' });
  }

  private abandonApprovals(s: SessionInfo, reason: string): void {
    for (const id of s.approvals) {
      const a = this.state.approvals[id];
      if (a.status === 'pending' || a.status === 'decided') {
        this.putApproval({ ...a, status: 'abandoned', reason, offscreen: undefined });
        this.cancel({ kind: 'withdraw', id });
        this.cancel({ kind: 'approval-timeout', id });
      }
    }
  }
}

/**
 * A trial's session that failed is still judged when its agent ended by itself (any exit code: `exitCode` assertions
 * say what it means); it is an error when it could not be judged: no start, a hang past its timeout, a crash (a
 * signal), a CLI that said it cannot work (its failure hint).
 */
const judgedExit = (s: SessionInfo): boolean => s.state === 'failed' && !!s.exited && !s.signal && !s.stopping && !s.hint && s.exitCode !== undefined;

const settingsOf = (e: Partial<RunSettings>): RunSettings => ({
  approve: e.approve ?? DEFAULT_SETTINGS.approve,
  interactive: e.interactive ?? DEFAULT_SETTINGS.interactive,
});
