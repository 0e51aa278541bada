// `conductor run FILE` and `conductor resume ID`: the engine without the UI, printing one line per event.
import { constants } from 'node:os';
import { relative } from 'node:path';
import { storeRedactor } from '../adapters/store/redaction';
import { UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import { createPrinter } from './printer';
import { scenarioLines } from '../runtime/scenario-text';
import { openNew, openResume, type OpenFlags, type Opened } from './open-execution';

export interface RunIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

const exitCodeOf = (s: ExecState): number => (s.status === 'passed' ? 0 : 1);

/** Signals that stop a headless run: each interrupts it (resumable) and exits 128 + its number, as a shell reports it. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Exit code when stdout closed under a run (`conductor run plan | head -2`): 128 + SIGPIPE, as a shell reports it. */
export const EXIT_OUTPUT_CLOSED = 128 + constants.signals.SIGPIPE;

const isClosedOutput = (err: NodeJS.ErrnoException): boolean => ['EPIPE', 'EIO', 'ECONNRESET', 'ENXIO'].includes(err.code ?? '');

async function drive(opened: Opened, io: RunIO): Promise<number> {
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
  const print = createPrinter({ write: (l) => out(redactor.redact(l)) }, runtime.getSnapshot);
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
    const rel = (p: string) => relative(io.cwd, p) || '.';
    if (final.kind === 'scenario') for (const line of scenarioLines(final)) out(redactor.redact(`${line}\n`));
    out(redactor.redact(`proof: ${rel(paths.proofDir)}  trace: ${rel(paths.traceDir)}\n`));
    if (final.status === 'interrupted') {
      out(`continue with: conductor resume ${final.exec}\n`);
      if (stoppedBy) return 128 + constants.signals[stoppedBy];
      if (outClosed) {
        say(`conductor: output closed (${outClosed}): stopped ${final.exec}; continue with: conductor resume ${final.exec}\n`);
        return EXIT_OUTPUT_CLOSED;
      }
      return 130;
    }
    return exitCodeOf(final);
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    io.stdout.off('error', onOutError);
    io.stderr.off('error', onErrError);
    opened.release();
  }
}

export async function runCommand(file: string, flags: OpenFlags, io: RunIO): Promise<number> {
  return drive(await openNew(file, { cwd: io.cwd, flags, interactive: false }), io);
}

export async function resumeCommand(id: string, flags: OpenFlags, io: RunIO): Promise<number> {
  const opened = await openResume(id, { cwd: io.cwd, flags, interactive: false });
  const status = opened.runtime.getSnapshot().status;
  if (!UNFINISHED_EXEC_STATUSES.includes(status)) {
    opened.runtime.dispose();
    opened.release();
    io.stdout.write(`${id} already finished: ${status} (see conductor status ${id})\n`);
    return status === 'passed' ? 0 : 1;
  }
  return drive(opened, io);
}
