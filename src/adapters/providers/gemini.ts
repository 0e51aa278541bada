// Gemini CLI (`gemini`): interactive session seeded with -i; ToolConfirmationMessage radio options.
// Verified against the real CLI 0.61.0 (test/contract/real/gemini-live.test.ts); older layouts kept from hand-written screens.
import type { ProviderDef } from '../../core/types';

export const gemini: ProviderDef = {
  name: 'gemini',
  command: 'gemini',
  args: ['--prompt-interactive', '{prompt}'],
  env: {},
  prompt: { via: 'arg' },
  approval: {
    patterns: [
      {
        // 0.61 shell tool: the command sits in a nested box right above the question.
        // 0.61 adds "Redirection detected. To auto-accept, press Shift+Tab" under the question for `>` and `<`.
        // 0.61 puts a "⚠ CRITICAL SECURITY WARNING: Untrusted Command Flags Detected" block (`node -e …`) between
        // the box and the question, and then offers only "1. Allow once" and "2. No".
        match: String.raw`╰─+╯[ │]*\n(?:[ │]*\n[ │]*⚠[\s\S]*?\n[ │]*\n)?[ │]*Allow execution of[^\n?]*\?[ │]*\n(?:[ │]*Redirection detected\.[^\n]*\n)?[\s│]*(?:[●❯>]\s*)?1\. (?:Yes, allow|Allow) once`,
        command: String.raw`╭─+╮[ │]*\n((?:[ │]*│ [^╭╰\n]*\n)+?)[ │]*╰─+╯[ │]*\n(?:[ │]*\n[ │]*⚠[\s\S]*?\n[ │]*\n)?[ │]*Allow execution of`,
        // Gemini wraps the command 2 cells narrower than the box it draws around it (maxWidth: width - 6
        // inside a box of width - 4), so wrapped rows end 3 cells before the inner border.
        gap: 3,
      },
      {
        // Older shell tool layout: the full command is the body line above the question.
        match: String.raw`Allow execution of:? '?[^\n?]*'?\?[\s│]*\n(?:[\s│]*\n)?[\s│]*(?:[●❯>]\s*)?1\. Yes, allow once`,
        command: String.raw`([^\n]+)\n[ │]*\n[ │]*Allow execution of`,
      },
      {
        match: String.raw`(?:Apply this change|Do you want to proceed)\?[\s│]*\n(?:[\s│]*\n)?[\s│]*(?:[●❯>]\s*)?1\. Yes, allow once`,
        command: String.raw`(?:^|\n)[ │]*[?✓o⊷]\s+(\S.*?)\s*│?\s*\n`,
      },
    ],
    stableMs: 400,
    keys: { allow: '\r', always: '\x1b[B\r', deny: '\x1b' },
  },
  // The idle composer (` >   Type your message…`, ` *   …` in YOLO mode); a working turn shows a spinner that changes.
  done: { via: 'idle', idleMs: 20_000, pattern: String.raw`^[ │]*[>*]\s+Type your message or @path/to/file` },
  exit: ['/quit', '\r', '\r'],
  // No Gemini hook can approve: approvals stay on the screen. SessionStart reports the id and AfterAgent the end
  // of a turn (see adapters/hooks/gemini, verified live). A turn cancelled by a screen deny (Esc) fires no
  // AfterAgent (observed in 0.61); the idle prompt on screen ends that one.
  hooks: { protocol: 'gemini', approvals: false, turnEnd: true, sessionStart: true },
  session: { args: ['--session-id', '{agentSession}'] },
  resume: { args: ['--resume', '{agentSession}', '--prompt-interactive', '{continue}'] },
  dialogs: [
    {
      // "● 1. Trust folder (…)" is selected first; "3. Don't trust" two rows down.
      kind: 'trust',
      match: String.raw`Do you trust the files in this folder\?`,
      text: 'Gemini CLI asks: trust the folder {workspace}?',
      keys: { allow: '\r', deny: '\x1b[B\x1b[B\r' },
    },
  ],
  failures: [
    {
      match: String.raw`Gemini CLI is restarting to apply the trust changes`,
      reason: 'gemini exited to restart after the folder was trusted (exit code 199 with GEMINI_CLI_NO_RELAUNCH); the folder is trusted now: run the step again',
    },
    {
      match: String.raw`How would you like to authenticate for this project\?|Content generator not initialized`,
      reason: 'gemini has no authentication chosen: run `gemini` once yourself and pick one, or set security.auth.selectedType (e.g. "gemini-api-key" with GEMINI_API_KEY) in ~/.gemini/settings.json',
    },
  ],
  version: { args: ['--version'], pattern: String.raw`(\d+\.\d+\.\d+)` },
  asksApproval: true,
};
