// What each session does to its workspace: the folder's shared watcher (changes credited to the one session
// running there, or marked shared) and a snapshot taken as the session starts, to say at its end what it
// changed since, with or without git.
import { diffSince, takeSnapshot, type SnapshotDiff, type SnapshotLimits, type WorkspaceSnapshot } from './snapshot';
import { WatchHub, type Membership, type Touch } from './hub';
import type { WatchFn } from './watch';

export interface SessionDiff extends SnapshotDiff {
  /** Other sessions ran in the same folder meanwhile: some of these changes may be theirs. */
  shared?: string[];
}

export interface TrackerOptions {
  /** conductor's output roots: neither watched nor snapshotted. */
  ignore: string[];
  /** The watcher (default: chokidar, loaded on first use); `null` watches nothing. */
  watch?: WatchFn | null;
  /** Take start snapshots for `diff` (default true). */
  snapshots?: boolean;
  lingerMs?: number;
  limits?: SnapshotLimits;
}

/** How long a session that left is still a member of its folder's watcher (for changes seen late). */
const LINGER_MS = 5000;

export class WorkspaceTracker {
  private hub?: Promise<WatchHub | undefined>;
  private readonly baselines = new Map<string, Promise<WorkspaceSnapshot | undefined>>();
  private readonly members = new Map<string, Membership>();
  private readonly gone = new Set<string>();

  constructor(private readonly o: TrackerOptions) {}

  private watchHub(): Promise<WatchHub | undefined> {
    const watch = this.o.watch;
    this.hub ??= (watch === null ? Promise.resolve(undefined) : watch ? Promise.resolve(watch) : import('./watch').then((m) => m.watchWorkspace)).then((fn) =>
      fn ? new WatchHub(fn, { ignore: this.o.ignore, lingerMs: this.o.lingerMs ?? LINGER_MS }) : undefined,
    );
    return this.hub;
  }

  /** A session starts in `dir`: its start snapshot is taken and it joins the folder's watcher. */
  async enter(dir: string, session: string, report: (t: Touch) => void): Promise<void> {
    if (this.o.snapshots !== false) {
      const limits = { ...this.o.limits, ignore: this.o.ignore };
      this.baselines.set(session, takeSnapshot(dir, limits).catch(() => undefined));
    }
    const hub = await this.watchHub();
    if (hub) {
      const m = await hub.join(dir, session, report);
      this.members.set(session, m);
      // Stopped while it was joining: it must not stay a member and make every later change "shared".
      if (this.gone.has(session)) m.leave();
    }
    await this.baselines.get(session);
  }

  /** The session's process is gone. */
  leave(session: string): void {
    this.gone.add(session);
    this.members.get(session)?.leave();
  }

  /** What the session changed since it started (once; undefined without a start snapshot). */
  async diff(session: string): Promise<SessionDiff | undefined> {
    const base = await this.baselines.get(session);
    this.baselines.delete(session);
    const shared = this.members.get(session)?.overlapped() ?? [];
    this.members.delete(session);
    if (!base) return undefined;
    const d = await diffSince(base, { ...this.o.limits, ignore: this.o.ignore });
    return shared.length ? { ...d, shared } : d;
  }

  /** The session ended without being verified (failed, stopped): its start snapshot is not needed. */
  forget(session: string): void {
    this.baselines.delete(session);
  }

  /** Nothing more will run in `dir` (it is about to be removed): its watcher closes now. */
  async release(dir: string): Promise<void> {
    await (await this.hub)?.release(dir);
  }

  async close(): Promise<void> {
    this.baselines.clear();
    await (await this.hub)?.close();
  }
}
