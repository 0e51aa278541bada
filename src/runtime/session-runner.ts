// The session adapter: one agent session from spawn to exit. It prepares the prompt files, spawns the
// PTY, records output, reads the screen for approval prompts, and writes what it is told to (answer
// keys, the person's input, signals). It reports what it observes as events and decides nothing:
// the reducer classifies exits, judges approvals, withdraws prompts and times sessions out.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeTextAtomic } from '../adapters/store/atomic';
import { privateSessionDir } from '../adapters/store/private-files';
import { isWriteFault, writeFault } from '../adapters/store/write-fault';
import { cliTranscriptUsage } from '../adapters/store/cli-transcript';
import type { PtyExit, PtySession, PtySpawnOptions } from '../adapters/pty';
import { resolveArgv } from '../adapters/providers/argv';
import { which as whichOnPath } from '../adapters/providers/which';
import { packageVersion } from '../adapters/providers/probe';
import { createScreenObserver, dialogAnswers, DIALOG_OPTIONS, failureHint, type ScreenObserver } from '../adapters/providers/observer';
import type { HookEvent, HookLink, HookLinker } from '../adapters/hooks/link';
import type { WatchFn } from '../adapters/workspace/watch';
import type { Touch } from '../adapters/workspace/hub';
import type { WorkspaceTracker } from '../adapters/workspace/track';
import type { AnswerKeys, NewEvent } from '../core/events';
import { screenText, type ScreenLine, type ScreenSnapshot } from '../core/screen';
import type { ExecState, SessionInfo } from '../core/state';
import type { Decision, Plan, ProviderDef, Scenario } from '../core/types';
import type { SessionContext, SessionPort, Timers } from './runtime';
import { withFaults } from '../sim/chaos';
import { sessionPrompt, sessionTask, simFaults, simScript } from './session-prompt';
import type { ExecPaths, Recorder, SessionRecording } from './recorder';

/** How often output becomes a `session.output` event (and so a pane re-render): at most ~30 a second. */
const OUTPUT_BATCH_MS = 33;
const DETECT_POLL_MS = 60;
/** Between the keys that answer a first-run dialog. */
const DIALOG_KEY_PAUSE_MS = 120;
const READY_WAIT_MS = 30_000;

export interface SessionRunnerOptions extends SessionContext {
  provider: ProviderDef;
  input: Plan | Scenario;
  workspace: string;
  paths: ExecPaths;
  recorder: Recorder;
  clock: () => number;
  timers: Timers;
  env: NodeJS.ProcessEnv;
  nodePath: string;
  simPath: string;
  cols?: number;
  rows?: number;
  /** PTY factory (default: node-pty with an @xterm/headless screen, loaded on first use). */
  spawnPty?: (o: PtySpawnOptions) => PtySession;
  /**
   * The execution's workspace tracker: one watcher per folder shared by the sessions running there, and
   * each session's start snapshot (for its diff). Without one the session watches its folder alone.
   */
  tracker?: WorkspaceTracker;
  /** Makes the session's workspace ready before anything starts in it (a fresh fixture copy for a trial's new attempt). */
  prepareWorkspace?: () => Promise<void>;
  /** Without a tracker: the watcher (default: chokidar, loaded on first use); `null` watches nothing. */
  watch?: WatchFn | null;
  which?: (command: string, path: string) => Promise<string | undefined>;
  /** The structured channel for this session (hooks), if the provider has one. */
  hooks?: HookLinker;
}

/** What a resumed agent is told: carry on, without starting the task over. */
export const CONTINUE_MESSAGE =
  'conductor was interrupted and has resumed this session. Continue the task where you left off; do not repeat commands that already ran.';

/**
 * The continue message for a resumed session: CONTINUE_MESSAGE, and the commands the interrupted attempts
 * were allowed to run (a CLI may have saved its conversation before their results reached it).
 */
