// conductor's command line: argv → command, exit codes (0 passed, 1 failed, 2 bad input), no stack traces.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { isWriteFault, onWriteFault } from '../adapters/store/write-fault';
import { LockedError, StoreError } from '../adapters/store/errors';
import { PtyAddonMissing } from '../adapters/pty/addon';
import { WorkspaceError } from '../adapters/workspace/prepare';
import { InputError } from './open-execution';
import { runCommand, resumeCommand } from './run';
import { parseDuration } from '../core/duration';
import { checkCommand, listProviders } from './providers';
import { recoverCommand } from './recover';
import { statusCommand } from './status';
import { validateCommand } from './validate';

const USAGE = `conductor — run AI coding agents on plans, in real terminals

usage:
  conductor tui [FILE] [--resume ID]     the full-screen UI (no FILE: pick a plan or an execution)
  conductor run FILE [options]           run a plan or scenario without the UI (CI): exit 0 passed (a scenario: every
                                         provider's pass rate reaches its threshold), 1 failed, 2 bad input
  conductor compare FILE [--providers A,B[,C,D]] [--tui]
                                         run a plan or scenario on each provider side by side (each in its own workspace
                                         from one base) and compare: status, time, approvals, commands, changes, checks,
                                         cost, the diff of diffs; exit 0 when every provider passed
  conductor resume ID [options]          continue an interrupted execution without the UI
  conductor status [ID]                  steps with status, outputs, transcripts, next pending step
  conductor report ID [--format md,json,html] [-o PATH|-] [--eval N]  the report: proof/<exec>/report.<ext> (-o - prints it; --eval N: a re-evaluation, 0 the run's own)
  conductor replay ID [--step S | --trial T] [--attempt N] [--speed X]
                                         play a recorded session back (space, ←/→, g/G, [/], q)
  conductor recover ID                   back up a damaged event log and cut it back to its last good event
  conductor reeval ID [--scenario FILE]  judge a scenario's stored trials again (no agent runs): exit 0 threshold met, 1 not
  conductor validate FILE...             check plan, scenario and config (conductor.yaml) files
  conductor providers [--json]           every provider: installed, version, channels (hooks, turn end, resume, session id, JSON), what is missing
  conductor providers check NAME         start NAME's CLI on a harmless prompt: ready, a dialog, not logged in, or how it exited (exit 0 ready, 1 not, 2 unknown)
  conductor hook PROTOCOL EVENT          internal: run by an agent CLI's hook; asks the running conductor

run/resume/tui options:
  --approve all|none|policy   who answers agents' approval prompts (default: policy; run denies what policy leaves to a person)
  --provider P                run every step with provider P (sim, shell, claude, codex, gemini, copilot, aider, or configured)
  --out DIR                   write proof/ and trace/ under DIR instead of the configured roots
  --concurrency N             steps or trials run at once (default: the file's)
  --trials N                  scenarios: trials per provider (default: the file's)
  --providers A,B             compare these providers (a plan: once per provider, each in its own workspace;
                              a scenario: its trials on each); default: the file's \`providers:\`
  --keep                      scenarios: keep each trial's workspace (trace/<exec>/workspace/<trial>) after it is judged;
                              comparisons: keep each provider's git worktree (trace/<exec>/workspace/<provider>)
  --json                      run/resume: one redacted JSON event a line on stdout (as in events.jsonl), last a {"type":"run.summary",…}

exit codes: 0 passed, 1 failed, 2 bad input or an unusable output folder, 74 a write to proof/ or trace/
failed (disk full, I/O error): what was written stays valid, resume once fixed; 128+N stopped by signal N
(130 SIGINT, 129 SIGHUP, 143 SIGTERM), 141 run's stdout closed (\`run … | head\`); 70 internal error

providers options:
  --json                      print JSON instead of a table
  --timeout DURATION          how long each --version/--help may take (default 10s); check: how long to wait for the ready state (default 45s)
`;

class UsageError extends Error {}

/** A write to proof/ or trace/ failed mid-run (disk full, I/O error): sysexits' EX_IOERR. */
export const EXIT_WRITE_FAULT = 74;

const rel = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

const FAULTS: Record<string, [what: string, fix: string]> = {
  ENOSPC: ['disk full', 'free space'],
  EDQUOT: ['disk quota exceeded', 'free space or raise the quota'],
  EFBIG: ['file too large', 'free space or lower the file size limit'],
  EIO: ['I/O error', 'check the disk'],
  EROFS: ['read-only file system', 'make it writable or choose another --out DIR'],
  EACCES: ['permission denied', 'make it writable or choose another --out DIR'],
  EPERM: ['permission denied', 'make it writable or choose another --out DIR'],
};

/**
 * A write the disk refused mid-run: the writer kept the files valid; stop here, agents included (their
 * process trees are killed on exit), and say how to go on. The message comes after the TUI's restore.
 */
