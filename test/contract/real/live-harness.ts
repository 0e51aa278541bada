// Drives a real agent CLI (installed by scripts/install-agent-clis.sh) in conductor's PTY adapter with its preset's detector.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { logicalLines } from '../../../src/core/screen';
import type { ProviderDef } from '../../../src/core/types';
import { resolveArgv } from '../../../src/adapters/providers/argv';
import { createApprovalDetector, type ApprovalDetector, type ApprovalPrompt } from '../../../src/adapters/providers/detector';
import { spawnPtySession, type PtySession } from '../../../src/adapters/pty/session';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const cliDir = resolve(process.env.CONDUCTOR_AGENT_CLIS ?? join(repo, '.cache/agent-clis'));
const binDir = join(cliDir, 'node_modules/.bin');
export const MARKER = 'conductor-contract-ok';
export const MARKER_COMMAND = `touch ${MARKER}`;
/** Longer than an 80-column row, with no spaces where the CLIs wrap it there: must come back byte for byte. */
export const LONG_COMMAND = `node -e "const s='${'a'.repeat(200)}';console.log(JSON.stringify(s.split('a'),null,2))"`;

export const cliInstalled = (name: string): boolean => existsSync(join(binDir, name));
export const skipReason = (name: string): string =>
  `real ${name} CLI not found in ${binDir} (run scripts/install-agent-clis.sh or set CONDUCTOR_AGENT_CLIS)`;

export interface LiveDirs {
  root: string;
  home: string;
  ws: string;
  cleanup(): void;
}

