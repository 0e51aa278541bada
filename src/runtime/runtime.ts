// The runtime: holds an execution's state, stamps and logs events, folds them through the pure
// reducer, runs the effects through adapters, and serves snapshots and commands to the UI and CLI.
import type { ConductorEvent, NewEvent, UnitDecl } from '../core/events';
import { reduce, TransitionError, type Effect } from '../core/machine';
import { readyUnits } from '../core/schedule';
import type { ScreenLine, ScreenSnapshot } from '../core/screen';
import type { ExecState } from '../core/state';
import { currentSession, isLiveSession, RETRYABLE_UNIT_STATUSES, UNFINISHED_EXEC_STATUSES } from '../core/state';
import type { ApprovalPolicy, Decision, Plan, ProviderDef, Scenario } from '../core/types';
import { decide as decidePolicy } from '../core/policy';
import type { Command, RuntimeApi } from './api';
import { SessionRunner } from './session-runner';
import type { ExecPaths, Recorder } from './recorder';
import { verifyUnit } from './verify';
import { writeReport } from './report';

export type ApproveMode = 'all' | 'none' | 'policy';

export interface RuntimeOptions {
  input: Plan | Scenario;
  providers: Record<string, ProviderDef>;
  /** Project-level policy (conductor.yaml / defaults); plan and step policies override it. */
  policy: ApprovalPolicy;
  approve: ApproveMode;
  /** True when a person can answer (TUI); headless runs deny what the policy leaves to a person. */
  interactive: boolean;
  /** Absolute project root: plan paths are confined to it. */
  root: string;
  /** Folder each unit's sessions run in (already prepared). */
  workspaces: Record<string, string>;
  recorder: Recorder;
  paths: ExecPaths;
  clock?: () => number;
  env?: NodeJS.ProcessEnv;
  /** Absolute paths of the node binary and the bundled sim agent. */
  nodePath: string;
  simPath: string;
  cols?: number;
  rows?: number;
}

export class Runtime implements RuntimeApi {
  private state!: ExecState;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(e: ConductorEvent) => void>();
  private readonly queue: NewEvent[] = [];
  private draining = false;
  private readonly runners = new Map<string, SessionRunner>();
  private readonly clock: () => number;
  private finished!: Promise<ExecState>;
  private resolveFinished!: (s: ExecState) => void;
  private approvalCounter = 0;
  private quitting = false;
  private closed = false;

