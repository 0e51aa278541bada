// Workspace snapshots on real files: what changed since a snapshot, bounded, without git.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLines, diffSince, takeSnapshot } from '../../../src/adapters/workspace/snapshot';

const folder = (files: Record<string, string | Buffer>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-snap-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
};

describe('workspace snapshots', () => {
  it('counts lines as a multiset difference', () => {
    expect(countLines('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual({ added: 2, removed: 1 });
    expect(countLines('', 'x\n')).toEqual({ added: 1, removed: 0 });
    expect(countLines('x\ny\n', '')).toEqual({ added: 0, removed: 2 });
    expect(countLines('a\na\n', 'a\n')).toEqual({ added: 0, removed: 1 });
  });

  it('leaves out .git, node_modules and the output roots; binary and large files change without line counts', async () => {
    const dir = folder({ 'src/a.txt': 'one\n', 'bin.dat': Buffer.from([1, 0, 2]), 'big.txt': 'x\n', '.git/HEAD': 'ref\n', 'node_modules/m/i.js': '1\n', 'trace/e/events.jsonl': '{}\n' });
    const before = await takeSnapshot(dir, { ignore: [join(dir, 'trace'), join(dir, 'proof')], textBytes: 64 });
    expect([...before.files.keys()].sort()).toEqual(['big.txt', 'bin.dat', 'src/a.txt']);
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([1, 0, 3]));
    writeFileSync(join(dir, 'big.txt'), 'y\n'.repeat(100));
    writeFileSync(join(dir, '.git/HEAD'), 'other\n');
    writeFileSync(join(dir, 'node_modules/m/i.js'), '2\n');
    writeFileSync(join(dir, 'trace/e/events.jsonl'), '{}\n{}\n');
    mkdirSync(join(dir, 'proof'));
    writeFileSync(join(dir, 'proof/report.md'), '# r\n');
    writeFileSync(join(dir, 'src/a.txt'), 'one\ntwo\n');
    const d = await diffSince(before, { ignore: [join(dir, 'trace'), join(dir, 'proof')], textBytes: 64 });
    expect(d).toEqual({
      files: [
        { path: 'big.txt', status: 'modified', added: 0, removed: 0, uncounted: true },
        { path: 'bin.dat', status: 'modified', added: 0, removed: 0, uncounted: true },
        { path: 'src/a.txt', status: 'modified', added: 1, removed: 0 },
      ],
    });
  });

  it('a snapshot capped at maxFiles says so, and files it never saw are not reported as new', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`f${i}.txt`] = `${i}\n`;
    const dir = folder(files);
    // Older than the snapshot, as files that were there before the session are.
    const past = new Date(Date.now() - 60_000);
    for (let i = 0; i < 10; i++) utimesSync(join(dir, `f${i}.txt`), past, past);
    const before = await takeSnapshot(dir, { maxFiles: 4 });
    expect(before.capped).toBe(4);
    expect(before.files.size).toBe(4);
    writeFileSync(join(dir, 'f0.txt'), 'changed\n');
    writeFileSync(join(dir, 'zz-new.txt'), 'new\n');
    rmSync(join(dir, 'f1.txt'));
    const d = await diffSince(before, { maxFiles: 4 });
    expect(d.capped).toBe(4);
    // The second walk passes over the old files the first never saw (f4…f9), so it still reaches the new one.
    expect(d.files.map((f) => [f.path, f.status])).toEqual([
      ['f0.txt', 'modified'],
      ['f1.txt', 'deleted'],
      ['zz-new.txt', 'added'],
    ]);
  });
});
