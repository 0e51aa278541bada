// Turns a provider's command/argument template into a concrete argv and env for one session.
import type { ProviderDef } from '../../core/types';

export interface ArgvContext {
  /** The session prompt text ({prompt}). */
  prompt?: string;
  /** Path of the file holding the prompt ({promptFile}). */
  promptFile?: string;
  /** Absolute workspace path ({workspace}). */
  workspace: string;
  /** Path of the sim script JSON ({script}). */
  script?: string;
  /** Seed for seeded agents ({seed}). */
  seed?: number | string;
  /** The step's task text ({task}); the shell provider runs it. */
  task?: string;
  model?: string;
  /** Agent role name ({agent}). */
  agent?: string;
  /** Bundled sim agent path ({sim}). */
  simPath: string;
  /** Node binary ({node}); defaults to the running node. */
  nodePath?: string;
  /** The agent CLI's own session id ({agentSession}): preassigned, or the one being resumed. */
  agentSession?: string;
  /** The short message a resumed session continues with ({continue}). */
  continue?: string;
  /** `resume`: the provider's resume arguments instead of its start arguments (and session arguments). */
  mode?: 'start' | 'resume';
  /** Arguments a structured channel adds before the template's (hook settings, config overrides). */
  extraArgs?: string[];
}

export interface ResolvedArgv {
  command: string;
  args: string[];
  env: Record<string, string>;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function values(ctx: ArgvContext): Record<string, string | undefined> {
  return {
    prompt: ctx.prompt,
    promptFile: ctx.promptFile,
    workspace: ctx.workspace,
    script: ctx.script,
    seed: ctx.seed === undefined ? undefined : String(ctx.seed),
    task: ctx.task,
    model: ctx.model,
    agent: ctx.agent,
    sim: ctx.simPath,
    node: ctx.nodePath ?? process.execPath,
    agentSession: ctx.agentSession,
    continue: ctx.continue,
  };
}

const substitute = (s: string, v: Record<string, string | undefined>): string =>
  s.replace(PLACEHOLDER, (whole, name: string) => (name in v ? (v[name] ?? '') : whole));

/**
 * Substitutes placeholders. Each template arg stays one argv entry, whatever the value holds.
 * An arg that is exactly one placeholder with no value is dropped, together with a `-flag` just before it.
 */
export function resolveArgv(def: ProviderDef, ctx: ArgvContext): ResolvedArgv {
  const v = values(ctx);
  const templates =
    ctx.mode === 'resume' && def.resume ? def.resume.args : [...(ctx.agentSession && def.session ? def.session.args : []), ...def.args];
  const args: string[] = [...(ctx.extraArgs ?? [])];
  let lastFlagFrom = -1;
  templates.forEach((tpl, i) => {
    const only = /^\{(\w+)\}$/.exec(tpl);
    if (only && only[1] in v && !v[only[1]]) {
      if (lastFlagFrom === i - 1 && templates[i - 1].startsWith('-')) args.pop();
      return;
    }
    args.push(substitute(tpl, v));
    lastFlagFrom = i;
  });
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(def.env)) env[k] = substitute(val, v);
  return { command: substitute(def.command, v), args, env };
}
