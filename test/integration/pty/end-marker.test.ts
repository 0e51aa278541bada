// The end-marker scanner finds the marker however the stream is chunked and never alters other output.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { END_OSC, EndMarkerScanner, statusToExit } from '../../../src/adapters/pty/end-marker';

const TOKEN = 'abc123';
const marker = (s: number): string => `\x1b]${END_OSC};${TOKEN};${s}\x07`;

describe('EndMarkerScanner', () => {
  test('any chunking yields the output before the marker and the status', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '\x1b', ']', ';', '6', '\x07', '\r', '\n', 'é') }),
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 30 }),
        (body, status, cuts) => {
          const stream = body + marker(status) + 'after';
          const sc = new EndMarkerScanner(TOKEN);
          let out = '';
          let got: number | undefined;
          let i = 0;
          let k = 0;
          while (i < stream.length) {
            const n = cuts[k++ % cuts.length];
            const r = sc.push(stream.slice(i, i + n));
            out += r.out;
            if (r.status !== undefined) got = r.status;
            i += n;
          }
          expect(got).toBe(status);
          expect(out).toBe(body);
        },
      ),
    );
  });

  test('without a marker, flush returns what was held back', () => {
    const sc = new EndMarkerScanner(TOKEN);
    const a = sc.push('hello \x1b]69');
    expect(a.out).toBe('hello ');
    expect(sc.flush()).toBe('\x1b]69');
  });

  test('status maps to signals shell-style', () => {
    expect(statusToExit(0)).toEqual({ exitCode: 0 });
    expect(statusToExit(143)).toEqual({ exitCode: 143, signal: 15 });
    expect(statusToExit(255)).toEqual({ exitCode: 255 });
  });
});
