// Watches a workspace folder with chokidar and reports touched files (relative paths),
// ignoring .git, node_modules and conductor's own output folders.
import { watch } from 'chokidar';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { TouchReason } from '../../core/events';

export type { TouchReason };

/** `mtimeMs`: when the file was last written, where the watcher knows (not for deletions). */
export type OnTouch = (path: string, reason: TouchReason, mtimeMs?: number) => void;

export type WatchFn = (dir: string, onTouch: OnTouch, opts?: WatchOptions) => Promise<WorkspaceWatcher>;

export interface WorkspaceWatcher {
  close(): Promise<void>;
}

const IGNORED = /(^|[/\\])(\.git|node_modules)([/\\]|$)/;
const READY_TIMEOUT_MS = 3000;

const within = (root: string, p: string): boolean => {
  const rel = relative(root, p);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
};

export interface WatchOptions {
  /**
   * Folders whose changes are not the agent's: the proof/ and trace/ roots, where conductor itself writes. A root
   * that holds the workspace (a fixture copy under trace/) is not ignored, or nothing would be seen.
   */
  ignore?: string[];
}

export async function watchWorkspace(dir: string, onTouch: OnTouch, opts: WatchOptions = {}): Promise<WorkspaceWatcher> {
  const outputs = (opts.ignore ?? []).map((p) => resolve(p)).filter((root) => !within(root, resolve(dir)));
  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (path: string) => IGNORED.test(relative(dir, path)) || outputs.some((root) => within(root, resolve(path))),
    awaitWriteFinish: false,
    persistent: true,
    // The write time tells which session wrote a file that was seen late.
    alwaysStat: true,
  });
  watcher.on('all', (event, path, stats) => {
    if (event === 'add' || event === 'change' || event === 'unlink' || event === 'addDir' || event === 'unlinkDir') {
      const rel = relative(dir, path).split(sep).join('/');
      if (rel) onTouch(rel, event, event === 'unlink' || event === 'unlinkDir' ? undefined : stats?.mtimeMs);
    }
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, READY_TIMEOUT_MS);
    watcher.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
    watcher.once('error', () => resolve());
  });
  return { close: () => watcher.close() };
}
