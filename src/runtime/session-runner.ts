// One agent session from spawn to exit: prompt files, the PTY, recording, batched output events,
// approval detection on the screen, decisions written as the provider's keys, pause/stop/timeout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTextAtomic } from '../adapters/store/atomic';
import type { PtyExit, PtySession } from '../adapters/pty';
import { resolveArgv } from '../adapters/providers/argv';
import { which } from '../adapters/providers/which';
import { createApprovalDetector, type ApprovalDetector } from '../adapters/providers/detector';
import type { WorkspaceWatcher } from '../adapters/workspace/watch';
import type { NewEvent } from '../core/events';
import { screenText, type ScreenLine, type ScreenSnapshot } from '../core/screen';
import { isLiveSession, type ExecState, type SessionInfo } from '../core/state';
import type { Decision, Plan, ProviderDef, Scenario } from '../core/types';
import { commandMatches } from '../core/schema/policy';
import { sessionPrompt, sessionTask, simScript } from './session-prompt';
import type { ExecPaths, Recorder, SessionRecording } from './recorder';

/** How often output becomes a `session.output` event (and so a pane re-render): at most ~30 a second. */
const OUTPUT_BATCH_MS = 33;
const DETECT_POLL_MS = 60;
const STOP_GRACE_MS = 2000;

export interface RunnerHost {
  dispatch(e: NewEvent): void;
  requestApproval(session: string, prompt: { command: string; options: Decision[]; detector: string; via: 'screen' | 'hook' }): string;
}

export interface SessionRunnerOptions {
  runtime: RunnerHost;
  session: SessionInfo;
  provider: ProviderDef;
  input: Plan | Scenario;
  state: () => ExecState;
  workspace: string;
  root: string;
  paths: ExecPaths;
  recorder: Recorder;
  clock: () => number;
  env: NodeJS.ProcessEnv;
  nodePath: string;
  simPath: string;
  cols?: number;
  rows?: number;
}

type Ending = 'exit' | 'stopped' | 'interrupted' | 'timeout';

export class SessionRunner {
  private pty?: PtySession;
  private recording?: SessionRecording;
  private watcher?: WorkspaceWatcher;
  private detector: ApprovalDetector;
  private pendingBytes = 0;
  private totalBytes = 0;
  private filesTouched = 0;
  private batchTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private timeoutTimer?: NodeJS.Timeout;
  private lastPolledVersion = -1;
  private lastScreen?: ScreenSnapshot;
  private openApproval?: string;
  private readonly always: string[] = [];
  private ending: Ending = 'exit';
  private exited?: Promise<void>;
  private privateDir?: string;
  live = true;

  constructor(private readonly o: SessionRunnerOptions) {
    this.detector = createApprovalDetector(o.provider, o.clock);
  }

  private get id(): string {
    return this.o.session.id;
  }

  private dispatch(e: NewEvent): void {
    this.o.runtime.dispatch(e);
  }

  private now(): number {
    return this.o.clock();
  }

  start(): void {
    this.dispatch({ type: 'session.state', session: this.id, state: 'starting' });
    this.exited = this.launch().catch((err: unknown) => {
      this.live = false;
      this.cleanup();
      const message = err instanceof Error ? err.message : String(err);
      if (this.o.state().sessions[this.id]?.state === 'starting') {
        this.dispatch({ type: 'session.state', session: this.id, state: 'failed', reason: `could not start ${this.o.provider.name}: ${message}` });
      }
    });
  }

