// Claude Code (`claude`): interactive session with the prompt as first message; numbered permission dialogs.
import type { ProviderDef } from '../../core/types';

export const claude: ProviderDef = {
  name: 'claude',
  command: 'claude',
  args: ['{prompt}'],
  env: {},
  prompt: { via: 'arg' },
  approval: {
    patterns: [
      {
        // "Bash command" dialog: the command is the first line of the body.
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
