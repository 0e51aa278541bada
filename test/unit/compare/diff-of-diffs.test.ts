// The diff of diffs: which files only one provider changed, and for files several changed, whether their
// versions agree and the unified diff between them.
import { describe, expect, it } from 'vitest';
import { diffOfDiffs, type LaneChangesLike } from '../../../src/core/compare';
import { diffOfDiffsLines } from '../../../src/runtime/compare-text';

const lane = (name: string, files: LaneChangesLike['files']): LaneChangesLike => ({ lane: name, files });

describe('diffOfDiffs', () => {
  const a = lane('claude', [
    { path: 'src/greet.js', status: 'modified', added: 1, removed: 1, hash: 'h1', after: 'one\ntwo\nthree\n' },
    { path: 'test/greet.test.js', status: 'added', added: 2, removed: 0, hash: 'h2', after: 'test\n' },
    { path: 'out.txt', status: 'added', added: 1, removed: 0, hash: 'same', after: 'hi\n' },
    { path: 'logo.png', status: 'added', added: 0, removed: 0, uncounted: true, hash: 'p1' },
  ]);
  const b = lane('codex', [
    { path: 'src/greet.js', status: 'modified', added: 1, removed: 1, hash: 'h3', after: 'one\n2\nthree\n' },
    { path: 'README.md', status: 'deleted', added: 0, removed: 4 },
    { path: 'out.txt', status: 'added', added: 1, removed: 0, hash: 'same', after: 'hi\n' },
    { path: 'logo.png', status: 'added', added: 0, removed: 0, uncounted: true, hash: 'p2' },
  ]);
  const d = diffOfDiffs(['claude', 'codex'], { claude: a, codex: b });

  it('lists the files only one provider changed', () => {
    expect(d.onlyIn).toEqual({ claude: ['test/greet.test.js'], codex: ['README.md'] });
    expect(d.missing).toEqual([]);
  });

  it('diffs the versions of a file both changed, and says when they agree', () => {
    const greet = d.files.find((f) => f.path === 'src/greet.js')!;
    expect(greet.same).toBe(false);
    expect(greet.changedBy.map((c) => c.provider)).toEqual(['claude', 'codex']);
    expect(greet.diffs).toHaveLength(1);
    const patch = greet.diffs[0].patch!;
    expect(patch).toContain('--- claude/src/greet.js');
    expect(patch).toContain('+++ codex/src/greet.js');
    expect(patch).toMatch(/^-two$/m);
    expect(patch).toMatch(/^\+2$/m);
    expect(d.files.find((f) => f.path === 'out.txt')).toMatchObject({ same: true, diffs: [] });
    // Content too large or binary: said so, no patch.
    expect(d.files.find((f) => f.path === 'logo.png')!.diffs).toEqual([{ from: 'claude', to: 'codex', note: 'binary or too large to show' }]);
  });

  it('says which lanes were not recorded, and reads as lines', () => {
    const partial = diffOfDiffs(['claude', 'codex'], { claude: a });
    expect(partial.missing).toEqual(['codex']);
    expect(diffOfDiffsLines(d)).toEqual([
      'only claude changed: test/greet.test.js',
      'only codex changed: README.md',
      'changed differently: logo.png, src/greet.js',
      'changed the same way: out.txt',
    ]);
    expect(diffOfDiffsLines(diffOfDiffs(['x', 'y'], { x: lane('x', []), y: lane('y', []) }))).toEqual(['no provider changed any file']);
  });
});
