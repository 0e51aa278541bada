// `conductor report ID [--format md,json,html] [-o PATH|-o -] [--eval N]`: an execution's report rebuilt from its
// event log (and its latest re-evaluation, if any), written as proof/<exec>/report.<ext> or where -o says.
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import fsExt from 'fs-ext';
import { resolveConfig } from '../adapters/input/config';
import { readJson, writeRawAtomic } from '../adapters/store/atomic';
import { readEventLog } from '../adapters/store/event-log';
import { isExecId } from '../adapters/store/paths';
import { redactProviderEnv, storeRedactor } from '../adapters/store/redaction';
import type { ConductorEvent } from '../core/events';
import { formatDiagnostic } from '../core/load/index';
import { replay } from '../core/machine';
import { UNFINISHED_EXEC_STATUSES } from '../core/state';
import type { Evaluation } from '../core/stats';
import { runPaths } from '../runtime/recorder';
import { renderMarkdown } from '../runtime/report';
import { loadCasts, loadPlayer, renderHtml } from '../runtime/report-html';
import { buildReport, type Report } from '../runtime/report-model';
import { InputError, outputRoots } from './open-execution';
import type { RunIO } from './run';

export const REPORT_FORMATS = ['md', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportFlags {
  cwd: string;
  out?: string;
  format?: string;
  /** -o PATH, or '-' for stdout. */
  output?: string;
  eval?: string;
}

export function parseFormats(value: string | undefined): ReportFormat[] {
  if (value === undefined) return ['md'];
  const list = value.split(',').map((f) => f.trim().toLowerCase());
  const bad = list.find((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad !== undefined || !list.length) throw new InputError(`--format takes md, json or html (or several, comma-separated, like md,json,html), not "${value}"`);
  return [...new Set(list)] as ReportFormat[];
}

/** Whether a conductor holds the execution's lock now (a shared lock cannot be had while it does). */
function heldByRunner(traceDir: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(traceDir, 'r');
    fsExt.flockSync(fd, 'shnb');
    fsExt.flockSync(fd, 'un');
    return false;
  } catch (err) {
    return ['EAGAIN', 'EWOULDBLOCK'].includes((err as NodeJS.ErrnoException).code ?? '');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const EVAL_FILE = /^eval-(\d+)\.json$/;

/** The re-evaluation to report on: `--eval N` (0: the run's own), else the latest one kept. */
function pickEvaluation(dir: string, flag: string | undefined): { evaluation: Evaluation; file: string } | undefined {
  const found = new Map<number, string>();
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const m = EVAL_FILE.exec(name);
      if (m) found.set(Number(m[1]), join(dir, name));
    }
  }
  let n: number | undefined;
  if (flag !== undefined) {
    n = Number(flag);
    if (!/^\d+$/.test(flag)) throw new InputError(`--eval takes a re-evaluation number (0 for the run's own results), not "${flag}"`);
    if (n === 0) return undefined;
    if (!found.has(n)) {
      const have = [...found.keys()].sort((a, b) => a - b);
      throw new InputError(`no re-evaluation ${n}: ${have.length ? `there are ${have.map((k) => `eval-${k}`).join(', ')}` : 'this execution has none'} (--eval 0 reports the run's own results)`);
    }
  } else if (found.size) n = Math.max(...found.keys());
  if (n === undefined) return undefined;
  const file = found.get(n)!;
  let evaluation: Evaluation;
  try {
    evaluation = readJson<Evaluation>(file);
  } catch (err) {
    throw new InputError(`${file}: ${(err as Error).message}; pick another with --eval N, or --eval 0 for the run's own results`);
  }
  if (!evaluation || typeof evaluation !== 'object' || typeof evaluation.units !== 'object') {
    throw new InputError(`${file} is not a re-evaluation (no "units"); pick another with --eval N, or --eval 0 for the run's own results`);
  }
  return { evaluation, file };
}

/** The report in one format, redacted: the html's vendored player must reach the page byte for byte, so what comes from the execution is redacted rather than the page. */
function render(format: ReportFormat, report: Report, reportDir: string): string {
  const redactor = storeRedactor();
  switch (format) {
    case 'md':
      return redactor.redact(renderMarkdown(report));
    case 'json':
      return `${JSON.stringify(redactor.redactValue(report), null, 2)}\n`;
    case 'html':
      return renderHtml(redactor.redactValue(report), { player: loadPlayer(), casts: redactor.redactValue(loadCasts(report, reportDir)) });
  }
}

export async function reportCommand(id: string, flags: ReportFlags, io: RunIO): Promise<number> {
  const formats = parseFormats(flags.format);
  if (flags.output === '-' && formats.length > 1) throw new InputError(`-o - prints one format, not ${formats.length} (${formats.join(',')}): give one --format, or -o PATH per run`);
  const outDir = flags.output !== undefined && flags.output !== '-' && isDir(resolve(flags.cwd, flags.output));
  if (flags.output !== undefined && flags.output !== '-' && !outDir && formats.length > 1) throw new InputError(`-o FILE names one file, not ${formats.length} (${formats.join(',')}): give one --format, or leave out -o to write proof/<exec>/report.<ext>`);
  const cfg = await resolveConfig({ cwd: flags.cwd });
  if (!cfg.ok) throw new InputError(cfg.diagnostics.map((d) => formatDiagnostic(d)).join('\n'), cfg.diagnostics.map((d) => formatDiagnostic(d)));
  redactProviderEnv(cfg.value.providers);
  if (!isExecId(id)) throw new InputError(`"${id}" is not an execution id (they look like exec-20261121-140211-a1b2; \`conductor status\` shows the latest)`);
  const roots = outputRoots(cfg.value, flags.cwd, flags.out);
  const paths = runPaths(roots, id);
  if (!existsSync(paths.events)) throw new InputError(`no execution ${id}: ${relative(flags.cwd, paths.events) || paths.events} does not exist`);
  const contents = readEventLog(paths.events);
  const state = replay(contents.events as unknown as ConductorEvent[]);
  if (!state) throw new InputError(`${paths.events} holds no events`);
  if (contents.torn) io.stderr.write(`conductor: the last line of ${paths.events} is torn (line ${contents.torn.line}); it is ignored\n`);
  const evaluation = state.kind === 'scenario' ? pickEvaluation(paths.evaluationsDir, flags.eval) : undefined;
  if (flags.eval !== undefined && state.kind !== 'scenario') throw new InputError(`--eval applies to scenario executions; ${id} ran a plan`);
  const running = UNFINISHED_EXEC_STATUSES.includes(state.status) && heldByRunner(paths.traceDir);
  if (UNFINISHED_EXEC_STATUSES.includes(state.status)) {
    io.stderr.write(`conductor: ${id} is ${running ? 'still running' : 'interrupted'}: the report shows what is there so far\n`);
  }
  for (const format of formats) {
    const target =
      flags.output === '-'
        ? undefined
        : flags.output !== undefined
          ? outDir
            ? join(resolve(flags.cwd, flags.output), `report.${format}`)
            : resolve(flags.cwd, flags.output)
          : join(paths.proofDir, `report.${format}`);
    const reportDir = target ? dirname(target) : flags.cwd;
    const report = buildReport(state, paths, { reportDir, evaluation, running });
    const text = render(format, report, reportDir);
    if (!target) {
      io.stdout.write(text);
      continue;
    }
    writeRawAtomic(target, text);
    io.stdout.write(`${relative(flags.cwd, target) || target}\n`);
  }
  return 0;
}