  private async launch(): Promise<void> {
    const { session, provider, paths } = this.o;
    const state = this.o.state();
    const promptText = sessionPrompt(this.o.input, state, session, paths);
    // The agent reads the real prompt from a private temp folder; trace/ keeps a redacted copy.
    this.privateDir = mkdtempSync(join(tmpdir(), 'conductor-session-'));
    const promptFile = join(this.privateDir, 'prompt.md');
    writeFileSync(promptFile, promptText, { mode: 0o600 });
    writeTextAtomic(paths.promptFile(session.id), promptText);
    const script = simScript(this.o.input, session.unit, state.units[session.unit].index);
    const scriptFile = join(this.privateDir, 'sim.json');
    writeFileSync(scriptFile, JSON.stringify(script ?? { actions: [] }), { mode: 0o600 });
    const argv = resolveArgv(provider, {
      prompt: promptText,
      promptFile,
      workspace: this.o.workspace,
      script: script ? scriptFile : undefined,
      seed: script?.seed,
      task: sessionTask(this.o.input, session.unit),
      agent: session.agent,
      simPath: this.o.simPath,
      nodePath: this.o.nodePath,
    });

    // The emulator and the watcher load on first use, so the UI's first frame does not wait for them.
    const [{ spawnPtySession }, { watchWorkspace }] = await Promise.all([import('../adapters/pty'), import('../adapters/workspace/watch')]);
    this.watcher = await watchWorkspace(this.o.workspace, (path, reason) => {
      this.filesTouched++;
      this.dispatch({ type: 'file.touched', session: this.id, path, reason });
    });

    if (this.ending !== 'exit') {
      // Stopped or quit while it was starting: never spawn.
      this.live = false;
      this.cleanup();
      if (this.ending === 'stopped') this.dispatch({ type: 'session.state', session: this.id, state: 'cancelled', reason: 'stopped by user' });
      return;
    }
    const env: Record<string, string | undefined> = { ...this.o.env, ...provider.env, ...argv.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', CONDUCTOR_SESSION: session.id };
    delete env.CI;
    if (!(await which(argv.command, env.PATH ?? ''))) {
      throw new Error(`"${argv.command}" was not found on PATH; install ${provider.name}'s CLI or pick another provider (--provider)`);
    }
    const cols = this.o.cols ?? 120;
    const rows = this.o.rows ?? 40;
    const startMs = this.now();
    this.recording = this.o.recorder.openSession({
      session: session.id,
      unit: session.unit,
      agent: session.agent,
      attempt: session.attempt,
      command: [argv.command, ...argv.args.map((a) => (a === promptText ? '<prompt>' : a))].join(' '),
      title: `${session.unit} (${session.agent}, ${provider.name})`,
      cols,
      rows,
      startMs,
    });
    const pty = spawnPtySession({ command: argv.command, args: argv.args, cwd: this.o.workspace, env, cols, rows });
    this.pty = pty;
    this.dispatch({ type: 'session.state', session: this.id, state: 'running', pid: pty.pid });

    pty.onData((data) => {
      this.recording?.output(this.now(), data);
      this.pendingBytes += Buffer.byteLength(data);
      this.batchTimer ??= setTimeout(() => this.flushOutput(), OUTPUT_BATCH_MS);
    });
    this.pollTimer = setInterval(() => this.poll(), DETECT_POLL_MS);
    const timeout = this.unitTimeout();
    if (timeout !== undefined) {
      this.timeoutTimer = setTimeout(() => {
        this.ending = 'timeout';
        this.recording?.marker(this.now(), `timeout after ${timeout} ms`);
        void this.terminate();
      }, timeout);
    }
    if (provider.prompt.via === 'type') void this.typePrompt(promptText);
    const exit = await pty.exited;
    await this.finish(exit);
  }

  private unitTimeout(): number | undefined {
    const input = this.o.input;
    if (input.kind === 'plan') return input.steps.find((s) => s.id === this.o.session.unit)?.timeout;
    return input.timeout;
  }

  /** Providers that read their prompt from the screen get it typed once their ready pattern shows. */
  private async typePrompt(text: string): Promise<void> {
    const ready = this.o.provider.prompt.readyPattern ? new RegExp(this.o.provider.prompt.readyPattern, 'm') : undefined;
    for (let waited = 0; ready && waited < 30_000; waited += 100) {
      const snap = this.pty?.snapshot();
      if (!this.live || !snap) return;
      if (ready.test(screenText(snap))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.input(text.replace(/\n/g, ' '));
    this.input('\r');
  }

  private flushOutput(): void {
    this.batchTimer = undefined;
    if (this.pendingBytes === 0) return;
    const bytes = this.pendingBytes;
    this.totalBytes += bytes;
    this.pendingBytes = 0;
    if (this.o.state().sessions[this.id] && this.live) this.dispatch({ type: 'session.output', session: this.id, bytes });
  }

  private poll(): void {
    const pty = this.pty;
    if (!pty || !this.live) return;
    if (pty.version === this.lastPolledVersion && !this.detectorBusy()) return;
    // The detector needs time to pass on an unchanged screen; it reads it again only when it changed.
    if (pty.version !== this.lastPolledVersion || !this.lastScreen) this.lastScreen = pty.snapshot();
    this.lastPolledVersion = pty.version;
    for (const seen of this.detector.feed(this.lastScreen)) {
      if (seen.type === 'prompt') this.promptAppeared(seen.prompt.command, seen.prompt.options);
      else this.promptGone();
    }
  }

  /** The detector needs time to pass on an unchanged screen: a prompt settling or one going away. */
  private detectorBusy(): boolean {
    return this.detector.current !== undefined || this.o.provider.approval.patterns.length > 0;
  }

  private promptAppeared(command: string, labels: string[]): void {
    const state = this.o.state().sessions[this.id]?.state;
    if (state !== 'running' && state !== 'waiting_for_approval') return;
    this.openApproval = this.o.runtime.requestApproval(this.id, {
      command,
      options: decisionsOf(labels),
      detector: `${this.o.provider.name} screen pattern`,
      via: 'screen',
    });
  }

  private promptGone(): void {
    if (!this.openApproval) return;
    const a = this.o.state().approvals[this.openApproval];
    this.openApproval = undefined;
    if (a?.status === 'decided') {
      this.dispatch({ type: 'approval.resolved', id: a.id, decision: a.decision!, by: a.by! });
    } else if (a?.status === 'pending') {
      // Answered in the pane itself (input mode): the person decided; the keys say which.
      const decision = this.lastInputDecision() ?? 'allow';
      this.dispatch({ type: 'approval.decided', id: a.id, decision, by: 'user' });
      this.dispatch({ type: 'approval.resolved', id: a.id, decision, by: 'user' });
    }
  }

  private lastInput = '';

  private lastInputDecision(): Decision | undefined {
    const keys = this.o.provider.approval.keys;
    for (const d of ['always', 'deny', 'allow'] as const) if (this.lastInput.endsWith(keys[d])) return d;
    return undefined;
  }

  decide(id: string, decision: Decision): void {
    const a = this.o.state().approvals[id];
    if (!a || !this.pty || !this.live) return;
    if (decision === 'always') this.always.push(a.command);
    this.writeToPty(this.o.provider.approval.keys[decision]);
  }

  alwaysAllowed(command: string): boolean {
    return this.always.some((c) => c === command || commandMatches(c, command));
  }

  input(data: string): void {
    if (!this.pty || !this.live) return;
    this.lastInput = (this.lastInput + data).slice(-16);
    this.writeToPty(data);
    this.dispatch({ type: 'session.input', session: this.id, bytes: Buffer.byteLength(data) });
  }

  private writeToPty(data: string): void {
    this.recording?.input(this.now(), data);
    this.pty?.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.pty || !this.live || (cols === this.pty.cols && rows === this.pty.rows)) return;
    this.pty.resize(cols, rows);
    this.recording?.resize(this.now(), cols, rows);
    this.dispatch({ type: 'session.resized', session: this.id, cols, rows });
  }

  pause(): void {
    const s = this.o.state().sessions[this.id];
    if (!this.pty || !this.live || !s || (s.state !== 'running' && s.state !== 'waiting_for_approval')) return;
    this.pty.pause();
    this.dispatch({ type: 'session.state', session: this.id, state: 'paused' });
  }

  resume(): void {
    const s = this.o.state().sessions[this.id];
    if (!this.pty || !this.live || s?.state !== 'paused') return;
    this.pty.resume();
    const waiting = s.approvals.some((id) => this.o.state().approvals[id].status === 'pending');
    this.dispatch({ type: 'session.state', session: this.id, state: waiting ? 'waiting_for_approval' : 'running' });
  }

  /** Stop by a person: the session ends `cancelled`. */
  stop(): void {
    if (!this.live) return;
    this.ending = 'stopped';
    void this.terminate();
  }

  /** Stop because conductor quits: the session was already recorded `interrupted`. */
  async kill(): Promise<void> {
    if (this.live) {
      this.ending = 'interrupted';
      void this.terminate();
    }
    await this.exited;
  }

  private async terminate(): Promise<void> {
    const pty = this.pty;
    if (!pty) return;
    if (pty.paused) pty.resume();
    pty.kill('SIGTERM');
    const timer = setTimeout(() => pty.kill('SIGKILL'), STOP_GRACE_MS);
    await pty.exited;
    clearTimeout(timer);
  }

  private async finish(exit: PtyExit): Promise<void> {
    this.live = false;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    const bytes = this.pendingBytes;
    this.pendingBytes = 0;
    this.totalBytes += bytes;
    this.cleanup();
    const end = this.now();
    this.recording?.marker(end, `exit ${exit.exitCode}${exit.signal ? ` (signal ${exit.signal})` : ''}`);
    this.recordEnd(exit, bytes);
    // The recording closes after the last events, so their markers are in it; the transcript lists every decision.
    const s = this.o.state().sessions[this.id];
    const approvals = (s?.approvals ?? []).map((id) => this.o.state().approvals[id]).map((a) => ({ command: a.command, decision: a.decision ?? 'none', by: a.by ?? 'nobody' }));
    this.recording?.close({ exitCode: exit.exitCode, end, text: this.pty?.text() ?? '', approvals, provider: this.o.provider.name });
  }

  /** The session's last events: its final output, resolved approvals, usage and end state (unless already ended). */
  private recordEnd(exit: PtyExit, bytes: number): void {
    const s = this.o.state().sessions[this.id];
    if (!s || !isLiveSession(s)) return;
    if (bytes > 0) this.dispatch({ type: 'session.output', session: this.id, bytes });
    // A decided prompt is gone once the agent has exited, even if it left faster than the detector looks.
    for (const id of s.approvals) {
      const a = this.o.state().approvals[id];
      if (a.status === 'decided') this.dispatch({ type: 'approval.resolved', id, decision: a.decision!, by: a.by! });
    }
    this.dispatch({ type: 'usage', session: this.id, bytes: this.totalBytes, files: this.filesTouched });
    const timeout = this.unitTimeout();
    const ended =
      this.ending === 'stopped'
        ? { state: 'cancelled' as const, reason: 'stopped by user' }
        : this.ending === 'timeout'
          ? { state: 'failed' as const, reason: `timed out after ${Math.round((timeout ?? 0) / 1000)}s` }
          : exit.exitCode === 0
            ? { state: 'completed' as const }
            : { state: 'failed' as const, reason: `agent exited with code ${exit.exitCode}${exit.signal ? ` (signal ${exit.signal})` : ''}` };
    this.dispatch({ type: 'session.state', session: this.id, ...ended, exitCode: exit.exitCode, signal: exit.signal });
  }

  private cleanup(): void {
    if (this.privateDir) rmSync(this.privateDir, { recursive: true, force: true });
    this.privateDir = undefined;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    void this.watcher?.close();
  }

  snapshot(scrollback: number): ScreenSnapshot | undefined {
    return this.pty?.snapshot(scrollback);
  }

  readLines(start: number, end: number): ScreenLine[] {
    return this.pty?.readLines(start, end) ?? [];
  }

  dispose(): void {
    this.cleanup();
    if (this.live) this.pty?.kill('SIGKILL');
  }
}

/** The decisions a prompt offers, read from its option labels ("1. Yes (y)", "No, and tell Claude…", "(Y)es"). */
export function decisionsOf(labels: string[]): Decision[] {
  const out = new Set<Decision>();
  for (const label of labels) {
    const l = label.toLowerCase();
    if (/always|don't ask|do not ask|for this session|all edits|remember/.test(l)) out.add('always');
    else if (/\bno\b|deny|reject|cancel|abort|decline|\(n\)/.test(l)) out.add('deny');
    else if (/\byes\b|allow|approve|proceed|accept|run|\(y\)/.test(l)) out.add('allow');
  }
  if (!out.has('allow')) out.add('allow');
  if (!out.has('deny')) out.add('deny');
  return (['allow', 'always', 'deny'] as const).filter((d) => out.has(d));
}
