// Claude Code (`claude`): interactive session with the prompt as first message; numbered permission dialogs.
// Verified against the real CLI 2.1.330 (test/contract/real/claude-live.test.ts); older layouts kept from hand-written screens.
import type { ProviderDef } from '../../core/types';

export const claude: ProviderDef = {
  name: 'claude',
  command: 'claude',
  // Claude Code 2.1 defaults to "auto" mode, which settles tool calls without asking; conductor's policy decides instead.
  args: ['--permission-mode', 'default', '{prompt}'],
  env: {},
  prompt: { via: 'arg' },
  approval: {
    patterns: [
      {
        // 2.1 "Bash command" panel: title, tip/description lines, then the command between ╌ rules (long ones
        // wrapped by Claude Code behind a " │ " gutter, one blank cell before the edge), sometimes a note
        // ("This command requires approval") before the question.
        match: String.raw`^[ │]*Bash command[ │]*\n(?:.*\n){0,8}?[ │]*╌{3,}[ │]*\n[\s\S]{1,4000}?\n[ │]*╌{3,}[ │]*\n(?:.*\n){0,3}?[ │]*Do you want to proceed\?[ │]*\n[ │]*(?:❯\s*)?1\. Yes`,
        command: String.raw`Bash command[ │]*\n(?:.*\n){0,8}?[ │]*╌{3,}[ │]*\n([\s\S]+?)\n[ │]*╌{3,}`,
      },
      {
        // Older boxed "Bash command" dialog: the command is the first line of the body.
        match: String.raw`Bash command[\s│]*\n[\s│]*\n(?:.*\n){1,12}?[\s│]*Do you want to proceed\?[\s│]*\n[\s│]*(?:[❯>]\s*)?1\. Yes`,
        command: String.raw`Bash command[ │]*\n[ │]*\n(.+)`,
      },
      {
        // File edit / create dialogs.
        match: String.raw`Do you want to (?:make this edit to|create|overwrite) [^\n?]+\?[\s│]*\n[\s│]*(?:[❯>]\s*)?1\. Yes`,
        command: String.raw`Do you want to ((?:make this edit to|create|overwrite) [^\n?]+)\?`,
      },
      {
        // Any other tool permission (web fetch, MCP tools).
        match: String.raw`Do you want to proceed\?[\s│]*\n[\s│]*(?:[❯>]\s*)?1\. Yes`,
      },
    ],
    stableMs: 400,
    keys: { allow: '1', always: '2', deny: '\x1b' },
  },
  // The idle input prompt (screen fallback when hooks are off): an empty `❯` between two rules, then the
  // idle footer (`? for shortcuts`; while working it reads `esc to interrupt`).
  done: { via: 'idle', idleMs: 20_000, pattern: String.raw`^─{20,}\n❯\s*\n─{20,}\n.*\? for shortcuts` },
  exit: ['/exit', '\r'],
  // PermissionRequest (approvals), Stop (turn end, last message), SessionStart (id, transcript): see adapters/hooks/claude.
  hooks: { protocol: 'claude', approvals: true, turnEnd: true, sessionStart: true },
  session: { args: ['--session-id', '{agentSession}'] },
  resume: { args: ['--permission-mode', 'default', '--resume', '{agentSession}', '{continue}'] },
  dialogs: [
    {
      // "❯ No, exit" is selected first; "Yes, I trust this folder" is one row down.
      kind: 'trust',
      match: String.raw`Quick safety check:[\s\S]*Yes, I trust this folder`,
      text: 'Claude Code asks: trust the folder {workspace}?',
      keys: { allow: '\x1b[B\r', deny: '\r' },
    },
    {
      // "❯ No (recommended)" is selected first; "Yes" is one row up.
      kind: 'api-key',
      match: String.raw`Detected a custom API key in your environment[\s\S]*Do you want to use this API key\?`,
      text: 'Claude Code asks: use the ANTHROPIC_API_KEY from the environment?',
      keys: { allow: '\x1b[A\r', deny: '\r' },
    },
  ],
  failures: [
    {
      match: String.raw`Unable to connect to Anthropic services`,
      reason:
        'claude could not reach Anthropic: it is not logged in or has no onboarding; run `claude` once yourself, or set ANTHROPIC_API_KEY (and approve it in claude)',
    },
    {
      match: String.raw`didn't start because this folder isn't trusted`,
      reason: 'claude did not start because the workspace folder is not trusted; allow the trust dialog, or run `claude` there once yourself and choose Yes',
    },
    {
      match: String.raw`Not logged in · Please run /login`,
      reason: 'claude is not logged in: run `claude` and /login, or set ANTHROPIC_API_KEY and approve it (the API key dialog, or /config "Use custom API key")',
    },
  ],
  version: { args: ['--version'], pattern: String.raw`(\d+\.\d+\.\d+)` },
  asksApproval: true,
};
