// Builds a ready runtime for a new execution (from a plan or scenario file) or for resuming one
// (from its event log): config, input, output roots, lock, log, recorder, workspaces.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../adapters/input/config';
import { loadInputFile } from '../adapters/input/load-input';
import { assertPtyAddon } from '../adapters/pty/addon';
import type { HookLinker } from '../adapters/hooks/link';
import { createHookLinker, createHookServer, type HookServer } from '../adapters/hooks/server';
import { builtinProviders } from '../adapters/providers';
import { EventLog, readEventLog } from '../adapters/store/event-log';
import { removeStaleTemps } from '../adapters/store/atomic';
import { acquireLock } from '../adapters/store/lock';
import { redactProviderEnv, storeRedactor } from '../adapters/store/redaction';
import { isExecId, newExecId, type StoreRoots } from '../adapters/store/paths';
import { prepareWorkspace, removeWorkspace, resolveCommit } from '../adapters/workspace/prepare';
import { laneChanges, saveLaneBase, writeLaneChanges } from '../adapters/workspace/lanes';
import { expandLanes, withProviders } from '../core/lanes';
import { WorkspaceTracker } from '../adapters/workspace/track';
import type { ConductorEvent, UnitDecl } from '../core/events';
import { reduce, replay } from '../core/machine';
import { TERMINAL_UNIT_STATUSES, UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import { TrialEvents } from '../runtime/judge';
import { formatDiagnostic } from '../core/load/index';
import type { ApprovalPolicy, Config, Diagnostic, Plan, ProviderDef, Scenario, WorkspaceSpec } from '../core/types';
import { DiskRecorder, runPaths, type ExecPaths } from '../runtime/recorder';
import { realTimers, Runtime, type ApproveMode } from '../runtime/runtime';
import { SessionRunner } from '../runtime/session-runner';
import { checksMark, CHECKS_MARK_ENV, verifyUnit } from '../runtime/verify';
import { killMarked } from '../adapters/pty/tree';
import { writeReport } from '../runtime/report';
import { rebuildTrajectories } from '../runtime/rebuild-trajectories';

/** Bad input: printed as `file:line:col` lines, exit code 2 (redacted: a diagnostic may quote the plan). */
export class InputError extends Error {
  readonly lines: string[];

  constructor(message: string, lines: string[] = [message]) {
    const redact = storeRedactor().redact;
    super(redact(message));
    this.lines = lines.map(redact);
    this.name = 'InputError';
  }

  static fromDiagnostics(diagnostics: Diagnostic[]): InputError {
    const lines = diagnostics.map((d) => formatDiagnostic(d));
    return new InputError(lines[0] ?? 'invalid input', lines);
  }
}

export interface OpenFlags {
  provider?: string;
  approve?: ApproveMode;
  out?: string;
  concurrency?: number;
  /** Scenarios: how many trials per provider, and which providers (override the file). */
  trials?: number;
  providers?: string[];
  /** Scenarios: keep each trial's workspace after it is judged (they are removed by default); comparisons: keep the lanes' git worktrees. */
  keep?: boolean;
  /** `conductor compare`: the file (or --providers) must name two or more providers. */
  compare?: boolean;
}

export interface SettleOptions {
  /** Leave the lanes' worktrees in place for now (the TUI: a person may still retry a step; removed when it quits). */
  keepWorktrees?: boolean;
}

export interface Opened {
  runtime: Runtime;
  paths: ExecPaths;
  config: Config;
  /** Messages for the person (stale lock taken over, torn log line). */
  notices: string[];
  /**
   * Once the execution has finished: a comparison records what each lane changed (for the diff of diffs),
   * removes the lanes' git worktrees (unless --keep) and writes the report again with the comparison.
   */
  settle(state: ExecState, o?: SettleOptions): Promise<void>;
  release(): void;
}

/** The bundled sim agent beside the CLI bundle (this module sits in dist/ or dist/chunks/, or in src/cli/ under tests). */
export const simPath = (): string => {
  const candidates = ['./sim-agent.js', '../sim-agent.js', '../../dist/sim-agent.js'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
};

/** The hook client bundle beside the CLI bundle (dist/hook.js), as simPath finds the sim agent. */
const hookBinPath = (): string => {
  const candidates = ['./hook.js', '../hook.js', '../../dist/hook.js'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
};

/**
 * The execution's hook channel: its server starts with the first session whose provider has hooks, and
 * closes (answering what is open deny, removing the socket) with the runtime. CONDUCTOR_HOOKS=off turns
 * hooks off: the screen is then the only channel.
 */
function hookChannel(nodePath: string): { linker: HookLinker; close(): Promise<void> } {
  let server: Promise<HookServer> | undefined;
  const off = process.env.CONDUCTOR_HOOKS === 'off' || process.env.CONDUCTOR_HOOKS === '0';
  return {
    linker: async (o) => {
      if (off || !o.provider.hooks) return undefined;
      server ??= createHookServer();
      return createHookLinker(await server, { node: nodePath, bin: hookBinPath() })(o);
    },
    close: async () => {
      await (await server)?.close();
    },
  };
}

async function config(cwd: string, flags: OpenFlags): Promise<Config> {
  const loaded = await resolveConfig({ cwd, flags: { concurrency: flags.concurrency } });
  if (!loaded.ok) throw InputError.fromDiagnostics(loaded.diagnostics);
  return loaded.value;
}

export function outputRoots(cfg: Config, cwd: string, out?: string): StoreRoots {
  if (out) return { proof: resolve(cwd, out, 'proof'), trace: resolve(cwd, out, 'trace') };
  return { proof: resolve(cwd, cfg.output.proof), trace: resolve(cwd, cfg.output.trace) };
}

/** Every provider a run can use (the resolved config holds presets and configured ones); their env values are redacted from here on. */
function providers(cfg: Config): Record<string, ProviderDef> {
  const known = { ...builtinProviders, ...cfg.providers };
  redactProviderEnv(known);
  return known;
}

/** A step without its own `timeout:` gets this one (shown on the board), so no agent runs forever. */
export const DEFAULT_STEP_TIMEOUT_MS = 30 * 60_000;

/** Steps become units as declared, each with the approval policy in force (step, else plan, else project) and its time limit. */
export function unitsOf(input: Plan | Scenario, projectPolicy: ApprovalPolicy): UnitDecl[] {
  // A fixture copy (or worktree) is conductor's own: a CLI's "trust this folder?" may be answered for it.
  const ownedWorkspace = (!!input.workspace && !('path' in input.workspace)) || (input.kind === 'plan' && !!input.lanes);
  if (input.kind === 'plan') {
    return input.steps.map((s) => ({
      ...(s.lane ? { lane: s.lane, step: s.base ?? s.id } : {}),
      id: s.id,
      kind: 'step',
      agent: s.agent,
      provider: s.provider,
      dependsOn: s.dependsOn,
      expectedOutputs: s.expectedOutputs,
      approval: s.approval ?? input.approval ?? projectPolicy,
      timeout: s.timeout ?? DEFAULT_STEP_TIMEOUT_MS,
      ownedWorkspace,
    }));
  }
  return input.providers.flatMap((provider) =>
    Array.from({ length: input.trials }, (_, i) => ({
      id: `${provider}-${i + 1}`,
      kind: 'trial' as const,
      agent: input.agent,
      provider,
      dependsOn: [],
      expectedOutputs: [],
      index: i + 1,
      approval: input.approval ?? projectPolicy,
      timeout: input.timeout ?? DEFAULT_STEP_TIMEOUT_MS,
      ownedWorkspace,
    })),
  );
}

/** CLI flags that change the input itself: --concurrency, --provider, and for scenarios --trials, --providers. */
function withFlags(input: Plan | Scenario, flags: OpenFlags, known: Record<string, ProviderDef>): Plan | Scenario {
  const withConcurrency = flags.concurrency ? { ...input, concurrency: flags.concurrency } : input;
  const provided = withProvider(withConcurrency, flags.provider, known);
  const shown = relative(process.cwd(), input.file) || input.file;
  for (const p of flags.providers ?? []) {
    if (!Object.hasOwn(known, p)) throw new InputError(`unknown provider "${p}" (--providers); known providers: ${Object.keys(known).sort().join(', ')}`);
  }
  if (flags.provider && flags.providers) throw new InputError('--provider runs everything on one provider and --providers compares several: give one of them');
  if (provided.kind !== 'scenario') {
    if (flags.trials !== undefined) throw new InputError(`--trials applies to scenarios; ${shown} is a plan`);
    const providers = flags.providers && [...new Set(flags.providers)];
    if (providers?.length === 1) throw new InputError(`--providers ${providers[0]}: a comparison needs two or more providers (for one, use --provider ${providers[0]})`);
    const plan = expandLanes(withProviders(provided, providers));
    if (flags.compare && !plan.lanes) throw new InputError(`${shown} names one provider: compare it on two or more with --providers A,B, or add \`providers: [A, B]\` to it`);
    return plan;
  }
  let out: Scenario = provided;
  if (flags.trials !== undefined) out = { ...out, trials: flags.trials };
  if (flags.providers) out = { ...out, providers: [...new Set(flags.providers)] };
  if (flags.compare && out.providers.length < 2) throw new InputError(`${shown} runs on one provider: compare it on two or more with --providers A,B, or list them under \`providers:\``);
  return out;
}

function withProvider(input: Plan | Scenario, provider: string | undefined, known: Record<string, ProviderDef>): Plan | Scenario {
  if (!provider) return input;
  if (!Object.hasOwn(known, provider)) throw new InputError(`unknown provider "${provider}" (--provider); known providers: ${Object.keys(known).sort().join(', ')}`);
  if (input.kind === 'plan') {
    const { providers: _compared, ...plan } = input;
    return { ...plan, provider, steps: input.steps.map(({ providers: _p, ...s }) => ({ ...s, provider })) };
  }
  return { ...input, providers: [provider] };
}

interface Workspaces {
  /** Each unit's folder. */
  dirs: Record<string, string>;
  /** Trials each get their own fresh copy (a fixture copy or a git worktree), made when an attempt starts. */
  perTrial: boolean;
  /** A comparison: each lane's folder made from one base (a fixture, or one commit), and the commit. */
  lanes?: { spec: WorkspaceSpec; baseCommit?: string };
}

/**
 * A comparison's lanes each get a folder from the same base: a fixture copy, or a git worktree at one commit
 * (the plan's `git:` ref, else the project's HEAD), resolved once so a branch moving meanwhile changes nothing.
 * A folder used in place (`workspace: DIR`) would have every provider edit the same files.
 */
async function laneSpec(input: Plan, root: string, baseCommit: string | undefined): Promise<{ spec: WorkspaceSpec; baseCommit?: string }> {
  const spec = input.workspace;
  if (spec && 'path' in spec) {
    const shown = relative(process.cwd(), input.file) || input.file;
    throw new InputError(`${shown}: a comparison runs each provider in its own copy, but \`workspace:\` names a folder used in place; write \`workspace: {fixture: DIR}\` (a fresh copy of DIR per provider) or \`workspace: {git: HEAD}\``);
  }
  if (spec && 'fixture' in spec) return { spec };
  const commit = baseCommit ?? (await resolveCommit(root, spec?.git ?? 'HEAD'));
  return { spec: { git: commit }, baseCommit: commit };
}

/**
 * Where each unit runs. A plan's steps share one folder, made now. A scenario with a fixture or git workspace gives
 * each trial its own, made fresh when an attempt starts (see trialWorkspaces); `first` makes the first one now, so a
 * bad fixture is an input error before anything runs.
 */
async function workspaces(input: Plan | Scenario, units: UnitDecl[], root: string, paths: ExecPaths, first: boolean, o: { baseCommit?: string; finished?: boolean } = {}): Promise<Workspaces> {
  const inputDir = dirname(input.file);
  if (input.kind === 'plan' && input.lanes) {
    const lanes = await laneSpec(input, root, o.baseCommit);
    const dirs = Object.fromEntries(units.map((u) => [u.id, paths.laneWorkspace(u.lane ?? '')]));
    // Made before anything runs (a resume remakes a lane's folder only if it is gone before the lane finished).
    if (!o.finished) {
      for (const lane of input.lanes) {
        const dir = await prepareWorkspace({ spec: lanes.spec, root, inputDir, target: paths.laneWorkspace(lane) });
        await saveLaneBase(paths.laneBase(lane), dir, { ignore: outputIgnores(paths) });
      }
    }
    return { dirs, perTrial: false, lanes };
  }
  const spec = input.workspace;
  if (input.kind === 'plan' || !spec || 'path' in spec) {
    const dir = await prepareWorkspace({ spec, root, inputDir, target: paths.workspace });
    return { dirs: Object.fromEntries(units.map((u) => [u.id, dir])), perTrial: false };
  }
  const dirs = Object.fromEntries(units.map((u) => [u.id, resolve(paths.workspace, u.id)]));
  if (first && units[0]) await prepareWorkspace({ spec, root, inputDir, target: dirs[units[0].id] });
  return { dirs, perTrial: true };
}

/**
 * Trials' own workspaces: a new attempt starts in a fresh copy (an attempt that continues the agent's own session
 * keeps its folder); a trial's folder is removed once it is judged (or ends otherwise), unless `keep`.
 */
function trialWorkspaces(o: { input: Scenario; root: string; ws: Workspaces; keep: boolean; fresh: Set<string>; release: (dir: string) => Promise<void> }) {
  const spec = o.input.workspace!;
  const inputDir = dirname(o.input.file);
  const make = (unit: string) => prepareWorkspace({ spec, root: o.root, inputDir, target: o.ws.dirs[unit] });
  const removed = new Set<string>();
  return {
    prepare: async (unit: string, continuing: boolean): Promise<void> => {
      removed.delete(unit);
      const dir = o.ws.dirs[unit];
      if (o.fresh.delete(unit) && existsSync(dir)) return;
      if (continuing && existsSync(dir)) return;
      await removeWorkspace({ spec, root: o.root, target: dir });
      await make(unit);
    },
    finished: (unit: string): void => {
      if (o.keep || removed.has(unit)) return;
      removed.add(unit);
      const target = o.ws.dirs[unit];
      void o
        .release(target)
        .then(() => (removed.has(unit) ? removeWorkspace({ spec, root: o.root, target }) : undefined))
        .catch(() => undefined);
    },
  };
}

/** conductor's own output roots, left out of workspace snapshots. */
const outputIgnores = (paths: ExecPaths): string[] => [dirname(paths.proofDir), dirname(paths.traceDir)];

/**
 * A finished comparison: what each lane changed since its base is recorded (the report's diff of diffs reads
 * it), the lanes' git worktrees are removed unless kept, and the report is written again with the comparison.
 * A lane whose folder is already gone (settled before) keeps what was recorded then.
 */
function settleLanes(o: { input: Plan | Scenario; ws: Workspaces; root: string; paths: ExecPaths; keep: boolean }) {
  return async (state: ExecState, opts: SettleOptions = {}): Promise<void> => {
    const lanes = o.ws.lanes;
    if (o.input.kind !== 'plan' || !o.input.lanes || !lanes) return;
    for (const lane of o.input.lanes) {
      const dir = o.paths.laneWorkspace(lane);
      if (!existsSync(dir) || !existsSync(o.paths.laneBase(lane))) continue;
      writeLaneChanges(o.paths.laneChanges(lane), await laneChanges(lane, o.paths.laneBase(lane), dir, { ignore: outputIgnores(o.paths) }));
      if ('git' in lanes.spec && !o.keep && !opts.keepWorktrees) await removeWorkspace({ spec: lanes.spec, root: o.root, target: dir });
    }
    writeReport(o.paths.report, state, o.paths);
  };
}

function build(o: {
  exec: string;
  input: Plan | Scenario;
  cfg: Config;
  known: Record<string, ProviderDef>;
  flags: OpenFlags;
  interactive: boolean;
  root: string;
  paths: ExecPaths;
  log: EventLog;
  ws: Workspaces;
  /** Trials whose workspace was just made (not used yet). */
  fresh?: Set<string>;
  /** The log so far (resume): trials in their checks are judged on it. */
  events?: readonly ConductorEvent[];
  size?: { cols: number; rows: number };
}): Runtime {
  const recorder = new DiskRecorder(o.log, o.paths, { maxCastBytes: o.cfg.recording ? o.cfg.recording.maxCastMB * 1024 * 1024 : undefined });
  // One per execution: sessions sharing a folder share its watcher, and each keeps its start snapshot.
  const tracker = new WorkspaceTracker({ ignore: outputIgnores(o.paths) });
  const trials =
    o.input.kind === 'scenario' && o.ws.perTrial ? trialWorkspaces({ input: o.input, root: o.root, ws: o.ws, keep: !!o.flags.keep, fresh: o.fresh ?? new Set(), release: (dir) => tracker.release(dir) }) : undefined;
  // Each trial's events (its trajectory), to judge it when its agent is done; on resume, from the log so far.
  const trialEvents = new TrialEvents();
  if (o.input.kind === 'scenario' && o.events) {
    let replayed: ExecState | undefined;
    for (const e of o.events) {
      replayed = reduce(replayed, e).state;
      trialEvents.add(e, replayed);
    }
  }
  const clock = Date.now;
  const nodePath = process.execPath;
  const sim = simPath();
  const hooks = hookChannel(nodePath);
  const runtime = new Runtime(o.exec, {
    input: o.input,
    settings: { approve: o.flags.approve ?? 'policy', interactive: o.interactive },
    recorder,
    paths: o.paths,
    clock,
    sessions: (ctx) =>
      new SessionRunner({
        ...ctx,
        provider: o.known[ctx.session.provider],
        input: o.input,
        workspace: o.ws.dirs[ctx.session.unit],
        prepareWorkspace: trials ? () => trials.prepare(ctx.session.unit, !!ctx.session.resume) : undefined,
        paths: o.paths,
        recorder,
        clock,
        timers: realTimers,
        env: process.env,
        nodePath,
        simPath: sim,
        cols: o.size?.cols,
        rows: o.size?.rows,
        hooks: hooks.linker,
        tracker,
      }),
    verify: ({ unit, state, dispatch, isCurrent }) => {
      const u = state.units[unit];
      const session = u.sessions.at(-1);
      const diff = session ? { session, since: () => tracker.diff(session) } : undefined;
      const s = session ? state.sessions[session] : undefined;
      const trial =
        u.kind === 'trial' && s
          ? { state, events: () => trialEvents.of(unit), outputFile: o.paths.sessionFiles(unit, s.agent, s.attempt).output, traceDir: o.paths.traceDir }
          : undefined;
      return verifyUnit({ unit: u, input: o.input, workspace: o.ws.dirs[unit], dispatch, isCurrent, diff, trial, mark: checksMark(o.exec) });
    },
    onEnded: (state) => writeReport(o.paths.report, state, o.paths),
  });
  // A session that ended other than completed is not verified: nothing will ask for its diff.
  runtime.onEvent((e) => {
    if (o.input.kind === 'scenario') trialEvents.add(e, runtime.getSnapshot());
    if (e.type === 'session.state' && (e.state === 'failed' || e.state === 'cancelled' || e.state === 'interrupted')) tracker.forget(e.session);
    if (trials && (e.type === 'trial.finished' || e.type === 'session.state')) {
      const state = runtime.getSnapshot();
      const unit = e.type === 'trial.finished' ? e.unit : state.sessions[e.session ?? '']?.unit;
      const u = unit ? state.units[unit] : undefined;
      if (u?.kind === 'trial' && TERMINAL_UNIT_STATUSES.includes(u.status)) trials.finished(u.id);
    }
  });
  void runtime.done().then(() => {
    hooks.close();
    void tracker.close();
  });
  return runtime;
}

const fileHash = (path: string): string | undefined => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
};

type Created = Extract<ConductorEvent, { type: 'execution.created' }>;

/**
 * What a resume runs: the plan or scenario file re-read and re-validated, not the log's copy (which is
 * redacted: a task naming a token would run with `[REDACTED…]` in it). A file that changed since the
 * execution started is run as it is now, with a notice; one whose units no longer match the log's is
 * refused. A file that is gone falls back to the log's copy only when nothing in that copy was redacted.
 */
async function resumeInput(created: Created, o: { cwd: string; cfg: Config; exec: string; notices: string[] }): Promise<Plan | Scenario> {
  const file = created.file;
  const shown = relative(o.cwd, file) || file;
  const logged = created.input as Plan | Scenario;
  if (!existsSync(file)) {
    if (!JSON.stringify(created).includes('[REDACTED')) {
      o.notices.push(`${shown} is gone; resuming ${o.exec} from the copy of it in the log`);
      return logged;
    }
    throw new InputError(
      storeRedactor().redact(`${shown}: the ${created.kind} file of ${o.exec} is gone, and the copy in the log has redacted values; put the file back to resume`),
    );
  }
  const loaded = await loadInputFile(file, { cwd: o.cwd, config: o.cfg });
  if (!loaded.ok) throw InputError.fromDiagnostics(loaded.diagnostics);
  if (created.inputHash && fileHash(file) !== created.inputHash) o.notices.push(`${shown} changed since ${o.exec} started; resuming with the file as it is now`);
  return keyedAsLogged(loaded.value, created, shown);
}

/**
 * The reloaded input with its units named as the log names them (a step id the log redacted keeps its
 * redacted id, so completed steps stay completed), each on the provider it was given at the start.
 */
function keyedAsLogged(input: Plan | Scenario, created: Created, shown: string): Plan | Scenario {
  const units = created.units;
  const concurrency = created.concurrency;
  if (input.kind !== created.kind) throw new InputError(`${shown}: it is now a ${input.kind}, but this execution ran it as a ${created.kind}; start a new run instead`);
  if (input.kind === 'scenario') return { ...input, concurrency, providers: [...new Set(units.map((u) => u.provider))] };
  // A comparison is run again on the lanes it started with (the file's or --providers').
  if (created.lanes?.length) input = expandLanes(withProviders({ ...input, lanes: undefined }, created.lanes));
  const redact = storeRedactor().redact;
  const names = new Map<string, string>();
  input.steps.forEach((s, i) => {
    const u = units[i];
    if (u && (u.id === s.id || u.id === redact(s.id))) names.set(s.id, u.id);
  });
  if (input.steps.length !== units.length || names.size !== units.length) {
    const now = input.steps.map((s) => s.id).join(', ');
    throw new InputError(redact(`${shown}: its steps changed since this execution started (now ${now}; the log has ${units.map((u) => u.id).join(', ')}); resume needs the same steps — start a new run instead`));
  }
  const steps = input.steps.map((s, i) => ({ ...s, id: units[i].id, provider: units[i].provider, dependsOn: s.dependsOn.map((d) => names.get(d) ?? d) }));
  return { ...input, concurrency, steps };
}

export async function openNew(file: string, o: { cwd: string; flags: OpenFlags; interactive: boolean }): Promise<Opened> {
  assertPtyAddon();
  const cfg = await config(o.cwd, o.flags);
  const known = providers(cfg);
  const loaded = await loadInputFile(file, { cwd: o.cwd, config: cfg });
  if (!loaded.ok) throw InputError.fromDiagnostics(loaded.diagnostics);
  const input = withFlags(loaded.value, o.flags, known);
  const exec = newExecId();
  const paths = runPaths(outputRoots(cfg, o.cwd, o.flags.out), exec);
  const units = unitsOf(input, cfg.approval);
  const root = o.cwd;
  const lock = acquireLock(paths.traceDir);
  try {
    const ws = await workspaces(input, units, root, paths, true);
    const log = EventLog.create(paths.traceDir, exec);
    const fresh = new Set(ws.perTrial && units[0] ? [units[0].id] : []);
    const runtime = build({ exec, input, cfg, known, flags: o.flags, interactive: o.interactive, root, paths, log, ws, fresh });
    runtime.create(units, fileHash(resolve(o.cwd, file)), { keepWorkspaces: !!o.flags.keep, baseCommit: ws.lanes?.baseCommit });
    const settle = settleLanes({ input, ws, root, paths, keep: !!o.flags.keep });
    return { runtime, paths, config: cfg, notices: [], settle, release: () => lock.release() };
  } catch (err) {
    // Refused before its log began (a workspace that cannot be made): nothing of it is left behind.
    if (!existsSync(paths.events)) await discardUnstarted(input, root, paths);
    lock.release();
    throw err;
  }
}

async function discardUnstarted(input: Plan | Scenario, root: string, paths: ExecPaths): Promise<void> {
  try {
    if (input.kind === 'plan' && input.lanes) {
      for (const lane of input.lanes) await removeWorkspace({ spec: { git: 'HEAD' }, root, target: paths.laneWorkspace(lane) });
    }
    rmSync(paths.traceDir, { recursive: true, force: true });
    // The trace root too, when this made it (only an empty folder is removed).
    rmdirSync(dirname(paths.traceDir));
  } catch {
    /* what is left is only an unused folder */
  }
}

/**
 * Everything but the log is derived from it: temp files of killed atomic writes go, and trajectories are rewritten to
 * what the log says (execution.json and manifest.json are rewritten from the replayed state on the first event).
 * None of it may stop a resume.
 */
function repairDerived(events: ConductorEvent[], paths: ExecPaths, notices: string[]): void {
  const temps = removeStaleTemps([paths.traceDir, paths.proofDir, paths.trajectoriesDir, dirname(paths.promptFile('x'))]);
  if (temps.length) notices.push(`removed ${temps.length} temp file${temps.length === 1 ? '' : 's'} left by an interrupted write`);
  try {
    const rebuilt = rebuildTrajectories(events, paths);
    if (rebuilt.length) notices.push(`rebuilt the trajector${rebuilt.length === 1 ? 'y' : 'ies'} of ${rebuilt.join(', ')} from the event log`);
  } catch (err) {
    notices.push(`could not rebuild trajectories from the event log: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function openResume(id: string, o: { cwd: string; flags: OpenFlags; interactive: boolean }): Promise<Opened> {
  assertPtyAddon();
  const cfg = await config(o.cwd, o.flags);
  const known = providers(cfg);
  if (!isExecId(id)) throw new InputError(`"${id}" is not an execution id (they look like exec-20261121-140211-a1b2)`);
  const paths = runPaths(outputRoots(cfg, o.cwd, o.flags.out), id);
  if (!existsSync(paths.events)) throw new InputError(`no execution ${id}: ${paths.events} does not exist (see \`conductor status\`)`);
  const notices: string[] = [];
  const lock = acquireLock(paths.traceDir);
  if (lock.tookOver) notices.push(`took over a stale lock left by pid ${lock.tookOver.pid}`);
  try {
    const contents = readEventLog(paths.events);
    if (contents.torn) notices.push(`the last line of ${paths.events} was torn (line ${contents.torn.line}); it was dropped`);
    const events = contents.events as unknown as ConductorEvent[];
    const created = events[0];
    if (created?.type !== 'execution.created' || !created.input) throw new InputError(`${paths.events}: the log does not start with the execution's plan`);
    const input = await resumeInput(created, { cwd: o.cwd, cfg, exec: id, notices });
    for (const u of created.units) if (!Object.hasOwn(known, u.provider)) throw new InputError(`${id} uses provider "${u.provider}", which is not configured here`);
    repairDerived(events, paths, notices);
    // Sessions the interruption cut off never wrote their .md, though execution.json links to it: write it from the .cast.
    // Loaded here, not up front: it brings the terminal emulator, which the first frame of the UI does not wait for.
    try {
      const { rebuildMissingTranscripts } = await import('../runtime/rebuild-transcripts');
      const rebuilt = await rebuildMissingTranscripts(events, paths);
      if (rebuilt.length) notices.push(`wrote ${rebuilt.length} transcript${rebuilt.length === 1 ? '' : 's'} of interrupted sessions from their recordings`);
    } catch (err) {
      notices.push(`could not rebuild the transcripts of interrupted sessions: ${err instanceof Error ? err.message : String(err)}`);
    }
    // What the killed conductor's checks left running would run alongside the ones resume starts (we hold the lock: it is gone).
    const orphans = killMarked(CHECKS_MARK_ENV, id);
    if (orphans) notices.push(`stopped ${orphans} check command${orphans === 1 ? '' : 's'} the interrupted conductor left running`);
    const finished = !UNFINISHED_EXEC_STATUSES.includes(replay(events)?.status ?? 'created');
    const ws = await workspaces(input, created.units, o.cwd, paths, false, { baseCommit: created.baseCommit, finished });
    if (ws.perTrial && !(o.flags.keep || created.keepWorkspaces) && input.workspace) {
      // Trials judged just before the interruption may still have their folder.
      const state = replay(events);
      for (const u of created.units) {
        const st = state?.units[u.id]?.status;
        if (st && TERMINAL_UNIT_STATUSES.includes(st)) await removeWorkspace({ spec: input.workspace, root: o.cwd, target: ws.dirs[u.id] });
      }
    }
    const log = EventLog.openForAppend(paths.traceDir);
    const flags = { ...o.flags, keep: o.flags.keep || created.keepWorkspaces };
    const runtime = build({ exec: id, input, cfg, known, flags, interactive: o.interactive, root: o.cwd, paths, log, ws, events });
    runtime.restore(events);
    const settle = settleLanes({ input, ws, root: o.cwd, paths, keep: !!flags.keep });
    return { runtime, paths, config: cfg, notices, settle, release: () => lock.release() };
  } catch (err) {
    lock.release();
    throw err;
  }
}
