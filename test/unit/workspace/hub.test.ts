// The shared watcher hub: one watcher per folder, and each change given to the sessions that ran there when it
// was written. A fake watcher stands in for chokidar so the test says exactly when each change was made.
import { describe, expect, it } from 'vitest';
import { WatchHub, type Touch } from '../../../src/adapters/workspace/hub';
import type { OnTouch, WatchFn } from '../../../src/adapters/workspace/watch';

function fakeWatch() {
  const folders: { dir: string; emit: OnTouch; closed: boolean }[] = [];
  const watch: WatchFn = async (dir, onTouch) => {
    const f = { dir, emit: onTouch, closed: false };
    folders.push(f);
    return { close: async () => void (f.closed = true) };
  };
  return { watch, folders };
}

async function tick(): Promise<number> {
  const t = Date.now();
  while (Date.now() === t) await new Promise((r) => setTimeout(r, 1));
  return Date.now();
}

describe('WatchHub', () => {
  it('shares one watcher per folder, credits a change to the session that ran alone when it was written, and marks the rest shared', async () => {
    const fake = fakeWatch();
    const hub = new WatchHub(fake.watch, { lingerMs: 60_000 });
    const got: Touch[] = [];
    const a = await hub.join('/ws', 'a#1', (t) => void got.push(t));
    const duringA = await tick();
    await tick();
    const b = await hub.join('/ws', 'b#1', (t) => void got.push(t));
    const duringBoth = await tick();
    a.leave();
    const afterA = await tick();
    expect(fake.folders).toHaveLength(1);
    const emit = fake.folders[0].emit;
    // Seen now, written while A ran alone: A's, though B runs now and A has left.
    emit('a.txt', 'add', duringA);
    emit('both.txt', 'change', duringBoth);
    emit('b.txt', 'add', afterA);
    // A deletion has no write time: both sessions still counted in the folder share it.
    emit('gone.txt', 'unlink');
    expect(got).toEqual([
      { path: 'a.txt', reason: 'add', sessions: ['a#1'] },
      { path: 'both.txt', reason: 'change', sessions: ['a#1', 'b#1'] },
      { path: 'b.txt', reason: 'add', sessions: ['b#1'] },
      { path: 'gone.txt', reason: 'unlink', sessions: ['a#1', 'b#1'] },
    ]);
    expect(a.overlapped()).toEqual(['b#1']);
    expect(b.overlapped()).toEqual(['a#1']);
    await hub.close();
    expect(fake.folders[0].closed).toBe(true);
  });

  it('closes a folder watcher when its last session has left, and gives each folder its own', async () => {
    const fake = fakeWatch();
    const hub = new WatchHub(fake.watch, { lingerMs: 0 });
    const a = await hub.join('/one', 'a#1', () => undefined);
    const b = await hub.join('/two', 'b#1', () => undefined);
    expect(fake.folders.map((f) => f.dir)).toEqual(['/one', '/two']);
    a.leave();
    await tick();
    expect(fake.folders.map((f) => f.closed)).toEqual([true, false]);
    b.leave();
    await tick();
    expect(fake.folders[1].closed).toBe(true);
  });
});
