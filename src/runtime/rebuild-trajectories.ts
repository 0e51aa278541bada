// Trajectories are derived from the one event log: on resume each is rewritten to what the log says, so lines the
// log lost in a kill (trajectories flush on their own timer) or seqs a resumed process reissues never brick a resume.
import { rewriteTrajectory, trajectoryLine, type TrajectoryLine } from '../adapters/store/trajectory';
import type { ConductorEvent } from '../core/events';
import { reduce } from '../core/machine';
import type { ExecState } from '../core/state';
import { trajectoryOf, type ExecPaths } from './recorder';

/** Rewrites every unit's trajectory from `events`; returns the units whose file had to change. */
export function rebuildTrajectories(events: readonly ConductorEvent[], paths: ExecPaths): string[] {
  const lines = new Map<string, TrajectoryLine[]>();
  let state: ExecState | undefined;
  for (const e of events) {
    state = reduce(state, e).state;
    const at = trajectoryOf(e, state);
    if (!at) continue;
    let list = lines.get(at.unit);
    if (!list) lines.set(at.unit, (list = []));
    const ev = e as unknown as { type: string; seq: number; ts: number };
    list.push(trajectoryLine(ev, { seq: ev.seq, ts: ev.ts, unit: at.unit, session: at.session }));
  }
  const units = new Set([...(state?.order ?? []), ...lines.keys()]);
  return [...units].filter((unit) => rewriteTrajectory(paths.trajectory(unit), lines.get(unit) ?? []));
}
