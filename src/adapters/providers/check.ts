// `conductor providers check NAME`: start a provider's CLI in a PTY on a harmless prompt in a scratch folder,
// wait for what it shows first (its idle prompt, a first-run dialog, a failure, or its exit), then end it.
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logicalLines } from '../../core/screen';
import type { ProviderDef, ProviderDialog } from '../../core/types';
import { spawnPtySession, type PtySession, type PtySpawnOptions } from '../pty/session';
import { resolveArgv } from './argv';
import { which } from './which';

export const CHECK_PROMPT = 'Say hello and wait';

export type CheckOutcome =
  /** prompt: the idle/ready pattern is on screen; exited: a provider that ends by itself ran and exited 0; settled: no pattern to confirm, but the screen has waited unchanged. */
  | { kind: 'ready'; how: 'prompt' | 'exited' | 'settled'; settledMs?: number }
  | { kind: 'dialog'; dialog: Pick<ProviderDialog, 'kind' | 'text'>; known: boolean }
  | { kind: 'failure'; reason: string; known: boolean }
  | { kind: 'exited'; exitCode: number; reason?: string }
  | { kind: 'not-installed'; command: string }
  | { kind: 'timeout'; timeoutMs: number };

export interface CheckResult {
  outcome: CheckOutcome;
  /** The last non-blank lines of the screen when conductor decided. */
  lastLines: string[];
  /** ms from start to the decision. */
  tookMs: number;
  command: string;
  args: string[];
}

export interface CheckOptions {
  simPath: string;
  nodePath?: string;
  env: Record<string, string | undefined>;
  /** How long to wait for a ready state (default 45s: some CLIs take 20s to draw their first screen). */
  timeoutMs?: number;
  /** Screen unchanged this long before it is read (default 700ms). */
  settleMs?: number;
  /** Without a ready pattern, a screen unchanged this long counts as waiting for input (default 4s). */
  idleGuessMs?: number;
  prompt?: string;
  spawn?: (o: PtySpawnOptions) => PtySession;
}

