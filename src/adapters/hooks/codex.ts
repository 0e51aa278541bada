// Codex's hooks (verified against 0.169.0), installed for one session with `-c hooks.<Event>=[…]` overrides
// and `--dangerously-bypass-hook-trust` (hooks otherwise wait for a "Hooks need review" trust screen, whose
// answer is persisted in the user's config.toml; conductor edits no config of the user's).
//
// Approvals use PermissionRequest: it fires only for calls that would ask (escalations under on-request),
// runs before the overlay (which does not show while it runs), and can allow or deny. PreToolUse cannot
// allow ("unsupported permissionDecision:allow"). If the hook times out or fails, Codex falls back to its
// overlay. Stop gives the end of each turn (`last_assistant_message`); SessionStart the session id (Codex
// has no flag to preassign one) and the rollout file. `notify` is not used: it also fires for hidden
// title-generation threads and adds nothing Stop does not give.
import type { Decision } from '../../core/types';
import { allows, denyReason, hookCommand, record, sessionStartEvents, str, toolText, turnEnded, type HookMeaning, type HookProtocol } from './protocol';

/** Seconds a PermissionRequest hook may wait for conductor (a person may take long). */
export const APPROVAL_TIMEOUT_S = 86_400;
const EVENT_TIMEOUT_S = 30;

export function codexCommandText(tool: string, input: unknown): string {
  const i = record(input);
  const command = i.command;
  if (typeof command === 'string' && command) return command;
  // Some Codex tools pass argv arrays.
  if (Array.isArray(command) && command.every((c) => typeof c === 'string')) return command.join(' ');
  return toolText(tool, input);
}

function read(event: string, payload: unknown): HookMeaning {
  const p = record(payload);
  if (event === 'PermissionRequest') {
    const tool = str(p.tool_name) ?? 'tool';
    return { kind: 'approval', tool, command: codexCommandText(tool, p.tool_input) };
  }
  if (event === 'SessionStart') return { kind: 'events', events: sessionStartEvents(p) };
  if (event === 'Stop') return { kind: 'events', events: [turnEnded(p.last_assistant_message)] };
  return { kind: 'events', events: [] };
}

function reply(event: string, decision: Decision | undefined, why?: string): string {
  if (event !== 'PermissionRequest') return '';
  const allow = allows(decision);
  const message = denyReason(decision, why);
  // updatedInput, updatedPermissions and interrupt are reserved in 0.169 and fail closed: never sent.
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: allow ? { behavior: 'allow' } : { behavior: 'deny', message } } });
}

/** A TOML inline value (JSON strings are valid TOML basic strings). */
const toml = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(toml).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}=${toml(x)}`).join(',')}}`;
  return JSON.stringify(v);
};

/** The `-c` overrides for one session. */
export function codexArgs(b: { node: string; bin: string }, hooks: { approvals: boolean; turnEnd: boolean; sessionStart: boolean }): string[] {
  const group = (event: string, timeout: number) => [{ hooks: [{ type: 'command', command: hookCommand(b, 'codex', event), timeout }] }];
  const args = ['--dangerously-bypass-hook-trust'];
  // No matcher: every tool Codex asks about comes through (it asks for Bash escalations; others are shown generically).
  if (hooks.approvals) args.push('-c', `hooks.PermissionRequest=${toml(group('PermissionRequest', APPROVAL_TIMEOUT_S))}`);
  if (hooks.turnEnd) args.push('-c', `hooks.Stop=${toml(group('Stop', EVENT_TIMEOUT_S))}`);
  if (hooks.sessionStart) args.push('-c', `hooks.SessionStart=${toml(group('SessionStart', EVENT_TIMEOUT_S))}`);
  return args;
}

export const codexHooks: HookProtocol = {
  name: 'codex',
  approvalEvents: ['PermissionRequest'],
  read,
  reply,
  install(ctx, hooks) {
    return { args: codexArgs(ctx, hooks), env: {} };
  },
};
