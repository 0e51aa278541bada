import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson, writeJsonAtomic, writeTextAtomic } from '../../../src/adapters/store/atomic';
import { JsonFileError } from '../../../src/adapters/store/errors';
import { useTempDir } from './helpers';

const tmp = useTempDir();

describe('writeJsonAtomic / readJson', () => {
  it('writes pretty JSON, creating folders, replacing the old file and leaving no temp files', () => {
    const dir = tmp();
    const path = join(dir, 'a', 'b', 'execution.json');
    writeJsonAtomic(path, { status: 'running', n: 1 });
    writeJsonAtomic(path, { status: 'passed', n: 2 });
    expect(readJson(path)).toEqual({ status: 'passed', n: 2 });
    expect(readFileSync(path, 'utf8')).toMatch(/^\{\n {2}"status"/);
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['execution.json']);
  });

  it('redacts string values and keys', () => {
    const path = join(tmp(), 'x.json');
    const token = 'ghp_' + 'A1'.repeat(18);
    writeJsonAtomic(path, { output: `token ${token}`, [token]: 1 });
    expect(readFileSync(path, 'utf8')).not.toContain(token);
    expect(readJson(path)).toEqual({ output: 'token [REDACTED:github-token]', '[REDACTED:github-token]': 1 });
  });

  it('writes text atomically, redacted', () => {
    const path = join(tmp(), 'r.md');
    writeTextAtomic(path, 'key AKIAIOSFODNN7EXAMPLE\n');
    expect(readFileSync(path, 'utf8')).toBe('key [REDACTED:aws-access-key]\n');
  });

  it('readJson names the file on a missing or broken file', () => {
    const dir = tmp();
    expect(() => readJson(join(dir, 'none.json'))).toThrow(JsonFileError);
    writeFileSync(join(dir, 'bad.json'), '{"a":');
    expect(() => readJson(join(dir, 'bad.json'))).toThrow(/bad\.json: invalid JSON/);
  });
});
