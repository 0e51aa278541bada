// The headless printer: one line per meaningful event, for `conductor run` in CI and terminals.
import type { ConductorEvent } from '../core/events';
import type { Redactor } from '../core/redact';
import type { ExecState } from '../core/state';
import { duration, STATUS_ICON, usageText } from '../runtime/format';

export interface PrinterIO {
  write(line: string): void;
}

const clock = (ts: number, start: number): string => `[${duration(ts - start).padStart(6)}]`;

/** Returns a listener that prints the event, given the state after it. */
export function createPrinter(io: PrinterIO, getState: () => ExecState): (e: ConductorEvent) => void {
  let start = 0;
  return (e) => {
    const s = getState();
    start ||= s.startedAt ?? e.ts;
    const t = clock(e.ts, start);
    const line = (text: string) => io.write(`${t} ${text}\n`);
    switch (e.type) {
      case 'execution.started':
        start = e.ts;
        return line(`▶ ${s.kind} "${s.goal}" — ${unitsText(s)}, execution ${s.exec}`);
      case 'execution.resumed': {
        const passed = s.order.filter((id) => s.units[id].status === 'passed');
        return line(`↻ resumed ${s.exec}: ${passed.length} of ${s.order.length} already passed${passed.length ? ` (${passed.join(', ')})` : ''}`);
      }
      case 'step.started':
      case 'trial.started':
        return line(`▶ ${e.unit}  ${e.agent} on ${e.provider}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
      case 'approval.requested':
        return line(`? ${s.sessions[e.session].unit}  asks to run: ${e.command}  [${e.via}]`);
      case 'approval.decided': {
        const who = e.by === 'user' ? `you${e.how === 'pane' ? ' (typed in the pane)' : ''}` : e.by;
        return line(`${e.decision === 'deny' ? '✗' : '✓'} ${s.approvals[e.id].unit}  ${e.decision} \`${s.approvals[e.id].command}\` — decided by ${who}${e.rule ? `: ${e.rule}` : ''}`);
      }
      case 'approval.withdrawn':
        return line(`– ${s.approvals[e.id].unit}  withdrawn \`${s.approvals[e.id].command}\`: ${e.reason}`);
      case 'check.finished':
        return line(`${e.passed ? '✓' : '✗'} ${e.unit}  check \`${e.run}\` ${e.passed ? 'passed' : `failed (exit ${e.exitCode})`} in ${duration(e.durationMs)}`);
      case 'session.state': {
        if (e.state !== 'failed' && e.state !== 'cancelled') return;
        const u = s.units[s.sessions[e.session].unit];
        // A trial whose agent exited by itself is judged next; one that could not be judged is an error.
        if (u.kind === 'trial' && u.phase === 'checks') return line(`… ${u.id}  agent exited ${e.exitCode ?? '?'}; judging its assertions`);
        if (u.kind === 'trial' && u.status === 'error') return line(`${STATUS_ICON.error} ${u.id}  error: ${u.reason ?? e.reason ?? ''} (not judged)`);
        return line(`✗ ${u.id}  session ${e.state}: ${e.reason ?? ''}`);
      }
      case 'step.finished':
      case 'trial.finished': {
        const u = s.units[e.unit];
        const usage = usageText(s, e.unit);
        const score = e.score !== undefined ? `score ${e.score.toFixed(2)}, ` : '';
        return line(`${STATUS_ICON[e.status]} ${e.unit}  ${e.status}${e.reason ? `: ${e.reason}` : ''} (${score}${duration((u.finishedAt ?? e.ts) - (u.startedAt ?? e.ts))}${usage ? ` · ${usage}` : ''})`);
      }
      case 'execution.held':
        return line(e.held ? '‖ held: no new steps start until released' : '▶ released: steps start again');
      case 'execution.interrupted':
        return line(`‖ interrupted: ${e.reason} — continue with: conductor resume ${s.exec}`);
      case 'execution.finished': {
        const skipped = s.order.filter((id) => s.units[id].status === 'skipped');
        return line(
          `${e.status === 'passed' ? '✓' : '✗'} ${e.status}: ${e.passed} passed, ${e.failed} not passed${e.errors ? `, ${e.errors} ${e.errors === 1 ? 'error' : 'errors'}` : ''}${skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''} in ${duration(e.ts - start)}`,
        );
      }
      case 'error':
        return line(`! ${e.message}`);
      default:
        return;
    }
  };
}

/**
 * `--json`: each event as events.jsonl holds it (the same keys in the same order, through the same redactor),
 * one a line, so a reader of stdout and a reader of the log see the same seq/ts/type/fields.
 */
export function createJsonPrinter(io: PrinterIO, redactor: Redactor): (e: ConductorEvent) => void {
  return (e) => {
    const { seq, ts, exec, type, ...rest } = e as ConductorEvent & { seq: number; ts: number; exec: string };
    io.write(`${JSON.stringify(redactor.redactValue({ seq, ts, exec, type, ...rest }))}\n`);
  };
}

/** The last `--json` line: how the run ended, its exit code, and where its proof and trace are. */
export interface RunSummary {
  type: 'run.summary';
  exec: string;
  status: ExecState['status'];
  exitCode: number;
  proof: string;
  trace: string;
  /** When interrupted: the command that continues it. */
  resume?: string;
}

export function runSummary(s: ExecState, exitCode: number, proof: string, trace: string): RunSummary {
  return { type: 'run.summary', exec: s.exec, status: s.status, exitCode, proof, trace, ...(s.status === 'interrupted' ? { resume: `conductor resume ${s.exec}` } : {}) };
}

/** How much an execution runs: `4 steps`, `8 trials`, or for a comparison `1 step × 2 providers (a, b)`. */
function unitsText(s: ExecState): string {
  const n = s.order.length;
  if (s.kind === 'scenario') return `${n} trial${n === 1 ? '' : 's'}`;
  if (!s.lanes) return `${n} step${n === 1 ? '' : 's'}`;
  const steps = n / s.lanes.length;
  return `${steps} step${steps === 1 ? '' : 's'} × ${s.lanes.length} providers (${s.lanes.join(', ')})`;
}
