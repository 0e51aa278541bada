// What a session changed in its workspace, git or not: a bounded snapshot of the folder when the session
// starts (paths, sizes, mtimes, content hashes, and the text of small files), compared with the folder as
// it is later. The snapshot and the comparison are plain data, so they can be kept and compared again
// (one provider's changes against another's).
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface SnapshotEntry {
  size: number;
  mtimeMs: number;
  /** sha1 of the content, for files of at most `hashBytes`. */
  hash?: string;
  /** The content, for text files of at most `textBytes` while the snapshot's text budget lasts. */
  text?: string;
  /** Holds a NUL byte in its first 8 KiB: no line counts. */
  binary?: true;
}

export interface WorkspaceSnapshot {
  dir: string;
  takenAt: number;
  files: Map<string, SnapshotEntry>;
  /** The walk stopped at `maxFiles`: files past it are not in the snapshot. */
  capped?: number;
}

export interface SnapshotLimits {
  /** Folders left out (conductor's output roots); a root holding `dir` itself is not left out. */
  ignore?: string[];
  maxFiles?: number;
  hashBytes?: number;
  textBytes?: number;
  /** Total text kept for line counts. */
  textBudget?: number;
  /** Total bytes read for hashes; past it files are compared by size and mtime. */
  hashBudget?: number;
}

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface DiffFile {
  path: string;
  status?: ChangeStatus;
  added: number;
  removed: number;
  /** Binary or too large to count lines in: `added`/`removed` are 0. */
  uncounted?: true;
}

export interface SnapshotDiff {
  files: DiffFile[];
  /** Either walk stopped at this many files: changes past it are not seen. */
  capped?: number;
}

const DEFAULTS = { maxFiles: 20_000, hashBytes: 8 * 1024 * 1024, textBytes: 256 * 1024, textBudget: 16 * 1024 * 1024, hashBudget: 128 * 1024 * 1024 };
const SKIP = new Set(['.git', 'node_modules']);

const within = (root: string, p: string): boolean => {
  const rel = relative(root, p);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
};

/**
 * The folder's files, up to `maxFiles`. Given the `prior` snapshot it is compared with, and that one was
 * capped, files it never saw that are older than it are passed over without counting towards the cap:
 * they were there before and unchanged since, so a later walk still reaches the ones that are new.
 */
export async function takeSnapshot(dir: string, limits: SnapshotLimits = {}, prior?: WorkspaceSnapshot): Promise<WorkspaceSnapshot> {
  const l = { ...DEFAULTS, ...limits };
  const root = resolve(dir);
  const ignore = (limits.ignore ?? []).map((p) => resolve(p)).filter((r) => !within(r, root));
  const files = new Map<string, SnapshotEntry>();
  const snap: WorkspaceSnapshot = { dir: root, takenAt: Date.now(), files };
  let budget = l.textBudget;
  let hashBudget = l.hashBudget;
  // Sorted, breadth first: a capped walk keeps the same files each time it is taken.
  const queue = [''];
  while (queue.length) {
    const rel = queue.shift()!;
    let names: string[];
    try {
      names = (await readdir(join(root, rel))).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const relPath = rel ? `${rel}/${name}` : name;
      const abs = join(root, relPath);
      if (SKIP.has(name) || ignore.some((r) => within(r, abs))) continue;
      let st;
      try {
        st = await lstat(abs);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        queue.push(relPath);
        continue;
      }
      if (!st.isFile()) continue;
      if (prior?.capped && !prior.files.has(relPath) && st.mtimeMs < prior.takenAt) continue;
      if (files.size >= l.maxFiles) {
        snap.capped = l.maxFiles;
        return snap;
      }
      const entry: SnapshotEntry = { size: st.size, mtimeMs: st.mtimeMs };
      if (st.size <= l.hashBytes && st.size <= hashBudget) {
        hashBudget -= st.size;
        try {
          const buf = await readFile(abs);
          entry.hash = createHash('sha1').update(buf).digest('hex');
          if (buf.subarray(0, 8192).includes(0)) entry.binary = true;
          else if (buf.length <= l.textBytes && buf.length <= budget) {
            entry.text = buf.toString('utf8');
            budget -= buf.length;
          }
        } catch {
          /* gone or unreadable since it was listed: size and mtime still tell a change */
        }
      }
      files.set(relPath, entry);
    }
  }
  return snap;
}

const same = (a: SnapshotEntry, b: SnapshotEntry): boolean =>
  a.hash !== undefined && b.hash !== undefined ? a.hash === b.hash : a.size === b.size && a.mtimeMs === b.mtimeMs;

const linesOf = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/**
 * Lines added and removed as a multiset difference: each line counts as many times as it occurs more
 * often on one side. No LCS: it matches `git diff --numstat` for additions, deletions and replaced
 * lines, and counts a line that only moved as unchanged, in linear time and with no git needed.
 */
export function countLines(before: string, after: string): { added: number; removed: number } {
  const counts = new Map<string, number>();
  for (const line of linesOf(before)) counts.set(line, (counts.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of linesOf(after)) {
    const n = counts.get(line) ?? 0;
    if (n > 0) counts.set(line, n - 1);
    else added++;
  }
  let removed = 0;
  for (const n of counts.values()) removed += n;
  return { added, removed };
}

/** What changed from `before` to `after` (two snapshots of one folder), sorted by path. */
export function compareSnapshots(before: WorkspaceSnapshot, after: WorkspaceSnapshot): SnapshotDiff {
  const files: DiffFile[] = [];
  const lines = (path: string, status: ChangeStatus, a?: SnapshotEntry, b?: SnapshotEntry): DiffFile => {
    const countable = (e?: SnapshotEntry) => !e || (!e.binary && e.text !== undefined);
    if (!countable(a) || !countable(b)) return { path, status, added: 0, removed: 0, uncounted: true };
    return { path, status, ...countLines(a?.text ?? '', b?.text ?? '') };
  };
  for (const [path, b] of after.files) {
    const a = before.files.get(path);
    if (!a) {
      // Past the first walk's cap a file may simply not have been seen: only one written since counts as new.
      if (before.capped && b.mtimeMs < before.takenAt) continue;
      files.push(lines(path, 'added', undefined, b));
    } else if (!same(a, b)) files.push(lines(path, 'modified', a, b));
  }
  for (const [path, a] of before.files) {
    // A capped second walk may have stopped before reaching it.
    if (after.files.has(path) || after.capped) continue;
    files.push(lines(path, 'deleted', a, undefined));
  }
  files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const capped = before.capped ?? after.capped;
  return capped ? { files, capped } : { files };
}

/** What changed in the snapshot's folder since it was taken. */
export async function diffSince(before: WorkspaceSnapshot, limits: SnapshotLimits = {}): Promise<SnapshotDiff> {
  return compareSnapshots(before, await takeSnapshot(before.dir, limits, before));
}
