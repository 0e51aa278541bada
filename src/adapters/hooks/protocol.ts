// What travels between `conductor hook` (run by an agent CLI's hook) and the running conductor, and what
// each CLI protocol module provides. One request per connection: the client writes one JSON line; the
// server answers with one JSON line (a decision for an approval, an acknowledgement otherwise) and closes.
// Kept free of heavy imports: the hook client bundles this file and the protocol modules, nothing else.
import type { Decision } from '../../core/types';
import type { HookEvent } from './link';

/** Environment the CLI (and so its hooks) gets for one session. */
export const ENV_SOCKET = 'CONDUCTOR_HOOK_SOCKET';
export const ENV_SESSION = 'CONDUCTOR_SESSION';
export const ENV_TOKEN = 'CONDUCTOR_HOOK_TOKEN';

export type ProtocolName = 'claude' | 'codex' | 'gemini';

/** Client → server. */
export interface HookRequest {
  v: 1;
  session: string;
  token: string;
  protocol: ProtocolName;
  event: string;
  payload: unknown;
}

/** Server → client. `decision` answers an approval; `ok` acknowledges anything else; `error` refuses. */
export type HookResponse = { decision: 'allow' | 'deny'; always?: boolean; message?: string } | { ok: true } | { error: string };

/** What one hook call means to conductor. */
export type HookMeaning =
  /** A tool call the CLI asks permission for: conductor must answer. */
  | { kind: 'approval'; tool: string; command: string }
  /** Observations only (turn end, session id, transcript); the hook is answered at once. */
  | { kind: 'events'; events: HookEvent[] };

/** Where to reach `conductor hook`: the node binary and the hook client bundle (dist/hook.js). */
export interface HookBin {
  node: string;
  bin: string;
}

export interface InstallContext extends HookBin {
  session: string;
  workspace: string;
  /** The environment conductor runs in (where the CLI's own settings are found). */
  env: Record<string, string | undefined>;
}

export interface Installed {
  args: string[];
  env: Record<string, string>;
  /** Removes what the installation wrote (called when the session's link closes). */
  cleanup?(): void;
}

export interface HookProtocol {
  name: ProtocolName;
  /** Events whose hook waits for conductor's decision (the rest are fire-and-forget). */
  approvalEvents: readonly string[];
  /** Reads a hook payload. */
  read(event: string, payload: unknown): HookMeaning;
  /**
   * What the hook prints for a decision. `undefined`: conductor could not be asked (unreachable, refused,
   * a bad reply): the CLI-specific deny, with `why`. Events that are not approvals print nothing.
   */
  reply(event: string, decision: Decision | undefined, why?: string): string;
  /**
   * Per-session installation (arguments, environment, private files), or undefined when this machine
   * cannot install the hooks (the screen is then the only channel).
   */
  install(ctx: InstallContext, hooks: { approvals: boolean; turnEnd: boolean; sessionStart: boolean }): Installed | undefined;
}

/** A POSIX-shell-quoted word (hook commands run through the CLI's shell). */
export const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The command line a CLI's hook runs: `node hook.js <protocol> <event>`. */
export const hookCommand = (b: HookBin, protocol: ProtocolName, event: string): string =>
  [b.node, b.bin, protocol, event].map(shellQuote).join(' ');

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** `Tool {"compact":"json"}` cut to 200 characters: how a tool call without a command reads. */
export function toolText(tool: string, input: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(input ?? {}) ?? '';
  } catch {
    json = '';
  }
  if (json.length > 200) json = `${json.slice(0, 199)}…`;
  return json && json !== '{}' ? `${tool} ${json}` : tool;
}

export const DENY_MESSAGE = 'conductor denied this call (by the policy or the person running the session)';

/** Why a call is denied: conductor's decision, or (no decision) why conductor could not be asked. */
export const denyReason = (decision: Decision | undefined, why?: string): string =>
  decision === undefined ? `conductor could not be asked (${why ?? 'no answer'}), so this call is denied` : DENY_MESSAGE;

/** Whether a decision lets the call run. */
export const allows = (decision: Decision | undefined): boolean => decision === 'allow' || decision === 'always';

/** What a SessionStart payload says (all three CLIs name the fields alike): the session id and its transcript. */
export function sessionStartEvents(p: Record<string, unknown>): HookEvent[] {
  const events: HookEvent[] = [];
  const id = str(p.session_id);
  if (id) events.push({ type: 'session', id });
  const path = str(p.transcript_path);
  if (path) events.push({ type: 'transcript', path });
  return events;
}

/** The end of a turn, with the agent's last message when the payload has one. */
export const turnEnded = (message: unknown): HookEvent => {
  const m = str(message);
  return m ? { type: 'turn-ended', message: m } : { type: 'turn-ended' };
};