export function makeDirs(name: string): LiveDirs {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `conductor-${name}-`)));
  const home = join(root, 'home');
  const ws = join(root, 'ws');
  mkdirSync(home);
  mkdirSync(ws);
  return { root, home, ws, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A minimal env built from scratch: the temp HOME, no proxies, the installed CLIs first on PATH. */
export function baseEnv(dirs: LiveDirs): Record<string, string> {
  return {
    PATH: [binDir, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: dirs.home,
    USER: 'conductor',
    SHELL: '/bin/bash',
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    LANG: 'C.UTF-8',
    TMPDIR: dirs.root,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    XDG_DATA_HOME: join(dirs.home, '.local/share'),
    XDG_STATE_HOME: join(dirs.home, '.local/state'),
    NO_PROXY: '127.0.0.1,localhost',
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LiveRun {
  readonly session: PtySession;
  readonly detector: ApprovalDetector;
  prompt: ApprovalPrompt | undefined;
  gone = false;
  exited = false;
  private timer: NodeJS.Timeout;

  constructor(readonly def: ProviderDef, dirs: LiveDirs, env: Record<string, string>, prompt: string, size = { cols: 120, rows: 40 }) {
    const argv = resolveArgv(def, { prompt, workspace: dirs.ws, simPath: '' });
    this.session = spawnPtySession({ command: argv.command, args: argv.args, cwd: dirs.ws, env: { ...argv.env, ...env }, ...size });
    this.detector = createApprovalDetector(def);
    this.timer = setInterval(() => this.poll(), 50);
    void this.session.exited.then(() => (this.exited = true));
  }

  private poll(): void {
    for (const e of this.detector.feed(this.session.snapshot())) {
      if (e.type === 'prompt') this.prompt = e.prompt;
      else this.gone = true;
    }
  }

  /** The screen as the detector reads it: logical lines (rows the terminal wrapped joined). */
  screen(): string {
    return logicalLines(this.session.snapshot()).join('\n');
  }

  /** Waits until `pred` holds; fails with the screen so a changed UI is easy to see. */
  async until(what: string, pred: () => boolean, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred()) {
      if (this.exited) throw new Error(`the CLI exited while waiting for ${what}; screen:\n${this.screen()}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${this.screen()}`);
      await sleep(50);
    }
  }

  write(keys: string): void {
    this.session.write(keys);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.session.kill('SIGTERM');
    const done = await Promise.race([this.session.exited.then(() => true), sleep(3000).then(() => false)]);
    if (!done) {
      this.session.kill('SIGKILL');
      await Promise.race([this.session.exited, sleep(2000)]);
    }
    this.session.dispose();
  }
}

/** Processes still running from the temp dirs (by command line or cwd), e.g. daemons that left the process group. */
export function strayProcesses(root: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      // A zombie has exited already; it only waits for its parent to reap it.
      if (/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        /* not ours to read */
      }
      if (cmd.includes(root) || cwd.startsWith(root)) pids.push(pid);
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

/** Processes from the temp dirs that are still there after `ms`: children still exiting when the session ended do not count. */
export async function lingeringProcesses(root: string, ms = 3000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let pids = strayProcesses(root);
  while (pids.length > 0 && Date.now() < deadline) {
    await sleep(100);
    pids = strayProcesses(root);
  }
  return pids;
}

/** Writes the screen to test/fixtures/screens/real/<file> when CONDUCTOR_RECORD_SCREENS=1, temp paths masked to equal length. */
export function recordScreen(file: string, text: string, dirs: LiveDirs): void {
  if (process.env.CONDUCTOR_RECORD_SCREENS !== '1') return;
  const masked = basename(dirs.root).replace(/[^-]+$/, (s) => 'X'.repeat(s.length));
  const out = text.split(dirs.root).join(join(dirname(dirs.root), masked)).replace(/\s+$/, '') + '\n';
  const dir = join(repo, 'test/fixtures/screens/real');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), out);
}

export const markerPath = (dirs: LiveDirs): string => join(dirs.ws, MARKER);

export interface LiveMock {
  url: string;
  requests: string[];
  readonly toolCalls: number;
  readonly toolResults: number;
  /** Each request of the main conversation: tool results in its history, the last user text. */
  readonly turns: { toolResults: number; lastUser: string }[];
  /** Whether an answer is being held (MockOptions.holdAfter); release() lets it go. */
  readonly held: boolean;
  release(): void;
  close(): Promise<void>;
}

export interface LiveContract<M extends LiveMock> {
  def: ProviderDef;
  startMock(command: string): Promise<M>;
  /** Writes the CLI's config into the temp HOME and returns the session env. */
  setup(dirs: LiveDirs, mock: M): Record<string, string>;
  /** The mock's final answer, as the CLI shows it. */
  finalText: string;
}

/** The live contract for one preset: allow, always and deny keys against the real CLI's approval prompt. */
export function describeLiveContract<M extends LiveMock>(c: LiveContract<M>): void {
  const name = c.def.name;
  const installed = cliInstalled(name);
  describe.skipIf(!installed)(`${name} preset against the real CLI${installed ? '' : ` (skipped: ${skipReason(name)})`}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    async function prompted(command = MARKER_COMMAND, size?: { cols: number; rows: number }): Promise<{ run: LiveRun; dirs: LiveDirs; mock: M }> {
      const mock = await c.startMock(command);
      const dirs = makeDirs(name);
      const run = new LiveRun(c.def, dirs, c.setup(dirs, mock), 'Create the marker file', size);
      cleanup = async () => {
        await run.stop();
        await mock.close();
        const strays = await lingeringProcesses(dirs.root);
        for (const pid of strays) process.kill(pid, 'SIGKILL');
        dirs.cleanup();
        expect(strays, 'processes left behind by the CLI').toEqual([]);
      };
      await run.until('the approval prompt', () => run.prompt !== undefined, 40_000);
      expect(run.prompt?.command).toBe(command);
      expect(existsSync(markerPath(dirs))).toBe(false);
      return { run, dirs, mock };
    }

    test('a command the CLI wraps over several rows is read back byte for byte', async () => {
      const { run, dirs } = await prompted(LONG_COMMAND, { cols: 80, rows: 40 });
      recordScreen(`${name}-long-prompt.txt`, run.screen(), dirs);
      expect(run.prompt?.options.length).toBeGreaterThanOrEqual(2);
      run.write(c.def.approval.keys.deny);
      await run.until('the prompt to go', () => run.gone, 10_000);
    }, 60_000);

    test('allow keys run the command and clear the prompt', async () => {
      const { run, dirs, mock } = await prompted();
      recordScreen(`${name}-shell-prompt.txt`, run.screen(), dirs);
      run.write(c.def.approval.keys.allow);
      await run.until('the marker file', () => existsSync(markerPath(dirs)), 15_000);
      await run.until('the prompt to go', () => run.gone, 10_000);
      await run.until('the final answer', () => mock.toolResults > 0 && run.screen().includes(c.finalText), 15_000);
      recordScreen(`${name}-allowed.txt`, run.screen(), dirs);
      expect(run.detector.current).toBeUndefined();
    }, 60_000);

    test('always keys run the command and clear the prompt', async () => {
      const { run, dirs } = await prompted();
      run.write(c.def.approval.keys.always);
      await run.until('the marker file', () => existsSync(markerPath(dirs)), 15_000);
      await run.until('the prompt to go', () => run.gone, 10_000);
    }, 60_000);

    test('deny keys refuse the command and clear the prompt', async () => {
      const { run, dirs, mock } = await prompted();
      run.write(c.def.approval.keys.deny);
      await run.until('the prompt to go', () => run.gone, 10_000);
      await sleep(1000);
      recordScreen(`${name}-denied.txt`, run.screen(), dirs);
      expect(existsSync(markerPath(dirs))).toBe(false);
      expect(run.detector.current).toBeUndefined();
      expect(mock.toolCalls).toBe(1);
    }, 60_000);
  });
}
