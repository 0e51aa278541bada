// The built-in sim agent provider: the bundled scripted agent, run with the running node.
import type { ProviderDef } from '../../core/types';

/**
 * The sim agent's approval panel (Bash command / Permission) up to its first option line. The sim prints
 * the command unwrapped and lets the terminal wrap it, so in the detector's screen text (logical lines)
 * each line of the command is one line here, indented by three spaces.
 */
const PANEL = String.raw`^ (?:Bash command|Permission)\n\n((?:(?: {3}.*)?\n)+?)\n Do you want to proceed\?\n . 1\. Yes \(y\)`;

export const sim: ProviderDef = {
  name: 'sim',
  command: '{node}',
  args: ['{sim}', '--prompt-file', '{promptFile}', '--script', '{script}', '--seed', '{seed}', '--name', '{agent}'],
  env: {},
  prompt: { via: 'file' },
  approval: {
    patterns: [{ match: PANEL, command: PANEL, wrap: 'terminal' }],
    stableMs: 150,
    keys: { allow: 'y', always: 'a', deny: '\x1b' },
  },
  done: { via: 'exit' },
  version: { args: ['{sim}', '--version'], pattern: String.raw`sim agent (\S+)` },
  asksApproval: true,
};
