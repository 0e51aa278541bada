// Trajectories and snapshots are derived from the one event log: whatever a kill left in them, resume rebuilds them
// from the log and never fails on them; temp files of killed atomic writes are cleaned up.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrajectory } from '../../../src/adapters/store/trajectory';
import { conductor, readEvents, tempProject } from '../run/helpers';
import { runAndKill } from './helpers';

const SLOW = 'test/fixtures/plans/slow.plan.yaml';
const inSecond = (events: { type: string; unit?: unknown }[]) => events.some((e) => e.type === 'step.started' && e.unit === 'second');

describe('resume after a kill, with damaged derived files', () => {
  it('rebuilds a trajectory holding seqs the log lacks and duplicates, and removes stale .tmp files', { timeout: 150_000 }, async () => {
    const cwd = tempProject();
    const exec = await runAndKill(cwd, SLOW, inSecond);
    const trace = join(cwd, 'trace', exec);
    const proof = join(cwd, 'proof', exec);
    const trajectory = join(trace, 'trajectories', 'second.jsonl');
    const last = readEvents(cwd, exec).at(-1)!.seq;
    // What a kill leaves when the trajectory flushed output lines the log had not: seqs past the log's end (which
    // the resumed process reissues), one of them twice, and a line the reader cannot parse in the middle.
    const ghost = (seq: number) => JSON.stringify({ seq, ts: Date.now(), unit: 'second', type: 'session.output', exec, session: 'second#1', bytes: 1 });
    appendFileSync(trajectory, `${ghost(last + 1)}\n${ghost(last + 2)}\n${ghost(last + 2)}\n{"seq":\n${ghost(last + 3)}\n`);
    expect(() => readTrajectory(trajectory)).toThrow(/corrupt event log line/);
    // Temp files of atomic writes killed between create and rename.
    const temps = [join(proof, '.execution.json.999999.1.tmp'), join(trace, '.manifest.json.999999.2.tmp'), join(trace, 'trajectories', '.x.jsonl.999999.3.tmp')];
    for (const t of temps) writeFileSync(t, '{"half');

    writeFileSync(join(trace, 'workspace', 'release'), '');
    const r = await conductor(cwd, ['resume', exec]);
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(r.all).toMatch(/rebuilt the trajector(y|ies) of .*second.* from the event log/);
    // The three planted ones, and any the kill itself cut between create and rename.
    const removed = /removed (\d+) temp files left by an interrupted write/.exec(String(r.all));
    expect(removed, String(r.all)).not.toBeNull();
    expect(Number(removed![1])).toBeGreaterThanOrEqual(3);
    for (const t of temps) expect(existsSync(t), t).toBe(false);

    // Each trajectory is exactly the log's events for that unit, in order, with strictly increasing seq.
    const events = readEvents(cwd, exec);
    for (const unit of ['first', 'second', 'third']) {
      const lines = readTrajectory(join(trace, 'trajectories', `${unit}.jsonl`)).events;
      const own = events.filter((e) => e.unit === unit || (typeof e.session === 'string' && e.session.startsWith(`${unit}#`)));
      expect(lines.map((l) => l.seq), unit).toEqual(own.map((e) => e.seq));
      for (const [i, l] of lines.entries()) expect(l).toMatchObject({ ...own[i], unit });
    }
    // And a second resume (of the finished execution) reads them all without complaint.
    const again = await conductor(cwd, ['status', exec]);
    expect(again.exitCode, String(again.all)).toBe(0);
    expect(readdirSync(trace).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(proof, 'execution.json'), 'utf8'))).toMatchObject({ exec, status: 'passed' });
  });
});
