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
  left?: boolean;
}

interface Folder {
  watcher: Promise<WorkspaceWatcher | undefined>;
  members: Map<string, Member>;
}

/**
 * One watcher per workspace folder, shared by the sessions running in it. A change is reported once, to
 * one member, with every session then running there: a watcher per session credited each of them with
 * every change in a shared folder. A session that left stays a member for `lingerMs`, so a change it made
 * just before exiting, seen late, is not credited to a session still running (it reads as shared).
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
      f.watcher = this.watch(dir, (path, reason) => this.touched(f, path, reason), { ignore: this.opts.ignore }).catch(() => undefined);
      this.folders.set(key, f);
      folder = f;
    }
    const me: Member = { report, overlapped: new Set() };
    for (const [other, m] of folder.members) {
      if (other === session) continue;
      m.overlapped.add(session);
      me.overlapped.add(other);
    }
    folder.members.set(session, me);
    await folder.watcher;
    const f = folder;
    return {
      leave: () => {
        if (me.left) return;
        me.left = true;
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

  private touched(f: Folder, path: string, reason: TouchReason): void {
    const members = [...f.members.entries()];
    if (!members.length || this.closed) return;
    members[0][1].report({ path, reason, sessions: members.map(([id]) => id) });
  }

  /** Closes every watcher now (the execution is over). */
  async close(): Promise<void> {
    this.closed = true;
    const folders = [...this.folders.values()];
    this.folders.clear();
    await Promise.all(folders.map((f) => f.watcher.then((w) => w?.close())));
  }
}
