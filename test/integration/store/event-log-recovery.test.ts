import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventLog, readEventLog } from '../../../src/adapters/store/event-log';
import { execPaths, newExecId } from '../../../src/adapters/store/paths';

const root = mkdtempSync(join(tmpdir(), 'conductor-it-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('event log: 10k events, torn tail, resume', () => {
  it('reads back every event, reports the torn line, then continues seq after reopening', () => {
    const exec = newExecId(Date.UTC(2025, 4, 6, 7, 8, 9), () => 0.5);
    const paths = execPaths({ proof: join(root, 'proof'), trace: join(root, 'trace') }, exec);
    const log = EventLog.create(paths.traceDir, exec);
    const N = 10_000;
    for (let i = 1; i <= N; i++) {
      const sync = i % 50 === 0;
      log.append(
        sync
          ? { type: 'session.state', session: 's1', state: i % 100 === 0 ? 'waiting_for_approval' : 'running' }
          : { type: 'session.output', session: 's1', bytes: i, text: `chunk ${i} \u00e9\u2603 "quoted" \\ \n` },
        { sync },
      );
    }
    log.close();

    const full = readEventLog(paths.events);
    expect(full.events).toHaveLength(N);
    expect(full.torn).toBeUndefined();

    const size = statSync(paths.events).size;
    const text = readFileSync(paths.events, 'utf8');
    const lastLineStart = text.lastIndexOf('\n', text.length - 2) + 1;
    const cut = Buffer.byteLength(text.slice(0, lastLineStart)) + 17;
    truncateSync(paths.events, cut);
    expect(statSync(paths.events).size).toBeLessThan(size);

    const torn = readEventLog(paths.events);
    expect(torn.events).toHaveLength(N - 1);
    torn.events.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.exec).toBe(exec);
    });
    expect(torn.events[9].text).toBe('chunk 10 \u00e9\u2603 "quoted" \\ \n');
    expect(torn.torn).toMatchObject({ line: N, offset: Buffer.byteLength(text.slice(0, lastLineStart)) });
    expect(torn.torn?.text.length).toBeGreaterThan(0);

    const again = EventLog.openForAppend(paths.traceDir);
    expect(again.lastSeq).toBe(N - 1);
    expect(again.append({ type: 'execution.resumed' }, { sync: true }).seq).toBe(N);
    for (let i = 0; i < 10; i++) again.append({ type: 'session.output', bytes: i });
    again.close();

    const after = readEventLog(paths.events);
    expect(after.torn).toBeUndefined();
    expect(after.events).toHaveLength(N + 10);
    expect(after.events.at(-1)?.seq).toBe(N + 10);
    expect(after.events[N - 1].type).toBe('execution.resumed');
  });
});
