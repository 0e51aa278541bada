import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact';
import { writeJsonAtomic } from '../../../src/adapters/store/atomic';
import { EventLog } from '../../../src/adapters/store/event-log';
import { InvalidIdError } from '../../../src/adapters/store/errors';
import { execPaths, listExecutions, newExecId, safeId } from '../../../src/adapters/store/paths';
import { useTempDir } from './helpers';

const tmp = useTempDir();

describe('newExecId', () => {
  it('formats exec-YYYYMMDD-HHMMSS-xxxx in UTC with lowercase base36', () => {
    expect(newExecId(Date.UTC(2025, 0, 2, 3, 4, 5), () => 0)).toBe('exec-20250102-030405-0000');
    expect(newExecId(Date.UTC(2025, 11, 31, 23, 59, 59), () => 0.999999999)).toBe('exec-20251231-235959-zzzz');
    expect(newExecId()).toMatch(/^exec-\d{8}-\d{6}-[0-9a-z]{4}$/);
  });
});

describe('execPaths', () => {
  const roots = { proof: '/p/proof', trace: '/p/trace' };
  it('lays out proof and trace files', () => {
    const p = execPaths(roots, 'exec-20250102-030405-ab12');
    expect(p.snapshot).toBe('/p/proof/exec-20250102-030405-ab12/execution.json');
    expect(p.report).toBe('/p/proof/exec-20250102-030405-ab12/report.md');
    expect(p.events).toBe('/p/trace/exec-20250102-030405-ab12/events.jsonl');
    expect(p.manifest).toBe('/p/trace/exec-20250102-030405-ab12/manifest.json');
    expect(p.lock).toBe('/p/trace/exec-20250102-030405-ab12/lock.json');
    expect(p.workspace).toBe('/p/trace/exec-20250102-030405-ab12/workspace');
    expect(p.transcript('build', 'coder')).toBe('/p/proof/exec-20250102-030405-ab12/step-build-coder.md');
    expect(p.cast('build', 'coder')).toBe('/p/proof/exec-20250102-030405-ab12/step-build-coder.cast');
    expect(p.trajectory('sim-3')).toBe('/p/trace/exec-20250102-030405-ab12/trajectories/sim-3.jsonl');
  });

  it('sanitizes ids in file names and rejects unsafe execution ids', () => {
    const p = execPaths(roots, 'exec-1');
    expect(p.transcript('../../etc/passwd', 'a b/c')).toMatch(/^\/p\/proof\/exec-1\/step-__\.\._etc_passwd~[0-9a-f]{10}-a_b_c~[0-9a-f]{10}\.md$/);
    expect(safeId('')).toMatch(/^_~[0-9a-f]{10}$/);
    expect(safeId('..')).toMatch(/^_~[0-9a-f]{10}$/);
    for (const bad of ['../x', 'a/b', '', '.hidden', 'exec-1/..', 'x\0y']) {
      expect(() => execPaths(roots, bad)).toThrow(InvalidIdError);
    }
  });
});

describe('safeId', () => {
  it('keeps plain ids and maps every other id to a name of its own, the same in every run', () => {
    for (const plain of ['build', 'sim-3', 'api.v2', '_x', '42']) expect(safeId(plain)).toBe(plain);
    const ids = ['a/b', 'a_b', 'a b', 'a:b', 'A_b', 'a_B', '.a_b', 'x'.repeat(81), 'x'.repeat(80), `${'x'.repeat(80)}y`, 'a_b~0', 'ü', 'ú'];
    const names = ids.map(safeId);
    expect(new Set(names).size).toBe(ids.length);
    expect(names.map(safeId)).toEqual(names.map(safeId));
    expect(safeId('a/b')).toBe(safeId('a/b'));
    for (const n of names) {
      expect(n).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._~-]*$/);
      expect(n.length).toBeLessThanOrEqual(80);
    }
  });

  it('names a secret-looking id by a hash only', () => {
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const name = safeId(token);
    expect(name).toMatch(/^redacted~[0-9a-f]{10}$/);
    expect(safeId(`sk-ant-${'a1'.repeat(20)}`)).not.toBe(name);
    expect(execPaths({ proof: '/p', trace: '/t' }, 'exec-1').trajectory(token)).not.toContain(token.slice(4, 12));
    // a resumed execution knows the id only as its log stored it (redacted): the same files
    expect(safeId(createRedactor().redact(token))).toBe(name);
  });
});

describe('listExecutions', () => {
  it('reads snapshots, falls back to events, skips broken entries, newest first', () => {
    const root = tmp();
    const roots = { proof: join(root, 'proof'), trace: join(root, 'trace') };
    const a = execPaths(roots, 'exec-20250101-000000-aaaa');
    writeJsonAtomic(a.snapshot, { status: 'passed', goal: 'Goal A', file: 'plans/a.plan.yaml', startedAt: 1000, updatedAt: 2000 });

    const b = execPaths(roots, 'exec-20250102-000000-bbbb');
    const log = EventLog.create(b.traceDir, b.exec, { now: () => 5000 });
    log.append({ type: 'execution.created', kind: 'plan', file: 'plans/b.plan.yaml', goal: 'Goal B' });
    log.append({ type: 'step.started', ts: 6000 });
    log.close();

    const c = execPaths(roots, 'exec-20250103-000000-cccc');
    const log2 = EventLog.create(c.traceDir, c.exec, { now: () => 7000 });
    log2.append({ type: 'execution.created', goal: 'Goal C' });
    log2.append({ type: 'execution.finished', status: 'failed', ts: 8000 });
    log2.close();

    const d = execPaths(roots, 'exec-20250104-000000-dddd');
    mkdirSync(d.proofDir, { recursive: true });
    writeFileSync(d.snapshot, '{not json');
    mkdirSync(join(roots.proof, 'exec-20250105-000000-eeee'), { recursive: true });
    mkdirSync(join(roots.proof, 'not-an-exec'), { recursive: true });

    const skipped: string[] = [];
    const list = listExecutions(roots, { onSkip: (exec, reason) => skipped.push(`${exec}: ${reason}`) });
    expect(list.map((e) => [e.exec, e.status, e.goal, e.source])).toEqual([
      ['exec-20250103-000000-cccc', 'failed', 'Goal C', 'events'],
      ['exec-20250102-000000-bbbb', 'interrupted', 'Goal B', 'events'],
      ['exec-20250101-000000-aaaa', 'passed', 'Goal A', 'snapshot'],
    ]);
    expect(list[1]).toMatchObject({ file: 'plans/b.plan.yaml', startedAt: 5000, updatedAt: 6000, dir: b.traceDir });
    expect(list[2]).toMatchObject({ dir: a.proofDir, startedAt: 1000, updatedAt: 2000 });
    expect(skipped).toHaveLength(2);
    expect(skipped.join('\n')).toMatch(/dddd: .*invalid JSON/);
    expect(skipped.join('\n')).toMatch(/eeee: no execution.json or events.jsonl/);
  });

  it('returns nothing for missing roots', () => {
    expect(listExecutions({ proof: '/nonexistent/p', trace: '/nonexistent/t' })).toEqual([]);
  });
});
