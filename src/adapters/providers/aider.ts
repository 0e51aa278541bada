// Aider (`aider`): the prompt is typed at its input prompt; confirm_ask "(Y)es/(N)o" questions.
// Aider has no per-prompt "always for this session" (that is --yes-always), so `always` answers yes once.
import type { ProviderDef } from '../../core/types';

/** An unanswered confirm_ask line: nothing typed after "[Yes]:" / "[No]:". */
const QUESTION = String.raw`[^\n]*\? \(Y\)es/\(N\)o(?:/\([A-Z]\)[\w' ]+)*\s*\[(?:Yes|No)\]:$`;

export const aider: ProviderDef = {
  name: 'aider',
  command: 'aider',
  args: [],
  env: {},
  prompt: { via: 'type', readyPattern: String.raw`^(?:[\w-]+)?> ?$` },
  approval: {
    patterns: [
      {
        // The subject (the command, file or URL) is printed on the line(s) just above the question.
        match: QUESTION,
        command: String.raw`([^\n]*\S[^\n]*)\n(?:[ \t]*\n)?` + QUESTION,
      },
    ],
    stableMs: 400,
    keys: { allow: 'y\r', always: 'y\r', deny: 'n\r' },
  },
  done: { via: 'idle', idleMs: 20_000 },
  version: { args: ['--version'], pattern: String.raw`aider (\S+)` },
  asksApproval: true,
};
