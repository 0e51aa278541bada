// The fake-PTY runtime tier: the real Runtime, reducer and session adapter, with a fake clock,
// fake timers, in-memory recording and scripted fake PTYs whose screens are real @xterm/headless
// emulators. Whole session lifecycles run in milliseconds, with no process and no disk log.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXtermEmulator, type Emulator } from '../../src/adapters/pty/emulator';
import type { PtyExit, PtySession, PtySpawnOptions } from '../../src/adapters/pty/session';
import type { ConductorEvent, NewEvent, RunSettings } from '../../src/core/events';
import type { ScreenSnapshot } from '../../src/core/screen';
import { screenText } from '../../src/core/screen';
import type { ExecState } from '../../src/core/state';
import type { ApprovalPolicy, Plan, ProviderDef, Step } from '../../src/core/types';
import { runPaths, type Recorder, type SessionRecording } from '../../src/runtime/recorder';
import { Runtime, type Timers } from '../../src/runtime/runtime';
import { SessionRunner } from '../../src/runtime/session-runner';
import type { HookEvent, HookLink, HookLinker } from '../../src/adapters/hooks/link';
import type { Decision } from '../../src/core/types';

export const EXEC = 'exec-20260101-000000-test';

/** A manual clock: timers fire only when the test advances time. */
export class FakeClock implements Timers {
  now = 1_000_000;
  private tasks: { at: number; n: number; fire: () => void }[] = [];
  private n = 0;

  readonly clock = (): number => this.now;

  set(ms: number, fire: () => void): { clear(): void } {
    const task = { at: this.now + Math.max(0, ms), n: ++this.n, fire };
    this.tasks.push(task);
    return { clear: () => (this.tasks = this.tasks.filter((t) => t !== task)) };
  }

  /** Moves time forward, firing due timers in order (and those they set, when due). */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await settle();
      this.tasks.sort((a, b) => a.at - b.at || a.n - b.n);
      const next = this.tasks[0];
      if (!next || next.at > until) break;
      this.tasks.shift();
      this.now = Math.max(this.now, next.at);
      next.fire();
    }
    this.now = until;
    await settle();
  }
}

/** Output written by fake agents that the emulator has not parsed yet (xterm parses in time slices, so a loaded machine needs more ticks). */
const unparsed = new Set<Promise<void>>();

/** Lets promises, microtasks and the emulator's parser run, until every fake agent's output is parsed and what it set off has run. */
export const settle = async (): Promise<void> => {
  for (let round = 0; round < 100; round++) {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    if (unparsed.size === 0) return;
    await Promise.all([...unparsed]);
  }
};

/** A scripted agent behind a fake PTY: the test writes its output and decides what keys do. */
export class FakePty implements PtySession {
  readonly pid: number;
  readonly emu: Emulator;
  readonly written: string[] = [];
  readonly signals: string[] = [];
  private readonly dataCbs = new Set<(d: string) => void>();
  private readonly parsedCbs = new Set<(d: string) => void>();
  private readonly exitCbs = new Set<(e: PtyExit) => void>();
  private readonly changeCbs = new Set<() => void>();
  private resolveExit!: (e: PtyExit) => void;
  readonly exited: Promise<PtyExit>;
  private ended?: PtyExit;
  private versionN = 0;
  private size: { cols: number; rows: number };
  paused = false;
  backlog = 0;
  /** What the agent does with keys written to it. */
  onKeys: (data: string) => void = () => {};
  /** What the agent does on a signal (default: exits 128+n on TERM and KILL). */
  onSignal: (signal: string) => void = (sig) => {
    if (sig === 'SIGKILL') this.exit(137, 9);
    else if (sig === 'SIGTERM') this.exit(143, 15);
  };