export function continueMessage(state: ExecState, session: SessionInfo): string {
  const ran = Object.values(state.approvals)
    .filter((a) => a.unit === session.unit && a.session !== session.id && (a.status === 'resolved' || a.status === 'decided' || a.status === 'abandoned') && (a.decision === 'allow' || a.decision === 'always') && !a.dialog)
    .map((a) => a.command);
  const unique = [...new Set(ran)];
  if (!unique.length) return CONTINUE_MESSAGE;
  return `${CONTINUE_MESSAGE} Commands you were allowed to run before the interruption: ${unique.map((c) => `\`${c.replace(/\s+/g, ' ')}\``).join('; ')}.`;
}
/** Pause between the parts of a CLI's exit command (it needs a moment to open its command menu). */
const EXIT_KEY_PAUSE_MS = 400;

export class SessionRunner implements SessionPort {
  private pty?: PtySession;
  private recording?: SessionRecording;
  private tracker?: WorkspaceTracker;
  private observer?: ScreenObserver;
  private link?: HookLink;
  private pendingBytes = 0;
  private totalBytes = 0;
  private filesTouched = 0;
  private batchTimer?: { clear(): void };
  private pollTimer?: { clear(): void };
  private lastPolledVersion = -1;
  private lastScreen?: ScreenSnapshot;
  /** A stop arrived before the process was spawned: it never will be. */
  private aborted = false;
  private finished = false;
  private privateDir?: string;
  private resolveExited!: () => void;
  readonly exited: Promise<void>;

  constructor(private readonly o: SessionRunnerOptions) {
    this.exited = new Promise((r) => (this.resolveExited = r));
  }

  private get session(): SessionInfo {
    return this.o.session;
  }

  private dispatch(e: NewEvent): void {
    this.o.dispatch(e);
  }

  private now(): number {
    return this.o.clock();
  }

  start(): void {
    this.launch().catch((err: unknown) => {
      this.end();
      // A disk that refused the prompt file is a fault of the execution, not a failure of this step.
      if (isWriteFault(err)) {
        try {
          writeFault(err, this.o.paths.promptFile(this.session.id));
        } catch {
          /* reported; without a handler (tests) the session fails below */
        }
      }
      const message = err instanceof Error ? err.message : String(err);
      this.dispatch({ type: 'session.spawn-failed', session: this.session.id, reason: `could not start ${this.o.provider.name}: ${message}` });
    });
  }

  private async launch(): Promise<void> {
    const { session, provider, paths } = this.o;
    await this.o.prepareWorkspace?.();
    const promptText = sessionPrompt(this.o.input, this.o.state, session, paths);
    // The agent reads the real prompt from a private temp folder that a kill -9 does not leave behind;
    // trace/ keeps a redacted copy.
    this.privateDir = privateSessionDir();
    const promptFile = join(this.privateDir, 'prompt.md');
    writeFileSync(promptFile, promptText, { mode: 0o600 });
    writeTextAtomic(paths.promptFile(session.id), promptText);
    const script = simScript(this.o.input, session.unit, this.o.state.units[session.unit].index, this.o.provider.sim);
    const scriptFile = join(this.privateDir, 'sim.json');
    // Chaos is decided here, from the seed, and recorded; the sim is told exactly which faults to inject where.
    const faults = simFaults(provider, script);
    writeFileSync(scriptFile, JSON.stringify(script ? withFaults(script, faults) : { actions: [] }), { mode: 0o600 });
    // The agent's own session: resumed where its CLI can, else given an id up front where its CLI takes one.
    const resuming = session.resume && provider.resume ? session.resume : undefined;
    const agentSession = resuming?.agentSession ?? (provider.session ? randomUUID() : undefined);
    this.link = await this.o.hooks?.({ session: session.id, provider, workspace: this.o.workspace, agentSession });
    this.link?.onEvent((e) => this.hookEvent(e));
    const hooks = provider.hooks;
    this.observer = createScreenObserver(provider, this.o.clock, {
      approvals: !(this.link && hooks?.approvals),
      // Also with a turn-end hook: a turn the person interrupted (a denial) ends without the hook.
      idle: true,
      workspace: this.o.workspace,
    });
    const argv = resolveArgv(provider, {
      mode: resuming ? 'resume' : 'start',
      agentSession,
      continue: resuming ? continueMessage(this.o.state, session) : undefined,
      extraArgs: this.link?.args,
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
    const spawnPty = this.o.spawnPty ?? (await import('../adapters/pty')).spawnPtySession;
    const tracker =
      this.o.tracker ??
      (this.o.watch === null
        ? undefined
        : new (await import('../adapters/workspace/track')).WorkspaceTracker({ ignore: [dirname(paths.proofDir), dirname(paths.traceDir)], watch: this.o.watch, snapshots: false, lingerMs: 0 }));
    if (tracker) {
      this.tracker = tracker;
      await tracker.enter(this.o.workspace, session.id, (t) => this.touched(t));
    }
    const env: Record<string, string | undefined> = {
      ...this.o.env,
      ...provider.env,
      ...argv.env,
      ...this.link?.env,
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      CONDUCTOR_SESSION: session.id,
    };
    delete env.CI;
    const found = await (this.o.which ?? whichOnPath)(argv.command, env.PATH ?? '');
    if (this.aborted) return this.end();
    if (!found) throw new Error(`"${argv.command}" was not found on PATH; install ${provider.name}'s CLI or pick another provider (--provider)`);
    // The CLI's version goes on the approvals it asks (its npm package says it, without running it; read
    // alongside the start, which it does not hold up).
    if (provider.name !== 'sim') void packageVersion(found).then((v) => (this.cliVersion = v), () => undefined);

    const cols = this.o.size?.cols ?? this.o.cols ?? 120;
    const rows = this.o.size?.rows ?? this.o.rows ?? 40;
    this.recording = this.o.recorder.openSession({
      session: session.id,
      unit: session.unit,
      agent: session.agent,
      attempt: session.attempt,
      command: [argv.command, ...argv.args.map((a) => (a === promptText ? '<prompt>' : a))].join(' '),
      title: `${session.unit} (${session.agent}, ${provider.name})`,
      cols,
      rows,
      startMs: this.now(),
    });
    const pty = spawnPty({ command: argv.command, args: argv.args, cwd: this.o.workspace, env, cols, rows });
    this.pty = pty;
    this.dispatch({ type: 'session.spawned', session: session.id, pid: pty.pid, cols, rows });
    for (const f of faults) this.dispatch({ type: 'fault.injected', session: session.id, unit: session.unit, fault: f.fault, at: f.at });
    if (agentSession && !resuming) this.dispatch({ type: 'session.agent-session', session: session.id, id: agentSession, via: 'preassigned' });
    else if (resuming) this.dispatch({ type: 'session.agent-session', session: session.id, id: resuming.agentSession, via: 'preassigned' });

    pty.onData((data) => this.recording?.output(this.now(), data));
    // Output counts (and re-renders its pane) once the emulator has parsed it, so a pane never shows a
    // screen older than the bytes its last event reported.
    pty.onParsed((data) => {
      this.pendingBytes += Buffer.byteLength(data);
      this.batchTimer ??= this.o.timers.set(OUTPUT_BATCH_MS, () => this.flushOutput());
    });
    this.schedulePoll();
    if (provider.prompt.via === 'type') void this.typePrompt(promptText);
    const exit = await pty.exited;
    this.exitedWith(exit);
  }

  /**
   * A change the folder's watcher gave this session to report: its own when it was the only session
   * running there when the file was written, else shared (credited to none).
   */
  private touched(t: Touch): void {
    if (t.sessions.length === 1 && t.sessions[0] === this.session.id) {
      this.filesTouched++;
      this.dispatch({ type: 'file.touched', session: this.session.id, path: t.path, reason: t.reason });
    } else {
      this.dispatch({ type: 'file.touched', shared: true, sessions: t.sessions, path: t.path, reason: t.reason });
    }
  }

  /** Providers that read their prompt from the screen get it typed once their ready pattern shows. */
  private async typePrompt(text: string): Promise<void> {
    const ready = this.o.provider.prompt.readyPattern ? new RegExp(this.o.provider.prompt.readyPattern, 'm') : undefined;
    for (let waited = 0; ready && waited < READY_WAIT_MS; waited += 100) {
      const snap = this.pty?.snapshot();
      if (this.finished || !snap) return;
      if (ready.test(screenText(snap))) break;
      await new Promise<void>((r) => this.o.timers.set(100, r));
    }
    this.write(text.replace(/\n/g, ' '));
    this.write('\r');
  }

  private flushOutput(): void {
    this.batchTimer = undefined;
    if (this.pendingBytes === 0 || this.finished) return;
    const bytes = this.pendingBytes;
    this.totalBytes += bytes;
    this.pendingBytes = 0;
    this.dispatch({ type: 'session.output', session: this.session.id, bytes });
  }

  private schedulePoll(): void {
    this.pollTimer = this.o.timers.set(DETECT_POLL_MS, () => {
      if (this.finished) return;
      this.poll();
      this.schedulePoll();
    });
  }

  private poll(): void {
    const pty = this.pty;
    if (!pty) return;
    // What the person saw, for the transcript: the recorder keeps the screens that stood still.
    if (pty.version !== this.lastFramedVersion && this.recording) {
      this.lastFramedVersion = pty.version;
      const snap = pty.snapshot();
      this.recording.frame(this.now(), screenText(snap), snap.alternate);
    }
    const observer = this.observer;
    if (!observer) return;
    if (pty.version === this.lastPolledVersion && !observer.busy) return;
    // The observer needs time to pass on an unchanged screen; it reads it again only when it changed.
    if (pty.version !== this.lastPolledVersion || !this.lastScreen) this.lastScreen = detectionScreen(pty);
    this.lastPolledVersion = pty.version;
    const id = this.session.id;
    for (const seen of observer.feed(this.lastScreen, pty.version)) {
      if (seen.type === 'prompt') {
        const options = decisionsOf(seen.prompt.options);
        this.dispatch({
          type: 'prompt.seen',
          session: id,
          key: seen.prompt.key,
          via: 'screen',
          command: seen.prompt.command,
          options,
          answers: answerKeys(seen.prompt.options, this.o.provider.approval.keys, options),
          detector: `${this.o.provider.name} screen pattern`,
          ...(this.cliVersion ? { cliVersion: this.cliVersion } : {}),
        });
      } else if (seen.type === 'gone') {
        this.dispatch({ type: 'prompt.gone', session: id, key: seen.prompt.key });
      } else if (seen.type === 'dialog') {
        this.dialogKeys.set(seen.key, seen.dialog.keys);
        this.dispatch({
          type: 'prompt.seen',
          session: id,
          key: seen.key,
          via: 'screen',
          dialog: seen.dialog.kind,
          command: seen.text,
          options: DIALOG_OPTIONS,
          answers: dialogAnswers(seen.dialog),
          detector: `${this.o.provider.name} ${seen.dialog.kind} dialog`,
          ...(this.cliVersion ? { cliVersion: this.cliVersion } : {}),
        });
      } else if (seen.type === 'dialog-gone') {
        this.dispatch({ type: 'prompt.gone', session: id, key: seen.key });
      } else {
        this.dispatch({ type: 'session.turn-ended', session: id, via: 'screen', question: seen.question });
      }
    }
  }

  private readonly dialogKeys = new Map<string, { allow: string; deny: string }>();

  /** What the CLI's hooks report, as observations. */
  private hookEvent(e: HookEvent): void {
    if (this.finished) return;
    const id = this.session.id;
    switch (e.type) {
      case 'approval':
        this.dispatch({ type: 'prompt.seen', session: id, key: e.key, via: 'hook', command: e.command, options: e.options, detector: `${this.o.provider.name} hook (${e.tool})`, ...(this.cliVersion ? { cliVersion: this.cliVersion } : {}) });
        return;
      case 'approval-closed':
        this.dispatch({ type: 'prompt.gone', session: id, key: e.key });
        return;
      case 'turn-ended':
        this.dispatch({ type: 'session.turn-ended', session: id, via: 'hook', message: e.message, question: isQuestion(e.message) });
        return;
      case 'session':
        this.dispatch({ type: 'session.agent-session', session: id, id: e.id, via: 'hook' });
        return;
      case 'transcript':
        this.transcriptPath = e.path;
        return;
      case 'usage':
        this.tokens = e.tokens ?? this.tokens;
        this.cost = e.cost ?? this.cost;
        return;
    }
  }

  private lastFramedVersion = -1;
  private cliVersion?: string;
  private transcriptPath?: string;
  private tokens?: number;
  private cost?: number;

  answer(a: { approval: string; decision: Decision; via: 'screen' | 'hook'; key?: string }): void {
    if (a.via === 'hook') {
      if (a.key) this.link?.answer(a.key, a.decision);
      return;
    }
    const dialog = a.key ? this.dialogKeys.get(a.key) : undefined;
    if (dialog) {
      this.typeKeys(a.decision === 'deny' ? dialog.deny : dialog.allow);
      return;
    }
    this.write(this.o.provider.approval.keys[a.decision]);
    this.observer?.answered();
  }

  /**
   * Keys one at a time with a pause between (an arrow, then Enter): a CLI that reads a whole chunk as one
   * key press would otherwise see one unknown sequence.
   */
  private typeKeys(keys: string): void {
    const parts = keys.match(/\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]|[^]/gu) ?? [];
    const type = (i: number): void => {
      if (i >= parts.length || this.finished) return;
      this.write(parts[i]);
      if (i + 1 < parts.length) this.o.timers.set(DIALOG_KEY_PAUSE_MS, () => type(i + 1));
    };
    type(0);
  }

  /** End the CLI gracefully: its exit command, typed part by part; without one, a TERM. */
  finish(): void {
    const parts = this.o.provider.exit;
    if (!parts?.length) {
      this.signal('SIGTERM');
      return;
    }
    const type = (i: number): void => {
      if (i >= parts.length || this.finished) return;
      this.write(parts[i]);
      this.o.timers.set(EXIT_KEY_PAUSE_MS, () => type(i + 1));
    };
    type(0);
  }

  input(data: string): void {
    this.write(data);
  }

  private write(data: string): void {
    if (!this.pty || this.finished) return;
    this.recording?.input(this.now(), data);
    this.pty.write(data);
  }

  signal(signal: 'SIGTERM' | 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void {
    const pty = this.pty;
    if (!pty) {
      if (signal === 'SIGTERM' || signal === 'SIGKILL') this.aborted = true;
      return;
    }
    if (this.finished) return;
    if (signal === 'SIGSTOP') pty.pause();
    else if (signal === 'SIGCONT') pty.resume();
    else pty.kill(signal);
  }

  resize(cols: number, rows: number): void {
    const pty = this.pty;
    if (!pty || this.finished || (cols === pty.cols && rows === pty.rows)) return;
    pty.resize(cols, rows);
    this.recording?.resize(this.now(), cols, rows);
    this.dispatch({ type: 'session.resized', session: this.session.id, cols, rows });
  }

  bracketedPaste(): boolean {
    return this.pty?.bracketedPaste() ?? false;
  }

  private exitedWith(exit: PtyExit): void {
    this.batchTimer?.clear();
    this.batchTimer = undefined;
    const bytes = this.pendingBytes;
    this.pendingBytes = 0;
    this.totalBytes += bytes;
    if (bytes > 0) this.dispatch({ type: 'session.output', session: this.session.id, bytes });
    this.finished = true;
    this.end();
    const end = this.now();
    this.recording?.marker(end, `exit ${exit.exitCode}${exit.signal ? ` (signal ${exit.signal})` : ''}`);
    const finalText = this.pty?.text() ?? '';
    const hint = exit.exitCode !== 0 ? failureHint(this.o.provider, finalText) : undefined;
    // Tokens and cost the hooks did not report come from the CLI's own transcript, when it keeps one.
    if (this.transcriptPath && (this.tokens === undefined || this.cost === undefined)) {
      const usage = cliTranscriptUsage(this.transcriptPath, this.o.provider.hooks?.protocol);
      this.tokens ??= usage.tokens;
      this.cost ??= usage.cost;
    }
    this.dispatch({ type: 'usage', session: this.session.id, bytes: this.totalBytes, files: this.filesTouched, tokens: this.tokens, cost: this.cost });
    this.dispatch({ type: 'session.exited', session: this.session.id, exitCode: exit.exitCode, signal: exit.signal, ...(hint ? { hint } : {}) });
    // The recording closes after the session's last events, so their markers are in it.
    this.recording?.close({ exitCode: exit.exitCode, end, text: finalText, provider: this.o.provider.name, cliTranscript: this.transcriptPath });
    this.resolveExited();
  }

  /** Releases what the session holds; resolves `exited` when no process was ever spawned. */
  private end(): void {
    this.finished = true;
    if (this.privateDir) rmSync(this.privateDir, { recursive: true, force: true });
    this.privateDir = undefined;
    this.pollTimer?.clear();
    this.batchTimer?.clear();
    this.tracker?.leave(this.session.id);
    this.tracker = undefined;
    this.link?.close();
    this.link = undefined;
    if (!this.pty) this.resolveExited();
  }

  snapshot(scrollback: number): ScreenSnapshot | undefined {
    return this.pty?.snapshot(scrollback);
  }

  readLines(start: number, end: number): ScreenLine[] {
    return this.pty?.readLines(start, end) ?? [];
  }

  dispose(): void {
    const live = this.pty && !this.finished;
    this.end();
    if (live) this.pty?.kill('SIGKILL');
  }
}

