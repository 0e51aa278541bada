// Agent CLI detection: is the binary on PATH, which version, which capabilities its --help mentions.
import { execa } from 'execa';
import { constants } from 'node:fs';
import { access, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatDuration } from '../../core/duration';
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
  /** Words --help lists that look like subcommands or flags (for arguments such as codex's `resume`). */
  words: string[];
  /** Whether --help was read (false: not run, failed or timed out), so "not in --help" means something. */
  helpRead: boolean;
  /** Why --help could not be read, when it was run. */
  helpError?: string;
  /** How long the probe took, in ms. */
  tookMs: number;
  error?: string;
}

export interface ProbeOptions {
  /** Per command (`--version`, `--help`; they run at once). Default 10s: some CLIs take seconds just to load. */
  timeoutMs?: number;
  simPath?: string;
  nodePath?: string;
  env?: Record<string, string | undefined>;
  /** Where the CLI runs (default: this process's working directory). */
  cwd?: string;
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
  const started = Date.now();
  const timeout = opts.timeoutMs ?? 10_000;
  const fill = (s: string): string =>
    s.replaceAll('{node}', opts.nodePath ?? process.execPath).replaceAll('{sim}', opts.simPath ?? '');
  const command = fill(def.command);
  const envPath = opts.env?.PATH ?? process.env.PATH ?? '';
  const path = await which(command, envPath);
  const base: ProbeResult = { name: def.name, installed: false, capabilities: [], flags: [], words: [], helpRead: false, tookMs: 0 };
  const done = (r: ProbeResult): ProbeResult => ({ ...r, tookMs: Date.now() - started });
  if (!path) return done({ ...base, error: `${command} not found` });
  const usesSim = def.command.includes('{sim}') || def.args.some((a) => a.includes('{sim}'));
  if (usesSim && (!opts.simPath || !(await exists(opts.simPath)))) return done({ ...base, path, error: 'sim agent bundle not found' });
  const env: Record<string, string | undefined> = { ...opts.env, ...def.env, CI: '1', NO_COLOR: '1' };
  const run = (args: string[]) =>
    execa(path, args.map(fill), { timeout, reject: false, stdin: 'ignore', env, extendEnv: true, cwd: opts.cwd });
  const result: ProbeResult = { ...base, installed: true, path: usesSim ? opts.simPath : path };
  const [v, h] = await Promise.all([
    def.version ? run(def.version.args) : undefined,
    def.command.includes('{') ? undefined : run(['--help']),
  ]);
  if (v && def.version) {
    const out = `${v.stdout ?? ''}\n${v.stderr ?? ''}`.trim();
    if (v.timedOut) result.error = `\`${[def.command, ...def.version.args].join(' ')}\` gave no answer within ${formatDuration(timeout)}`;
    else if (v.failed && !out) result.error = v.shortMessage;
    const m = def.version.pattern ? new RegExp(def.version.pattern).exec(out) : undefined;
    const version = m?.[1] ?? out.split('\n')[0]?.trim();
    if (version && !v.timedOut) result.version = version;
    if (!result.version) {
      // A slow or broken --version: an npm-installed CLI still says its version in its package.json.
      const pkg = await packageVersion(path);
      if (pkg) {
        result.version = pkg;
        if (result.error) result.error += `; version ${pkg} read from its package.json`;
      }
    }
  }
  if (h?.timedOut) result.helpError = `\`${def.command} --help\` gave no answer within ${formatDuration(timeout)}, so its flags are unknown (try --timeout 30s)`;
  if (h && !h.timedOut) {
    const help = `${h.stdout ?? ''}\n${h.stderr ?? ''}`;
    result.helpRead = help.trim().length > 0;
    result.flags = [...new Set(help.match(/--[a-z][a-z0-9-]+/g) ?? [])].sort();
    result.words = [...new Set(help.match(/(?<![\w-])[a-z][a-z0-9-]+(?![\w-])/g) ?? [])].sort();
    result.capabilities = Object.entries(CAPABILITIES)
      .filter(([, re]) => re.test(help))
      .map(([k]) => k);
  }
  return done(result);
}

/** The version in the package.json of the npm package an executable belongs to (a few folders up from its real path). */
export async function packageVersion(bin: string): Promise<string | undefined> {
  let dir: string;
  try {
    dir = dirname(await realpath(bin));
  } catch {
    return undefined;
  }
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: unknown; bin?: unknown };
      if (typeof pkg.version === 'string' && pkg.bin) return pkg.version;
    } catch {
      /* no package.json here */
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
