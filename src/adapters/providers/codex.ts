// OpenAI Codex CLI (`codex`): interactive TUI with the prompt as first message; approval overlay list.
// Verified against the real CLI 0.169.0 (test/contract/real/codex-live.test.ts).
import type { ProviderDef } from '../../core/types';

export const codex: ProviderDef = {
  name: 'codex',
  command: 'codex',
  args: ['{prompt}'],
  env: {},
  prompt: { via: 'arg' },
  approval: {
    patterns: [
      {
        match: String.raw`Would you like to run the following command\?[\s\S]{0,3000}?^[ │]*(?:›\s*)?1\. Yes, proceed`,
        // The command and the rows Codex wrapped it onto (same indent as the `$`, 2 blank cells before the edge), up to a
        // blank line; the indent is captured so the rows line up.
        command: String.raw`^([ │]*\$ .+(?:\n[ │]*(?!(?:›\s*)?\d+\. )\S.*)*)\n(?:.*\n){0,6}?[ │]*(?:›\s*)?1\. Yes, proceed`,
        gap: 2,
      },
      {
        match: String.raw`Would you like to make the following edits\?[\s\S]{0,5000}?^[ │]*(?:›\s*)?1\. Yes, proceed`,
        command: String.raw`Would you like to make the following edits\?[\s│]*\n(?:[ │]*Reason:.*\n[\s│]*\n)?[ │]*(\S.*)$`,
      },
    ],
    stableMs: 400,
    // Option 2 is the "don't ask again" choice, but its letter varies ((a) this command, (p) command prefix); digits select by position.
    keys: { allow: 'y', always: '2', deny: '\x1b' },
  },
  // The composer shows even while Codex works; a working turn also shows `• Working (Ns • esc to interrupt)`,
  // which changes every second, so the idle wait only completes once it is gone.
  done: { via: 'idle', idleMs: 20_000, pattern: String.raw`(?<![\s\S])(?![\s\S]*• Working \()[\s\S]*^› (?:Ask Codex to do anything|Ask a follow-up question)` },
  exit: ['/quit', '\r'],
  // PermissionRequest (approvals), Stop (turn end, last message), SessionStart (id): see adapters/hooks/codex.
  hooks: { protocol: 'codex', approvals: true, turnEnd: true, sessionStart: true },
  resume: { args: ['resume', '{agentSession}', '{continue}'] },
  dialogs: [
    {
      // In a git repository without a trust entry; "› 1. Trust and continue" is selected first.
      kind: 'trust',
      match: String.raw`Trust this folder\?[\s\S]*Trust and continue`,
      text: 'Codex asks: trust the folder {workspace}?',
      keys: { allow: '\r', deny: '\x03' },
    },
    {
      // Only without --dangerously-bypass-hook-trust (hooks off): hooks of the user's that are new or changed.
      kind: 'hooks',
      match: String.raw`Hooks need review[\s\S]*Trust all and continue`,
      text: "Codex asks: trust the hooks in the user's Codex configuration that are new or changed?",
      keys: { allow: '2\r', deny: '3\r' },
    },
  ],
  failures: [
    {
      match: String.raw`Sign in with ChatGPT|Welcome to Codex, OpenAI's command-line coding agent`,
      reason: 'codex is not signed in: run `codex` once yourself and sign in, or configure a model provider with an env_key in ~/.codex/config.toml',
    },
  ],
  version: { args: ['--version'], pattern: String.raw`(\d+\.\d+\.\d+)` },
  asksApproval: true,
};
