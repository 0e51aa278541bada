// Each built-in provider's approval detection against recorded screens: command, options, no false positives.
// real/ holds screens recorded from the real CLIs by test/contract/real (CONDUCTOR_RECORD_SCREENS=1).
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinProviders, createApprovalDetector, type ApprovalPrompt } from '../../src/adapters/providers';

const dir = new URL('../fixtures/screens/', import.meta.url);
const screenFile = (name: string): string => readFileSync(new URL(name, dir), 'utf8');

function detect(provider: string, text: string): ApprovalPrompt | undefined {
  const def = builtinProviders[provider];
  let t = 0;
  const d = createApprovalDetector(def, () => t);
  d.feed(text);
  t += def.approval.stableMs;
  const ev = d.feed(text);
  return ev.find((e) => e.type === 'prompt')?.prompt;
}

interface Case {
  file: string;
  provider: string;
  command: string;
  options: string[];
}

const LONG = `node -e "const s='${'a'.repeat(200)}';console.log(JSON.stringify(s.split('a'),null,2))"`;

const prompts: Case[] = [
  { file: 'sim-bash.txt', provider: 'sim', command: 'npm test', options: ['1. Yes (y)', '2. Yes, always for this session (a)', '3. No (esc)'] },
  { file: 'sim-ask.txt', provider: 'sim', command: 'Allow: deploy the build to staging', options: ['1. Yes (y)', '2. Yes, always for this session (a)', '3. No (esc)'] },
  {
    file: 'sim-long.txt',
    provider: 'sim',
    command: 'node scripts/check.mjs --all --reporter=verbose --filter "parser and lexer tests" --bail && npm run lint -- --fix && npm run build',
    options: ['1. Yes (y)', '2. Yes, always for this session (a)', '3. No (esc)'],
  },
  {
    file: 'claude-bash.txt',
    provider: 'claude',
    command: 'npm test -- --run parser',
    options: ['1. Yes', "2. Yes, and don't ask again for npm test commands in /home/dev/project", '3. No, and tell Claude what to do differently (esc)'],
  },
  {
    file: 'claude-bash-v2.txt',
    provider: 'claude',
    command: 'git status --short',
    options: ['1. Yes', "2. Yes, and don't ask again for git status commands in /home/dev/project", '3. No, and tell Claude what to do differently (esc)'],
  },
  {
    file: 'claude-edit.txt',
    provider: 'claude',
    command: 'make this edit to parser.ts',
    options: ['1. Yes', '2. Yes, allow all edits during this session (shift+tab)', '3. No, and tell Claude what to do differently (esc)'],
  },
  {
    file: 'codex-exec.txt',
    provider: 'codex',
    command: 'npm test -- --run parser',
    options: ['1. Yes, proceed (y)', "2. Yes, and don't ask again for this command (a)", '3. No, and tell Codex what to do differently (esc)'],
  },
  {
    file: 'codex-patch.txt',
    provider: 'codex',
    command: 'src/parser.ts (+1 -1)',
    options: ['1. Yes, proceed (y)', '2. No, and tell Codex what to do differently (esc)'],
  },
  {
    file: 'gemini-shell.txt',
    provider: 'gemini',
    command: 'npm test -- --run parser',
    options: ['1. Yes, allow once', '2. Yes, allow always ...', '3. No, suggest changes (esc)'],
  },
  {
    file: 'copilot-command.txt',
    provider: 'copilot',
    command: 'npm test -- --run parser',
    options: ['1. Yes', '2. Yes, and approve `npm` for the rest of the running session', '3. No, and tell Copilot what to do differently (Esc)'],
  },
  {
    file: 'real/claude-shell-prompt.txt',
    provider: 'claude',
    command: 'touch conductor-contract-ok',
    options: [
      '1. Yes',
      '2. Yes, and always allow access to /tmp/conductor-claude-XXXXXX/ws from this project',
      '3. Yes, and switch to auto mode · auto mode handles these prompts for you',
      '4. No',
    ],
  },
  {
    file: 'real/codex-shell-prompt.txt',
    provider: 'codex',
    command: 'touch conductor-contract-ok',
    options: [
      '1. Yes, proceed (y)',
      "2. Yes, and don't ask again for commands that start with `touch conductor-contract-ok` (p)",
      '3. No, and tell Codex what to do differently (esc)',
    ],
  },
  {
    file: 'real/gemini-shell-prompt.txt',
    provider: 'gemini',
    command: 'touch conductor-contract-ok',
    options: ['1. Allow once', '2. Allow for this session', '3. No, suggest changes (esc)'],
  },
  // Recorded at 80 columns with LONG (test/contract/real: "a command the CLI wraps over several rows"): each CLI
  // wraps it itself, and the rows are joined by geometry.
  {
    file: 'real/claude-long-prompt.txt',
    provider: 'claude',
    command: LONG,
    options: ['1. Yes', '2. Yes, and don’t ask again for: node *', '3. Yes, and switch to auto mode · auto mode handles these prompts for you', '4. No'],
  },
  {
    file: 'real/codex-long-prompt.txt',
    provider: 'codex',
    command: LONG,
    options: ['1. Yes, proceed (y)', `2. Yes, and don't ask again for commands that start with \`${LONG}\` (p)`, '3. No, and tell Codex what to do differently (esc)'],
  },
  { file: 'real/gemini-long-prompt.txt', provider: 'gemini', command: LONG, options: ['1. Allow once', '2. Allow for this session', '3. No, suggest changes (esc)'] },
  { file: 'aider-shell.txt', provider: 'aider', command: 'npm test -- --run parser', options: ['(Y)es', '(N)o', "(D)on't ask again"] },
  { file: 'aider-add-file.txt', provider: 'aider', command: 'src/lexer.ts', options: ['(Y)es', '(N)o', '(A)ll', '(S)kip all', "(D)on't ask again"] },
];

const quiet = [
  'sim-bash-after.txt',
  'sim-ask-after.txt',
  'sim-long-after.txt',
  'claude-idle.txt',
  'codex-idle.txt',
  'gemini-idle.txt',
  'aider-answered.txt',
  'plain-prose.txt',
  'real/claude-allowed.txt',
  'real/claude-denied.txt',
  'real/codex-allowed.txt',
  'real/codex-denied.txt',
  'real/gemini-allowed.txt',
  'real/gemini-denied.txt',
];

describe('provider presets against recorded screens', () => {
  test.each(prompts)('$provider: $file', ({ file, provider, command, options }) => {
    const p = detect(provider, screenFile(file));
    expect(p, `${provider} should see a prompt in ${file}`).toBeDefined();
    expect(p?.command).toBe(command);
    expect(p?.options).toEqual(options);
    expect(p?.key).toMatch(/^[0-9a-f]{16}$/);
  });

  const withApproval = Object.values(builtinProviders).filter((d) => d.asksApproval);
  test.each(quiet.flatMap((file) => withApproval.map((d) => ({ file, provider: d.name }))))(
    'no prompt: $provider on $file',
    ({ file, provider }) => {
      expect(detect(provider, screenFile(file))).toBeUndefined();
    },
  );

  test("sim's detector claims only sim screens", () => {
    for (const c of prompts) if (c.provider !== 'sim') expect(detect('sim', screenFile(c.file)), c.file).toBeUndefined();
  });

  test('all fixtures are covered by a case', () => {
    const covered = new Set([...prompts.map((p) => p.file), ...quiet]);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt'));
    expect(files).toContain('real/claude-shell-prompt.txt');
    for (const f of files) expect(covered.has(f), f).toBe(true);
  });
});
