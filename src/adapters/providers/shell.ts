// The shell provider: the step's task is a command line run by /bin/sh; it never asks approval.
import type { ProviderDef } from '../../core/types';

export const shell: ProviderDef = {
  name: 'shell',
  command: '/bin/sh',
  args: ['-c', '{task}'],
  env: {},
  prompt: { via: 'arg' },
  approval: { patterns: [], stableMs: 0, keys: { allow: '', always: '', deny: '' } },
  done: { via: 'exit' },
  asksApproval: false,
};
