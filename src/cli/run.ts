// `conductor run FILE` and `conductor resume ID`: the engine without the UI, printing one line per event
// (`--json`: each event as the log holds it, one JSON object a line, then a `run.summary`).
import { constants } from 'node:os';
import { relative } from 'node:path';
import { readEventLog } from '../adapters/store/event-log';
import { storeRedactor } from '../adapters/store/redaction';
import { UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import { createJsonPrinter, createPrinter, runSummary } from './printer';
import { scenarioLines } from '../runtime/scenario-text';
import { compareRows, diffOfDiffs } from '../core/compare';
import { compareTable, diffOfDiffsLines } from '../runtime/compare-text';
import { readLanesChanges } from '../adapters/workspace/lanes';
import { openNew, openResume, type OpenFlags, type Opened } from './open-execution';

export interface RunIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

export interface OutputOptions {
  /** One redacted JSON event a line on stdout (as in events.jsonl), then a `run.summary` line; notices stay on stderr. */
  json?: boolean;
}

const exitCodeOf = (s: ExecState): number => (s.status === 'passed' ? 0 : 1);

/** Signals that stop a headless run: each interrupts it (resumable) and exits 128 + its number, as a shell reports it. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Exit code when stdout closed under a run (`conductor run plan | head -2`): 128 + SIGPIPE, as a shell reports it. */
export const EXIT_OUTPUT_CLOSED = 128 + constants.signals.SIGPIPE;

const isClosedOutput = (err: NodeJS.ErrnoException): boolean => ['EPIPE', 'EIO', 'ECONNRESET', 'ENXIO'].includes(err.code ?? '');

async function drive(opened: Opened, io: RunIO, output: OutputOptions = {}): Promise<number> {
  const { runtime, paths } = opened;
  // A closed stdout (a pipe whose reader left, a terminal that hung up) means nobody reads this run any
  // more: stop printing, stop the run the way SIGINT does (resumable), and exit quietly. A closed stderr
  // only stops the messages.
  let outClosed: string | undefined;
  let errClosed = false;
  const out = (text: string): void => {
    if (outClosed) return;
    try {
      io.stdout.write(text);
    } catch (err) {
      onOutError(err as NodeJS.ErrnoException);
    }
  };
  const say = (text: string): void => {
    if (errClosed) return;
    try {
      io.stderr.write(text);
    } catch {
      errClosed = true;
    }
  };
  const onOutError = (err: NodeJS.ErrnoException): void => {
    if (outClosed) return;
    if (!isClosedOutput(err)) throw err;
    outClosed = err.code;
    void runtime.quit(`output closed (${err.code})`);
  };
  const onErrError = (err: NodeJS.ErrnoException): void => {
    errClosed = true;
    if (!isClosedOutput(err)) throw err;
  };
  io.stdout.on('error', onOutError);
  io.stderr.on('error', onErrError);

  // Headless output passes the same redaction as proof/ and trace/ (provider env values included).
  const redactor = storeRedactor();
  for (const n of opened.notices) say(redactor.redact(`conductor: ${n}\n`));
  const print = output.json
    ? createJsonPrinter({ write: out }, redactor)
    : createPrinter({ write: (l) => out(redactor.redact(l)) }, runtime.getSnapshot);
  // A new run logged its `execution.created` while it was opened: it comes first, as the log holds it. A
  // resume prints what it adds to the log (from `execution.resumed` on).
  if (output.json && runtime.getSnapshot().status === 'created') {
    for (const e of readEventLog(paths.events).events) out(`${JSON.stringify(e)}\n`);
  }
  runtime.onEvent(print);
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    stoppedBy ??= sig;
    void runtime.quit(`${sig} received`);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  try {
    runtime.start();
    const final = await runtime.done();
    if (!UNFINISHED_EXEC_STATUSES.includes(final.status)) {
      try {
        await opened.settle(final);
      } catch (err) {
        say(redactor.redact(`conductor: could not record what each provider changed: ${err instanceof Error ? err.message : String(err)}\n`));
      }
    }
    const rel = (p: string) => relative(io.cwd, p) || '.';
    let code = exitCodeOf(final);
    if (final.status === 'interrupted') {
      if (stoppedBy) code = 128 + constants.signals[stoppedBy];
      else if (outClosed) {
        say(`conductor: output closed (${outClosed}): stopped ${final.exec}; continue with: conductor resume ${final.exec}\n`);
        code = EXIT_OUTPUT_CLOSED;
      } else code = 130;
    }
    if (output.json) {
      const summary = runSummary(final, code, rel(paths.proofDir), rel(paths.traceDir));
      // A comparison's figures per provider (the report has them too, with the diff of diffs).
      const comparison = final.lanes ? { comparison: compareRows(final, readLanesChanges(final.lanes, paths.laneChanges)) } : {};
      out(`${JSON.stringify(redactor.redactValue({ ...summary, ...comparison }))}\n`);
      return code;
    }
    if (final.kind === 'scenario') for (const line of scenarioLines(final)) out(redactor.redact(`${line}\n`));
    if (final.lanes) for (const line of comparisonLines(final, paths)) out(redactor.redact(`${line}\n`));
    out(redactor.redact(`proof: ${rel(paths.proofDir)}  trace: ${rel(paths.traceDir)}\n`));
    if (final.status === 'interrupted') out(`continue with: conductor resume ${final.exec}\n`);
    return code;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    io.stdout.off('error', onOutError);
    io.stderr.off('error', onErrError);
    opened.release();
  }
}

/** The comparison's table and diff of diffs, as a run of a comparing plan ends. */
function comparisonLines(state: ExecState, paths: Opened['paths']): string[] {
  const changes = readLanesChanges(state.lanes ?? [], paths.laneChanges);
  return ['', ...compareTable(compareRows(state, changes)), '', ...diffOfDiffsLines(diffOfDiffs(state.lanes ?? [], changes)), `the diffs: conductor report ${state.exec}`];
}

export async function runCommand(file: string, flags: OpenFlags, io: RunIO, output: OutputOptions = {}): Promise<number> {
  return drive(await openNew(file, { cwd: io.cwd, flags, interactive: false }), io, output);
}

export async function resumeCommand(id: string, flags: OpenFlags, io: RunIO, output: OutputOptions = {}): Promise<number> {
  const opened = await openResume(id, { cwd: io.cwd, flags, interactive: false });
  const state = opened.runtime.getSnapshot();
  if (!UNFINISHED_EXEC_STATUSES.includes(state.status)) {
    opened.runtime.dispose();
    opened.release();
    const code = state.status === 'passed' ? 0 : 1;
    const rel = (p: string) => relative(io.cwd, p) || '.';
    // Nothing ran, so no event is printed: only the summary says how it ended.
    if (output.json) io.stdout.write(`${JSON.stringify(storeRedactor().redactValue(runSummary(state, code, rel(opened.paths.proofDir), rel(opened.paths.traceDir))))}\n`);
    else io.stdout.write(`${id} already finished: ${state.status} (see conductor status ${id})\n`);
    return code;
  }
  return drive(opened, io, output);
}