  constructor(
    readonly exec: string,
    private readonly opts: RuntimeOptions,
  ) {
    this.clock = opts.clock ?? Date.now;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** Starts a new execution log from the input. */
  create(units: UnitDecl[]): void {
    const input = this.opts.input;
    this.dispatch({
      type: 'execution.created',
      kind: input.kind,
      file: input.file,
      goal: input.kind === 'plan' ? input.goal : input.name,
      concurrency: input.concurrency,
      units,
      input,
    });
  }

  /** Rebuilds state from a recorded log (replay) before continuing it. */
  restore(events: readonly ConductorEvent[]): void {
    let state: ExecState | undefined;
    for (const e of events) state = reduce(state, e).state;
    if (!state) throw new Error('the event log is empty');
    this.state = state;
    this.approvalCounter = Object.keys(state.approvals).length;
  }

  start(): void {
    // Nobody can release a hold in a headless run: it would wait forever.
    if (!this.opts.interactive && this.state.held) this.dispatch({ type: 'execution.held', held: false });
    this.dispatch({ type: this.state.status === 'created' ? 'execution.started' : 'execution.resumed', pid: process.pid } as NewEvent);
  }

  /** Resolves when the runtime closes: headless after the execution finishes, interactive after quit. */
  done(): Promise<ExecState> {
    return this.finished;
  }

  onEvent(listener: (e: ConductorEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  // RuntimeApi

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ExecState => this.state;

  screen(session: string, scrollback = 0): ScreenSnapshot | undefined {
    return this.runners.get(session)?.snapshot(scrollback);
  }

  readLines(session: string, start: number, end: number): ScreenLine[] {
    return this.runners.get(session)?.readLines(start, end) ?? [];
  }

  artifacts(session: string): { transcript: string; cast: string } | undefined {
    const s = this.state.sessions[session];
    if (!s) return undefined;
    return this.opts.paths.sessionFiles(s.unit, s.agent, s.attempt);
  }

  async command(cmd: Command): Promise<void> {
    switch (cmd.type) {
      case 'start':
        if (this.state.status === 'created') this.start();
        else if (this.state.status === 'running' && this.state.held && this.hasReadyUnit()) this.dispatch({ type: 'execution.next' });
        return;
      case 'hold': {
        const held = cmd.held ?? !this.state.held;
        if (held !== this.state.held && ['created', 'running'].includes(this.state.status)) this.dispatch({ type: 'execution.held', held });
        return;
      }
      case 'approve': {
        const a = this.state.approvals[cmd.id];
        if (a?.status === 'pending') this.dispatch({ type: 'approval.decided', id: cmd.id, decision: cmd.decision, by: 'user' });
        return;
      }
      case 'pause':
        return this.runners.get(cmd.session)?.pause();
      case 'continue':
        return this.runners.get(cmd.session)?.resume();
      case 'stop':
        return this.runners.get(cmd.session)?.stop();
      case 'retry': {
        const u = this.state.units[cmd.unit];
        if (u && RETRYABLE_UNIT_STATUSES.includes(u.status) && this.state.status !== 'interrupted') {
          this.dispatch({ type: u.kind === 'trial' ? 'trial.retried' : 'step.retried', unit: cmd.unit });
        }
        return;
      }
      case 'input':
        return this.runners.get(cmd.session)?.input(cmd.data);
      case 'resize':
        return this.runners.get(cmd.session)?.resize(cmd.cols, cmd.rows);
      case 'quit':
        return this.quit('quit by user');
    }
  }

  /** Stops live sessions, records the interruption, flushes everything. */
  async quit(reason: string): Promise<void> {
    if (this.quitting) return this.finished.then(() => undefined);
    this.quitting = true;
    const live = [...this.runners.values()].filter((r) => r.live);
    if (['running', 'created'].includes(this.state.status) && (live.length > 0 || this.state.status === 'running')) {
      this.dispatch({ type: 'execution.interrupted', reason });
    }
    await Promise.all(live.map((r) => r.kill()));
    this.close();
  }

  /** Releases files and sessions without recording anything new. */
  dispose(): void {
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.runners.values()) r.dispose();
    this.opts.recorder.snapshot(this.state, true);
    this.opts.recorder.close();
    this.resolveFinished(this.state);
  }

  /** Queue an event; events produced by effects are handled before anything queued later. */
  dispatch = (body: NewEvent): void => {
    // After close the log is shut: a straggler (a timer, a late exit) has nothing left to change.
    if (this.closed) return;
    this.queue.push(body);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) this.step(this.queue.shift()!);
    } finally {
      this.draining = false;
    }
  };

  private step(body: NewEvent): void {
    const event = { ...body, exec: this.exec, seq: (this.state?.lastSeq ?? 0) + 1, ts: Math.max(this.clock(), this.state?.lastTs ?? 0) } as ConductorEvent;
    let result;
    try {
      result = reduce(this.state, event);
    } catch (err) {
      if (!(err instanceof TransitionError) || body.type === 'error') throw err;
      // An adapter reported something the state no longer allows (e.g. an exit after a stop): keep it visible.
      this.queue.unshift({ type: 'error', message: err.message });
      return;
    }
    this.state = result.state;
    this.opts.recorder.record(event, this.state);
    for (const l of this.eventListeners) l(event);
    for (const l of this.listeners) l();
    const follow: NewEvent[] = [];
    for (const effect of result.effects) this.run(effect, follow);
    this.queue.unshift(...follow);
  }

  private run(effect: Effect, follow: NewEvent[]): void {
    switch (effect.type) {
      case 'start-unit': {
        if (this.quitting) return;
        const u = this.state.units[effect.unit];
        if (u.status !== 'pending' || follow.some((f) => 'unit' in f && f.unit === u.id)) return;
        const attempt = u.attempts + 1;
        follow.push({ type: u.kind === 'trial' ? 'trial.started' : 'step.started', unit: u.id, session: `${u.id}#${attempt}`, attempt, provider: u.provider, agent: u.agent });
        return;
      }
      case 'spawn-session':
        return this.spawn(effect.session);
      case 'verify-unit':
        void this.verify(effect.unit, effect.session);
        return;
      case 'approval-needed':
        return this.approvalNeeded(effect.id, follow);
      case 'send-decision':
        this.runners.get(this.state.approvals[effect.id].session)?.decide(effect.id, effect.decision);
        return;
      case 'finish-execution': {
        const units = this.state.order.map((id) => this.state.units[id]);
        follow.push({
          type: 'execution.finished',
          status: effect.status,
          passed: units.filter((u) => u.status === 'passed').length,
          failed: units.filter((u) => u.status !== 'passed').length,
        });
        queueMicrotask(() => this.afterFinish());
        return;
      }
    }
  }