/** Screens most agent CLIs show before they work, for presets that do not name their own. */
const GENERIC_DIALOGS: { kind: ProviderDialog['kind']; text: string; re: RegExp }[] = [
  {
    kind: 'trust',
    text: 'the trust dialog',
    re: /Do you trust the files in this folder|Do you trust (?:this|the) (?:folder|directory|workspace)|Is this a project you created or one you trust|Yes, I trust this folder/i,
  },
  { kind: 'onboarding', text: 'its first-run setup', re: /Choose the text style|Let's get started/i },
];

const GENERIC_FAILURES: { reason: string; re: RegExp }[] = [
  {
    reason: 'not logged in (its screen asks you to sign in or give an API key)',
    re: /not logged in|please (?:log|sign) ?in|sign in with|log ?in with|select login method|how would you like to authenticate|choose how you want to use|invalid api key|missing api key|api key (?:is )?(?:missing|not set|required)|run `?\S+ login|\/login\b/i,
  },
  {
    reason: 'cannot reach its service (offline, or a proxy or base URL is wrong)',
    re: /unable to connect to|failed to connect to|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo|network is unreachable/i,
  },
];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const screenText = (s: PtySession): string => logicalLines(s.snapshot()).join('\n');

function lastLines(text: string, n = 8): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .slice(-n);
}

/** What a settled screen says, most specific first: the preset's dialogs and failures, its ready pattern, then common screens. */
function readScreen(def: ProviderDef, text: string, workspace: string): CheckOutcome | undefined {
  for (const d of def.dialogs ?? [])
    if (new RegExp(d.match, 'm').test(text)) return { kind: 'dialog', dialog: { kind: d.kind, text: d.text.replaceAll('{workspace}', workspace) }, known: true };
  for (const f of def.failures ?? []) if (new RegExp(f.match, 'm').test(text)) return { kind: 'failure', reason: f.reason, known: true };
  for (const p of readyPatterns(def)) if (p.test(text)) return { kind: 'ready', how: 'prompt' };
  for (const d of GENERIC_DIALOGS) if (d.re.test(text)) return { kind: 'dialog', dialog: { kind: d.kind, text: d.text }, known: false };
  for (const f of GENERIC_FAILURES) if (f.re.test(text)) return { kind: 'failure', reason: f.reason, known: false };
  return undefined;
}

function readyPatterns(def: ProviderDef): RegExp[] {
  const out: RegExp[] = [];
  if (def.done.pattern) out.push(new RegExp(def.done.pattern, 'm'));
  if (def.prompt.readyPattern) out.push(new RegExp(def.prompt.readyPattern, 'm'));
  return out;
}

function failureOf(def: ProviderDef, text: string): string | undefined {
  for (const f of def.failures ?? []) if (new RegExp(f.match, 'm').test(text)) return f.reason;
  for (const f of GENERIC_FAILURES) if (f.re.test(text)) return f.reason;
  return undefined;
}

/** Ends the CLI: its exit keys first, then TERM, then KILL. */
async function end(def: ProviderDef, s: PtySession, exited: () => boolean): Promise<void> {
  const waitExit = async (ms: number) => {
    const until = Date.now() + ms;
    while (!exited() && Date.now() < until) await sleep(50);
    return exited();
  };
  for (const keys of def.exit ?? []) {
    if (exited()) break;
    s.write(keys);
    await sleep(300);
  }
  if (def.exit?.length && (await waitExit(1500))) return;
  if (exited()) return;
  s.kill('SIGTERM');
  if (await waitExit(2000)) return;
  s.kill('SIGKILL');
  await waitExit(1000);
}

/** Processes still working in `dir` (on Linux): daemons a CLI started that left its process group (codex's app server). */
function strays(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    const pid = Number(e);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) out.push(pid);
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

/** Ends what the CLI left running in the scratch folder: TERM, then KILL for what is still there. */
async function endStrays(dir: string): Promise<void> {
  const signal = (pids: number[], sig: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  const left = strays(dir);
  if (!left.length) return;
  signal(left, 'SIGTERM');
  for (let i = 0; i < 20 && strays(dir).length; i++) await sleep(100);
  signal(strays(dir), 'SIGKILL');
}

export async function checkProvider(def: ProviderDef, opts: CheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 45_000;
  const settleMs = opts.settleMs ?? 700;
  const idleGuessMs = opts.idleGuessMs ?? 4000;
  const prompt = opts.prompt ?? CHECK_PROMPT;
  const dir = mkdtempSync(join(tmpdir(), 'conductor-check-'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  const promptFile = join(dir, 'prompt.md');
  const script = join(dir, 'script.json');
  writeFileSync(promptFile, `${prompt}\n`);
  writeFileSync(script, JSON.stringify({ actions: [{ say: 'Hello' }] }));
  const argv = resolveArgv(def, { prompt, promptFile, workspace, script, seed: 1, task: 'echo hello', agent: 'check', simPath: opts.simPath, nodePath: opts.nodePath });
  const env: Record<string, string | undefined> = { ...opts.env, ...argv.env };
  delete env.CI;
  const result = (outcome: CheckOutcome, text = ''): CheckResult => ({ outcome, lastLines: lastLines(text), tookMs: Date.now() - started, command: argv.command, args: argv.args });
  try {
    if (!(await which(argv.command, env.PATH ?? ''))) return result({ kind: 'not-installed', command: argv.command });
    const session = (opts.spawn ?? spawnPtySession)({ command: argv.command, args: argv.args, cwd: workspace, env, cols: 120, rows: 40 });
    let exit: number | undefined;
    void session.exited.then((e) => (exit = e.exitCode));
    let version = -1;
    let changed = Date.now();
    let outcome: CheckOutcome | undefined;
    let text = '';
    const guess = readyPatterns(def).length === 0 && def.done.via === 'idle';
    try {
      while (!outcome) {
        await sleep(100);
        const now = Date.now();
        text = screenText(session);
        if (exit !== undefined) {
          const reason = failureOf(def, text);
          outcome = exit === 0 && def.done.via === 'exit' && !reason ? { kind: 'ready', how: 'exited' } : { kind: 'exited', exitCode: exit, ...(reason ? { reason } : {}) };
          break;
        }
        if (session.version !== version) {
          version = session.version;
          changed = now;
        }
        const still = now - changed;
        if (text.trim() && still >= settleMs) outcome = readScreen(def, text, workspace);
        if (!outcome && guess && text.trim() && still >= idleGuessMs) outcome = { kind: 'ready', how: 'settled', settledMs: still };
        if (!outcome && now - started >= timeoutMs) outcome = { kind: 'timeout', timeoutMs };
      }
      const decided = result(outcome, text);
      await end(def, session, () => exit !== undefined);
      return decided;
    } finally {
      session.dispose();
    }
  } finally {
    await endStrays(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
