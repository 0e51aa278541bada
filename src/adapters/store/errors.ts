// Typed errors raised by the store: each names the file (and line) a person has to look at.
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A line in the middle of events.jsonl (or a trajectory) is not a valid event. */
export class EventLogCorruptError extends StoreError {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
  ) {
    // An execution's own log (trace/<exec>/events.jsonl) can be cut back to its last good event; say how.
    const hint = basename(path) === 'events.jsonl' ? `; to continue, run \`conductor recover ${basename(dirname(path))}\` (it backs the log up, then drops line ${line} and after)` : '';
    super(`${path}:${line}: corrupt event log line (${reason}); the log cannot be replayed past it${hint}`);
  }
}

/** An append carried a seq that is not greater than the last one in the log. */
export class EventSeqError extends StoreError {
  constructor(
    readonly path: string,
    readonly seq: number,
    readonly lastSeq: number,
  ) {
    super(`${path}: refusing event with seq ${seq}: seq must be greater than ${lastSeq}`);
  }
}

export class JsonFileError extends StoreError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export class CastFormatError extends StoreError {
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${path}:${line}: not an asciicast v2 recording (${reason})`);
  }
}

export class InvalidIdError extends StoreError {
  constructor(
    readonly id: string,
    what: string,
  ) {
    super(`invalid ${what} ${JSON.stringify(id)}: use letters, digits, '.', '_' and '-' only`);
  }
}

export interface LockHolder {
  pid: number;
  startedAt: string;
  host: string;
}

/** Another live process holds the execution's OS lock (lock.json, when it is there, says who). */
export class LockedError extends StoreError {
  constructor(
    readonly exec: string,
    readonly holder: LockHolder | undefined,
    readonly lockPath: string,
  ) {
    let who = 'its lock.json is gone';
    if (holder) {
      const since = new Date(holder.startedAt);
      const when = Number.isNaN(since.getTime()) ? holder.startedAt : since.toTimeString().slice(0, 8);
      const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
      who = `pid ${holder.pid}${where}, since ${when}`;
    }
    super(`execution ${exec} is already open in another conductor (${who}); close it first`);
  }
}