function writeFaultExit(err: NodeJS.ErrnoException): never {
  const [what, fix] = FAULTS[err.code ?? ''] ?? [err.code ?? 'write error', 'fix the output folder'];
  const path = err.path ? rel(err.path) : 'the output folder';
  const exec = /exec-[A-Za-z0-9._-]+/.exec(err.path ?? '')?.[0];
  const line = `conductor: ${what} writing ${path}: ${fix}${exec ? `, then \`conductor resume ${exec}\`` : ''}\n`;
  process.on('exit', () => {
    try {
      process.stderr.write(line);
    } catch {
      /* nowhere to say it */
    }
  });
  process.exit(EXIT_WRITE_FAULT);
}

/** What is wrong with an output path that could not be created: the nearest existing folder or file above it. */
function blockedBy(path: string): string | undefined {
  for (let p = path; ; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return `${rel(p)} is a file, not a folder`;
      accessSync(p, fsConstants.W_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return `${rel(p)} is on a read-only file system`;
      if (code === 'EACCES' || code === 'EPERM') return `${rel(p)} is not writable (permission denied)`;
      if (dirname(p) === p) return undefined;
    }
  }
}

/** Output folders that cannot be used (a file in the way, read-only, not ours): bad input, exit 2. */
const SETUP_CODES = new Set(['ENOTDIR', 'EEXIST', 'EROFS', 'EACCES', 'EPERM', 'EISDIR', 'ENOENT']);

function setupFault(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!SETUP_CODES.has(e?.code ?? '') || !e.path) return undefined;
  const why = blockedBy(e.path) ?? (e.code === 'ENOENT' ? undefined : `${rel(e.path)}: ${e.code}`);
  if (!why) return undefined;
  return `cannot write ${rel(e.path)}: ${why}; fix that, or choose another place with --out DIR (or the proof/trace roots in conductor.yaml)`;
}

const OPTIONS = {
  approve: { type: 'string' },
  provider: { type: 'string' },
  out: { type: 'string' },
  concurrency: { type: 'string' },
  trials: { type: 'string' },
  providers: { type: 'string' },
  keep: { type: 'boolean' },
  tui: { type: 'boolean' },
  scenario: { type: 'string' },
  resume: { type: 'string' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  eval: { type: 'string' },
  step: { type: 'string' },
  trial: { type: 'string' },
  attempt: { type: 'string' },
  speed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies ParseArgsConfig['options'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^.*?: /, ''));
  }
}

function flags(values: ReturnType<typeof parse>['values']) {
  const approve = values.approve;
  if (approve !== undefined && !['all', 'none', 'policy'].includes(approve)) throw new UsageError(`--approve takes all, none or policy, not "${approve}"`);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new UsageError(`--concurrency takes a whole number ≥ 1, not "${values.concurrency}"`);
  const trials = values.trials === undefined ? undefined : Number(values.trials);
  if (trials !== undefined && (!Number.isInteger(trials) || trials < 1)) throw new UsageError(`--trials takes a whole number ≥ 1, not "${values.trials}"`);
  const providers = values.providers === undefined ? undefined : values.providers.split(',').map((p) => p.trim());
  if (providers && (providers.length === 0 || providers.some((p) => !p))) throw new UsageError(`--providers takes provider names joined by commas (sim,codex), not "${values.providers}"`);
  if (providers && values.provider) throw new UsageError('give either --provider P or --providers A,B, not both');
  return { approve: approve as 'all' | 'none' | 'policy' | undefined, provider: values.provider, out: values.out, concurrency, trials, providers, keep: values.keep };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`conductor ${process.env.CONDUCTOR_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  if (command === 'hook') {
    // Normally bin/conductor hands `hook` straight to dist/hook.js; this path serves a run from the sources.
    const { runHookClient } = await import('../adapters/hooks/client');
    return runHookClient(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
  }
  const { values, positionals } = parse(rest);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'providers') {
    if (values.json && !['run', 'resume', 'compare'].includes(command)) throw new UsageError(`--json is an option of \`providers\`, \`run\`, \`compare\` and \`resume\`, not of \`${command}\``);
    if (values.timeout !== undefined) throw new UsageError(`--timeout is an option of \`providers\`, not of \`${command}\``);
  }
  const reportOnly = (['format', 'output', 'eval'] as const).find((k) => values[k] !== undefined);
  if (command !== 'report' && reportOnly) throw new UsageError(`--${reportOnly} is an option of \`report\`, not of \`${command}\``);
  if (values.tui && command !== 'compare') throw new UsageError(`--tui is an option of \`compare\`, not of \`${command}\` (for the UI: conductor tui FILE)`);
  const replayOnly = (['step', 'trial', 'attempt', 'speed'] as const).find((k) => values[k] !== undefined);
  if (command !== 'replay' && replayOnly) throw new UsageError(`--${replayOnly} is an option of \`replay\`, not of \`${command}\``);
  switch (command) {
    case 'providers': {
      const timeout = values.timeout === undefined ? undefined : parseDuration(values.timeout);
      if (timeout && (!timeout.ok || timeout.ms <= 0)) throw new UsageError(`--timeout takes a duration like 30s or 2m, not "${values.timeout}"`);
      const pflags = { json: values.json, timeoutMs: timeout?.ok ? timeout.ms : undefined };
      if (positionals.length === 0) return listProviders(pflags, io);
      if (positionals[0] === 'check') {
        if (positionals.length !== 2) throw new UsageError('providers check takes one provider NAME');
        return checkCommand(positionals[1], pflags, io);
      }
      throw new UsageError(`providers takes no argument or \`check NAME\`, not "${positionals.join(' ')}"`);
    }
    case 'validate':
      return validateCommand(positionals, io);
    case 'run':
      if (positionals.length !== 1) throw new UsageError('run takes one plan or scenario FILE');
      return runCommand(positionals[0], flags(values), io, { json: values.json });
    case 'compare':
      if (positionals.length !== 1) throw new UsageError('compare takes one plan or scenario FILE');
      if (values.tui) return (await import('./tui')).tuiCommand({ file: positionals[0], flags: { ...flags(values), compare: true }, cwd: io.cwd });
      return runCommand(positionals[0], { ...flags(values), compare: true }, io, { json: values.json });
    case 'resume':
      if (positionals.length !== 1) throw new UsageError('resume takes one execution ID');
      return resumeCommand(positionals[0], flags(values), io, { json: values.json });
    case 'status':
      if (positionals.length > 1) throw new UsageError('status takes at most one execution ID');
      return statusCommand(positionals[0], { ...flags(values), cwd: io.cwd }, io);
    case 'report':
      if (positionals.length !== 1) throw new UsageError('report takes one execution ID');
      return (await import('./report')).reportCommand(positionals[0], { cwd: io.cwd, out: values.out, format: values.format, output: values.output, eval: values.eval }, io);
    case 'replay':
      if (positionals.length !== 1) throw new UsageError('replay takes one execution ID');
      return (await import('./replay')).replayCommand(positionals[0], { ...flags(values), cwd: io.cwd, step: values.step, trial: values.trial, attempt: values.attempt, speed: values.speed }, io);
    case 'recover':
      if (positionals.length !== 1) throw new UsageError('recover takes one execution ID');
      return recoverCommand(positionals[0], { ...flags(values), cwd: io.cwd }, io);
    case 'reeval':
      if (positionals.length !== 1) throw new UsageError('reeval takes one execution ID');
      return (await import('./reeval')).reevalCommand(positionals[0], { ...flags(values), scenario: values.scenario, cwd: io.cwd }, io);
    case 'tui':
      if (positionals.length > 1) throw new UsageError('tui takes at most one FILE');
      if (positionals.length === 1 && values.resume) throw new UsageError('give either FILE or --resume ID, not both');
      return (await import('./tui')).tuiCommand({ file: positionals[0], resume: values.resume, flags: flags(values), cwd: io.cwd });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

// A reader that left (`conductor run plan | head -2`) or a terminal that closed makes writes fail with
// EPIPE or EIO. Commands that care (run, tui) react to it themselves; nothing crashes on it.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (!['EPIPE', 'EIO', 'ECONNRESET', 'ENXIO', 'EBADF'].includes(err.code ?? '')) throw err;
  });
}

onWriteFault(writeFaultExit);
// A write fault met outside the writers that report it (a snapshot, a report), in a callback or a timer.
const lastResort = (err: unknown): void => {
  if (isWriteFault(err)) writeFaultExit(err);
  const e = err as Error;
  process.stderr.write(`conductor: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.CONDUCTOR_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  process.exit(70);
};
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`conductor: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof InputError) {
      for (const line of err.lines) process.stderr.write(`${line}\n`);
      process.exitCode = 2;
    } else if (err instanceof LockedError || err instanceof StoreError || err instanceof WorkspaceError || err instanceof PtyAddonMissing) {
      process.stderr.write(`conductor: ${err.message}\n`);
      process.exitCode = 2;
    } else if (setupFault(err)) {
      process.stderr.write(`conductor: ${setupFault(err)}\n`);
      process.exitCode = 2;
    } else if (isWriteFault(err)) {
      writeFaultExit(err);
    } else {
      const e = err as Error;
      process.stderr.write(`conductor: internal error: ${e?.message ?? String(err)}\n`);
      if (process.env.CONDUCTOR_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
      process.exitCode = 70;
    }
  },
);
