// A provider variant's env values never reach proof/, trace/ or headless output, whatever the variable is called;
// values too short or too plain to be secrets (`hello`) stay readable.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, filesUnder, onlyExec, tempProject } from './helpers';

const SECRET = 'sk-mock-1234567890abcdef';
/** Matches no built-in secret pattern: only the provider-env rule can catch it. */
const PLAIN = 'conductor-private-7f3a9';

describe('provider env values', () => {
  it('are redacted in every file under proof/ and trace/ and in run output; short words are not', async () => {
    const cwd = tempProject();
    writeFileSync(
      join(cwd, 'conductor.yaml'),
      ['providers:', '  sim-secret:', '    extends: sim', '    env:', `      SECRET_THING: ${SECRET}`, `      PLAIN_THING: ${PLAIN}`, '      GREETING_WORD: hello', ''].join('\n'),
    );
    writeFileSync(
      join(cwd, 'plans/leak.plan.yaml'),
      [
        'goal: Print the provider env',
        'provider: sim-secret',
        'workspace:',
        '  fixture: demo-workspace',
        'approval:',
        '  allow: ["echo *"]',
        'steps:',
        '  - id: leak',
        '    agent: backend',
        '    task: Print the env',
        '    sim:',
        '      - run: "echo secret=$SECRET_THING plain=$PLAIN_THING word=$GREETING_WORD"',
        `      - say: "again ${PLAIN} and hello"`,
        '      - say: done',
        '',
      ].join('\n'),
    );
    const r = await conductor(cwd, ['run', 'plans/leak.plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.all).not.toContain(SECRET);
    expect(r.all).not.toContain(PLAIN);
    const exec = onlyExec(cwd);
    const files = [...filesUnder(join(cwd, 'proof', exec)), ...filesUnder(join(cwd, 'trace', exec)).filter((f) => !f.includes('/workspace/'))];
    expect(files.map((f) => f.replace(/.*\//, ''))).toEqual(expect.arrayContaining(['execution.json', 'events.jsonl', 'step-leak-backend.cast', 'step-leak-backend.md']));
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toContain(SECRET);
      expect(text, f).not.toContain(PLAIN);
      expect(text, f).not.toContain('1234567890abcdef');
    }
    const transcript = readFileSync(join(cwd, 'proof', exec, 'step-leak-backend.md'), 'utf8');
    expect(transcript).toContain('plain=[REDACTED:env:PLAIN_THING] word=hello');
    expect(transcript).toMatch(/secret=\[REDACTED:[a-z:_A-Z-]+\]/);
    expect(transcript).toContain('again [REDACTED:env:PLAIN_THING] and hello');
  });
});
