import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, readTrajectory, rewriteTrajectory, trajectoryLine, TrajectoryWriter, writeManifest } from '../../../src/adapters/store/trajectory';
import { useTempDir } from './helpers';

const tmp = useTempDir();

describe('TrajectoryWriter', () => {
  it('appends typed, redacted lines with seq, ts, unit and session', () => {
    const path = join(tmp(), 'trajectories', 'build.jsonl');
    const w = TrajectoryWriter.open(path, { unit: 'build', session: 's1', now: () => 42 });
    w.append({ type: 'session.state', state: 'running' });
    w.append({ type: 'command', command: 'export AWS=AKIAIOSFODNN7EXAMPLE' }, { sync: true });
    w.close();
    expect(readFileSync(path, 'utf8')).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const { events } = readTrajectory(path);
    expect(events).toEqual([
      { seq: 1, ts: 42, unit: 'build', type: 'session.state', state: 'running', session: 's1' },
      { seq: 2, ts: 42, unit: 'build', type: 'command', command: 'export AWS=[REDACTED:aws-access-key]', session: 's1' },
    ]);
  });

  it('continues after an earlier session and repairs a torn tail', () => {
    const path = join(tmp(), 't.jsonl');
    const w = TrajectoryWriter.open(path, { unit: 'u' });
    w.append({ type: 'a' });
    w.close();
    appendFileSync(path, '{"seq":2,"ty');
    const again = TrajectoryWriter.open(path, { unit: 'u' });
    expect(again.append({ type: 'b' }).seq).toBe(2);
    again.close();
    const r = readTrajectory(path);
    expect(r.torn).toBeUndefined();
    expect(r.events.map((e) => e.type)).toEqual(['a', 'b']);
  });

  it('a rebuild from the log of what was written live changes nothing (the log orders keys its own way)', () => {
    const path = join(tmp(), 'u.jsonl');
    const live = { type: 'session.state', session: 'u#1', state: 'running', seq: 7, ts: 5, exec: 'exec-1' };
    const w = TrajectoryWriter.open(path, { unit: 'u' });
    w.append(live);
    w.close();
    const fromLog = JSON.parse(JSON.stringify({ seq: 7, ts: 5, exec: 'exec-1', type: 'session.state', session: 'u#1', state: 'running' }));
    expect(rewriteTrajectory(path, [trajectoryLine(fromLog, { seq: 7, ts: 5, unit: 'u' })])).toBe(false);
    expect(rewriteTrajectory(path, [trajectoryLine({ ...fromLog, state: 'paused' }, { seq: 7, ts: 5, unit: 'u' })])).toBe(true);
  });
});

describe('manifest', () => {
  it('writes and reads back atomically', () => {
    const path = join(tmp(), 'manifest.json');
    const m = {
      exec: 'exec-1',
      units: {
        build: { kind: 'step' as const, trajectory: 'trajectories/build.jsonl', status: 'passed', session: 's1', transcript: 'step-build-coder.md', cast: 'step-build-coder.cast' },
        'sim-1': { kind: 'trial' as const, trajectory: 'trajectories/sim-1.jsonl', status: 'running' },
      },
    };
    writeManifest(path, m);
    expect(readManifest(path)).toEqual(m);
  });
});
