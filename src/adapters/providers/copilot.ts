// GitHub Copilot CLI (`copilot`): interactive session seeded with -i; numbered permission dialog.
import type { ProviderDef } from '../../core/types';

export const copilot: ProviderDef = {
  name: 'copilot',
  command: 'copilot',
  args: ['-i', '{prompt}'],
  env: {},
  prompt: { via: 'arg' },
  approval: {
    patterns: [
      {
        match: String.raw`Do you want to (?:run this command|proceed|allow [^\n?]+)\?[\s│]*\n[\s│]*(?:[❯>]\s*)?1\. Yes`,
        command: String.raw`^[ │]*\$ (.+)\n(?:.*\n){0,8}?[\s│]*Do you want to (?:run this command|proceed)\?`,
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
