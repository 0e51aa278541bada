import { describe, expect, test } from 'vitest';
import { InputSplitter } from '../../src/ui/hooks/use-keymap-input';

const tick = () => new Promise((r) => setImmediate(r));

function splitter() {
  const got: (['keys', string] | ['paste', string])[] = [];
  const s = new InputSplitter(
    (k) => got.push(['keys', k]),
    (p) => got.push(['paste', p]),
  );
  return { s, got };
}

describe('InputSplitter', () => {
  test('keys pass through; a bracketed paste is one paste, delivered after the burst', async () => {
    const { s, got } = splitter();
    s.push('a');
    s.push('\x1b[200~');
    s.push('hello');
    s.push('\x1b[201~');
    expect(got).toEqual([['keys', 'a']]);
    await tick();
    expect(got).toEqual([['keys', 'a'], ['paste', 'hello']]);
    s.push('y');
    expect(got.at(-1)).toEqual(['keys', 'y']);
  });

  test('what follows a paste end in the same burst is pasted text, never keys', async () => {
    const { s, got } = splitter();
    // One stdin chunk as Ink splits it: ESC[200~ hello ESC[201~ y ESC[201~
    for (const e of ['\x1b[200~', 'hello', '\x1b[201~', 'y', '\x1d', '\x1b[201~']) s.push(e);
    await tick();
    expect(got).toEqual([['paste', 'helloy\x1d']]);
    s.push('y');
    expect(got.at(-1)).toEqual(['keys', 'y']);
  });

  test('a paste that starts again in the same burst joins the first one', async () => {
    const { s, got } = splitter();
    s.push('\x1b[200~one\x1b[201~ two \x1b[200~three\x1b[201~');
    await tick();
    expect(got).toEqual([['paste', 'one two three']]);
  });

  test('a paste split over several bursts waits for its end', async () => {
    const { s, got } = splitter();
    s.push('\x1b[200~part one ');
    await tick();
    expect(got).toEqual([]);
    s.push('part two\x1b[201~');
    await tick();
    expect(got).toEqual([['paste', 'part one part two']]);
  });

  test('keys before a paste in the same event stay keys', async () => {
    const { s, got } = splitter();
    s.push('ab\x1b[200~c\x1b[201~');
    await tick();
    expect(got).toEqual([['keys', 'ab'], ['paste', 'c']]);
  });
});
