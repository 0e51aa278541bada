// The workspace watcher on real files: conductor's own proof/ and trace/ writes are not the agent's changes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchWorkspace, type TouchReason } from '../../../src/adapters/workspace/watch';

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('watchWorkspace', () => {
  it('ignores the output roots inside the watched folder, and reports the files around them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-watch-'));
    for (const d of ['proof/exec-1', 'trace/exec-1/trajectories', 'src']) mkdirSync(join(dir, d), { recursive: true });
    const seen: [string, TouchReason][] = [];
    const w = await watchWorkspace(dir, (p, r) => void seen.push([p, r]), { ignore: [join(dir, 'proof'), join(dir, 'trace')] });
    try {
      for (let i = 0; i < 5; i++) {
        writeFileSync(join(dir, 'trace/exec-1/events.jsonl'), `line ${i}\n`, { flag: 'a' });
        writeFileSync(join(dir, 'proof/exec-1/step-a.cast'), `frame ${i}\n`, { flag: 'a' });
        writeFileSync(join(dir, 'trace/exec-1/trajectories', `t${i}.jsonl`), 'x\n');
      }
      writeFileSync(join(dir, 'src/one.txt'), '1\n');
      await until(() => seen.some(([p]) => p === 'src/one.txt'), 'src/one.txt');
      writeFileSync(join(dir, 'proof/exec-1/execution.json'), '{}\n');
      writeFileSync(join(dir, 'two.txt'), '2\n');
      await until(() => seen.some(([p]) => p === 'two.txt'), 'two.txt');
      expect(seen.filter(([p]) => /^(proof|trace)(\/|$)/.test(p))).toEqual([]);
    } finally {
      await w.close();
    }
  }, 60_000);

  it('still watches a workspace that lies under an output root (a fixture copy under trace/)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'conductor-watch-'));
    const ws = join(root, 'trace/exec-1/workspace');
    mkdirSync(ws, { recursive: true });
    const seen: string[] = [];
    const w = await watchWorkspace(ws, (p) => void seen.push(p), { ignore: [join(root, 'proof'), join(root, 'trace')] });
    try {
      writeFileSync(join(ws, 'made.txt'), 'x\n');
      await until(() => seen.includes('made.txt'), 'made.txt');
    } finally {
      await w.close();
    }
  }, 60_000);
});