  private afterFinish(): void {
    if (UNFINISHED_EXEC_STATUSES.includes(this.state.status)) return;
    writeReport(this.opts.paths.report, this.state, this.opts.paths);
    this.opts.recorder.snapshot(this.state, true);
    // A person may still retry a step from the TUI; the log stays open until they quit.
    if (!this.opts.interactive) this.close();
  }

  private policyFor(unit: string): ApprovalPolicy {
    const input = this.opts.input;
    if (input.kind === 'plan') {
      const step = input.steps.find((s) => s.id === unit);
      return step?.approval ?? input.approval ?? this.opts.policy;
    }
    return input.approval ?? this.opts.policy;
  }

  private approvalNeeded(id: string, follow: NewEvent[]): void {
    const a = this.state.approvals[id];
    const decide = (decision: Decision, by: 'policy' | 'timeout' | 'user'): void => {
      follow.push({ type: 'approval.decided', id, decision, by });
    };
    const offered = (d: Decision): Decision => (a.options.includes(d) ? d : a.options.includes('allow') ? 'allow' : a.options[0]);
    if (this.opts.approve === 'all') return decide(offered('allow'), 'policy');
    if (this.opts.approve === 'none') return decide(offered('deny'), 'policy');
    const runner = this.runners.get(a.session);
    if (runner?.alwaysAllowed(a.command)) return decide(offered('always'), 'policy');
    const policy = this.policyFor(a.unit);
    const verdict = decidePolicy(policy, a.command);
    if (verdict !== 'ask') return decide(offered(verdict), 'policy');
    if (!this.opts.interactive) return decide(offered('deny'), 'policy');
    if (policy.timeout !== undefined) {
      const timer = setTimeout(() => {
        if (this.state.approvals[id]?.status === 'pending') {
          this.dispatch({ type: 'approval.decided', id, decision: offered(policy.onTimeout), by: 'timeout' });
        }
      }, policy.timeout);
      timer.unref();
    }
  }

  /** Called by session runners when their prompt detector sees a new approval prompt. */
  requestApproval(session: string, prompt: { command: string; options: Decision[]; detector: string; via: 'screen' | 'hook' }): string {
    const id = `ap-${++this.approvalCounter}`;
    this.dispatch({ type: 'approval.requested', id, session, via: prompt.via, command: prompt.command, options: prompt.options, detector: prompt.detector });
    return id;
  }

  private spawn(sessionId: string): void {
    const s = this.state.sessions[sessionId];
    const def = this.opts.providers[s.provider];
    const runner = new SessionRunner({
      runtime: this,
      session: s,
      provider: def,
      input: this.opts.input,
      state: () => this.state,
      workspace: this.opts.workspaces[s.unit],
      root: this.opts.root,
      paths: this.opts.paths,
      recorder: this.opts.recorder,
      clock: this.clock,
      env: this.opts.env ?? process.env,
      nodePath: this.opts.nodePath,
      simPath: this.opts.simPath,
      cols: this.opts.cols,
      rows: this.opts.rows,
    });
    this.runners.set(sessionId, runner);
    runner.start();
  }

  private async verify(unit: string, session: string): Promise<void> {
    const u = this.state.units[unit];
    const result = await verifyUnit({
      unit: u,
      input: this.opts.input,
      workspace: this.opts.workspaces[unit],
      dispatch: this.dispatch,
      isCurrent: () => currentSession(this.state, unit)?.id === session && this.state.units[unit].phase === 'checks',
    });
    if (!result || this.quitting) return;
    this.dispatch({ type: u.kind === 'trial' ? 'trial.finished' : 'step.finished', unit, status: result.passed ? 'passed' : 'failed', reason: result.reason });
  }

  private hasReadyUnit(): boolean {
    return readyUnits(this.state.order.map((id) => this.state.units[id]), this.state.concurrency).length > 0;
  }
}
