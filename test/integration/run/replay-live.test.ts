// Replaying a recorded events.jsonl rebuilds exactly the state the runtime reached live.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventLog } from '../../../src/adapters/store/event-log';
import { openNew } from '../../../src/cli/open-execution';
import type { ConductorEvent } from '../../../src/core/events';
import { replay } from '../../../src/core/machine';
import { REPO } from './helpers';

describe('replay of a real run', () => {
  it('reproduces the live state event for event', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'conductor-replay-'));
    cpSync(join(REPO, 'plans'), join(cwd, 'plans'), { recursive: true });
    const opened = await openNew('plans/demo.plan.yaml', { cwd, flags: { approve: 'all' }, interactive: false });
    // openNew already recorded execution.created: its state is the first entry.
    const live: unknown[] = [opened.runtime.getSnapshot()];
    opened.runtime.onEvent(() => live.push(opened.runtime.getSnapshot()));
    opened.runtime.start();
    const final = await opened.runtime.done();
    opened.release();
    expect(final.status).toBe('passed');

    const { events, torn } = readEventLog(opened.paths.events);
    expect(torn).toBeUndefined();
    expect(events.length).toBe(live.length);
    expect(replay(events as unknown as ConductorEvent[])).toEqual(final);
    // Every prefix of the log folds to the state the runtime held right after that event.
    for (const n of [1, 5, Math.floor(events.length / 2), events.length - 1]) {
      expect(replay(events.slice(0, n) as unknown as ConductorEvent[])).toEqual(live[n - 1]);
    }
  });
});
