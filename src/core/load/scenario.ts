// Scenario normalization: defaults from the options, known roles and providers.
import { basename } from 'node:path';
import { BUILTIN_ROLES, BUILTIN_ROLE_NAMES, GENERIC_ROLE, roleNamed } from '../roles';
import { scenarioSchema } from '../schema/scenario';
import { didYouMean } from '../suggest';
import type { Diagnostic, Scenario } from '../types';
import { issuesToDiagnostics } from './issues';
import { knownProviders, resolveWorkspace, type Loaded, type LoadOptions } from './plan';
import { diagnosticAt, type Source } from './source';
import { code } from './diagnostic';

export function loadScenario(src: Source, opts: LoadOptions, absFile: string): Loaded<Scenario> {
  const r = scenarioSchema.safeParse(src.data);
  if (!r.success) return { ok: false, diagnostics: issuesToDiagnostics(src, scenarioSchema, r.error.issues) };
  const input = r.data;
  const errors: Diagnostic[] = [];
  const agent = input.agent ?? GENERIC_ROLE;
  if (!roleNamed(BUILTIN_ROLES, agent)) {
    errors.push(
      diagnosticAt(src, ['agent'], `found unknown role ${code(agent)}, expected one of ${BUILTIN_ROLE_NAMES.map((n) => `${code(n)}`).join(', ')}${didYouMean(agent, BUILTIN_ROLE_NAMES)}`),
    );
  }
  const known = knownProviders(opts);
  const providers = input.providers ?? [opts.defaultProvider ?? 'sim'];
  const listed = Array.isArray((src.data as { providers?: unknown }).providers);
  providers.forEach((p, i) => {
    if (!known.includes(p)) {
      errors.push(
        diagnosticAt(src, listed ? ['providers', i] : ['providers'], `found unknown provider ${code(p)}, expected one of ${known.map((n) => `${code(n)}`).join(', ')}${didYouMean(p, known)}`),
      );
    }
  });
  if (providers.length === 0) errors.push(diagnosticAt(src, ['providers'], 'found an empty list, expected at least one provider'));
  const workspace = resolveWorkspace(src, input.workspace, opts, absFile, errors);
  if (errors.length) return { ok: false, diagnostics: errors };
  const scenario: Scenario = {
    kind: 'scenario',
    file: absFile,
    name: input.name ?? basename(absFile).replace(/\.scenario\.(ya?ml|json)$/i, '').replace(/\.(ya?ml|json)$/i, ''),
    task: input.task,
    agent,
    providers: [...new Set(providers)],
    trials: input.trials ?? 1,
    concurrency: input.concurrency ?? 1,
    assertions: input.assertions,
    threshold: input.threshold ?? 1,
    passScore: input.passScore ?? 1,
  };
  if (workspace) scenario.workspace = workspace;
  if (input.timeout !== undefined) scenario.timeout = input.timeout;
  if (input.approval) scenario.approval = input.approval;
  if (input.sim) scenario.sim = input.sim;
  return { ok: true, value: scenario, warnings: [] };
}
