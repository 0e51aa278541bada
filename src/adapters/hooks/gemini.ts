// Gemini CLI's hooks (verified against 0.61.0). No Gemini hook can approve a call: BeforeTool can deny or
// ask, `allow` changes nothing, and a hook that fails or times out lets the call run. So approvals stay on
// the screen; the hooks give the end of each turn (AfterAgent, with `prompt_response`) and the session id
// (SessionStart; Gemini also takes `--session-id`, which the preset uses).
//
// Installation: Gemini reads no settings from its argv, so conductor writes a per-session *system settings*
// file and points GEMINI_CLI_SYSTEM_SETTINGS_PATH at it. It holds the machine's own system settings (copied
// in; hook arrays concatenate with the user's, so their hooks still run), conductor's hooks and
// `general.sessionRetention.enabled: false` (with retention on, a later gemini start may delete a resumed
// session's history: see the research notes). GEMINI_CLI_SYSTEM_DEFAULTS_PATH keeps pointing at the
// machine's system defaults. The user's ~/.gemini is not touched.
//
// Gemini skips such a file silently unless the file and every folder above it are owned by root and not
// writable by group or others. The file lives in a 0700 folder under the user's cache
// ($XDG_CACHE_HOME/conductor/gemini-hooks/, else ~/.cache/conductor/gemini-hooks/), never under /tmp; when
// conductor does not run as root, or that path fails the same check, no hooks are installed and the screen
// (idle prompt) reports the end of turns instead.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { dirname, join } from 'node:path';
import type { Decision } from '../../core/types';
import { hookCommand, record, sessionStartEvents, turnEnded, type HookMeaning, type HookProtocol } from './protocol';

const EVENT_TIMEOUT_MS = 30_000;

function read(event: string, payload: unknown): HookMeaning {
  const p = record(payload);
  if (event === 'SessionStart') return { kind: 'events', events: sessionStartEvents(p) };
  if (event === 'AfterAgent') return { kind: 'events', events: [turnEnded(p.prompt_response)] };
  return { kind: 'events', events: [] };
}

// Nothing Gemini runs through conductor decides anything: an empty answer changes nothing.
const reply = (_event: string, _decision: Decision | undefined): string => '';

/** Where Gemini looks for the machine's system settings, and so for its system defaults (the same folder). */
export function systemSettingsPath(env: Record<string, string | undefined>): string {
  if (env.GEMINI_CLI_SYSTEM_SETTINGS_PATH) return env.GEMINI_CLI_SYSTEM_SETTINGS_PATH;
  if (platform() === 'darwin') return '/Library/Application Support/GeminiCli/settings.json';
  if (platform() === 'win32') return 'C:\\ProgramData\\gemini-cli\\settings.json';
  return '/etc/gemini-cli/settings.json';
}

/** Gemini's rule for a system settings file: it and every folder above it owned by root, not group/other-writable. */
export function geminiTrusts(path: string): boolean {
  let p = path;
  for (;;) {
    let st;
    try {
      st = statSync(p);
    } catch {
      return false;
    }
    if (st.uid !== 0 || (st.mode & 0o022) !== 0) return false;
    const up = dirname(p);
    if (up === p) return true;
    p = up;
  }
}

/** The folder holding per-session settings files: 0700, under the user's cache. */
export function settingsRoot(env: Record<string, string | undefined>): string {
  const cache = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cache, 'conductor', 'gemini-hooks');
}

const HOOK_EVENTS = { turnEnd: 'AfterAgent', sessionStart: 'SessionStart' } as const;

/** The system settings for one session: the machine's own, plus conductor's hooks and no session retention. */
export function geminiSettings(base: Record<string, unknown>, b: { node: string; bin: string }, hooks: { turnEnd: boolean; sessionStart: boolean }): Record<string, unknown> {
  const baseHooks = record(base.hooks);
  const merged: Record<string, unknown> = { ...baseHooks };
  for (const [flag, event] of Object.entries(HOOK_EVENTS)) {
    if (!hooks[flag as keyof typeof HOOK_EVENTS]) continue;
    const existing = Array.isArray(baseHooks[event]) ? (baseHooks[event] as unknown[]) : [];
    merged[event] = [...existing, { hooks: [{ name: `conductor-${event}`, type: 'command', command: hookCommand(b, 'gemini', event), timeout: EVENT_TIMEOUT_MS }] }];
  }
  const general = record(base.general);
  return { ...base, hooks: merged, general: { ...general, sessionRetention: { ...record(general.sessionRetention), enabled: false } } };
}

export const geminiHooks: HookProtocol = {
  name: 'gemini',
  approvalEvents: [],
  read,
  reply,
  install(ctx, hooks) {
    if (!hooks.turnEnd && !hooks.sessionStart) return undefined;
    if (process.getuid?.() !== 0) return undefined;
    const original = systemSettingsPath(ctx.env);
    let base: Record<string, unknown> = {};
    if (existsSync(original)) {
      try {
        base = record(JSON.parse(readFileSync(original, 'utf8')));
      } catch {
        // A system settings file conductor cannot read whole would be dropped for the session: install nothing.
        return undefined;
      }
    }
    const root = settingsRoot(ctx.env);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    if (!geminiTrusts(realpathSync(root))) return undefined;
    const dir = mkdtempSync(join(root, 's-'));
    const file = join(dir, 'settings.json');
    writeFileSync(file, `${JSON.stringify(geminiSettings(base, ctx, hooks), null, 2)}\n`, { mode: 0o600 });
    const env: Record<string, string> = { GEMINI_CLI_SYSTEM_SETTINGS_PATH: file };
    if (!ctx.env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH) env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH = join(dirname(original), 'system-defaults.json');
    return { args: [], env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  },
};
