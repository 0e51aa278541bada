// The runtime: holds an execution's state, stamps and logs events, folds them through the pure
// reducer, runs the effects through the adapters it was given, and serves snapshots and commands
// to the UI and CLI. It decides nothing itself: the reducer does.
import type { ConductorEvent, NewEvent, RunSettings, UnitDecl } from '../core/events';
import { timerKey } from '../core/events';
import { reduce, TransitionError, type Effect } from '../core/machine';
import { readyUnits } from '../core/schedule';
import type { ScreenLine, ScreenSnapshot } from '../core/screen';
import type { ExecState, SessionInfo } from '../core/state';
import { isLiveSession, RETRYABLE_UNIT_STATUSES, UNFINISHED_EXEC_STATUSES } from '../core/state';
import type { Plan, Scenario } from '../core/types';
import type { Command, RuntimeApi } from './api';
import type { ExecPaths, Recorder } from './recorder';

export type { ApproveMode } from '../core/events';

/** Clock timers, injected so lifecycles run on a fake clock in tests. */
export interface Timers {
  set(ms: number, fire: () => void): { clear(): void };
}

export const realTimers: Timers = {
  set(ms, fire) {
    const t = setTimeout(fire, ms);
    t.unref?.();
    return { clear: () => clearTimeout(t) };
  },
};

/** One agent session's adapter: it observes and reports events; it keeps no state the reducer has. */
export interface SessionPort {
  start(): void;
  answer(a: { approval: string; decision: 'allow' | 'always' | 'deny'; via: 'screen' | 'hook'; key?: string }): void;
  /** End the CLI gracefully (its exit command). */
  finish(): void;
  signal(signal: 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void;
  /** Bytes the person typed or pasted (already prepared for the agent's terminal). */
  input(data: string): void;
  resize(cols: number, rows: number): void;
  snapshot(scrollback: number): ScreenSnapshot | undefined;
  readLines(start: number, end: number): ScreenLine[];
  /** Whether the agent's terminal asked for bracketed paste. */
  bracketedPaste(): boolean;
  /** Resolves once the session's process is gone (at once if it never started). */
  readonly exited: Promise<void>;
  dispose(): void;
}

export interface SessionContext {
  session: SessionInfo;
  /** The size to start the PTY at (the main pane's, when a UI told it). */
  size?: { cols: number; rows: number };
  /** The state when the session starts (to build its prompt from finished dependencies). */
  state: ExecState;
  dispatch(e: NewEvent): void;
}

export type SessionFactory = (ctx: SessionContext) => SessionPort;

/** Runs a unit's checks and verifies its outputs after its agent finished well, reporting events. */
export type Verifier = (o: { unit: string; state: ExecState; dispatch(e: NewEvent): void; isCurrent(): boolean }) => Promise<VerifyResult | undefined>;

/** `score`: a trial's weighted share of assertions passed. */
export interface VerifyResult {
  passed: boolean;
  reason?: string;
  score?: number;
}

export interface RuntimeOptions {
  input: Plan | Scenario;
  settings: RunSettings;
  recorder: Recorder;
  paths: ExecPaths;
  sessions: SessionFactory;
  verify: Verifier;
  clock?: () => number;
  timers?: Timers;
  /** Writes the execution's report when it ends. */
  onEnded?: (state: ExecState) => void;
}

export class Runtime implements RuntimeApi {
  private state!: ExecState;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<(e: ConductorEvent) => void>();
  private readonly queue: NewEvent[] = [];
  private draining = false;
  private readonly ports = new Map<string, SessionPort>();
  private readonly armed = new Map<string, { clear(): void }>();
  private readonly clock: () => number;
  private readonly timers: Timers;
  private readonly finished: Promise<ExecState>;
  private resolveFinished!: (s: ExecState) => void;
  private quitting = false;
  private closed = false;
  private paneSize?: { cols: number; rows: number };

