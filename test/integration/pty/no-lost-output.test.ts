// Proves the PTY adapter delivers every byte of children that exit right after a large burst.
import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { spawnPtySession } from '../../../src/adapters/pty';

const CHILDREN = 100;
const BYTES = 200 * 1024;
const PARALLEL = 4;

/** Deterministic content per seed: lines of varied length with multi-byte (single-width) characters. */
function generate(seed: number, bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_=+*/()[]{}<>éλ─✓│';
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const len = next() % 160;
    let line = `${seed}:${parts.length}:`;
    for (let i = 0; i < len; i++) line += alphabet[next() % alphabet.length];
    line = line.trimEnd() + '\n';
    parts.push(line);
    size += Buffer.byteLength(line);
  }
  return parts.join('');
}

const childScript = `const generate = ${generate.toString()};
process.stdout.write(generate(Number(process.argv[1]), ${BYTES}));
process.exit(0);`;

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

interface Outcome {
  seed: number;
  exitCode: number;
  raw: string;
  text: string;
}

function runChild(seed: number): Promise<Outcome> {
  const s = spawnPtySession({
    command: process.execPath,
    args: ['-e', childScript, String(seed)],
    cwd: tmpdir(),
    env: { ...process.env, FORCE_COLOR: '0' },
    cols: 120,
    rows: 40,
  });
  const chunks: string[] = [];
  s.onData((d) => chunks.push(d));
  return s.exited.then((e) => {
    const out = { seed, exitCode: e.exitCode, raw: chunks.join(''), text: s.text() };
    s.dispose();
    return out;
  });
}

describe('no lost output', () => {
  test(
    `${CHILDREN} children x ${BYTES} bytes, exiting right after the burst`,
    async () => {
      const started = Date.now();
      const outcomes: Outcome[] = [];
      let nextSeed = 1;
      const worker = async (): Promise<void> => {
        while (nextSeed <= CHILDREN) outcomes.push(await runChild(nextSeed++));
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));

      let lost = 0;
      const bad: number[] = [];
      for (const o of outcomes) {
        const expected = generate(o.seed, BYTES);
        const got = o.raw.replace(/\r\n/g, '\n');
        if (got !== expected) {
          bad.push(o.seed);
          lost += Math.max(0, Buffer.byteLength(expected) - Buffer.byteLength(got));
        }
        expect(o.exitCode).toBe(0);
        expect(sha(got)).toBe(sha(expected));
        const expectedText = expected
          .split('\n')
          .map((l) => l.trimEnd())
          .join('\n')
          .trimEnd();
        expect(o.text === expectedText, `emulator text of child ${o.seed}`).toBe(true);
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`no-lost-output: ${outcomes.length} children x ${BYTES} B, ${bad.length} short, ${lost} B lost, ${seconds} s`);
      expect(outcomes).toHaveLength(CHILDREN);
      expect(bad).toEqual([]);
    },
    120_000,
  );
});
