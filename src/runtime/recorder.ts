// Everything an execution writes to disk, in one place: the event log (fsync on state changes and
// approvals, batched output), per-unit trajectories, the manifest, the execution.json snapshot, and
// each session's .cast recording and .md transcript. All of it passes redaction in the store.
import { join } from 'node:path';
import { CastWriter } from '../adapters/store/cast-writer';
import { EventLog, type EventInput } from '../adapters/store/event-log';
import { execPaths, safeId, type ExecPaths as StorePaths, type StoreRoots } from '../adapters/store/paths';
import { writeJsonAtomic, writeTextAtomic } from '../adapters/store/atomic';
import { readCliTranscript } from '../adapters/store/cli-transcript';
import { ScreenHistory } from '../adapters/store/screen-history';
import { writeTranscript } from '../adapters/store/transcript-writer';
import { TrajectoryWriter, writeManifest } from '../adapters/store/trajectory';
import type { ConductorEvent } from '../core/events';
import type { ExecState } from '../core/state';

export interface ExecPaths extends StorePaths {
  /** Transcript and recording of one attempt (attempt 1 keeps the plain name). */
  sessionFiles(unit: string, agent: string, attempt: number): { transcript: string; cast: string; output: string };
  promptFile(session: string): string;
}

export function runPaths(roots: StoreRoots, exec: string): ExecPaths {
  const p = execPaths(roots, exec);
  const suffix = (file: string, attempt: number) => (attempt > 1 ? file.replace(/\.(md|cast|txt)$/, `.${attempt}.$1`) : file);
  return {
    ...p,
    sessionFiles: (unit, agent, attempt) => ({
      transcript: suffix(p.transcript(unit, agent), attempt),
      cast: suffix(p.cast(unit, agent), attempt),
      output: suffix(p.outputText(unit, agent), attempt),
    }),
    promptFile: (session) => join(p.traceDir, 'prompts', `${safeId(session)}.md`),
  };
}

export interface SessionRecording {
  output(ts: number, data: string): void;
  input(ts: number, data: string): void;
  resize(ts: number, cols: number, rows: number): void;
  marker(ts: number, label: string): void;
  /**
   * The visible screen (logical lines, `\n`-joined) and whether it is the alternate screen, whenever it may have
   * changed: the transcript shows the screens that stayed long enough to read, so what a full-screen app drew (and
   * an inline app erased) is not lost.
   */
  frame(ts: number, screenText: string, alternate: boolean): void;
  /**
   * `text`: the emulator's final text (its normal buffer's scrollback and screen). `cliTranscript`: the CLI's own
   * transcript file, when a hook named it; its conversation leads the .md.
   */
  close(end: { exitCode: number; end: number; text: string; provider: string; cliTranscript?: string }): void;
}

export interface Recorder {
  record(event: ConductorEvent, state: ExecState): void;
  snapshot(state: ExecState, force?: boolean): void;
  openSession(info: { session: string; unit: string; agent: string; attempt: number; command: string; title: string; cols: number; rows: number; startMs: number }): SessionRecording;
  close(): void;
}

/**
 * Which unit's trajectory an event goes to, and the session a line without its own is credited to (the unit's latest),
 * given the state after the event. Live recording and the rebuild from the log on resume both use this, so a rebuilt
 * trajectory is line for line what recording would have written.
 */
export function trajectoryOf(e: ConductorEvent, state: ExecState): { unit: string; session?: string } | undefined {
  let unit: string | undefined;
  if ('unit' in e && typeof e.unit === 'string') unit = e.unit;
  else if ('session' in e && typeof e.session === 'string') unit = state.sessions[e.session]?.unit;
  else if ('id' in e && typeof e.id === 'string') unit = state.approvals[e.id]?.unit;
  if (!unit) return undefined;
  return { unit, session: state.units[unit]?.sessions.at(-1) };
}

/** Output-only events are batched; everything else changes state or records a decision and is fsynced. */
const BATCHED: ReadonlySet<string> = new Set(['session.output', 'session.input', 'usage', 'file.touched']);
const SNAPSHOT_EVERY_MS = 250;