  constructor(
    readonly opts: PtySpawnOptions,
    pid: number,
  ) {
    this.pid = pid;
    this.size = { cols: opts.cols ?? 120, rows: opts.rows ?? 40 };
    this.emu = createXtermEmulator({ ...this.size, scrollback: 1000 });
    this.emu.onChange(() => {
      this.versionN++;
      for (const cb of this.changeCbs) cb();
    });
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  get version(): number {
    return this.versionN;
  }
  get cols(): number {
    return this.size.cols;
  }
  get rows(): number {
    return this.size.rows;
  }

  /** The agent prints something (parsed before this resolves). */
  out(data: string): Promise<void> {
    for (const cb of this.dataCbs) cb(data);
    const parsed = new Promise<void>((r) =>
      this.emu.write(data, () => {
        for (const cb of this.parsedCbs) cb(data);
        r();
      }),
    );
    unparsed.add(parsed);
    void parsed.then(() => unparsed.delete(parsed));
    return parsed;
  }

  exit(exitCode: number, signal?: number): void {
    if (this.ended) return;
    this.ended = signal ? { exitCode, signal } : { exitCode };
    this.resolveExit(this.ended);
    for (const cb of this.exitCbs) cb(this.ended);
  }

  screenText(): string {
    return screenText(this.emu.snapshot());
  }

  onData(cb: (d: string) => void) {
    this.dataCbs.add(cb);
    return { dispose: () => this.dataCbs.delete(cb) };
  }
  onParsed(cb: (d: string) => void) {
    this.parsedCbs.add(cb);
    return { dispose: () => this.parsedCbs.delete(cb) };
  }
  onExit(cb: (e: PtyExit) => void) {
    this.exitCbs.add(cb);
    return { dispose: () => this.exitCbs.delete(cb) };
  }
  onChange(cb: () => void) {
    this.changeCbs.add(cb);
    return { dispose: () => this.changeCbs.delete(cb) };
  }
  write(data: string): void {
    if (this.ended) return;
    this.written.push(data);
    this.onKeys(data);
  }
  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.emu.resize(cols, rows);
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.ended) return;
    this.signals.push(signal);
    this.onSignal(signal);
  }
  pause(): void {
    this.paused = true;
    this.signals.push('SIGSTOP');
  }
  resume(): void {
    this.paused = false;
    this.signals.push('SIGCONT');
  }
  snapshot(offset?: number): ScreenSnapshot {
    return this.emu.snapshot(offset);
  }
  readLines(start: number, end: number) {
    return this.emu.readLines(start, end);
  }
  text(): string {
    return this.emu.text();
  }
  bracketedPaste(): boolean {
    return this.emu.bracketedPaste();
  }
  dispose(): void {
    this.emu.dispose();
  }
}

/** A provider whose approval prompt is one line: `ALLOW? <command> (y)es (a)lways (n)o`. */
export const fakeProvider: ProviderDef = {
  name: 'fake',
  command: 'fake-agent',
  args: ['{promptFile}'],
  env: {},
  prompt: { via: 'file' },
  approval: {
    patterns: [{ match: String.raw`^ALLOW\? .+ \(y\)es \(a\)lways \(n\)o$`, command: String.raw`^ALLOW\? (.+) \(y\)es` }],
    stableMs: 100,
    keys: { allow: 'y', always: 'a', deny: 'n' },
  },
  done: { via: 'exit' },
  asksApproval: true,
};

/** The fake agent's prompt line for a command, as it draws it. */
export const promptLine = (command: string): string => `ALLOW? ${command} (y)es (a)lways (n)o`;

/** In-memory recorder: keeps the events it was given, writes nothing. */
export class MemoryRecorder implements Recorder {
  readonly events: ConductorEvent[] = [];
  closed = false;
  record(event: ConductorEvent): void {
    this.events.push(event);
  }
  snapshot(): void {}
  openSession(): SessionRecording {
    return { output() {}, input() {}, resize() {}, marker() {}, frame() {}, close() {} };
  }
  close(): void {
    this.closed = true;
  }
}

export interface WorldOptions {
  steps?: Partial<Step>[];
  policy?: ApprovalPolicy;
  settings?: Partial<RunSettings>;
  concurrency?: number;
  verify?: (unit: string) => { passed: boolean; reason?: string };
  /** The provider preset the session runs with (default: the one-line fake). */
  provider?: ProviderDef;
  /** The PTY size sessions start at. */
  size?: { cols: number; rows: number };
  /** A structured channel for sessions (fake hooks). */
  hooks?: HookLinker;
}

/** A running Runtime over fake PTYs. */
export class World {
  readonly clock = new FakeClock();
  readonly recorder = new MemoryRecorder();
  readonly ptys = new Map<string, FakePty>();
  readonly runtime: Runtime;
  private pid = 1000;
  /** Called when a session's fake PTY is spawned, to script the agent. */
  onSpawn: (session: string, pty: FakePty) => void = () => {};