/** A pane shorter than this many rows is read with the lines just above it too: a tall prompt may not fit. */
const DETECT_MIN_ROWS = 30;

/** What the detector reads: the visible screen, extended upwards into the scrollback when the pane is short. */
export function detectionScreen(pty: Pick<PtySession, 'snapshot' | 'readLines'>): ScreenSnapshot {
  const snap = pty.snapshot();
  const extra = Math.min(snap.viewportY, Math.max(0, DETECT_MIN_ROWS - snap.rows));
  if (extra === 0) return snap;
  const above = pty.readLines(snap.viewportY - extra, snap.viewportY);
  return { ...snap, above: above.length, rows: snap.rows + above.length, lines: [...above, ...snap.lines], viewportY: snap.viewportY - above.length, cursor: { ...snap.cursor, y: snap.cursor.y + above.length } };
}

const ALWAYS = /always|don't ask|do not ask|for this session|all edits|remember/;
const DENY = /\bno\b|deny|reject|cancel|abort|decline|\(n\)/;
const ALLOW = /\byes\b|allow|approve|proceed|accept|run|\(y\)/;

/** Whether an agent's last message asks the person something (its turn then waits for an answer, in the TUI). */
export function isQuestion(message: string | undefined): boolean {
  return !!message && /\?\s*$/.test(message.trim());
}

