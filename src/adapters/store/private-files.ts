// Files only an agent may read: its real (unredacted) prompt and sim script. They live in one 0700 folder
// under the system temp dir per conductor process, and the folder does not outlive the process, however
// it ends: a kill -9 runs no cleanup of ours, so a small detached `sh` holds the read end of a pipe from
// us and deletes the folder when the pipe closes (the kernel closes our end when we die, whatever killed
// us). A normal exit also removes it at once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';

/** `read` returns at end of input: only when every copy of the write end is closed (ours is close-on-exec). */
const SWEEPER = 'read _line; rm -rf -- "$1"';

let root: string | undefined;

function remove(): void {
  if (root) rmSync(root, { recursive: true, force: true });
}

/** This process's private folder, created (with its sweeper) on first use. */
export function privateRoot(): string {
  if (root && existsSync(root)) return root;
  root = mkdtempSync(join(tmpdir(), 'conductor-private-'));
  try {
    const sweeper = spawn('sh', ['-c', SWEEPER, 'conductor-sweeper', root], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], cwd: '/' });
    sweeper.on('error', () => undefined);
    sweeper.stdin?.on('error', () => undefined);
    // Neither the sweeper nor its pipe keeps this process alive.
    (sweeper.stdin as Socket | null)?.unref();
    sweeper.unref();
  } catch {
    // No sh: the exit handler below is all there is.
  }
  process.once('exit', remove);
  return root;
}

/** A fresh 0700 folder for one session's private files; remove it when the session ends. */
export function privateSessionDir(): string {
  return mkdtempSync(join(privateRoot(), 'session-'));
}
