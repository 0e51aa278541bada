// Each built-in provider's approval detection against recorded screens: command, options, no false positives.
// real/ holds screens recorded from the real CLIs by test/contract/real (CONDUCTOR_RECORD_SCREENS=1).
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinProviders, createApprovalDetector, type ApprovalPrompt } from '../../src/adapters/providers';
import { failureHint } from '../../src/adapters/providers/observer';
import { compilePatterns, matchPrompt } from '../../src/adapters/providers/detector';

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
  // Variants recorded by the research runs against the same pinned CLIs (see the note above `quiet`).
  {
    file: 'real/claude-requires-approval-prompt.txt',
    provider: 'claude',
    command: 'npm test',
    options: ['1. Yes', '2. Yes, and don’t ask again for: npm test *', '3. Yes, and switch to auto mode · auto mode handles these prompts for you', '4. No'],
  },
  {
    file: 'real/claude-find-exec-prompt.txt',
    provider: 'claude',
    command: 'find . -name "*.ts" -exec rm {} \\;',
    options: ['1. Yes', '2. Yes, and switch to auto mode · auto mode handles these prompts for you', '3. No'],
  },
  {
    file: 'real/claude-nested-command-prompt.txt',
    provider: 'claude',
    command: 'echo $(whoami)',
    options: ['1. Yes', '2. Yes, and switch to auto mode · auto mode handles these prompts for you', '3. No'],
  },
  { file: 'real/gemini-untrusted-flags-prompt.txt', provider: 'gemini', command: `node -e "require('fs').writeFileSync('shape-long.txt', '${'x'.repeat(120)}'.length + ' long')"`, options: ['1. Allow once', '2. No, suggest changes (esc)'] },
  { file: 'real/gemini-redirect-prompt.txt', provider: 'gemini', command: 'echo hi > redir.txt', options: ['1. Allow once', '2. Allow for this session', '3. No, suggest changes (esc)'] },
  { file: 'real/gemini-hook-ask-prompt.txt', provider: 'gemini', command: 'touch gb-ask-1', options: ['1. Allow once', '2. Allow for this session', '3. No, suggest changes (esc)'] },
  { file: 'aider-shell.txt', provider: 'aider', command: 'npm test -- --run parser', options: ['(Y)es', '(N)o', "(D)on't ask again"] },
  { file: 'aider-add-file.txt', provider: 'aider', command: 'src/lexer.ts', options: ['(Y)es', '(N)o', '(A)ll', '(S)kip all', "(D)on't ask again"] },
];

const RESEARCH = [
  'real/research-claude-api-key-dialog.txt',
  'real/research-claude-idle.txt',
  'real/research-claude-no-onboarding-preflight-exit1.txt',
  'real/research-claude-trust-dialog.txt',
  'real/research-codex-hooks-need-review.txt',
  'real/research-codex-idle.txt',
  'real/research-codex-login-screen.txt',
  'real/research-codex-trust-dialog.txt',
  'real/research-codex-working.txt',
  'real/research-claude-working.txt',
  'real/research-gemini-auth-dialog.txt',
  'real/research-gemini-idle.txt',
  'real/research-gemini-trust-dialog.txt',
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
  // research-*: screens the research runs recorded from the same pinned CLIs (first-run dialogs, idle prompts, failures).
  ...RESEARCH,
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

  test('the live prompt is the lowest: an earlier frame of an answered prompt left above it is history', () => {
    const stale = screenFile('real/gemini-shell-prompt.txt');
    const live = screenFile('real/gemini-redirect-prompt.txt');
    expect(detect('gemini', `${stale}\n${live}`)?.command).toBe('echo hi > redir.txt');
    expect(detect('gemini', `${live}\n${stale}`)?.command).toBe('touch conductor-contract-ok');
  });

  test('a prompt wholly in the rows read above a short pane has scrolled away; one reaching into the viewport is live', () => {
    const prompt = screenFile('real/gemini-shell-prompt.txt').replace(/\n$/, '').split('\n');
    const rows = (texts: string[]) => texts.map((t) => ({ spans: [{ text: t }] }));
    const def = builtinProviders.gemini;
    const snap = (above: string[], viewport: string[]) => ({ cols: 120, rows: above.length + viewport.length, lines: rows([...above, ...viewport]), cursor: { x: 0, y: 0, visible: true }, title: '', bufferLength: 100, viewportY: 50, alternate: false, above: above.length });
    expect(matchPrompt(compilePatterns(def), snap(prompt, ['', ' ✓  Shell touch conductor-contract-ok', '']))).toBeUndefined();
    expect(matchPrompt(compilePatterns(def), snap(prompt.slice(0, 4), prompt.slice(4)))?.command).toBe('touch conductor-contract-ok');
  });

  test('all fixtures are covered by a case', () => {
    const covered = new Set([...prompts.map((p) => p.file), ...quiet]);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt'));
    expect(files).toContain('real/claude-shell-prompt.txt');
    for (const f of files) expect(covered.has(f), f).toBe(true);
  });
});

