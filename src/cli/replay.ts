// `conductor replay ID [--step S | --trial T] [--attempt N] [--speed X]`: finds one session's .cast recording
// through the execution's event log and plays it back full-screen (src/ui/replay).
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { relative } from 'node:path';
import { resolveConfig } from '../adapters/input/config';
import { readRecording } from '../adapters/store/cast-reader';
import { readEventLog } from '../adapters/store/event-log';
import { isExecId } from '../adapters/store/paths';
import { storeRedactor } from '../adapters/store/redaction';
import type { ConductorEvent } from '../core/events';
import { replay } from '../core/machine';
import type { ExecState, SessionInfo, UnitState } from '../core/state';
import { runPaths, type ExecPaths } from '../runtime/recorder';
import { InputError, outputRoots, type OpenFlags } from './open-execution';
import type { RunIO } from './run';

export interface ReplayFlags extends OpenFlags {
  cwd: string;
  step?: string;
  trial?: string;
  attempt?: string;
  speed?: string;
}

const MIN_SPEED = 0.25;
const MAX_SPEED = 16;

function parseSpeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(/x$/i, ''));
  if (!Number.isFinite(n) || n < MIN_SPEED || n > MAX_SPEED) throw new InputError(`--speed takes a number from ${MIN_SPEED} to ${MAX_SPEED} (like 2 or 0.5), not "${text}"`);
  return n;
}

function parseAttempt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--attempt takes a whole number ≥ 1, not "${text}"`);
  return n;
}

const castOf = (paths: ExecPaths, s: SessionInfo): string => paths.sessionFiles(s.unit, s.agent, s.attempt).cast;

/** The unit --step or --trial names: its id, or for --trial a trial's index when only one provider has that index. */
function pickUnit(state: ExecState, flags: ReplayFlags): UnitState | undefined {
  const want = flags.step ?? flags.trial;
  if (want === undefined) return undefined;
  const flag = flags.step !== undefined ? '--step' : '--trial';
  const byId = Object.hasOwn(state.units, want) ? state.units[want] : undefined;
  if (byId) return byId;
  if (flags.trial !== undefined && /^\d+$/.test(want)) {
    const hits = state.order.map((id) => state.units[id]).filter((u) => u.kind === 'trial' && u.index === Number(want));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new InputError(`--trial ${want} is one trial of each provider here: give one of ${hits.map((u) => u.id).join(', ')}`);
  }
  const kinds = state.kind === 'plan' ? 'steps' : 'trials';
  throw new InputError(`${state.exec} has no ${flag === '--step' ? 'step' : 'trial'} "${want}" (${flag}); its ${kinds}: ${state.order.join(', ')}`);
}

function pickSession(state: ExecState, unit: UnitState, attempt: number | undefined): SessionInfo {
  const sessions = unit.sessions.map((id) => state.sessions[id]).filter(Boolean);
  if (!sessions.length) throw new InputError(`${unit.kind} ${unit.id} of ${state.exec} never started a session (${unit.status}): nothing was recorded`);
  if (attempt === undefined) return sessions[sessions.length - 1];
  const hit = sessions.find((s) => s.attempt === attempt);
  if (!hit) throw new InputError(`${unit.kind} ${unit.id} has no attempt ${attempt} (--attempt); it has ${sessions.map((s) => s.attempt).join(', ')}`);
  return hit;
}

export async function replayCommand(id: string, flags: ReplayFlags, io: RunIO): Promise<number> {
  if (flags.step !== undefined && flags.trial !== undefined) throw new InputError('give either --step S or --trial T, not both');
  const speed = parseSpeed(flags.speed);
  const attempt = parseAttempt(flags.attempt);
  const cfg = await resolveConfig({ cwd: flags.cwd });
  if (!cfg.ok) throw InputError.fromDiagnostics(cfg.diagnostics);
  if (!isExecId(id)) throw new InputError(`"${id}" is not an execution id (they look like exec-20261121-140211-a1b2; see \`conductor status\`)`);
  const paths = runPaths(outputRoots(cfg.value, flags.cwd, flags.out), id);
  if (!existsSync(paths.events)) throw new InputError(`no execution ${id}: ${paths.events} does not exist (see \`conductor status\`)`);
  const state = replay(readEventLog(paths.events).events as unknown as ConductorEvent[]);
  if (!state) throw new InputError(`${paths.events} holds no events`);
  const rel = (p: string) => relative(flags.cwd, p) || p;
  const redact = storeRedactor().redact;

  let unit = pickUnit(state, flags);
  if (!unit) {
    const recorded = state.order.map((u) => state.units[u]).filter((u) => u.sessions.some((s) => state.sessions[s] && existsSync(castOf(paths, state.sessions[s]))));
    const sessions = recorded.flatMap((u) => u.sessions);
    if (!recorded.length) throw new InputError(`${id} has no recorded sessions yet (nothing under ${rel(paths.proofDir)})`);
    if (sessions.length > 1) {
      const flag = state.kind === 'plan' ? '--step S' : '--trial T';
      const width = Math.max(...recorded.map((u) => u.id.length));
      const lines = recorded.map((u) => `  ${u.id.padEnd(width)}  ${u.status.padEnd(11)} ${u.agent}/${u.provider}${u.sessions.length > 1 ? `  attempts 1–${u.sessions.length} (--attempt N; latest by default)` : ''}`);
      io.stderr.write(redact(`conductor: ${id} has ${sessions.length} recorded sessions; pick one with ${flag}:\n${lines.join('\n')}\n`));
      return 2;
    }
    unit = recorded[0];
  }
  const session = pickSession(state, unit, attempt);
  const cast = castOf(paths, session);
  if (!existsSync(cast)) throw new InputError(`${unit.kind} ${unit.id} attempt ${session.attempt} has no recording: ${rel(cast)} does not exist`);
  const recording = readRecording(cast);
  const stdin = process.stdin;
  const stdout = process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) throw new InputError(`conductor: replay needs a terminal; the recording is at ${rel(cast)} (asciinema play ${rel(cast)})`);
  const { runReplay } = await import('../ui/replay/run-replay');
  const { themeNamed } = await import('../ui/theme');
  const end = await runReplay({
    recording,
    speed,
    theme: themeNamed(cfg.value.theme),
    info: {
      exec: id,
      unit: unit.id,
      kind: unit.kind,
      agent: session.agent,
      provider: session.provider,
      attempt: session.attempt,
      attempts: unit.sessions.length,
    },
  });
  return end.signal ? 128 + constants.signals[end.signal] : 0;
}
