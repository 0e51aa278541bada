// One writer per execution through the real binary: deleting lock.json under a live run does not let a second
// `conductor resume` in; kill -9 of the holder frees the execution at once.
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventLog } from '../../../src/adapters/store/event-log';
import { conductor, onlyExec, readEvents, tempProject } from '../run/helpers';
import { until } from './helpers';

describe('the execution lock', () => {
  it('refuses a second writer after lock.json is deleted; kill -9 of the holder lets resume proceed', { timeout: 120_000 }, async () => {
    const cwd = tempProject();
    const holder = conductor(cwd, ['run', 'test/fixtures/plans/slow.plan.yaml']);
    const exec = await until('the second step to start', () => {
      const id = onlyExec(cwd);
      return readEvents(cwd, id).some((e) => e.type === 'step.started' && e.unit === 'second') ? id : undefined;
    });
    unlinkSync(join(cwd, 'trace', exec, 'lock.json'));
    const lastSeq = readEvents(cwd, exec).at(-1)!.seq;

    const second = await conductor(cwd, ['resume', exec]);
    expect(second.exitCode, String(second.all)).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`^conductor: execution ${exec} is already open in another conductor \\(its lock\\.json is gone\\); close it first$`));
    // Nothing of the refused process reached the log, and it still reads from end to end.
    const log = readEventLog(join(cwd, 'trace', exec, 'events.jsonl'));
    expect(log.events.filter((e) => e.type === 'execution.resumed')).toEqual([]);
    expect(log.events.at(-1)!.seq).toBeGreaterThanOrEqual(lastSeq);
    const status = await conductor(cwd, ['status', exec]);
    expect(status.exitCode, String(status.all)).toBe(0);

    holder.kill('SIGKILL');
    await holder;
    writeFileSync(join(cwd, 'trace', exec, 'workspace', 'release'), '');
    const r = await conductor(cwd, ['resume', exec]);
    expect(r.exitCode, String(r.all)).toBe(0);
    const events = readEvents(cwd, exec);
    for (let i = 1; i < events.length; i++) expect(events[i].seq).toBe(events[i - 1].seq + 1);
    expect(events.at(-1)).toMatchObject({ type: 'execution.finished', status: 'passed' });
  });
});
