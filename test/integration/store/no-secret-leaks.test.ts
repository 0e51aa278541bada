import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CastWriter,
  EventLog,
  TrajectoryWriter,
  execPaths,
  newExecId,
  writeJsonAtomic,
  writeManifest,
  writeTranscript,
} from '../../../src/adapters/store';

const root = mkdtempSync(join(tmpdir(), 'conductor-leak-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('redaction across every writer', () => {
  it('leaves an Anthropic key in no file under proof/ or trace/', () => {
    const secret = 'sk-ant-api03-' + 'Qw3rTy_uI0p-AsDfGh1jKl'.repeat(4) + 'AA';
    const body = secret.slice('sk-ant-api03-'.length, -2);
    const exec = newExecId();
    const p = execPaths({ proof: join(root, 'proof'), trace: join(root, 'trace') }, exec);
    const t0 = Date.now();

    const log = EventLog.create(p.traceDir, exec);
    log.append({ type: 'approval.requested', id: 'a1', command: `curl -H "x-api-key: ${secret}"` }, { sync: true });
    log.append({ type: 'error', message: `bad key ${secret}`, nested: { list: [secret] } });
    log.close();

    writeJsonAtomic(p.snapshot, { exec, status: 'running', goal: `use ${secret}`, env: { ANTHROPIC_API_KEY: secret } });

    const cast = CastWriter.open(p.cast('build', 'coder'), { width: 80, height: 24, startMs: t0, command: `agent --key ${secret}` });
    for (let i = 0; i < secret.length; i += 7) cast.output(t0 + i, (i === 0 ? 'key=\x1b[33m' : '') + secret.slice(i, i + 7));
    cast.output(t0 + 200, '\x1b[0m\r\n');
    cast.input(t0 + 300, secret.slice(0, 30));
    cast.input(t0 + 301, secret.slice(30) + '\r');
    cast.marker(t0 + 400, `approved ${secret}`);
    cast.close();

    writeTranscript(p.transcript('build', 'coder'), {
      header: { exec, step: 'build', role: 'coder', provider: 'sim', start: t0, end: t0 + 500, exitCode: 0, approvals: [{ command: `export K=${secret}`, decision: 'allow', by: 'user' }] },
      text: `$ echo ${secret}\n${secret}\n`,
    });

    const traj = TrajectoryWriter.open(p.trajectory('build'), { unit: 'build', session: 's1' });
    traj.append({ type: 'command', command: `echo ${secret}` });
    traj.close();

    writeManifest(p.manifest, { exec, units: { build: { kind: 'step', trajectory: p.trajectory('build'), status: `ok ${secret}` } } });

    const files = [...filesUnder(p.proofDir), ...filesUnder(p.traceDir)];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toContain(secret);
      expect(text, f).not.toContain(body.slice(0, 16));
      expect(text, f).not.toContain(body.slice(-16));
      expect(text, f).toContain('[REDACTED:anthropic-key]');
    }
  });
});