  constructor(
    readonly exec: string,
    private readonly opts: RuntimeOptions,
  ) {
    this.clock = opts.clock ?? Date.now;
    this.timers = opts.timers ?? realTimers;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** Starts a new execution log from the input (`inputHash`: of the file's bytes, so resume can tell it changed). */
  create(units: UnitDecl[], inputHash?: string, extra: { keepWorkspaces?: boolean; baseCommit?: string } = {}): void {
    const input = this.opts.input;
    this.dispatch({
      type: 'execution.created',
      kind: input.kind,
      file: input.file,
      goal: input.kind === 'plan' ? input.goal : input.name,
      concurrency: input.concurrency,
      units,
      input,
      ...(inputHash ? { inputHash } : {}),
      ...(input.kind === 'scenario' ? { threshold: input.threshold, passScore: input.passScore } : {}),
      ...(extra.keepWorkspaces ? { keepWorkspaces: true } : {}),
      ...(input.kind === 'plan' && input.lanes ? { lanes: input.lanes } : {}),
      ...(extra.baseCommit ? { baseCommit: extra.baseCommit } : {}),
    });
  }

  /** Rebuilds state from a recorded log (replay) before continuing it. */
  restore(events: readonly ConductorEvent[]): void {
    let state: ExecState | undefined;
    for (const e of events) state = reduce(state, e).state;
    if (!state) throw new Error('the event log is empty');
    this.state = state;
  }

  start(): void {
    // Nobody can release a hold in a headless run: it would wait forever.
    if (!this.opts.settings.interactive && this.state.held) this.dispatch({ type: 'execution.held', held: false });
    const settings = this.opts.settings;
    if (this.state.status === 'created') this.dispatch({ type: 'execution.started', ...settings });
    else this.dispatch({ type: 'execution.resumed', pid: process.pid, ...settings });
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
    return this.ports.get(session)?.snapshot(scrollback);
  }

  readLines(session: string, start: number, end: number): ScreenLine[] {
    return this.ports.get(session)?.readLines(start, end) ?? [];
  }

  bracketedPaste(session: string): boolean {
    return this.ports.get(session)?.bracketedPaste() ?? false;
  }

  artifacts(session: string): { transcript: string; cast: string } | undefined {
    const s = this.state.sessions[session];
    if (!s) return undefined;
    return this.opts.paths.sessionFiles(s.unit, s.agent, s.attempt);
  }

  async command(cmd: Command): Promise<void> {
    const s = 'session' in cmd ? this.state.sessions[cmd.session] : undefined;
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
        if (a?.status === 'pending' && !a.offscreen && a.options.includes(cmd.decision)) {
          this.dispatch({ type: 'approval.decided', id: cmd.id, decision: cmd.decision, by: 'user', how: 'overlay' });
        }
        return;
      }
      case 'pause':
        if (s && (s.state === 'running' || s.state === 'waiting_for_approval')) this.dispatch({ type: 'session.pause-requested', session: s.id });
        return;
      case 'continue':
        if (s?.state === 'paused') this.dispatch({ type: 'session.continue-requested', session: s.id });
        return;
      case 'stop':
        if (s && isLiveSession(s)) this.dispatch({ type: 'session.stop-requested', session: s.id });
        return;
      case 'finish':
        if (s && isLiveSession(s) && !s.stopping) this.dispatch({ type: 'session.finish-requested', session: s.id });
        return;
      case 'retry': {
        const u = this.state.units[cmd.unit];
        if (u && RETRYABLE_UNIT_STATUSES.includes(u.status) && this.state.status !== 'interrupted') {
          this.dispatch({ type: u.kind === 'trial' ? 'trial.retried' : 'step.retried', unit: cmd.unit });
        }
        return;
      }
      case 'input': {
        const port = this.ports.get(cmd.session);
        if (!port || !s || !isLiveSession(s) || s.state === 'starting') return;
        port.input(cmd.data);
        this.dispatch({ type: 'session.input', session: s.id, bytes: Buffer.byteLength(cmd.data), data: cmd.data, paste: cmd.paste || undefined });
        return;
      }
      case 'resize':
        this.ports.get(cmd.session)?.resize(cmd.cols, cmd.rows);
        return;
      case 'pane-size':
        if (cmd.cols >= 2 && cmd.rows >= 1) this.paneSize = { cols: cmd.cols, rows: cmd.rows };
        return;
      case 'quit':
        return this.quit('quit by user');
    }
  }

