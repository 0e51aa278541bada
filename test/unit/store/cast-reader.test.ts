// The playback reader of .cast recordings: idle gaps shortened, resizes and markers kept, a torn last line
// played up to, damaged or missing files named; and the screen it feeds at a playback time, forwards and back.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compressIdle, readRecording } from '../../../src/adapters/store/cast-reader';
import { StoreError } from '../../../src/adapters/store/errors';
import { screenText } from '../../../src/core/screen';
import { RecordingScreen } from '../../../src/ui/replay/player';
import { useTempDir } from './helpers';

const FIXTURES = resolve(__dirname, '../../fixtures/casts/replay');
const tmp = useTempDir();

describe('compressIdle', () => {
  it('caps every gap (the one before the first event too) at the limit and keeps the others', () => {
    expect(compressIdle([0.5, 1, 31, 32, 32], 2)).toEqual([0.5, 1, 3, 4, 4]);
    expect(compressIdle([10, 10.5], 2)).toEqual([2, 2.5]);
    expect(compressIdle([], 2)).toEqual([]);
  });
});

describe('readRecording', () => {
  it('puts output, resizes and markers on the shortened clock', () => {
    const rec = readRecording(join(FIXTURES, 'small.cast'));
    expect(rec.header).toMatchObject({ width: 40, height: 6 });
    expect(rec.events.map((e) => [e.t, e.code])).toEqual([
      [0.5, 'o'],
      [1.5, 'o'],
      [4.6, 'o'],
      [5, 'r'],
      [5.5, 'o'],
      [7.5, 'o'],
    ]);
    expect(rec.events[3]).toMatchObject({ at: 33, data: '20x4' });
    expect(rec.markers.map((m) => [m.t, m.kind])).toEqual([
      [1, 'state'],
      [2, 'approval'],
      [2.6, 'approval'],
      [7.7, 'exit'],
      [7.75, 'exit'],
    ]);
    expect(rec.duration).toBeCloseTo(7.75, 6);
    expect(rec.recordedDuration).toBe(40.25);
    expect(rec.torn).toBeUndefined();
  });

  it('a torn last line is left out and reported; what comes before it plays', () => {
    const rec = readRecording(join(FIXTURES, 'torn.cast'));
    expect(rec.torn).toEqual({ line: 5 });
    expect(rec.events.map((e) => e.data)).toEqual(['first line\r\n', 'second line\r\n']);
    expect(rec.duration).toBe(1.5);
  });

  it('a damaged line in the middle, a bad header or a missing file is a StoreError naming the file', () => {
    const bad = join(tmp(), 'bad.cast');
    writeFileSync(bad, '{"version":2,"width":10,"height":3,"timestamp":1}\n[0.1,"o","a"]\nnot json\n[0.3,"o","b"]\n');
    expect(() => readRecording(bad)).toThrow(StoreError);
    expect(() => readRecording(bad)).toThrow(`${bad}:3: not an asciicast v2 recording (event is not JSON)`);
    writeFileSync(bad, '{"version":1}\n');
    expect(() => readRecording(bad)).toThrow(`${bad}:1: not an asciicast v2 recording (version is not 2)`);
    const gone = join(tmp(), 'gone.cast');
    expect(() => readRecording(gone)).toThrow(`${gone}: no recording`);
  });
});

describe('RecordingScreen', () => {
  const text = (s: RecordingScreen) => screenText(s.snapshot());

  it('shows the output up to a playback time, follows resizes, and seeks back exactly', async () => {
    const screen = new RecordingScreen(readRecording(join(FIXTURES, 'small.cast')));
    await screen.seek(0.2);
    expect(text(screen).trim()).toBe('');
    await screen.seek(1.6);
    expect(text(screen)).toContain('first line\nsecond line');
    expect(screen.snapshot().cols).toBe(40);
    await screen.seek(5.6);
    expect(text(screen)).toContain('narrow now');
    expect(screen.snapshot()).toMatchObject({ cols: 20, rows: 4 });
    await screen.seek(0.6);
    expect(screen.snapshot()).toMatchObject({ cols: 40, rows: 6 });
    expect(text(screen)).toContain('first line');
    expect(text(screen)).not.toContain('second line');
    await screen.seek(999);
    expect(screen.time).toBeCloseTo(7.75, 6);
    expect(text(screen)).toContain('last line');
    screen.dispose();
  });

  it('seeking back in a few-MB recording re-feeds it quickly', async () => {
    const path = join(tmp(), 'big.cast');
    const lines = [JSON.stringify({ version: 2, width: 120, height: 36, timestamp: 1 })];
    for (let i = 0; i < 20_000; i++) lines.push(JSON.stringify([i / 100, 'o', `\x1b[32mline ${i}\x1b[0m ${'x'.repeat(80)}\r\n`]));
    writeFileSync(path, `${lines.join('\n')}\n`);
    const rec = readRecording(path);
    const screen = new RecordingScreen(rec);
    await screen.seek(rec.duration);
    const started = performance.now();
    await screen.seek(rec.duration - 5);
    const took = performance.now() - started;
    expect(text(screen)).toContain('line 19499 ');
    // About 2 MB re-fed: well under a second even on a loaded 2-core machine.
    expect(took).toBeLessThan(2_000);
    screen.dispose();
  });
});
