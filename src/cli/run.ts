// `conductor run FILE` and `conductor resume ID`: the engine without the UI, printing one line per event.
import { relative } from 'node:path';
import { storeRedactor } from '../adapters/store/redaction';
import { UNFINISHED_EXEC_STATUSES, type ExecState } from '../core/state';
import { createPrinter } from './printer';
import { openNew, openResume, type OpenFlags, type Opened } from './open-execution';

export interface RunIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
}

const exitCodeOf = (s: ExecState): number => (s.status === 'passed' ? 0 : 1);

async function drive(opened: Opened, io: RunIO): Promise<number> {
  const { runtime, paths } = opened;
  // Headless output passes the same redaction as proof/ and trace/ (provider env values included).
  const redactor = storeRedactor();
  for (const n of opened.notices) io.stderr.write(redactor.redact(`conductor: ${n}\n`));
  if (runtime.getSnapshot().kind === 'scenario') {
    io.stderr.write('conductor: scenario assertions are not evaluated yet; each trial passes when its agent exits 0\n');
  }
  const print = createPrinter({ write: (l) => io.stdout.write(redactor.redact(l)) }, runtime.getSnapshot);
  runtime.onEvent(print);
  const onSignal = (sig: NodeJS.Signals) => {
    void runtime.quit(`${sig} received`);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    runtime.start();
    const final = await runtime.done();
    const rel = (p: string) => relative(io.cwd, p) || '.';
    io.stdout.write(redactor.redact(`proof: ${rel(paths.proofDir)}  trace: ${rel(paths.traceDir)}\n`));
    if (final.status === 'interrupted') {
      io.stdout.write(`continue with: conductor resume ${final.exec}\n`);
      return 130;
    }
    return exitCodeOf(final);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
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