  constructor(o: WorldOptions = {}) {
    const steps: Step[] = (o.steps ?? [{ id: 'a' }]).map((s, i) => ({
      id: s.id ?? `s${i + 1}`,
      agent: s.agent ?? 'backend',
      provider: 'fake',
      task: s.task ?? 'do the thing',
      dependsOn: s.dependsOn ?? [],
      expectedOutputs: [],
      checks: [],
      ...(s.approval ? { approval: s.approval } : {}),
      ...(s.timeout !== undefined ? { timeout: s.timeout } : {}),
    }));
    const plan: Plan = { kind: 'plan', file: '/tmp/fake.plan.yaml', format: 'conductor', goal: 'fake goal', provider: 'fake', concurrency: o.concurrency ?? 1, roles: {}, steps };
    const root = mkdtempSync(join(tmpdir(), 'conductor-rt-'));
    const paths = runPaths({ proof: join(root, 'proof'), trace: join(root, 'trace') }, EXEC);
    const settings: RunSettings = { approve: 'policy', interactive: true, ...o.settings };
    const policy = o.policy ?? { default: 'ask', allow: [], deny: [], onTimeout: 'deny' };
    this.runtime = new Runtime(EXEC, {
      input: plan,
      settings,
      recorder: this.recorder,
      paths,
      clock: this.clock.clock,
      timers: this.clock,
      sessions: (ctx) =>
        new SessionRunner({
          ...ctx,
          provider: o.provider ?? fakeProvider,
          input: plan,
          workspace: root,
          paths,
          recorder: this.recorder,
          clock: this.clock.clock,
          timers: this.clock,
          env: { PATH: '/bin' },
          nodePath: process.execPath,
          simPath: '',
          cols: o.size?.cols,
          rows: o.size?.rows,
          watch: null,
          which: async () => '/bin/fake-agent',
          hooks: o.hooks,
          spawnPty: (opts) => {
            const pty = new FakePty(opts, ++this.pid);
            this.ptys.set(ctx.session.id, pty);
            this.onSpawn(ctx.session.id, pty);
            return pty;
          },
        }),
      verify: async ({ unit }) => o.verify?.(unit) ?? { passed: true },
    });
    this.runtime.create(
      steps.map((s) => ({
        id: s.id,
        kind: 'step' as const,
        agent: s.agent,
        provider: 'fake',
        dependsOn: s.dependsOn,
        expectedOutputs: [],
        approval: s.approval ?? policy,
        ...(s.timeout !== undefined ? { timeout: s.timeout } : {}),
      })),
    );
  }

  get state(): ExecState {
    return this.runtime.getSnapshot();
  }

  /** Events of the given types, in order, as logged. */
  events(...types: string[]): ConductorEvent[] {
    return this.recorder.events.filter((e) => types.length === 0 || types.includes(e.type));
  }

  async start(): Promise<void> {
    this.runtime.start();
    await this.clock.advance(0);
  }

  pty(session = 'a#1'): FakePty {
    const p = this.ptys.get(session);
    if (!p) throw new Error(`no pty for ${session} (have ${[...this.ptys.keys()].join(', ')})`);
    return p;
  }

  dispatch(e: NewEvent): void {
    this.runtime.dispatch(e);
  }
}

/** A fake hook channel: the test plays the CLI's hooks, and sees conductor's answers. */
export class FakeHooks {
  readonly answers: { session: string; key: string; decision: Decision }[] = [];
  private readonly links = new Map<string, (e: HookEvent) => void>();
  readonly linker: HookLinker = async ({ session }) => {
    const link: HookLink = {
      args: ['--hooks-for', session],
      env: { CONDUCTOR_HOOK_SOCKET: '/tmp/fake.sock' },
      onEvent: (cb) => void this.links.set(session, cb),
      answer: (key, decision) => void this.answers.push({ session, key, decision }),
      close: () => void this.links.delete(session),
    };
    return link;
  };

  send(session: string, e: HookEvent): void {
    const cb = this.links.get(session);
    if (!cb) throw new Error(`no hook link for ${session}`);
    cb(e);
  }
}
