// The sessions running in each workspace folder, and the one watcher they share there (chokidar stays out
// of this module, so it loads only when a watcher is first made).
import { resolve } from 'node:path';
import type { TouchReason, WatchFn, WatchOptions, WorkspaceWatcher } from './watch';

/** One change, with the sessions that were running in the folder when it was seen. */
export interface Touch {
  path: string;
  reason: TouchReason;
  sessions: string[];
}

export interface Membership {
  leave(): void;
  /** The other sessions that ran in the folder at some time while this one did. */
  overlapped(): string[];
}

interface Member {
  report: (t: Touch) => void;
  overlapped: Set<string>;
  joinedAt: number;
  leftAt?: number;
}

interface Folder {
  watcher: Promise<WorkspaceWatcher | undefined>;
  members: Map<string, Member>;
}

/**
 * One watcher per workspace folder, shared by the sessions running in it. A change is reported once, to
 * one member, with the sessions that were running there when it was made: a watcher per session credited
 * each of them with every change in a shared folder. "When" is the file's write time where the watcher
 * knows it (so a change seen late still goes to the session that made it, and not to one started since),
 * else the time it was seen. A session that left stays a member for `lingerMs` for those late changes.
 */
export class WatchHub {
  private readonly folders = new Map<string, Folder>();
  private closed = false;

  constructor(
    private readonly watch: WatchFn,
    private readonly opts: WatchOptions & { lingerMs?: number } = {},
  ) {}

  async join(dir: string, session: string, report: (t: Touch) => void): Promise<Membership> {
    const key = resolve(dir);
    let folder = this.folders.get(key);
    if (!folder) {
      const members = new Map<string, Member>();
      const f: Folder = { members, watcher: Promise.resolve(undefined) };
      f.watcher = this.watch(dir, (path, reason, mtimeMs) => this.touched(f, path, reason, mtimeMs), { ignore: this.opts.ignore }).catch(() => undefined);
      this.folders.set(key, f);
      folder = f;
    }
    const me: Member = { report, overlapped: new Set(), joinedAt: Date.now() };
    for (const [other, m] of folder.members) {
      // One that has left (kept only for its late changes) did not run alongside.
      if (other === session || m.leftAt !== undefined) continue;
      m.overlapped.add(session);
      me.overlapped.add(other);
    }
    folder.members.set(session, me);
    await folder.watcher;
    const f = folder;
    return {
      leave: () => {
        if (me.leftAt !== undefined) return;
        me.leftAt = Date.now();
        const drop = () => {
          if (f.members.get(session) === me) f.members.delete(session);
          if (f.members.size === 0 && this.folders.get(key) === f) {
            this.folders.delete(key);
            void f.watcher.then((w) => w?.close());
          }
        };
        const linger = this.opts.lingerMs ?? 0;
        if (linger > 0 && !this.closed) setTimeout(drop, linger).unref?.();
        else drop();
      },
      overlapped: () => [...me.overlapped],
    };
  }

  private touched(f: Folder, path: string, reason: TouchReason, mtimeMs?: number): void {
    const all = [...f.members.entries()];
    if (!all.length || this.closed) return;
    const ran = mtimeMs === undefined ? [] : all.filter(([, m]) => m.joinedAt <= mtimeMs && (m.leftAt === undefined || mtimeMs <= m.leftAt));
    // A deletion has no write time, and a coarse file clock may put one outside every session: then every
    // session still counted in the folder shares it.
    const members = ran.length ? ran : all;
    members[0][1].report({ path, reason, sessions: members.map(([id]) => id) });
  }

  /**
   * Stops watching `dir` now, whoever lingers there (a trial's folder about to be removed: a watcher on a folder
   * deleted under it is never released, and keeps the process alive).
   */
  async release(dir: string): Promise<void> {
    const key = resolve(dir);
    const f = this.folders.get(key);
    if (!f) return;
    this.folders.delete(key);
    f.members.clear();
    await f.watcher.then((w) => w?.close());
  }

  /** Closes every watcher now (the execution is over). */
  async close(): Promise<void> {
    this.closed = true;
    const folders = [...this.folders.values()];
    this.folders.clear();
    await Promise.all(folders.map((f) => f.watcher.then((w) => w?.close())));
  }
}
