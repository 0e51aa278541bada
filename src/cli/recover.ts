// `conductor recover ID`: a log damaged in the middle (a bad line, a seq going back, an event the execution could not
// have had) is backed up beside itself, then cut back to its last good event, so status and resume work again.
// The derived files (execution.json, manifest.json, trajectories) are rewritten from what is kept.
import { copyFileSync, constants, existsSync, fsyncSync, ftruncateSync, openSync, closeSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { resolveConfig } from '../adapters/input/config';
import { fsyncDir } from '../adapters/store/atomic';
import { EventLog, scanJsonlLog } from '../adapters/store/event-log';
import { acquireLock } from '../adapters/store/lock';
import { isExecId } from '../adapters/store/paths';
import type { ConductorEvent } from '../core/events';
import { formatDiagnostic } from '../core/load/index';
import { reduce } from '../core/machine';
import { UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import { rebuildTrajectories } from '../runtime/rebuild-trajectories';
import { DiskRecorder, runPaths } from '../runtime/recorder';
import { InputError, outputRoots, type OpenFlags } from './open-execution';
import type { RunIO } from './run';

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export async function recoverCommand(id: string, flags: OpenFlags & { cwd: string }, io: RunIO): Promise<number> {
  const cfg = await resolveConfig({ cwd: flags.cwd });
  if (!cfg.ok) throw new InputError(formatDiagnostic(cfg.diagnostics[0]), cfg.diagnostics.map((d) => formatDiagnostic(d)));
  if (!isExecId(id)) throw new InputError(`"${id}" is not an execution id (they look like exec-20261121-140211-a1b2)`);
  const paths = runPaths(outputRoots(cfg.value, flags.cwd, flags.out), id);
  if (!existsSync(paths.events)) throw new InputError(`no execution ${id}: ${paths.events} does not exist (see \`conductor status\`)`);
  const rel = (p: string) => relative(flags.cwd, p) || p;
  // A running conductor is the log's only writer: never cut a log under it.
  const lock = acquireLock(paths.traceDir);
  try {
    const scan = scanJsonlLog(paths.events);
    // Lines that parse can still be events the execution could not have had: the first the replay refuses is bad too.
    let state: ExecState | undefined;
    let keep = scan.events.length;
    let refused: string | undefined;
    for (const [i, e] of scan.events.entries()) {
      try {
        state = reduce(state, e as unknown as ConductorEvent).state;
      } catch (err) {
        keep = i;
        refused = err instanceof Error ? err.message : String(err);
        break;
      }
    }
    const cutAt = keep < scan.events.length ? scan.offsets[keep] : scan.bad?.offset;
    if (cutAt === undefined) {
      io.stdout.write(`${rel(paths.events)}: nothing to recover: all ${scan.events.length} events are good\n`);
      return 0;
    }
    const line = keep < scan.events.length ? undefined : scan.bad!.line;
    const why = refused !== undefined ? `event seq ${scan.events[keep].seq} cannot be replayed: ${refused}` : `line ${line}: ${scan.bad!.reason}`;
    if (keep === 0 || !state) throw new InputError(`${rel(paths.events)}: ${why}; there is no good event before it to keep`);

    const backup = `${paths.events}.bak-${stamp(new Date())}`;
    copyFileSync(paths.events, backup, constants.COPYFILE_EXCL);
    const fd = openSync(paths.events, 'r+');
    try {
      ftruncateSync(fd, cutAt);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncDir(paths.traceDir);

    const events = scan.events.slice(0, keep) as unknown as ConductorEvent[];
    rebuildTrajectories(events, paths);
    const log = EventLog.openForAppend(paths.traceDir);
    const recorder = new DiskRecorder(log, paths);
    recorder.snapshot(state, true);
    recorder.close();

    const dropped = refused !== undefined ? scan.events.length - keep + (scan.bad ? scan.dropped : 0) : scan.dropped;
    const lastSeq = scan.events[keep - 1].seq;
    io.stdout.write(
      [
        `${rel(paths.events)}: ${why}`,
        `backed up the log to ${rel(backup)}`,
        `kept ${keep} event${keep === 1 ? '' : 's'} (up to seq ${lastSeq}), dropped ${dropped} line${dropped === 1 ? '' : 's'} from there on`,
        `rewrote ${basename(paths.snapshot)}, ${basename(paths.manifest)} and the trajectories from what was kept`,
        `execution ${id} is ${state.status}${UNFINISHED_EXEC_STATUSES.includes(state.status) ? `; continue with: conductor resume ${id}` : ''}`,
      ].join('\n') + '\n',
    );
    return 0;
  } finally {
    lock.release();
  }
}