/** The decision one option label stands for ("1. Yes (y)", "No, and tell Claude…", "(Y)es"). */
export function decisionOf(label: string): Decision | undefined {
  // "(A)lways" reads as "always"; "(y)" and "(n)" keep their parentheses for the letter rules.
  const l = label.toLowerCase().replace(/\(([a-z])\)(?=[a-z])/g, '$1');
  if (ALWAYS.test(l)) return 'always';
  if (DENY.test(l)) return 'deny';
  if (ALLOW.test(l)) return 'allow';
  return undefined;
}

/** The decisions a prompt offers, read from its option labels. */
export function decisionsOf(labels: string[]): Decision[] {
  const out = new Set<Decision>();
  for (const label of labels) {
    const d = decisionOf(label);
    if (d) out.add(d);
  }
  if (!out.has('allow')) out.add('allow');
  if (!out.has('deny')) out.add('deny');
  return (['allow', 'always', 'deny'] as const).filter((d) => out.has(d));
}

/**
 * What a person may type into the pane to answer this prompt: the provider's own answer keys, each
 * numbered option's digit ("2. Yes, always…" → "2") and each lettered choice ("(N)o" → "n", "N").
 */
export function answerKeys(labels: string[], keys: Record<Decision, string>, options: readonly Decision[]): AnswerKeys {
  const out: AnswerKeys = {};
  const add = (k: string, d: Decision | undefined) => {
    if (k && d && options.includes(d) && !(k in out)) out[k] = d;
  };
  for (const d of ['allow', 'always', 'deny'] as const) add(keys[d], d);
  for (const label of labels) {
    const numbered = /^(\d{1,2})[.)]\s+(.*)$/.exec(label);
    if (numbered) add(numbered[1], decisionOf(numbered[2]));
    const lettered = /^\(([A-Za-z])\)/.exec(label);
    if (lettered) {
      const d = decisionOf(label);
      add(lettered[1].toLowerCase(), d);
      add(lettered[1].toUpperCase(), d);
    }
  }
  return out;
}
