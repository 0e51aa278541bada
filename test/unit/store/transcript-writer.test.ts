import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTranscript, writeTranscript } from '../../../src/adapters/store/transcript-writer';
import { useTempDir } from './helpers';

const tmp = useTempDir();

const header = {
  exec: 'exec-20250102-030405-ab12',
  step: 'build',
  role: 'coder',
  provider: 'sim',
  start: Date.UTC(2025, 0, 2, 3, 4, 5),
  end: Date.UTC(2025, 0, 2, 3, 5, 0),
  exitCode: 0,
  approvals: [
    { command: 'npm test', decision: 'allow', by: 'user' },
    { command: 'echo `whoami` | tee x', decision: 'deny', by: 'policy' },
  ],
};

describe('transcripts', () => {
  it('renders a title, a header table, approvals and the session in a fence', () => {
    const md = renderTranscript({ header, text: 'line 1\nline 2\n\n' });
    expect(md).toContain('# Transcript: step build (coder)');
    expect(md).toContain('| execution | exec-20250102-030405-ab12 |');
    expect(md).toContain('| started | 2025-01-02T03:04:05.000Z |');
    expect(md).toContain('| exit code | 0 |');
    expect(md).toContain('- `npm test`: allow (by user)');
    expect(md).toContain('- ``echo `whoami` | tee x``: deny (by policy)');
    expect(md).toMatch(/```text\nline 1\nline 2\n```\n$/);
  });

  it('uses a fence longer than any backtick run in the text', () => {
    const md = renderTranscript({ header: { ...header, approvals: [] }, text: 'a\n````\nb ``````` c' });
    expect(md).toContain('None.');
    expect(md).toMatch(/\n````````text\na\n````\nb ``````` c\n````````\n$/);
  });

  it('writes it redacted', () => {
    const path = join(tmp(), 'proof', 'step-build-coder.md');
    const secret = 'xoxb-' + '123456789012-abcdefABCDEF';
    writeTranscript(path, { header: { ...header, approvals: [{ command: `curl ${secret}`, decision: 'allow', by: 'user' }] }, text: `token ${secret}` });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).toContain('token [REDACTED:slack-token]');
  });
});
