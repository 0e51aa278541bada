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
  done: { via: 'idle', idleMs: 20_000 },
  resume: { args: ['--continue'] },
  version: { args: ['--version'], pattern: String.raw`(\d+\.\d+\.\d+)` },
  asksApproval: true,
};
