// Watches a session's workspace with chokidar and reports touched files (relative paths),
// ignoring .git and node_modules.
import { watch } from 'chokidar';
import { relative, sep } from 'node:path';

export type TouchReason = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface WorkspaceWatcher {
  close(): Promise<void>;
}

const IGNORED = /(^|[/\\])(\.git|node_modules)([/\\]|$)/;
const READY_TIMEOUT_MS = 3000;

export async function watchWorkspace(dir: string, onTouch: (path: string, reason: TouchReason) => void): Promise<WorkspaceWatcher> {
  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (path: string) => IGNORED.test(relative(dir, path)),
    awaitWriteFinish: false,
    persistent: true,
  });
  watcher.on('all', (event, path) => {
    if (event === 'add' || event === 'change' || event === 'unlink' || event === 'addDir' || event === 'unlinkDir') {
      const rel = relative(dir, path).split(sep).join('/');
      if (rel) onTouch(rel, event);
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
