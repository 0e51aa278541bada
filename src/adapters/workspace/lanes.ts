// A comparison's lanes on disk: each lane's workspace is snapshotted once made (its base, kept in
// trace/<exec>/lanes/ so a resume compares against the same base), and compared with it when the execution
// ends. What each lane changed, with the text of both versions of small files, is what the report's
// diff of diffs is made from.
import { existsSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../store/atomic';
import { compareSnapshots, takeSnapshot, type DiffFile, type SnapshotEntry, type SnapshotLimits, type WorkspaceSnapshot } from './snapshot';

/** One file a lane changed: its line counts, and both versions' text when small and not binary. */
export interface LaneFile extends DiffFile {
  /** sha1 of the lane's version (absent for a deleted file or one too large to hash). */
  hash?: string;
  before?: string;
  after?: string;
}

export interface LaneChanges {
  lane: string;
  /** The folder the lane ran in. */
  dir: string;
  files: LaneFile[];
  /** A walk stopped at this many files: changes past it are not seen. */
  capped?: number;
}

interface StoredSnapshot {
  dir: string;
  takenAt: number;
  capped?: number;
  files: [string, SnapshotEntry][];
}

/** Snapshots the lane's freshly made workspace and keeps it (already kept: left as it is, the base does not move on resume). */
export async function saveLaneBase(file: string, dir: string, limits: SnapshotLimits = {}): Promise<void> {
  if (existsSync(file)) return;
  const snap = await takeSnapshot(dir, limits);
  const stored: StoredSnapshot = { dir: snap.dir, takenAt: snap.takenAt, files: [...snap.files], ...(snap.capped ? { capped: snap.capped } : {}) };
  // The base holds the project's own files: redacted like everything else conductor keeps.
  writeJsonAtomic(file, stored);
}

function loadBase(file: string): WorkspaceSnapshot {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSnapshot;
  return { dir: stored.dir, takenAt: stored.takenAt, files: new Map(stored.files), ...(stored.capped ? { capped: stored.capped } : {}) };
}

/** What the lane changed in `dir` since its base was taken. */
export async function laneChanges(lane: string, baseFile: string, dir: string, limits: SnapshotLimits = {}): Promise<LaneChanges> {
  const base = loadBase(baseFile);
  const now = await takeSnapshot(dir, limits);
  const diff = compareSnapshots({ ...base, dir: now.dir }, now);
  const files = diff.files.map((f): LaneFile => {
    const a = base.files.get(f.path);
    const b = now.files.get(f.path);
    const out: LaneFile = { ...f };
    if (b?.hash) out.hash = b.hash;
    if (a?.text !== undefined) out.before = a.text;
    if (b?.text !== undefined) out.after = b.text;
    return out;
  });
  return { lane, dir: now.dir, files, ...(diff.capped ? { capped: diff.capped } : {}) };
}

export function writeLaneChanges(file: string, changes: LaneChanges): void {
  writeJsonAtomic(file, changes);
}

/** A lane's stored changes; undefined when the lane never finished (or the file is unreadable). */
export function readLaneChanges(file: string): LaneChanges | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LaneChanges;
  } catch {
    return undefined;
  }
}

/** Every lane's stored changes, by lane (undefined for a lane not recorded). */
export function readLanesChanges(lanes: readonly string[], fileOf: (lane: string) => string): Record<string, LaneChanges | undefined> {
  return Object.fromEntries(lanes.map((l) => [l, readLaneChanges(fileOf(l))]));
}
