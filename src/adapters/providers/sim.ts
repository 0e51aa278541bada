// The built-in sim agent provider: the bundled scripted agent, run with the running node.
import type { ProviderDef } from '../../core/types';

/** The sim agent's approval box (Bash command / Permission), up to its first option line. */
const BOX = String.raw`│ (?:Bash command|Permission)\s*│\n│\s*│\n((?:│ {3}.*│\n)+)│\s*│\n│ Do you want to proceed\?\s*│\n│ . 1\. Yes \(y\)`;

export const sim: ProviderDef = {
  name: 'sim',
  command: '{node}',
  args: ['{sim}', '--prompt-file', '{promptFile}', '--script', '{script}', '--seed', '{seed}', '--name', '{agent}'],
  env: {},
  prompt: { via: 'file' },
  approval: {
    patterns: [{ match: BOX, command: BOX }],
    stableMs: 150,
    keys: { allow: 'y', always: 'a', deny: '\x1b' },
  },
  done: { via: 'exit' },
  version: { args: ['{sim}', '--version'], pattern: String.raw`sim agent (\S+)` },
  asksApproval: true,
};
