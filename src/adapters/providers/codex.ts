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
  done: { via: 'idle', idleMs: 20_000 },
  resume: { args: ['resume', '--last'] },
  version: { args: ['--version'], pattern: String.raw`(\d+\.\d+\.\d+)` },
  asksApproval: true,
};
