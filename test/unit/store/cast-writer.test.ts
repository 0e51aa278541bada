import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CastWriter, readCast } from '../../../src/adapters/store/cast-writer';
import { CastFormatError } from '../../../src/adapters/store/errors';
import { useTempDir } from './helpers';

const tmp = useTempDir();
const START = 1_700_000_000_123;

describe('CastWriter', () => {
  it('writes an asciicast v2 header and o/i/r/m events on the caller clock', () => {
    const path = join(tmp(), 'proof', 'step-a-coder.cast');
    const w = CastWriter.open(path, {
      width: 100,
      height: 30,
      startMs: START,
      command: 'sim --step a',
      title: 'step a',
      env: { SHELL: '/bin/bash', TERM: 'xterm-256color' },
    });
    w.output(START + 10, '\x1b[32mhello\x1b[0m\r\n');
    w.input(START + 1500, 'y');
    w.resize(START + 2000, 120, 40);
    w.marker(START + 2500, 'approval.requested npm test');
    w.output(START + 1000, 'late clock');
    w.close();
    const cast = readCast(path);
    expect(cast.header).toEqual({
      version: 2,
      width: 100,
      height: 30,
      timestamp: Math.floor(START / 1000),
      command: 'sim --step a',
      title: 'step a',
      env: { SHELL: '/bin/bash', TERM: 'xterm-256color' },
    });
    expect(cast.events).toEqual([
      [0.01, 'o', '\x1b[32mhello\x1b[0m\r\n'],
      [1.5, 'i', 'y'],
      [2, 'r', '120x40'],
      [2.5, 'm', 'approval.requested npm test'],
      [2.5, 'o', 'late clock'],
    ]);
  });

  it('redacts a secret split across writes in each direction', () => {
    const path = join(tmp(), 'x.cast');
    const w = CastWriter.open(path, { width: 80, height: 24, startMs: START });
    const secret = 'sk-ant-api03-' + 'Zz9'.repeat(30);
    w.output(START + 1, `key: \x1b[1m${secret.slice(0, 20)}`);
    w.output(START + 2, `${secret.slice(20)}\x1b[0m done\n`);
    w.input(START + 3, secret.slice(0, 9));
    w.input(START + 4, secret.slice(9));
    w.marker(START + 5, `ran ${secret}`);
    w.close(START + 6);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('Zz9Zz9');
    const out = readCast(path)
      .events.filter((e) => e[1] === 'o')
      .map((e) => e[2])
      .join('');
    expect(out).toBe('key: \x1b[1m[REDACTED:anthropic-key]\x1b[0m done\n');
    const input = readCast(path)
      .events.filter((e) => e[1] === 'i')
      .map((e) => e[2])
      .join('');
    expect(input).toBe('[REDACTED:anthropic-key]');
  });

  it('keeps memory bounded by writing when the buffer fills, and flushes on an interval', async () => {
    const path = join(tmp(), 'big.cast');
    const w = CastWriter.open(path, { width: 80, height: 24, startMs: START, maxBufferBytes: 1024, flushIntervalMs: 20 });
    for (let i = 0; i < 100; i++) w.output(START + i, 'x'.repeat(100) + '\n');
    expect(readFileSync(path, 'utf8').length).toBeGreaterThan(5000);
    w.output(START + 200, 'tail\n');
    await new Promise((r) => setTimeout(r, 60));
    expect(readFileSync(path, 'utf8')).toContain('tail');
    w.close();
    expect(readCast(path).events).toHaveLength(101);
  });
});

describe('readCast', () => {
  it('rejects files that are not asciicast v2', () => {
    const dir = tmp();
    const bad = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return () => readCast(p);
    };
    expect(bad('a', '')).toThrow(CastFormatError);
    expect(bad('b', '{"version":1,"width":80,"height":24}\n')).toThrow(/version/);
    expect(bad('c', '{"version":2,"width":80,"height":24}\n[1,"x","a"]\n')).toThrow(/:2: .*unknown event code/);
    expect(bad('d', '{"version":2,"width":80,"height":24}\n[2,"o","a"]\n[1,"o","b"]\n')).toThrow(/:3: .*backwards/);
    expect(bad('e', '{"version":2,"width":80,"height":24}\n[1,"r","wide"]\n')).toThrow(/COLSxROWS/);
  });
});

describe('CastWriter size cap', () => {
  it('stops recording output at maxFileBytes with a marker and a visible line; resizes and markers go on', () => {
    const path = join(tmp(), 'big.cast');
    const cap = 1024 * 1024;
    const w = CastWriter.open(path, { width: 80, height: 24, startMs: START, maxFileBytes: cap, maxBufferBytes: 4096 });
    const chunk = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 5 * 1024; i++) w.output(START + i, chunk); // 5 MB of output
    expect(w.truncated).toBe(true);
    w.resize(START + 6000, 100, 30);
    w.marker(START + 6001, 'state: completed');
    w.close();
    const size = readFileSync(path).length;
    expect(size).toBeLessThanOrEqual(cap + 1024);
    expect(size).toBeGreaterThan(cap - 8 * 1024);
    const cast = readCast(path);
    const note = 'output beyond 1 MB was not recorded (recording.maxCastMB in conductor.yaml)';
    expect(cast.events.filter(([, code, data]) => code === 'm' && data === note)).toHaveLength(1);
    const outputs = cast.events.filter(([, code]) => code === 'o');
    expect(outputs.at(-1)![2]).toContain(`[conductor: ${note}]`);
    expect(cast.events.slice(-2).map(([, code, data]) => [code, data])).toEqual([
      ['r', '100x30'],
      ['m', 'state: completed'],
    ]);
  });

  it('defaults to 100 MB', async () => {
    const { DEFAULT_MAX_CAST_BYTES } = await import('../../../src/adapters/store/cast-writer');
    expect(DEFAULT_MAX_CAST_BYTES).toBe(100 * 1024 * 1024);
  });
});
