// `conductor validate FILE...`: schema and graph checks with `file:line:col` diagnostics; exit 0 ok, 2 bad input.
import { loadInputFile } from '../adapters/input/load-input';
import { isConfigFileName, loadConfigFile, resolveConfig } from '../adapters/input/config';
import type { ProjectConfig } from '../core/schema/config';
import { formatDiagnostic, levels } from '../core/load/index';
import { redactProviderEnv, storeRedactor } from '../adapters/store/redaction';
import type { Diagnostic, Plan, Scenario } from '../core/types';

export interface ValidateIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
}

export const VALIDATE_USAGE =
  'usage: conductor validate FILE...\n  checks plan, scenario and config (conductor.yaml) files and prints file:line:col for each problem\n';

export function describePlan(plan: Plan): string {
  const order = levels(plan.steps)
    .map((level) => (level.length === 1 ? level[0] : `{${level.join(', ')}}`))
    .join(' → ');
  const n = plan.steps.length;
  const compared = plan.providers ? `; compared on ${plan.providers.join(', ')}` : '';
  return `plan${plan.format === 'swarm' ? ' (swarm format)' : ''}, ${n} step${n === 1 ? '' : 's'}: ${order}${compared}`;
}

export function describeScenario(s: Scenario): string {
  const p = s.providers.length;
  const a = s.assertions.length;
  return (
    `scenario, ${s.trials} trial${s.trials === 1 ? '' : 's'} × ${p} provider${p === 1 ? '' : 's'} (${s.providers.join(', ')}), ` +
    `${a} assertion${a === 1 ? '' : 's'}, threshold ${Math.round(s.threshold * 100)}%`
  );
}

/** A project config: the providers it configures. */
export function describeConfig(cfg: ProjectConfig): string {
  const names = Object.keys(cfg.providers ?? {});
  if (!names.length) return 'config, no providers configured';
  return `config, ${names.length} provider${names.length === 1 ? '' : 's'} configured: ${names.join(', ')}`;
}

export async function validateCommand(files: string[], raw: ValidateIO): Promise<number> {
  // What validate prints quotes the files (step ids, values): it passes the store's redaction like all headless output.
  const redact = (s: string) => storeRedactor().redact(s);
  const io: ValidateIO = { cwd: raw.cwd, stdout: { write: (s) => raw.stdout.write(redact(s)) }, stderr: { write: (s) => raw.stderr.write(redact(s)) } };
  if (files.length === 0) {
    io.stderr.write(VALIDATE_USAGE);
    return 2;
  }
  const printAll = (list: Diagnostic[], severity: 'error' | 'warning') => {
    for (const d of list) io.stderr.write(`${formatDiagnostic(d, severity)}\n`);
  };
  try {
    const config = await resolveConfig({ cwd: io.cwd });
    if (!config.ok) {
      printAll(config.diagnostics, 'error');
      return 2;
    }
    redactProviderEnv(config.value.providers);
    let bad = 0;
    for (const file of files) {
      try {
        if (isConfigFileName(file)) {
          const c = await loadConfigFile(file, io.cwd);
          if (!c.ok) {
            bad++;
            printAll(c.diagnostics, 'error');
          } else io.stdout.write(`ok ${file}: ${describeConfig(c.value)}\n`);
          continue;
        }
        const r = await loadInputFile(file, { cwd: io.cwd, config: config.value });
        if (!r.ok) {
          bad++;
          printAll(r.diagnostics, 'error');
          continue;
        }
        printAll(r.warnings, 'warning');
        const what = r.value.kind === 'plan' ? describePlan(r.value) : describeScenario(r.value);
        io.stdout.write(`ok ${file}: ${what}\n`);
      } catch (e) {
        bad++;
        io.stderr.write(`${file}:1:1: error: unexpected failure while validating: ${(e as Error)?.message ?? String(e)}\n`);
      }
    }
    return bad ? 2 : 0;
  } catch (e) {
    io.stderr.write(`conductor validate: unexpected failure: ${(e as Error)?.message ?? String(e)}\n`);
    return 2;
  }
}
