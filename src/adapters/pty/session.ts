// One agent session in a real pseudo-terminal: node-pty process + emulator screen, flow control,
// exit only after every byte was delivered, process-group signals.
import { randomBytes } from 'node:crypto';
import pty from 'node-pty';
import type { ScreenLine, ScreenSnapshot } from '../../core/screen';
import { createXtermEmulator, type Disposable, type Emulator, type EmulatorOptions } from './emulator';
import { EndMarkerScanner, statusToExit, wrapperScript } from './end-marker';
import { ProcessTree } from './tree';

export interface PtySpawnOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  scrollback?: number;
  /** Run through the exit wrapper shell (default true). Without it the tail of the output can be lost. */
  wrap?: boolean;
  /** Emulator factory (default: in-thread @xterm/headless). */
  createEmulator?: (o: EmulatorOptions) => Emulator;
}

export interface PtyExit {
  /** The agent's exit status (a shell-style 128+n when it died of signal n). */
  exitCode: number;
  /** Signal number when the agent was killed by a signal. */
  signal?: number;
}

export interface PtySession {
  /** Pid of the PTY's direct child (the leader of the session's process group). */
  readonly pid: number;
  /** Increments whenever the screen changes. */
  readonly version: number;
  readonly cols: number;
  readonly rows: number;
  /** Output handed to the emulator and not yet parsed (UTF-16 units); bounded by flow control. */
  readonly backlog: number;
  /** Resolves with the same value `onExit` reports. */
  readonly exited: Promise<PtyExit>;
  /** Output as it arrives from the PTY, before the emulator has parsed it. */
  onData(cb: (data: string) => void): Disposable;
  /** The same output once the emulator has parsed it: what a reader of the screen can now see. */
  onParsed(cb: (data: string) => void): Disposable;
  onExit(cb: (e: PtyExit) => void): Disposable;
  onChange(cb: () => void): Disposable;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: NodeJS.Signals): void;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  snapshot(scrollOffset?: number): ScreenSnapshot;
  readLines(start: number, end: number): ScreenLine[];
  text(): string;
  /** Whether the agent turned on bracketed paste in its terminal. */
  bracketedPaste(): boolean;
  dispose(): void;
}

/** Emulator backlog (UTF-16 units) above which reading from the PTY pauses, and below which it resumes. */
export const HIGH_WATER = 1 << 20;
export const LOW_WATER = 1 << 18;
const ACK_GRACE_MS = 3000;
/** After the agent exits, what it left running gets TERM, then KILL this much later. */
const LEFTOVER_GRACE_MS = 1500;

