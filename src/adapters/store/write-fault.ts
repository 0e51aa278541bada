// A write to proof/ or trace/ that the disk refused (full, read-only, I/O error). Such a fault is not
// something conductor can work around mid-run: the writer that met it keeps what it had written valid
// (a partial line is cut back off), and the process-wide handler (set by the CLI) stops the execution.
import { readlinkSync } from 'node:fs';

/** Codes that mean "the disk refused the write", not a bug. */
export const WRITE_FAULT_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EROFS', 'EACCES', 'EPERM']);

export function isWriteFault(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && WRITE_FAULT_CODES.has(code);
}

/** The file behind a descriptor (Linux), for a message that names it. */
export function pathOfFd(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

let handler: ((err: NodeJS.ErrnoException) => void) | undefined;
let handling = false;

/** The CLI's reaction to a write fault (stop, say what to do, exit); without one the error is only thrown. */
export function onWriteFault(fn: ((err: NodeJS.ErrnoException) => void) | undefined): void {
  handler = fn;
}

/** Reports a write fault once to the handler, then throws it to the writer's caller. */
export function writeFault(err: NodeJS.ErrnoException, path: string | undefined): never {
  if (path && !err.path) err.path = path;
  if (handler && !handling) {
    handling = true;
    handler(err);
  }
  throw err;
}
