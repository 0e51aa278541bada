// `conductor status [ID]`: an execution's steps or trials rebuilt from its event log, with status,
// durations, outputs, transcripts and the next pending step; the latest execution when no ID.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { resolveConfig } from '../adapters/input/config';
import { readEventLog } from '../adapters/store/event-log';
import { isExecId, listExecutions } from '../adapters/store/paths';
import { redactProviderEnv, storeRedactor } from '../adapters/store/redaction';
import { readLanesChanges } from '../adapters/workspace/lanes';
import { compareRows, diffOfDiffs, type LaneChangesLike } from '../core/compare';
import type { ConductorEvent } from '../core/events';
import { formatDiagnostic } from '../core/load/index';
import { replay } from '../core/machine';
import { UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import { readyUnits } from '../core/schedule';
import { compareTable, diffOfDiffsLines } from '../runtime/compare-text';
import { duration, STATUS_ICON, usageText, changesText } from '../runtime/format';
import { runPaths } from '../runtime/recorder';
import { scenarioLines } from '../runtime/scenario-text';
import { InputError, outputRoots, type OpenFlags } from './open-execution';
import type { RunIO } from './run';

/** `laneChanges`: a comparison's recorded lane changes (trace/<exec>/lanes/), for its table and diff of diffs. */
export function renderStatus(
  state: ExecState,
  rel: (p: string) => string,
  files: (unit: string, agent: string, attempt: number) => { transcript: string; cast: string },
  laneChanges: Record<string, LaneChangesLike | undefined> = {},
): string {
  const out: string[] = [];
  const elapsed = (state.finishedAt ?? state.lastTs) - (state.startedAt ?? state.createdAt);
  out.push(`${state.exec}  ${state.status}  ${state.kind} "${state.goal}"  (${duration(elapsed)})`);
  out.push(`  file: ${rel(state.file)}`);
  const width = Math.max(...state.order.map((id) => id.length), 4);
  for (const id of state.order) {
    const u = state.units[id];
    const session = u.sessions.length ? state.sessions[u.sessions[u.sessions.length - 1]] : undefined;
    const took = u.startedAt ? duration((u.finishedAt ?? state.lastTs) - u.startedAt) : '';
    const deps = u.dependsOn.length ? `  ← ${u.dependsOn.join(', ')}` : '';
    const waiting = session?.state === 'waiting_for_approval' ? '  ⚑ waiting for approval' : '';
    out.push(`  ${STATUS_ICON[u.status]} ${id.padEnd(width)}  ${u.status.padEnd(11)} ${u.agent}/${u.provider}  ${took}${u.attempts > 1 ? `  attempt ${u.attempts}` : ''}${deps}${waiting}`);
    if (u.reason) out.push(`      ${u.reason}`);
    if (u.kind === 'trial' && u.score !== undefined && !u.reason?.startsWith('score')) out.push(`      score ${u.score.toFixed(2)}`);
    for (const a of u.assertions) if (!a.passed) out.push(`      ${a.status === 'unknown' ? '?' : '✗'} ${a.name}: ${a.detail ?? ''}`);
    const usage = usageText(state, id);
    if (usage) out.push(`      usage: ${usage}`);
    const changes = changesText(state, id);
    if (changes) out.push(`      changes: ${changes}`);
    for (const c of u.checks) out.push(`      ${c.status === 'passed' ? '✓' : c.status === 'failed' ? '✗' : '…'} check ${c.run}${c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''}`);
    if (u.expectedOutputs.length) out.push(`      outputs: ${u.expectedOutputs.join(', ')}`);
    if (session) {
      const f = files(id, session.agent, session.attempt);
      if (existsSync(f.transcript)) out.push(`      transcript: ${rel(f.transcript)}`);
    }
  }
  if (state.lanes?.length) {
    out.push('', ...compareTable(compareRows(state, laneChanges)).map((l) => `  ${l}`), '', ...diffOfDiffsLines(diffOfDiffs(state.lanes, laneChanges)).map((l) => `  ${l}`));
  }
  if (state.kind === 'scenario') out.push(...scenarioLines(state).map((l) => `  ${l}`));
  const pending = state.order.map((id) => state.units[id]).filter((u) => u.status === 'pending' || u.status === 'interrupted');
  if (pending.length) {
    const next = readyUnits(
      state.order.map((id) => ({ ...state.units[id], status: state.units[id].status === 'interrupted' ? 'pending' : state.units[id].status })),
      Number.MAX_SAFE_INTEGER,
    );
    out.push(`  next: ${next.length ? next.join(', ') : pending[0].id}`);
  }
  if (UNFINISHED_EXEC_STATUSES.includes(state.status)) out.push(`  continue with: conductor resume ${state.exec}`);
  return `${out.join('\n')}\n`;
}

export async function statusCommand(id: string | undefined, flags: OpenFlags & { cwd: string }, io: RunIO): Promise<number> {
  const cfg = await resolveConfig({ cwd: flags.cwd });
  if (!cfg.ok) throw new InputError(cfg.diagnostics.map((d) => formatDiagnostic(d)).join('\n'), cfg.diagnostics.map((d) => formatDiagnostic(d)));
  const roots = outputRoots(cfg.value, flags.cwd, flags.out);
  let exec = id;
  if (!exec) {
    const all = listExecutions(roots);
    if (!all.length) {
      io.stdout.write(`no executions under ${relative(flags.cwd, roots.trace) || '.'} yet — start one with: conductor run plans/demo.plan.yaml\n`);
      return 0;
    }
    exec = all[0].exec;
  }
  if (!isExecId(exec)) throw new InputError(`"${exec}" is not an execution id (they look like exec-20261121-140211-a1b2)`);
  const paths = runPaths(roots, exec);
  if (!existsSync(paths.events)) throw new InputError(`no execution ${exec}: ${paths.events} does not exist`);
  const contents = readEventLog(paths.events);
  const state = replay(contents.events as unknown as ConductorEvent[]);
  if (!state) throw new InputError(`${paths.events} holds no events`);
  if (contents.torn) io.stderr.write(`conductor: the last line of ${paths.events} is torn (line ${contents.torn.line}); it is ignored\n`);
  redactProviderEnv(cfg.value.providers);
  io.stdout.write(storeRedactor().redact(renderStatus(state, (p) => relative(flags.cwd, p) || p, paths.sessionFiles, readLanesChanges(state.lanes ?? [], paths.laneChanges))));
  return 0;
}
