// A token an agent prints with a style change or a cursor move in the middle is still redacted in the
// .cast (and the transcript): the redaction sees through escape sequences.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCast } from '../../../src/adapters/store/cast-writer';
import { conductor, onlyExec, tempProject } from './helpers';

const HEAD = 'ghp_abcdefghij';
const TAIL = 'klmnopqrstuvwxyz0123456789';
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]/g;

describe('.cast redaction through escapes', () => {
  it('redacts a token split by ESC[1m and by a cursor move, keeping the sequences', async () => {
    const cwd = tempProject();
    writeFileSync(
      join(cwd, 'plans/styled.plan.yaml'),
      [
        'goal: Print a styled token',
        'provider: sim',
        'workspace:',
        '  fixture: demo-workspace',
        'steps:',
        '  - id: styled',
        '    agent: backend',
        '    task: Print the token',
        '    sim:',
        `      - run: "printf 'bold=%s\\\\033[1m%s\\\\033[0m\\\\n' ${HEAD} ${TAIL}; printf 'moved=%s\\\\033[C\\\\033[D%s\\\\n' ${HEAD} ${TAIL}"`,
        '        ask: false',
        '      - say: done',
        '',
      ].join('\n'),
    );
    const r = await conductor(cwd, ['run', 'plans/styled.plan.yaml']);
    expect(r.exitCode, String(r.all)).toBe(0);
    const exec = onlyExec(cwd);
    const cast = readCast(join(cwd, 'proof', exec, 'step-styled-backend.cast'));
    const output = cast.events.filter(([, code]) => code === 'o').map(([, , data]) => data).join('');
    expect(output).toContain('bold=[REDACTED:github-token]\x1b[1m\x1b[0m');
    expect(output).toContain('moved=[REDACTED:github-token]\x1b[C\x1b[D');
    expect(output.replace(ESCAPES, '')).not.toContain(HEAD + TAIL);
    const transcript = readFileSync(join(cwd, 'proof', exec, 'step-styled-backend.md'), 'utf8');
    expect(transcript).toContain('bold=[REDACTED:github-token]');
    expect(transcript).not.toContain(HEAD + TAIL);
  });
});
