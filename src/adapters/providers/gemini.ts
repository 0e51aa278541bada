// Gemini CLI (`gemini`): interactive session seeded with -i; ToolConfirmationMessage radio options.
// Verified against the real CLI 0.61.0 (test/contract/real/gemini-live.test.ts); older layouts kept from hand-written screens.
import type { ProviderDef } from '../../core/types';

export const gemini: ProviderDef = {
  name: 'gemini',
  command: 'gemini',
  args: ['--prompt-interactive', '{prompt}'],
  env: {},
  prompt: { via: 'arg' },
  approval: {
    patterns: [
      {
        // 0.61 shell tool: the command sits in a nested box right above the question.
        match: String.raw`╰─+╯[ │]*\n[ │]*Allow execution of[^\n?]*\?[\s│]*\n(?:[\s│]*\n)?[\s│]*(?:[●❯>]\s*)?1\. (?:Yes, allow|Allow) once`,
        command: String.raw`╭─+╮[ │]*\n((?:[ │]*│ [^╭╰\n]*\n)+?)[ │]*╰─+╯[ │]*\n[ │]*Allow execution of`,
        // Gemini wraps the command 2 cells narrower than the box it draws around it (maxWidth: width - 6
        // inside a box of width - 4), so wrapped rows end 3 cells before the inner border.
        gap: 3,
      },
      {
        // Older shell tool layout: the full command is the body line above the question.
        match: String.raw`Allow execution of:? '?[^\n?]*'?\?[\s│]*\n(?:[\s│]*\n)?[\s│]*(?:[●❯>]\s*)?1\. Yes, allow once`,
        command: String.raw`([^\n]+)\n[ │]*\n[ │]*Allow execution of`,
      },
      {
        match: String.raw`(?:Apply this change|Do you want to proceed)\?[\s│]*\n(?:[\s│]*\n)?[\s│]*(?:[●❯>]\s*)?1\. Yes, allow once`,
        command: String.raw`(?:^|\n)[ │]*[?✓o⊷]\s+(\S.*?)\s*│?\s*\n`,
      },
    ],
    stableMs: 400,
    keys: { allow: '\r', always: '\x1b[B\r', deny: '\x1b' },
  },
  done: { via: 'idle', idleMs: 20_000 },
  resume: { args: ['--resume', 'latest'] },
  version: { args: ['--version'], pattern: String.raw`(\d+\.\d+\.\d+)` },
  asksApproval: true,
};