describe('first-run dialogs, idle prompts and failures on recorded screens', () => {
  const re = (source: string | undefined) => new RegExp(source ?? '(?!)', 'm');
  const dialogOn = (provider: string, file: string) => builtinProviders[provider].dialogs?.find((d) => re(d.match).test(screenFile(file)))?.kind;

  test.each([
    ['claude', 'real/research-claude-trust-dialog.txt', 'trust'],
    ['claude', 'real/research-claude-api-key-dialog.txt', 'api-key'],
    ['codex', 'real/research-codex-trust-dialog.txt', 'trust'],
    ['codex', 'real/research-codex-hooks-need-review.txt', 'hooks'],
    ['gemini', 'real/research-gemini-trust-dialog.txt', 'trust'],
  ])('%s sees its %s dialog in %s', (provider, file, kind) => {
    expect(dialogOn(provider, file)).toBe(kind);
  });

  test('no dialog is seen on approval prompts, idle or working screens', () => {
    const files = [...prompts.map((p) => p.file), ...quiet.filter((f) => !/dialog|need-review/.test(f))];
    for (const provider of ['claude', 'codex', 'gemini']) for (const f of files) expect(dialogOn(provider, f), `${provider} on ${f}`).toBeUndefined();
  });

  const idle = (provider: string, file: string) => re(builtinProviders[provider].done.pattern).test(screenFile(file));
  test.each([
    ['claude', 'real/research-claude-idle.txt'],
    ['codex', 'real/research-codex-idle.txt'],
    ['gemini', 'real/research-gemini-idle.txt'],
    ['gemini', 'gemini-idle.txt'],
    ['claude', 'real/claude-allowed.txt'],
    ['codex', 'real/codex-allowed.txt'],
    ['gemini', 'real/gemini-allowed.txt'],
  ])('%s: the idle prompt pattern matches %s', (provider, file) => {
    expect(idle(provider, file)).toBe(true);
  });

  test('the idle prompt pattern does not match a working CLI or an approval prompt', () => {
    expect(idle('claude', 'real/research-claude-working.txt')).toBe(false);
    expect(idle('codex', 'real/research-codex-working.txt')).toBe(false);
    for (const p of prompts.filter((c) => ['claude', 'codex', 'gemini'].includes(c.provider) && c.file.startsWith('real/'))) {
      expect(idle(p.provider, p.file), p.file).toBe(false);
    }
  });

  test.each([
    ['claude', 'real/research-claude-no-onboarding-preflight-exit1.txt', /could not reach Anthropic/],
    ['codex', 'real/research-codex-login-screen.txt', /not signed in/],
    ['gemini', 'real/research-gemini-auth-dialog.txt', /no authentication chosen/],
  ])('%s explains the failure on %s', (provider, file, reason) => {
    expect(failureHint(builtinProviders[provider], screenFile(file))).toMatch(reason);
  });
});
