// Capability probing: missing binaries, versions, help flags.
import { describe, expect, test } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinProviders, probeProvider } from '../../../src/adapters/providers';
import type { ProviderDef } from '../../../src/core/types';

describe('probeProvider', () => {
  test('a missing binary is not installed', async () => {
    const r = await probeProvider({ ...builtinProviders.claude, command: 'conductor-missing-cli-xyz' });
    expect(r.installed).toBe(false);
    expect(r.path).toBeUndefined();
  });

  test('version and capabilities from a fake CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    const bin = join(dir, 'fakeagent');
    writeFileSync(
      bin,
      '#!/bin/sh\ncase "$1" in\n  --version) echo "1.2.3 (Fake Agent)";;\n  --help) echo "Usage: fakeagent [--model M] [--resume] [--output-format json]";;\nesac\n',
    );
    chmodSync(bin, 0o755);
    const def: ProviderDef = { ...builtinProviders.claude, name: 'fake', command: 'fakeagent' };
    const r = await probeProvider(def, { env: { PATH: `${dir}:/usr/bin:/bin` } });
    expect(r).toMatchObject({ installed: true, path: bin, version: '1.2.3' });
    expect(r.capabilities).toEqual(expect.arrayContaining(['model', 'resume', 'json']));
    expect(r.flags).toContain('--output-format');
  });

  test('shell is always installed', async () => {
    const r = await probeProvider(builtinProviders.shell);
    expect(r.installed).toBe(true);
  });

  test('a --version slower than the timeout falls back to the package.json version; --help timing out is said', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-slow-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'slowagent', version: '7.8.9', bin: { slowagent: 'bin/slowagent' } }));
    const bin = join(dir, 'bin', 'slowagent');
    writeFileSync(bin, '#!/bin/sh\nexec sleep 5\n');
    chmodSync(bin, 0o755);
    const def: ProviderDef = { ...builtinProviders.claude, name: 'slow', command: 'slowagent' };
    const started = Date.now();
    const r = await probeProvider(def, { env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin` }, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r).toMatchObject({ installed: true, version: '7.8.9', helpRead: false });
    expect(r.error).toBe('`slowagent --version` gave no answer within 300ms; version 7.8.9 read from its package.json');
    expect(r.helpError).toMatch(/^`slowagent --help` gave no answer within/);
  });
});
