// Executes a SimScript like an agent CLI would: streamed text, spinners, approvals, commands, files.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { SimAction, SimScript } from '../core/types';
import { askApproval, type PromptIO } from './approval-prompt';
import { drawFailAt, garbageBytes, type InjectedFault } from './chaos';
import { createRng, type Rng } from './random';
import { c, CLEAR_LINE, HIDE_CURSOR, SHOW_CURSOR, SPINNER } from './render';

export interface RunContext extends PromptIO {
  cwd: string;
  name: string;
  seed?: number;
  failRate?: number;
  sleep(ms: number): Promise<void>;
  /** Registers the running child so an interrupt can stop it. */
  track(kill: (() => void) | undefined): void;
  /** Faults conductor drew and recorded for this session, each injected before its action. */
  inject?: InjectedFault[];
  /** Raw bytes to the terminal (garbage is not valid UTF-8). */
  writeBytes?(bytes: Uint8Array): void;
  /** The process dies by a signal: a `crash` fault. */
  crash?(): Promise<never>;
  /** The process goes silent and never exits by itself: a `hang` fault. */
  hang?(): Promise<never>;
}

export interface Summary {
  actions: number;
  commandsRun: number;
  commandsDenied: number;
  filesWritten: number;
  exitCode: number;
}

export async function runScript(script: SimScript, ctx: RunContext): Promise<Summary> {
  const seed = ctx.seed ?? script.seed;
  const failRate = ctx.failRate ?? script.failRate ?? 0;
  const rng: Rng | undefined = seed !== undefined ? createRng(seed) : undefined;
  const jitter = (ms: number): number => (rng ? Math.round(ms * (0.7 + 0.6 * rng())) : ms);
  const failAt = drawFailAt(rng, failRate, script.actions.length);
  const s: Summary = { actions: 0, commandsRun: 0, commandsDenied: 0, filesWritten: 0, exitCode: 0 };
  let always = false;
  const out = (text: string): void => ctx.write(text.replace(/\r?\n/g, '\r\n'));
  const faultsAt = async (i: number): Promise<void> => {
    for (const f of ctx.inject ?? []) {
      if (f.at !== i) continue;
      if (f.fault === 'garbage') {
        const bytes = garbageBytes(seed ?? 1, i);
        if (ctx.writeBytes) ctx.writeBytes(bytes);
        else ctx.write(bytes.toString('latin1'));
      } else if (f.fault === 'crash') await (ctx.crash ?? neverReturns)();
      else await (ctx.hang ?? neverReturns)();
    }
  };
  const n = script.actions.length;
  // Faults past the last action (or in a script without any) come before the summary.
  const lastAt = (ctx.inject ?? []).reduce((m, f) => Math.max(m, f.at), -1);

  for (let i = 0; i < n; i++) {
    await faultsAt(i);
    if (i === failAt) {
      out(`${c.red(`✗ Simulated failure at step ${i + 1} (seed ${seed})`)}\n`);
      s.exitCode = 1;
      return s;
    }
    const action: SimAction = script.actions[i];
    if ('say' in action) {
      await stream(ctx, `${c.magenta('●')} ${action.say}`, jitter);
    } else if ('think' in action) {
      await spin(ctx, action.think, jitter(action.ms ?? 400));
    } else if ('run' in action) {
      const ok = action.ask === false || always ? 'allow' : await askApproval(ctx, 'Bash command', action.run);
      if (ok === 'always') always = true;
      if (ok === 'deny') {
        out(`${c.red(`✗ Denied: ${action.run}`)}\n`);
        s.commandsDenied++;
      } else {
        out(`${c.green('⏺')} ${c.bold(`Bash(${action.run})`)}\n`);
        const code = await runCommand(ctx, action.run);
        out(code === 0 ? `  ${c.dim('⎿')}  ${c.green('✓')} ${c.dim('exit 0')}\n` : `  ${c.dim('⎿')}  ${c.red(`✗ exit ${code}`)}\n`);
        s.commandsRun++;
      }
    } else if ('write' in action) {
      const target = resolve(ctx.cwd, action.write.path);
      const rel = relative(ctx.cwd, target);
      if (rel.startsWith('..') || isAbsolute(rel)) {
        out(`${c.red(`✗ Refusing to write outside the workspace: ${action.write.path}`)}\n`);
        s.exitCode = 1;
        return s;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, action.write.content);
      const n = action.write.content === '' ? 0 : action.write.content.replace(/\n$/, '').split('\n').length;
      out(`${c.blue('✎')} wrote ${rel} (${n} ${n === 1 ? 'line' : 'lines'})\n`);
      s.filesWritten++;
    } else if ('ask' in action) {
      const ok = always ? 'allow' : await askApproval(ctx, 'Permission', `Allow: ${action.ask}`);
      if (ok === 'always') always = true;
      out(ok === 'deny' ? `${c.red(`✗ Denied: ${action.ask}`)}\n` : `${c.green('✓')} Allowed: ${action.ask}\n`);
    } else if ('sleep' in action) {
      await ctx.sleep(jitter(action.sleep));
    } else if ('fail' in action) {
      out(`${c.red(`✗ ${action.fail}`)}\n`);
      s.actions++;
      s.exitCode = 1;
      return s;
    }
    s.actions++;
  }
  for (let i = n; i <= lastAt; i++) await faultsAt(i);
  return s;
}

const neverReturns = (): Promise<never> => new Promise<never>(() => {});

async function stream(ctx: RunContext, text: string, jitter: (ms: number) => number): Promise<void> {
  const words = text.split(/(?<= )/);
  const per = Math.max(1, Math.ceil(words.length / 12));
  for (let i = 0; i < words.length; i += per) {
    ctx.write(words.slice(i, i + per).join('').replace(/\r?\n/g, '\r\n'));
    if (i + per < words.length) await ctx.sleep(jitter(12));
  }
  ctx.write('\r\n');
}

async function spin(ctx: RunContext, text: string, ms: number): Promise<void> {
  const frameMs = 80;
  const frames = Math.max(1, Math.ceil(ms / frameMs));
  ctx.write(HIDE_CURSOR);
  for (let f = 0; f < frames; f++) {
    ctx.write(`${CLEAR_LINE}${c.orange(SPINNER[f % SPINNER.length])} ${text}…`);
    await ctx.sleep(Math.min(frameMs, ms - f * frameMs));
  }
  ctx.write(`${CLEAR_LINE}${c.green('✓')} ${text}\r\n${SHOW_CURSOR}`);
}

function runCommand(ctx: RunContext, command: string): Promise<number> {
  return new Promise((done) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: ctx.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    ctx.track(() => child.kill('SIGTERM'));
    let atLineStart = true;
    const indent = (chunk: Buffer): void => {
      let text = '';
      for (const ch of chunk.toString('utf8')) {
        if (atLineStart && ch !== '\n') {
          text += '    ';
          atLineStart = false;
        }
        if (ch === '\n') {
          text += '\r\n';
          atLineStart = true;
        } else if (ch !== '\r') text += ch;
      }
      ctx.write(text);
    };
    child.stdout.on('data', indent);
    child.stderr.on('data', indent);
    child.on('error', () => {
      ctx.track(undefined);
      done(127);
    });
    child.on('close', (code, signal) => {
      ctx.track(undefined);
      if (!atLineStart) ctx.write('\r\n');
      done(code ?? (signal ? 128 : 1));
    });
  });
}