export class DiskRecorder implements Recorder {
  private readonly trajectories = new Map<string, TrajectoryWriter>();
  private readonly casts = new Map<string, CastWriter>();
  /** Each session's approvals as the log tells them, for its transcript. */
  private readonly asked = new Map<string, Map<string, { command: string; decision: string; by: string }>>();
  private lastSnapshot = 0;
  private pendingSnapshot?: NodeJS.Timeout;
  private latest?: ExecState;

  constructor(
    private readonly log: EventLog,
    readonly paths: ExecPaths,
    /** Each .cast keeps at most this many bytes of output (default: the cast writer's). */
    private readonly limits: { maxCastBytes?: number } = {},
  ) {}

  record(event: ConductorEvent, state: ExecState): void {
    this.log.append(event as unknown as EventInput, { sync: !BATCHED.has(event.type) });
    this.mark(event, state);
    const at = trajectoryOf(event, state);
    if (at) this.trajectory(at.unit, state).append(event as unknown as EventInput, { sync: false, session: at.session });
    if (event.type !== 'session.output' && event.type !== 'session.input') this.snapshot(state);
  }

  /** State changes and approvals become "m" markers in the session's recording, on the log's clock. */
  private mark(e: ConductorEvent, state: ExecState): void {
    if (e.type === 'session.state') {
      this.casts.get(e.session)?.marker(e.ts, `state: ${e.state}${e.reason ? ` (${e.reason})` : ''}`);
    } else if (e.type === 'approval.requested') {
      this.casts.get(e.session)?.marker(e.ts, `approval ${e.id} requested via ${e.via}: ${e.command}`);
      this.approvalsOf(e.session).set(e.id, { command: e.command, decision: 'none', by: 'nobody' });
    } else if (e.type === 'approval.decided' || e.type === 'approval.resolved' || e.type === 'approval.withdrawn') {
      const session = state.approvals[e.id]?.session;
      if (!session) return;
      const label =
        e.type === 'approval.withdrawn'
          ? `withdrawn: ${e.reason}`
          : `${e.type === 'approval.decided' ? 'decided' : 'resolved'}: ${e.decision} by ${e.by}${e.type === 'approval.decided' && e.how === 'pane' ? ' (typed in the pane)' : ''}${e.type === 'approval.decided' && e.rule ? ` (${e.rule})` : ''}`;
      this.casts.get(session)?.marker(e.ts, `approval ${e.id} ${label}`);
      const entry = this.approvalsOf(session).get(e.id);
      if (entry && e.type === 'approval.withdrawn') Object.assign(entry, { decision: 'withdrawn', by: 'nobody' });
      else if (entry && e.type !== 'approval.withdrawn') Object.assign(entry, { decision: e.decision, by: e.by });
    }
  }

  private approvalsOf(session: string) {
    let m = this.asked.get(session);
    if (!m) this.asked.set(session, (m = new Map()));
    return m;
  }

  private trajectory(unit: string, state: ExecState): TrajectoryWriter {
    let w = this.trajectories.get(unit);
    if (!w) {
      const u = state.units[unit];
      w = TrajectoryWriter.open(this.paths.trajectory(unit), { unit, session: u?.sessions.at(-1) });
      this.trajectories.set(unit, w);
    }
    return w;
  }

  /** execution.json and manifest.json, at most every SNAPSHOT_EVERY_MS unless forced. */
  snapshot(state: ExecState, force = false): void {
    this.latest = state;
    const now = Date.now();
    if (!force && now - this.lastSnapshot < SNAPSHOT_EVERY_MS) {
      this.pendingSnapshot ??= setTimeout(() => {
        this.pendingSnapshot = undefined;
        if (this.latest) this.snapshot(this.latest, true);
      }, SNAPSHOT_EVERY_MS);
      this.pendingSnapshot.unref();
      return;
    }
    if (this.pendingSnapshot) clearTimeout(this.pendingSnapshot);
    this.pendingSnapshot = undefined;
    this.lastSnapshot = now;
    writeJsonAtomic(this.paths.snapshot, this.describe(state));
    writeManifest(this.paths.manifest, {
      exec: state.exec,
      units: Object.fromEntries(
        state.order.map((id) => {
          const u = state.units[id];
          const s = u.sessions.length ? state.sessions[u.sessions[u.sessions.length - 1]] : undefined;
          const files = s ? this.paths.sessionFiles(id, s.agent, s.attempt) : undefined;
          return [id, { kind: u.kind, trajectory: this.paths.trajectory(id), status: u.status, ...(u.score !== undefined ? { score: u.score } : {}), session: s?.id, transcript: files?.transcript, cast: files?.cast }];
        }),
      ),
    });
  }