export function spawnPtySession(opts: PtySpawnOptions): PtySession {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 40;
  const wrap = opts.wrap ?? true;
  const token = randomBytes(12).toString('hex');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  env.TERM ??= 'xterm-256color';
  const tree = new ProcessTree();
  Object.assign(env, tree.env);

  const file = wrap ? '/bin/sh' : opts.command;
  const args = wrap ? ['-c', wrapperScript(token), opts.command, opts.command, ...opts.args] : opts.args;
  const proc = pty.spawn(file, args, { name: env.TERM, cols, rows, cwd: opts.cwd, env, encoding: 'utf8' });
  const emu: Emulator = (opts.createEmulator ?? createXtermEmulator)({ cols, rows, scrollback: opts.scrollback ?? 10_000 });
  const scanner = wrap ? new EndMarkerScanner(token) : undefined;
  tree.attach(proc.pid);

  const dataCbs = new Set<(d: string) => void>();
  const parsedCbs = new Set<(d: string) => void>();
  const exitCbs = new Set<(e: PtyExit) => void>();
  const changeCbs = new Set<() => void>();
  let version = 0;
  let size = { cols, rows };
  let backlog = 0;
  let readPaused = false;
  let stopped = false;
  let markerExit: PtyExit | undefined;
  let ptyExit: PtyExit | undefined;
  let result: PtyExit | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  /** The session's exit is reported once nothing it started is left running. */
  let treeEnded = false;
  let disposed = false;
  let resolveExited!: (e: PtyExit) => void;
  const exited = new Promise<PtyExit>((r) => (resolveExited = r));

  const signalGroup = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      try {
        process.kill(proc.pid, sig);
      } catch {
        /* already gone */
      }
    }
  };

  let treeEnding = false;
  const endTree = (): void => {
    if (treeEnding) return;
    treeEnding = true;
    void tree.end(LEFTOVER_GRACE_MS).finally(() => {
      treeEnded = true;
      maybeFinish();
    });
  };

  const maybeFinish = (): void => {
    if (result || backlog > 0 || !treeEnded) return;
    const end = markerExit && ptyExit ? markerExit : markerExit ? undefined : ptyExit;
    if (!end) return;
    result = end;
    if (graceTimer) clearTimeout(graceTimer);
    resolveExited(end);
    for (const cb of exitCbs) cb(end);
  };

  const deliver = (data: string): void => {
    if (!data || disposed) return;
    for (const cb of dataCbs) cb(data);
    backlog += data.length;
    emu.write(data, () => {
      backlog -= data.length;
      if (!disposed) for (const cb of parsedCbs) cb(data);
      if (readPaused && backlog < LOW_WATER) {
        readPaused = false;
        proc.resume();
      }
      maybeFinish();
    });
    if (!readPaused && backlog > HIGH_WATER) {
      readPaused = true;
      proc.pause();
    }
  };

  proc.onData((chunk) => {
    if (!scanner) return deliver(chunk);
    if (scanner.finished) return;
    const r = scanner.push(chunk);
    deliver(r.out);
    if (r.status !== undefined) {
      markerExit = statusToExit(r.status);
      try {
        process.kill(proc.pid, 'SIGUSR1');
      } catch {
        /* shell already gone */
      }
      graceTimer = setTimeout(() => {
        ptyExit ??= markerExit;
        endTree();
      }, ACK_GRACE_MS);
      maybeFinish();
    }
  });

  proc.onExit(({ exitCode, signal }) => {
    if (scanner && !scanner.finished) deliver(scanner.flush());
    ptyExit = signal ? { exitCode: exitCode || 128 + signal, signal } : { exitCode };
    if (readPaused) {
      readPaused = false;
    }
    tree.leaderExited();
    endTree();
  });

  emu.onReply((reply) => {
    if (!result && !disposed) proc.write(reply);
  });
  emu.onChange(() => {
    version++;
    for (const cb of changeCbs) cb();
  });

  const subscribe = <T>(set: Set<T>, cb: T): Disposable => {
    set.add(cb);
    return { dispose: () => set.delete(cb) };
  };

  return {
    get pid() {
      return proc.pid;
    },
    get version() {
      return version;
    },
    get cols() {
      return size.cols;
    },
    get rows() {
      return size.rows;
    },
    get paused() {
      return stopped;
    },
    get backlog() {
      return backlog;
    },
    exited,
    onData: (cb) => subscribe(dataCbs, cb),
    onParsed: (cb) => subscribe(parsedCbs, cb),
    onExit(cb) {
      if (result) {
        const r = result;
        queueMicrotask(() => cb(r));
        return { dispose() {} };
      }
      return subscribe(exitCbs, cb);
    },
    onChange: (cb) => subscribe(changeCbs, cb),
    write(data) {
      if (!result && !disposed && !markerExit) proc.write(data);
    },
    resize(c, r) {
      if (disposed || c <= 0 || r <= 0) return;
      size = { cols: c, rows: r };
      if (!ptyExit) {
        try {
          proc.resize(c, r);
        } catch {
          /* pty closed */
        }
      }
      emu.resize(c, r);
    },
    kill(signal = 'SIGTERM') {
      // Every process of the session, also after the leader is gone: children that ignore TERM, or left
      // its group (`set -m`) or its session (`setsid`), outlive it.
      if (signal === 'SIGTERM' || signal === 'SIGKILL') tree.signal(signal);
      else if (!result && !ptyExit) signalGroup(signal);
      if (result) return;
      if (stopped && signal !== 'SIGKILL') {
        if (!ptyExit) signalGroup('SIGCONT');
        tree.signal('SIGCONT');
      }
      stopped = false;
    },
    pause() {
      if (result || stopped) return;
      stopped = true;
      signalGroup('SIGSTOP');
    },
    resume() {
      if (!stopped) return;
      stopped = false;
      if (!result) signalGroup('SIGCONT');
    },
    snapshot: (offset) => emu.snapshot(offset),
    readLines: (start, end) => emu.readLines(start, end),
    text: () => emu.text(),
    bracketedPaste: () => emu.bracketedPaste(),
    dispose() {
      if (disposed) return;
      disposed = true;
      if (graceTimer) clearTimeout(graceTimer);
      if (!ptyExit) signalGroup('SIGKILL');
      tree.signal('SIGKILL');
      tree.detach();
      dataCbs.clear();
      exitCbs.clear();
      changeCbs.clear();
      if (!ptyExit) proc.kill('SIGHUP');
      emu.dispose();
    },
  };
}
