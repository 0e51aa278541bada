// Durations: units, plain numbers as seconds, readable failures.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration, toMillis } from '../../../src/core/duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    [' 2m ', 120_000],
    [30, 30_000],
    [0.25, 250],
    ['45', 45_000],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each(['10 minutes', '5d', '', 'm', '-1s'])('rejects %j with a readable message', (input) => {
    const r = parseDuration(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^found ".*", expected a duration like `500ms`/);
  });

  it('rejects negatives, non-finite numbers and other types', () => {
    expect(parseDuration(-1).ok).toBe(false);
    expect(parseDuration(Infinity).ok).toBe(false);
    expect(parseDuration(true)).toEqual({ ok: false, message: 'found boolean true, expected a duration like `500ms`, `90s`, `10m`, `1h` or a number of seconds' });
    expect(() => toMillis('soon')).toThrow(/bad duration: found "soon"/);
  });

  it('round-trips whole seconds through formatDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 59 }), (s) => {
        expect(toMillis(formatDuration(s * 1000))).toBe(s * 1000);
      }),
    );
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
  });
});
