// The sim fixtures (test/fixtures/screens/sim-*.txt) are screens of real sim runs in a PTY, as the
// detector reads them (logical lines: terminal-wrapped rows joined). CONDUCTOR_RECORD_SCREENS=1 writes
// them; otherwise each run is compared with its fixtures, so they cannot drift from what the sim draws.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApprovalDetector, sim as simDef, type ApprovalPrompt } from '../../../src/adapters/providers';
import { spawnPtySession, type PtySession } from '../../../src/adapters/pty';
import { logicalLines } from '../../../src/core/screen';
import type { SimAction } from '../../../src/core/types';
import { simAgentPath, waitFor } from './helpers';

const fixtures = new URL('../../fixtures/screens/', import.meta.url);
const record = process.env.CONDUCTOR_RECORD_SCREENS === '1';
const CWD = '/tmp/demo/project';

let simPath = '';
beforeAll(async () => {
  simPath = await simAgentPath();
});
const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

interface Case {
  name: string;
  actions: SimAction[];
  /** Keys that answer the prompt. */
  answer: string;
}

const LONG_COMMAND = 'node scripts/check.mjs --all --reporter=verbose --filter "parser and lexer tests" --bail && npm run lint -- --fix && npm run build';

const cases: Case[] = [
  { name: 'sim-bash', actions: [{ say: 'Running the tests first.' }, { think: 'Reading package.json', ms: 50 }, { run: 'npm test' }], answer: '\x1b' },
  { name: 'sim-ask', actions: [{ say: 'I need to deploy.' }, { ask: 'deploy the build to staging' }], answer: 'y' },
  { name: 'sim-long', actions: [{ run: LONG_COMMAND }], answer: '\x1b' },
];

function check(file: string, text: string): void {
  const out = `${text.replace(/\s+$/, '')}\n`;
  if (record) writeFileSync(new URL(file, fixtures), out);
  else expect(out, `${file} differs from a real run (CONDUCTOR_RECORD_SCREENS=1 rewrites it)`).toBe(readFileSync(new URL(file, fixtures), 'utf8'));
}

describe('sim fixtures are real sim screens', () => {
  test.each(cases)('$name', async ({ name, actions, answer }) => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'sim-screens-')));
    writeFileSync(join(dir, 'prompt.md'), 'Task: fix the failing tests in the parser');
    writeFileSync(join(dir, 'script.json'), JSON.stringify({ actions }));
    const s = spawnPtySession({
      command: process.execPath,
      args: [simPath, '--prompt-file', join(dir, 'prompt.md'), '--script', join(dir, 'script.json'), '--name', 'builder'],
      cwd: dir,
      env: { ...process.env },
      cols: 80,
      rows: 24,
    });
    sessions.push(s);
    const text = (): string => logicalLines(s.snapshot()).join('\n').split(dir).join(CWD);
    const detector = createApprovalDetector(simDef);
    const prompt = await waitFor<ApprovalPrompt>(
      () => detector.feed(s.snapshot()).find((e) => e.type === 'prompt')?.prompt,
      20_000,
      () => `the prompt; screen:\n${text()}`,
    );
    expect(prompt.options).toEqual(['1. Yes (y)', '2. Yes, always for this session (a)', '3. No (esc)']);
    check(`${name}.txt`, text());
    s.write(answer);
    await s.exited;
    check(`${name}-after.txt`, text());
  });
});
