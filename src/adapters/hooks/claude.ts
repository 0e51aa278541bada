// Claude Code's hooks (verified against 2.1.330), installed for one session with `--settings '<json>'`
// (merged over the user's own settings; nothing of theirs is edited).
//
// Approvals use PermissionRequest, not PreToolUse:
// - PermissionRequest fires exactly for the calls Claude would ask about (its own allow rules and read-only
//   auto-allows still apply), with the exact `tool_input`. PreToolUse fires for every tool call (every
//   Read, Glob, `ls`): conductor would have to judge calls Claude never asks about, or answer "ask" and leave
//   the dialog to the screen again.
// - Its caveat: Claude draws its own dialog while the hook runs (the two run in parallel). That is harmless
//   here because with hook approvals the screen detector is off, so nothing presses keys into that dialog;
//   the hook's answer dismisses it ("Allowed by PermissionRequest hook" / "Denied by PermissionRequest hook").
// - The hook waits for a person as long as it has to (timeout a day); `onFailure: "block"` blocks the call
//   if the hook itself crashes or times out; `conductor hook` prints a deny when it cannot reach conductor.
// Stop gives the end of each turn with `last_assistant_message`; SessionStart the session id and transcript.
import type { Decision } from '../../core/types';
import { allows, denyReason, hookCommand, record, sessionStartEvents, str, toolText, turnEnded, type HookMeaning, type HookProtocol } from './protocol';

/** Seconds a PermissionRequest hook may wait for conductor (a person may take long). */
export const APPROVAL_TIMEOUT_S = 86_400;
const EVENT_TIMEOUT_S = 30;

const FILE_TOOLS: Record<string, string> = { Edit: 'file_path', Write: 'file_path', MultiEdit: 'file_path', NotebookEdit: 'notebook_path' };

/** The command text conductor judges and shows for a Claude tool call. */
export function claudeCommandText(tool: string, input: unknown): string {
  const i = record(input);
  if (tool === 'Bash') return str(i.command) ?? toolText(tool, input);
  const pathKey = FILE_TOOLS[tool];
  if (pathKey) {
    const path = str(i[pathKey]) ?? str(i.file_path);
    return path ? `${tool} ${path}` : toolText(tool, input);
  }
  return toolText(tool, input);
}

function read(event: string, payload: unknown): HookMeaning {
  const p = record(payload);
  if (event === 'PermissionRequest' || event === 'PreToolUse') {
    const tool = str(p.tool_name) ?? 'tool';
    return { kind: 'approval', tool, command: claudeCommandText(tool, p.tool_input) };
  }
  if (event === 'SessionStart') return { kind: 'events', events: sessionStartEvents(p) };
  if (event === 'Stop') return { kind: 'events', events: [turnEnded(p.last_assistant_message)] };
  return { kind: 'events', events: [] };
}

function reply(event: string, decision: Decision | undefined, why?: string): string {
  if (event === 'PermissionRequest') {
    const allow = allows(decision);
    const message = denyReason(decision, why);
    return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: allow ? { behavior: 'allow' } : { behavior: 'deny', message } } });
  }
  if (event === 'PreToolUse') {
    const allow = allows(decision);
    const reason = denyReason(decision, why);
    return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: allow ? 'allow' : 'deny', ...(allow ? {} : { permissionDecisionReason: reason }) } });
  }
  // SessionStart's stdout would become context for the model; Stop's could block the stop: print nothing.
  return '';
}

/** The `--settings` JSON for one session. */
export function claudeSettings(b: { node: string; bin: string }, hooks: { approvals: boolean; turnEnd: boolean; sessionStart: boolean }): Record<string, unknown> {
  const handler = (event: string, timeout: number, extra: Record<string, unknown> = {}) => ({ type: 'command', command: hookCommand(b, 'claude', event), timeout, ...extra });
  const h: Record<string, unknown[]> = {};
  if (hooks.approvals) h.PermissionRequest = [{ matcher: '*', hooks: [handler('PermissionRequest', APPROVAL_TIMEOUT_S, { onFailure: 'block' })] }];
  if (hooks.turnEnd) h.Stop = [{ hooks: [handler('Stop', EVENT_TIMEOUT_S)] }];
  if (hooks.sessionStart) h.SessionStart = [{ hooks: [handler('SessionStart', EVENT_TIMEOUT_S)] }];
  return { hooks: h };
}

export const claudeHooks: HookProtocol = {
  name: 'claude',
  approvalEvents: ['PermissionRequest', 'PreToolUse'],
  read,
  reply,
  install(ctx, hooks) {
    return { args: ['--settings', JSON.stringify(claudeSettings(ctx, hooks))], env: {} };
  },
};
