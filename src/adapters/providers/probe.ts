// Agent CLI detection: is the binary on PATH, which version, which capabilities its --help mentions.
import { execa } from 'execa';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProviderDef } from '../../core/types';
import { which } from './which';

export { which };

export interface ProbeResult {
  name: string;
  installed: boolean;
  /** Absolute path of the executable, when found. */
  path?: string;
  version?: string;
  /** Named capabilities found in --help: resume, model, json, sandbox, approvalMode, prompt, yolo. */
  capabilities: string[];
  /** Every long flag --help lists. */
  flags: string[];
  error?: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  simPath?: string;
  nodePath?: string;
  env?: Record<string, string | undefined>;
}

const CAPABILITIES: Record<string, RegExp> = {
  resume: /--resume\b|--continue\b|\bresume\b/,
  model: /--model\b|\s-m\b/,
  json: /--output-format\b|--json\b|stream-json/,
  sandbox: /--sandbox\b/,
  approvalMode: /--approval-mode\b|--ask-for-approval\b|--permission-mode\b|--allow-tool\b/,
  prompt: /--prompt\b|--message\b|\s-p\b/,
  yolo: /--yolo\b|--dangerously-skip-permissions\b|--yes-always\b|--full-auto\b|--allow-all-tools\b/,
};


export async function probeProvider(def: ProviderDef, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const timeout = opts.timeoutMs ?? 5000;
  const fill = (s: string): string =>
    s.replace('{node}', opts.nodePath ?? process.execPath).replace('{sim}', opts.simPath ?? '');
  const command = fill(def.command);
  const envPath = opts.env?.PATH ?? process.env.PATH ?? '';
  const path = await which(command, envPath);
  const base: ProbeResult = { name: def.name, installed: false, capabilities: [], flags: [] };
  if (!path) return { ...base, error: `${command} not found` };
  if (def.command.includes('{sim}') || def.args.some((a) => a === '{sim}')) {
    if (!opts.simPath || !(await exists(opts.simPath))) {
      return { ...base, path, error: 'sim agent bundle not found' };
    }
  }
  const run = (args: string[]) =>
    execa(path, args.map(fill), { timeout, reject: false, stdin: 'ignore', env: { ...opts.env, CI: '1', NO_COLOR: '1' }, extendEnv: true });
  const result: ProbeResult = { ...base, installed: true, path };
  if (def.version) {
    const r = await run(def.version.args);
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim();
    if (r.failed && !out) result.error = r.shortMessage;
    const m = def.version.pattern ? new RegExp(def.version.pattern).exec(out) : undefined;
    result.version = m?.[1] ?? out.split('\n')[0]?.trim() ?? undefined;
    if (result.version === '') delete result.version;
  }
  if (!def.command.includes('{')) {
    const h = await run(['--help']);
    const help = `${h.stdout ?? ''}\n${h.stderr ?? ''}`;
    result.flags = [...new Set(help.match(/--[a-z][a-z0-9-]+/g) ?? [])].sort();
    result.capabilities = Object.entries(CAPABILITIES)
      .filter(([, re]) => re.test(help))
      .map(([k]) => k);
  }
  return result;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
