import { appendFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact';
import { EventLog, readEventLog } from '../../../src/adapters/store/event-log';
import { EventLogCorruptError, EventSeqError, StoreError } from '../../../src/adapters/store/errors';
import { useTempDir } from './helpers';

const tmp = useTempDir();
const clock = () => {
  let t = 1_700_000_000_000;
  return () => ++t;
};

describe('EventLog', () => {
  it('writes one JSON object per line with seq, ts, exec, type first', () => {
    const dir = join(tmp(), 'exec-1');
    const log = EventLog.create(dir, 'exec-1', { now: clock() });
    const a = log.append({ type: 'execution.started' }, { sync: true });
    const b = log.append({ type: 'session.output', session: 's1', bytes: 10 });
    log.close();
    expect(a).toMatchObject({ seq: 1, exec: 'exec-1', type: 'execution.started' });
    expect(b.seq).toBe(2);
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(Object.keys(JSON.parse(lines[1]))).toEqual(['seq', 'ts', 'exec', 'type', 'session', 'bytes']);
    expect(readEventLog(join(dir, 'events.jsonl')).events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses a non-increasing seq and an event for another execution', () => {
    const log = EventLog.create(tmp(), 'exec-1');
    log.append({ type: 'a', seq: 5 });
    expect(() => log.append({ type: 'b', seq: 5 })).toThrow(EventSeqError);
    expect(() => log.append({ type: 'b', seq: 3 })).toThrow(/seq must be greater than 5/);
    expect(() => log.append({ type: 'b', exec: 'exec-2' })).toThrow(StoreError);
    expect(log.append({ type: 'c' }).seq).toBe(6);
    log.close();
  });

  it('refuses to create over an existing log', () => {
    const dir = tmp();
    EventLog.create(dir, 'exec-1').close();
    expect(() => EventLog.create(dir, 'exec-1')).toThrow(/already exists/);
  });

  it('writes sync events immediately and batches the rest until flush, a sync event or the interval', async () => {
    const dir = tmp();
    const path = join(dir, 'events.jsonl');
    const log = EventLog.create(dir, 'exec-1', { flushIntervalMs: 30 });
    log.append({ type: 'session.output', bytes: 1 });
    expect(readFileSync(path, 'utf8')).toBe('');
    log.append({ type: 'session.state', state: 'running' }, { sync: true });
    expect(readEventLog(path).events).toHaveLength(2);
    log.append({ type: 'session.output', bytes: 2 });
    expect(readEventLog(path).events).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 80));
    expect(readEventLog(path).events).toHaveLength(3);
    log.append({ type: 'session.output', bytes: 3 });
    log.flush();
    expect(readEventLog(path).events).toHaveLength(4);
    log.close();
  });

  it('redacts every string without breaking the JSON', () => {
    const dir = tmp();
    const redactor = createRedactor({ env: { WEIRD_TOKEN: 'a"b\\c\nd-secret' } });
    const log = EventLog.create(dir, 'exec-1', { redactor });
    const secret = 'sk-ant-api03-' + 'x1'.repeat(40);
    const ev = log.append({ type: 'approval.requested', command: `curl -H "x-api-key: ${secret}"`, note: 'a"b\\c\nd-secret!' });
    log.close();
    expect(ev.command).toContain(secret);
    const text = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    expect(text).not.toContain('x1x1x1');
    const [read] = readEventLog(join(dir, 'events.jsonl')).events;
    expect(read.command).toBe('curl -H "x-api-key: [REDACTED:anthropic-key]"');
    expect(read.note).toBe('[REDACTED:env:WEIRD_TOKEN]!');
  });
});

describe('readEventLog', () => {
  const line = (seq: number, extra = '') => JSON.stringify({ seq, ts: seq, exec: 'e', type: 't' + extra });

  it('reports a torn last line instead of failing', () => {
    const path = join(tmp(), 'events.jsonl');
    writeFileSync(path, `${line(1)}\n${line(2)}\n{"seq":3,"ts":3,"ex`);
    const { events, torn } = readEventLog(path);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(torn).toEqual({ line: 3, text: '{"seq":3,"ts":3,"ex', offset: line(1).length + line(2).length + 2 });
  });

  it('treats zero-filled garbage at the end as torn', () => {
    const path = join(tmp(), 'events.jsonl');
    writeFileSync(path, `${line(1)}\n\0\0\0\0\n`);
    expect(readEventLog(path).torn?.line).toBe(2);
  });

  it('accepts a complete last line without its newline and ignores blank lines', () => {
    const path = join(tmp(), 'events.jsonl');
    writeFileSync(path, `${line(1)}\n\n${line(2)}`);
    const r = readEventLog(path);
    expect(r.events).toHaveLength(2);
    expect(r.torn).toBeUndefined();
  });

  it('fails with the line number on a malformed line in the middle', () => {
    const path = join(tmp(), 'events.jsonl');
    writeFileSync(path, `${line(1)}\n{broken\n${line(3)}\n`);
    expect(() => readEventLog(path)).toThrow(EventLogCorruptError);
    expect(() => readEventLog(path)).toThrow(/events\.jsonl:2: corrupt event log line/);
  });

  it('fails on a seq that goes backwards, even on the last line', () => {
    const path = join(tmp(), 'events.jsonl');
    writeFileSync(path, `${line(2)}\n${line(1)}\n`);
    expect(() => readEventLog(path)).toThrow(/:2: .*seq/);
  });

  it('reads an empty log', () => {
    const path = join(tmp(), 'events.jsonl');
    writeFileSync(path, '');
    expect(readEventLog(path)).toEqual({ events: [] });
  });
});

describe('EventLog.openForAppend', () => {
  it('truncates a torn tail and continues seq', () => {
    const dir = join(tmp(), 'exec-9');
    const log = EventLog.create(dir, 'exec-9');
    for (let i = 0; i < 3; i++) log.append({ type: 'x', i }, { sync: true });
    log.close();
    const path = join(dir, 'events.jsonl');
    appendFileSync(path, '{"seq":4,"ts":1,"exec":"exe');
    const again = EventLog.openForAppend(dir);
    expect(again.exec).toBe('exec-9');
    expect(again.lastSeq).toBe(3);
    expect(again.recovered.torn?.line).toBe(4);
    expect(again.append({ type: 'execution.resumed' }).seq).toBe(4);
    again.close();
    const r = readEventLog(path);
    expect(r.torn).toBeUndefined();
    expect(r.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('starts a new line when the last complete line lacks its newline', () => {
    const dir = tmp();
    const log = EventLog.create(dir, 'exec-1');
    log.append({ type: 'a' });
    log.close();
    const path = join(dir, 'events.jsonl');
    truncateSync(path, readFileSync(path).length - 1);
    const again = EventLog.openForAppend(dir);
    again.append({ type: 'b' });
    again.close();
    expect(readEventLog(path).events.map((e) => e.type)).toEqual(['a', 'b']);
  });

  it('fails clearly when there is no log', () => {
    expect(() => EventLog.openForAppend(tmp())).toThrow(/no event log at/);
  });
});