  /** The snapshot people and `conductor status` read. */
  private describe(state: ExecState) {
    return {
      exec: state.exec,
      kind: state.kind,
      file: state.file,
      goal: state.goal,
      status: state.status,
      createdAt: state.createdAt,
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
      updatedAt: state.lastTs,
      lastSeq: state.lastSeq,
      events: this.paths.events,
      units: state.order.map((id) => {
        const u = state.units[id];
        return {
          id,
          kind: u.kind,
          agent: u.agent,
          provider: u.provider,
          dependsOn: u.dependsOn,
          status: u.status,
          reason: u.reason,
          attempts: u.attempts,
          startedAt: u.startedAt,
          finishedAt: u.finishedAt,
          expectedOutputs: u.expectedOutputs,
          checks: u.checks,
          files: u.files,
          ...(u.sharedFiles?.length ? { sharedFiles: u.sharedFiles } : {}),
          ...(u.diff ? { diff: u.diff, ...(u.diffShared ? { diffShared: u.diffShared } : {}), ...(u.diffCapped ? { diffCapped: u.diffCapped } : {}) } : {}),
          sessions: u.sessions.map((sid) => {
            const s = state.sessions[sid];
            return { id: sid, state: s.state, exitCode: s.exitCode, reason: s.reason, ...this.paths.sessionFiles(id, s.agent, s.attempt) };
          }),
        };
      }),
      approvals: Object.values(state.approvals).map((a) => ({ id: a.id, unit: a.unit, command: a.command, via: a.via, status: a.status, decision: a.decision, by: a.by })),
    };
  }

  openSession(info: Parameters<Recorder['openSession']>[0]): SessionRecording {
    const files = this.paths.sessionFiles(info.unit, info.agent, info.attempt);
    const cast = CastWriter.open(files.cast, {
      width: info.cols,
      height: info.rows,
      startMs: info.startMs,
      command: info.command,
      title: info.title,
      env: { SHELL: '/bin/sh', TERM: 'xterm-256color' },
      maxFileBytes: this.limits.maxCastBytes,
    });
    const exec = this.paths.exec;
    this.casts.set(info.session, cast);
    const history = new ScreenHistory({ origin: info.startMs });
    return {
      output: (ts, data) => cast.output(ts, data),
      input: (ts, data) => cast.input(ts, data),
      resize: (ts, cols, rows) => cast.resize(ts, cols, rows),
      marker: (ts, label) => cast.marker(ts, label),
      frame: (ts, screenText, alternate) => history.frame(ts, screenText, alternate),
      close: (end) => {
        this.casts.delete(info.session);
        cast.close(end.end);
        history.finish(end.end);
        // The terminal text as the emulator holds it (scrollback and screen), for `transcriptMatches` now and at reeval.
        writeTextAtomic(files.output, end.text.endsWith('\n') || !end.text ? end.text : `${end.text}\n`);
        const conversation = end.cliTranscript ? readCliTranscript(end.cliTranscript, end.provider) : undefined;
        writeTranscript(files.transcript, {
          header: {
            exec,
            step: info.unit,
            role: info.agent,
            provider: end.provider,
            start: info.startMs,
            end: end.end,
            exitCode: end.exitCode,
            approvals: [...(this.asked.get(info.session)?.values() ?? [])],
          },
          text: history.render(end.text),
          ...(conversation ? { conversation, conversationSource: end.cliTranscript } : {}),
        });
      },
    };
  }

  close(): void {
    if (this.pendingSnapshot) clearTimeout(this.pendingSnapshot);
    if (this.latest) this.snapshot(this.latest, true);
    for (const w of this.trajectories.values()) w.close();
    this.log.flush({ sync: true });
    this.log.close();
  }
}