  /** Stops live sessions (the reducer signals them), records the interruption, waits for them, flushes everything. */
  async quit(reason: string): Promise<void> {
    if (this.quitting) return this.finished.then(() => undefined);
    this.quitting = true;
    const live = Object.values(this.state.sessions).some(isLiveSession);
    if (['running', 'created'].includes(this.state.status) && (live || this.state.status === 'running')) {
      this.dispatch({ type: 'execution.interrupted', reason });
    }
    await Promise.all([...this.ports.values()].map((p) => p.exited));
    this.close();
  }

  /** Releases files and sessions without recording anything new. */
  dispose(): void {
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.armed.values()) t.clear();
    this.armed.clear();
    for (const p of this.ports.values()) p.dispose();
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
      case 'emit':
        follow.push(effect.event);
        return;
      case 'spawn-session':
        return this.spawn(effect.session);
      case 'verify-unit':
        void this.verify(effect.unit, effect.session);
        return;
      case 'answer':
        this.ports.get(effect.session)?.answer(effect);
        return;
      case 'finish-session':
        this.ports.get(effect.session)?.finish();
        return;
      case 'signal':
        this.ports.get(effect.session)?.signal(effect.signal);
        return;
      case 'arm-timer': {
        const key = timerKey(effect.timer);
        this.armed.get(key)?.clear();
        const timer = effect.timer;
        this.armed.set(
          key,
          this.timers.set(effect.ms, () => {
            this.armed.delete(key);
            this.dispatch({ type: 'timer.fired', timer });
          }),
        );
        return;
      }
      case 'cancel-timer': {
        const key = timerKey(effect.timer);
        this.armed.get(key)?.clear();
        this.armed.delete(key);
        return;
      }
      case 'execution-ended':
        queueMicrotask(() => this.afterFinish());
        return;
    }
  }

  private afterFinish(): void {
    if (UNFINISHED_EXEC_STATUSES.includes(this.state.status) || this.closed) return;
    this.opts.onEnded?.(this.state);
    this.opts.recorder.snapshot(this.state, true);
    // A person may still retry a step from the TUI; the log stays open until they quit.
    if (!this.opts.settings.interactive) this.close();
  }

  private spawn(sessionId: string): void {
    const session = this.state.sessions[sessionId];
    const port = this.opts.sessions({ session, state: this.state, dispatch: this.dispatch, size: this.paneSize });
    this.ports.set(sessionId, port);
    port.start();
  }

  private async verify(unit: string, session: string): Promise<void> {
    const isCurrent = () => {
      const u = this.state.units[unit];
      return !this.closed && u.sessions.at(-1) === session && u.phase === 'checks';
    };
    const result = await this.opts.verify({ unit, state: this.state, dispatch: this.dispatch, isCurrent });
    if (!result || this.quitting || !isCurrent()) return;
    const u = this.state.units[unit];
    this.dispatch({
      type: u.kind === 'trial' ? 'trial.finished' : 'step.finished',
      unit,
      status: result.passed ? 'passed' : 'failed',
      reason: result.reason,
      ...(result.score !== undefined ? { score: result.score } : {}),
    });
  }

  private hasReadyUnit(): boolean {
    return readyUnits(this.state.order.map((id) => this.state.units[id]), this.state.concurrency).length > 0;
  }
}
