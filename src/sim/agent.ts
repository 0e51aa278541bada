// The sim agent program (dist/sim-agent.js): a deterministic scripted agent CLI that runs in a PTY.
import { readFileSync } from 'node:fs';
import { faultsOf, type InjectedFault } from './chaos';
import { c, SHOW_CURSOR } from './render';
import { runScript, type Summary } from './run';
import { defaultScript, parseArgs, parseScript, taskOf } from './script';

const SIM_VERSION = '1.0.0';

if (process.argv.includes('--version')) {
  process.stdout.write(`sim agent ${SIM_VERSION}\n`);
  process.exit(0);
}

const args = parseArgs(process.argv.slice(2));
const stdin = process.stdin;
const stdout = process.stdout;
const write = (s: string): void => {
  stdout.write(s);
};
let keyHandler: ((data: string) => void) | undefined;
let killChild: (() => void) | undefined;
let rawSet = false;

function restore(): void {
  if (rawSet && stdin.isTTY) {
    try {
      stdin.setRawMode(false);
    } catch {
      /* tty gone */
    }
  }
  rawSet = false;
}

function exit(code: number): never {
  killChild?.();
  write(SHOW_CURSOR);
  restore();
  process.exit(code);
}

function interrupted(code: number): void {
  write(`\r\n${c.yellow('⏹ Interrupted')}\r\n`);
  exit(code);
}

process.on('SIGINT', () => interrupted(130));
process.on('SIGTERM', () => interrupted(143));
process.on('SIGHUP', () => exit(129));

if (stdin.isTTY) {
  stdin.setRawMode(true);
  rawSet = true;
}
stdin.setEncoding('utf8');
stdin.on('data', (data: string) => {
  if (data.includes('\x03')) return interrupted(130);
  keyHandler?.(data);
});
stdin.on('error', () => {});

function readPrompt(): string {
  if (args.prompt !== undefined) return args.prompt;
  if (!args.promptFile) return '';
  try {
    return readFileSync(args.promptFile, 'utf8');
  } catch (e) {
    write(`${c.red(`✗ Cannot read prompt file ${args.promptFile}: ${(e as Error).message}`)}\r\n`);
    return exit(2);
  }
}

let inject: InjectedFault[] = [];

function loadScript(prompt: string) {
  if (!args.script) return defaultScript(prompt);
  try {
    const json: unknown = JSON.parse(readFileSync(args.script, 'utf8'));
    inject = faultsOf(json);
    return parseScript(json);
  } catch (e) {
    write(`${c.red(`✗ Bad script ${args.script}: ${(e as Error).message}`)}\r\n`);
    return exit(2);
  }
}

async function main(): Promise<void> {
  const prompt = readPrompt();
  const script = loadScript(prompt);
  const task = taskOf(prompt);
  const seed = args.seed ?? script.seed;
  write(
    `${c.orange('✻')} ${c.bold('sim agent')} ${c.dim('·')} ${c.cyan(args.name)}${seed !== undefined ? c.dim(` · seed ${seed}`) : ''}\r\n` +
      `${c.dim(`  cwd: ${process.cwd()}`)}\r\n` +
      (task ? `${c.dim(`  task: ${task.length > 110 ? `${task.slice(0, 107)}...` : task}`)}\r\n` : '') +
      '\r\n',
  );
  const summary: Summary = await runScript(script, {
    cwd: process.cwd(),
    name: args.name,
    seed: args.seed,
    failRate: args.failRate,
    write,
    columns: () => stdout.columns || 80,
    onKeys(handler) {
      keyHandler = handler;
      return () => {
        if (keyHandler === handler) keyHandler = undefined;
      };
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms))),
    track(kill) {
      killChild = kill;
    },
    inject,
    writeBytes: (bytes) => {
      stdout.write(bytes);
    },
    // A crash is a death by a signal, not an exit code: nothing is cleaned up, the terminal stays raw.
    crash: () => {
      killChild?.();
      process.kill(process.pid, 'SIGSEGV');
      return new Promise<never>(() => {});
    },
    // Silent for good: no output, no key read, no exit until conductor's timeout stops it.
    hang: () => {
      keyHandler = undefined;
      setInterval(() => {}, 1 << 30);
      return new Promise<never>(() => {});
    },
  });
  const files = `${summary.filesWritten} ${summary.filesWritten === 1 ? 'file' : 'files'} written`;
  write(
    `\r\n${c.dim('─── summary ───')}\r\n` +
      `actions: ${summary.actions} · commands: ${summary.commandsRun} run, ${summary.commandsDenied} denied · ${files}\r\n` +
      (summary.exitCode === 0 ? `${c.green('✓ done')}\r\n` : `${c.red('✗ failed')}\r\n`),
  );
  exit(summary.exitCode);
}

main().catch((e: unknown) => {
  write(`${c.red(`✗ sim agent error: ${(e as Error).message ?? String(e)}`)}\r\n`);
  exit(1);
});
