// A comparison's figures: one row per lane (provider) from the execution's state, and the diff of diffs
// from what each lane changed in its workspace. Pure: the lanes' changes are read by the caller.
import { createTwoFilesPatch } from 'diff';
import { summarizeScenario, trialDuration } from './stats';
import { TERMINAL_UNIT_STATUSES, type ExecState, type UnitState } from './state';

/** One lane's figures (the report's json keys). `tokens` and `cost` are null when no session reported them. */
export interface CompareRow {
  provider: string;
  status: 'passed' | 'failed' | 'cancelled' | 'running' | 'pending';
  durationMs: number | null;
  /** Approvals the lane's agents asked (dialogs of the CLI excluded), and how many of them were denied. */
  approvals: number;
  denied: number;
  /** Commands the agents were allowed to run (from their approval prompts), and how many. */
  commands: number;
  commandList: string[];
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
  /** Checks passed of those run, and the expected outputs missing. */
  checks: { passed: number; total: number };
  steps: { passed: number; total: number };
  tokens: number | null;
  cost: number | null;
  /** Why the lane failed: its first failed step and that step's reason. */
  reason?: string;
}

/** The units of each lane, in execution order. */
export function laneUnits(state: ExecState, lane: string): UnitState[] {
  return state.order.map((id) => state.units[id]).filter((u) => u.lane === lane);
}

function laneStatus(units: UnitState[]): CompareRow['status'] {
  if (units.every((u) => u.status === 'pending')) return 'pending';
  if (!units.every((u) => TERMINAL_UNIT_STATUSES.includes(u.status))) return 'running';
  if (units.some((u) => u.status === 'cancelled')) return 'cancelled';
  return units.every((u) => u.status === 'passed') ? 'passed' : 'failed';
}

/** What a lane changed: its own changes when recorded (the whole lane, start to end), else the sum of its steps' diffs. */
export interface LaneTotals {
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
}

export function compareRows(state: ExecState, changes: Record<string, LaneChangesLike | undefined> = {}, now = state.lastTs): CompareRow[] {
  return (state.lanes ?? []).map((lane) => {
    const units = laneUnits(state, lane);
    const sessions = units.flatMap((u) => u.sessions.map((s) => state.sessions[s]).filter(Boolean));
    const approvals = Object.values(state.approvals).filter((a) => !a.dialog && units.some((u) => u.id === a.unit));
    const allowed = approvals.filter((a) => a.decision === 'allow' || a.decision === 'always').map((a) => a.command);
    const started = units.map((u) => u.startedAt).filter((t): t is number => t !== undefined);
    const ended = units.map((u) => u.finishedAt).filter((t): t is number => t !== undefined);
    const status = laneStatus(units);
    const durationMs = started.length ? (status === 'running' ? now : Math.max(...ended, ...started)) - Math.min(...started) : null;
    const total = (xs: (number | undefined)[]): number | null => (xs.some((x) => x !== undefined) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
    const recorded = changes[lane];
    const totals: LaneTotals = recorded
      ? {
          filesChanged: recorded.files.length,
          linesAdded: recorded.files.reduce((a, f) => a + f.added, 0),
          linesRemoved: recorded.files.reduce((a, f) => a + f.removed, 0),
        }
      : {
          filesChanged: new Set(units.flatMap((u) => (u.diff ?? []).map((f) => f.path))).size,
          linesAdded: units.reduce((a, u) => a + (u.diff ?? []).reduce((b, f) => b + f.added, 0), 0),
          linesRemoved: units.reduce((a, u) => a + (u.diff ?? []).reduce((b, f) => b + f.removed, 0), 0),
        };
    const checks = units.flatMap((u) => u.checks);
    const failed = units.find((u) => u.status === 'failed' || u.status === 'error');
    const row: CompareRow = {
      provider: lane,
      status,
      durationMs,
      approvals: approvals.length,
      denied: approvals.filter((a) => a.decision === 'deny').length,
      commands: allowed.length,
      commandList: [...new Set(allowed)],
      ...totals,
      checks: { passed: checks.filter((c) => c.status === 'passed').length, total: checks.length },
      steps: { passed: units.filter((u) => u.status === 'passed').length, total: units.length },
      tokens: total(sessions.map((s) => s.usage?.tokens)),
      cost: total(sessions.map((s) => s.usage?.cost)),
    };
    if (failed) row.reason = `${failed.step ?? failed.id}: ${failed.reason ?? failed.status}`;
    return row;
  });
}

/** The shape of a lane's recorded changes the comparison needs (adapters/workspace/lanes writes it). */
export interface LaneChangesLike {
  lane: string;
  files: { path: string; status?: 'added' | 'modified' | 'deleted'; added: number; removed: number; uncounted?: true; hash?: string; after?: string }[];
  capped?: number;
}

/** A file some lanes changed: which did, and for those whose versions differ, a unified diff from the first one's. */
export interface DiffOfDiffsFile {
  path: string;
  /** Lanes that changed it, and how (added, modified, deleted). */
  changedBy: { provider: string; status: string; added: number; removed: number }[];
  /** Lanes that left it as it was. */
  unchangedBy: string[];
  /** Every lane that changed it ended with the same content. */
  same: boolean;
  /** Between the first changing lane's version and each other one's that differs (absent: binary or too large). */
  diffs: { from: string; to: string; patch?: string; note?: string }[];
}

export interface DiffOfDiffs {
  providers: string[];
  /** Files only one lane changed, by lane. */
  onlyIn: Record<string, string[]>;
  /** Every file any lane changed, sorted by path. */
  files: DiffOfDiffsFile[];
  /** Lanes whose changes were not recorded (never finished): left out. */
  missing: string[];
}

/** The most of one file's diff kept, so a huge rewrite does not swamp the report. */
const PATCH_LIMIT = 64 * 1024;

export function diffOfDiffs(lanes: string[], changes: Record<string, LaneChangesLike | undefined>): DiffOfDiffs {
  const present = lanes.filter((l) => changes[l]);
  const byPath = new Map<string, Map<string, LaneChangesLike['files'][number]>>();
  for (const lane of present) {
    for (const f of changes[lane]!.files) {
      if (!byPath.has(f.path)) byPath.set(f.path, new Map());
      byPath.get(f.path)!.set(lane, f);
    }
  }
  const onlyIn: Record<string, string[]> = Object.fromEntries(present.map((l) => [l, [] as string[]]));
  const files: DiffOfDiffsFile[] = [];
  for (const path of [...byPath.keys()].sort()) {
    const by = byPath.get(path)!;
    const changers = present.filter((l) => by.has(l));
    if (changers.length === 1) onlyIn[changers[0]].push(path);
    const version = (l: string) => {
      const f = by.get(l)!;
      return f.status === 'deleted' ? '' : f.after;
    };
    const key = (l: string) => {
      const f = by.get(l)!;
      return f.status === 'deleted' ? 'deleted' : (f.hash ?? f.after ?? `?${l}`);
    };
    const first = changers[0];
    const diffs: DiffOfDiffsFile['diffs'] = [];
    for (const other of changers.slice(1)) {
      if (key(other) === key(first)) continue;
      const a = version(first);
      const b = version(other);
      if (a === undefined || b === undefined) {
        diffs.push({ from: first, to: other, note: 'binary or too large to show' });
        continue;
      }
      const patch = createTwoFilesPatch(`${first}/${path}`, `${other}/${path}`, a, b, undefined, undefined, { context: 3 });
      diffs.push(patch.length > PATCH_LIMIT ? { from: first, to: other, patch: patch.slice(0, PATCH_LIMIT), note: `cut at ${PATCH_LIMIT / 1024} KiB` } : { from: first, to: other, patch });
    }
    files.push({
      path,
      changedBy: changers.map((l) => {
        const f = by.get(l)!;
        return { provider: l, status: f.status ?? 'modified', added: f.added, removed: f.removed };
      }),
      unchangedBy: present.filter((l) => !by.has(l)),
      same: changers.length > 1 && diffs.length === 0,
      diffs,
    });
  }
  return { providers: lanes, onlyIn, files, missing: lanes.filter((l) => !changes[l]) };
}

/** A scenario provider's figures over its trials: a `CompareRow` with the pass counts beside. */
export interface ScenarioCompareRow extends CompareRow {
  /** The median duration of its counted trials (`durationMs`), and their sum. */
  durationTotalMs: number | null;
  /** Trials passed of those counted (passed, failed or error; see core/stats), and of all. */
  trials: { passed: number; counted: number; total: number };
  passRate: number | null;
}

/**
 * A scenario's providers side by side, one row per provider over all its trials: `status` is whether its pass
 * rate reached the threshold (running or pending while some trial is not finished), `durationMs` the median trial
 * duration (`durationTotalMs` their sum), approvals, commands and the lines and files changed summed over the
 * trials (each trial has its own workspace, so a file two trials changed counts twice), `checks` the assertions
 * passed of those judged plus any check commands, `steps` the trials passed of those counted, and tokens and cost
 * summed over the sessions that reported them (null when none did).
 */
export function scenarioCompareRows(state: ExecState): ScenarioCompareRow[] {
  return summarizeScenario(state).providers.map((p) => {
    const units = p.units.map((id) => state.units[id]);
    const sessions = units.flatMap((u) => u.sessions.map((s) => state.sessions[s]).filter(Boolean));
    const ids = new Set(p.units);
    const approvals = Object.values(state.approvals).filter((a) => !a.dialog && ids.has(a.unit));
    const allowed = approvals.filter((a) => a.decision === 'allow' || a.decision === 'always').map((a) => a.command);
    const sum = (xs: (number | undefined)[]): number | null => (xs.some((x) => x !== undefined) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
    const durations = units.filter((u) => COUNTED_TRIAL.includes(u.status)).map((u) => trialDuration(state, u)).filter((d): d is number => d !== undefined);
    const diffs = units.flatMap((u) => u.diff ?? []);
    const judged = units.flatMap((u) => u.assertions);
    const checks = units.flatMap((u) => u.checks);
    const status: CompareRow['status'] = units.every((u) => u.status === 'pending')
      ? 'pending'
      : !units.every((u) => TERMINAL_UNIT_STATUSES.includes(u.status))
        ? 'running'
        : p.meetsThreshold
          ? 'passed'
          : 'failed';
    const counted = p.passed + p.failed + p.errors;
    const row: ScenarioCompareRow = {
      provider: p.provider,
      status,
      durationMs: p.durationMs.p50 ?? null,
      durationTotalMs: durations.length ? durations.reduce((a, b) => a + b, 0) : null,
      approvals: approvals.length,
      denied: approvals.filter((a) => a.decision === 'deny').length,
      commands: allowed.length,
      commandList: [...new Set(allowed)],
      filesChanged: diffs.length,
      linesAdded: diffs.reduce((a, f) => a + f.added, 0),
      linesRemoved: diffs.reduce((a, f) => a + f.removed, 0),
      checks: {
        passed: judged.filter((a) => (a.status ?? (a.passed ? 'passed' : 'failed')) === 'passed').length + checks.filter((c) => c.status === 'passed').length,
        total: judged.length + checks.length,
      },
      steps: { passed: p.passed, total: counted },
      tokens: sum(sessions.map((s) => s.usage?.tokens)),
      cost: sum(sessions.map((s) => s.usage?.cost)),
      trials: { passed: p.passed, counted, total: p.trials },
      passRate: p.passRate ?? null,
    };
    if (status === 'failed') {
      const threshold = `${((state.threshold ?? 1) * 100).toFixed(1)} %`;
      row.reason = p.passRate === undefined ? `no trial counted (threshold ${threshold})` : `pass rate ${(p.passRate * 100).toFixed(1)} % below the threshold ${threshold}`;
    }
    return row;
  });
}

const COUNTED_TRIAL: readonly string[] = ['passed', 'failed', 'error'];
