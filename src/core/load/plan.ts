// Plan normalization (native and swarm formats) and the checks zod cannot do: ids, dependencies, roles, providers.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type * as z from 'zod';
import { BUILTIN_ROLES, GENERIC_ROLE, genericRole, matchBuiltinRole, roleNamed } from '../roles';
import { looksLikeSwarm, planSchema, swarmPlanSchema, type PlanInput, type SwarmPlanInput } from '../schema/plan';
import { BUILTIN_PROVIDER_NAMES } from '../schema/provider';
import { didYouMean } from '../suggest';
import type { Diagnostic, Plan, Role, Step, WorkspaceSpec } from '../types';
import { issuesToDiagnostics } from './issues';
import { findCycle } from '../schedule';
import { diagnosticAt, type Source } from './source';
import { clip, code, type Path } from './diagnostic';

export interface LoadOptions {
  /** Absolute path of the file (Plan.file / Scenario.file); defaults to the file name resolved. */
  absPath?: string;
  /** Folder that paths in the file must stay inside; defaults to the file's folder. */
  root?: string;
  /** Provider used where the file names none (config default); `sim` if unset. */
  defaultProvider?: string;
  /** Provider names defined in config, known in addition to the built-ins. */
  providers?: string[];
  /**
   * The real path of a folder (symlinks resolved; for a missing path, its deepest existing parent's real path
   * with the rest appended). Given by the file-reading adapter; without it the root check is textual only.
   */
  realpath?: (p: string) => string;
}

export type Loaded<T> = { ok: true; value: T; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

interface Fields {
  id: string;
  agent: string;
  dependsOn: string;
}
const NATIVE: Fields = { id: 'id', agent: 'agent', dependsOn: 'dependsOn' };
const SWARM: Fields = { id: 'stepNumber', agent: 'agentName', dependsOn: 'dependencies' };

export function knownProviders(opts: LoadOptions): string[] {
  return [...new Set([...BUILTIN_PROVIDER_NAMES, ...(opts.providers ?? [])])];
}

function listText(names: string[]): string {
  return names.map((n) => `${code(n)}`).join(', ');
}

/** Resolve a workspace folder against the file's folder, rejecting paths that leave the root. */
export function resolveWorkspace(
  src: Source,
  ws: WorkspaceSpec | undefined,
  opts: LoadOptions,
  absFile: string,
  errors: Diagnostic[],
): WorkspaceSpec | undefined {
  if (!ws || 'git' in ws) return ws;
  const key = 'path' in ws ? 'path' : 'fixture';
  const value = 'path' in ws ? ws.path : ws.fixture;
  const base = dirname(absFile);
  const root = resolve(opts.root ?? base);
  const where: Path = typeof (src.data as { workspace?: unknown }).workspace === 'string' ? ['workspace'] : ['workspace', key];
  if (isAbsolute(value)) {
    errors.push(diagnosticAt(src, where, `found absolute path "${clip(value)}", expected a folder relative to the file`));
    return undefined;
  }
  const abs = resolve(base, value);
  if (outside(root, abs)) {
    errors.push(diagnosticAt(src, where, `found "${clip(value)}", which leaves the project root; expected a folder inside it`));
    return undefined;
  }
  // A symlink inside the root can point anywhere: the folder agents write into is where it leads.
  const real = opts.realpath ? opts.realpath(abs) : abs;
  if (opts.realpath && outside(opts.realpath(root), real)) {
    errors.push(diagnosticAt(src, where, `found "${clip(value)}", a symlink to ${real}, which is outside the project root; expected a folder inside it`));
    return undefined;
  }
  return key === 'path' ? { path: real } : { fixture: real };
}

function outside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '..' || rel.startsWith('../') || isAbsolute(rel);
}

function checkGraph(src: Source, steps: Step[], f: Fields, errors: Diagnostic[]): void {
  const first = new Map<string, number>();
  steps.forEach((s, i) => {
    const prev = first.get(s.id);
    if (prev === undefined) first.set(s.id, i);
    else {
      const at = diagnosticAt(src, ['steps', prev, f.id], '');
      errors.push(
        diagnosticAt(src, ['steps', i, f.id], `found duplicate step id ${code(s.id)}, already used by steps[${prev}] at line ${at.line}; expected unique ids`),
      );
    }
  });
  const ids = [...first.keys()];
  const rawDeps = (i: number): unknown => ((src.data as { steps: Record<string, unknown>[] }).steps[i] ?? {})[f.dependsOn];
  steps.forEach((s, i) => {
    s.dependsOn.forEach((dep, j) => {
      const path: Path = Array.isArray(rawDeps(i)) ? ['steps', i, f.dependsOn, j] : ['steps', i, f.dependsOn];
      if (dep === s.id) errors.push(diagnosticAt(src, path, `step ${code(s.id)} depends on itself, expected ids of other steps`));
      else if (!first.has(dep)) {
        errors.push(
          diagnosticAt(src, path, `found unknown step ${code(dep)}, expected one of ${listText(ids.filter((x) => x !== s.id))}${didYouMean(dep, ids)}`),
        );
      }
    });
  });
  if (errors.length) return;
  const cycle = findCycle(steps);
  if (cycle) {
    const i = steps.findIndex((s) => s.id === cycle[0]);
    const j = steps[i].dependsOn.indexOf(cycle[1]);
    const path: Path = Array.isArray(rawDeps(i)) ? ['steps', i, f.dependsOn, j] : ['steps', i, f.dependsOn];
    errors.push(diagnosticAt(src, path, `dependency cycle ${cycle.join(' → ')} (each step depends on the next), expected no cycles`));
  }
}

function checkProvider(src: Source, path: Path, name: string, known: string[], errors: Diagnostic[]): void {
  if (!known.includes(name)) {
    errors.push(diagnosticAt(src, path, `found unknown provider ${code(name)}, expected one of ${listText(known)}${didYouMean(name, known)}`));
  }
}

function nativePlan(src: Source, input: PlanInput, opts: LoadOptions, absFile: string): Loaded<Plan> {
  const errors: Diagnostic[] = [];
  const known = knownProviders(opts);
  const roles: Record<string, Role> = { ...BUILTIN_ROLES, ...(input.roles ?? {}) };
  const roleNames = Object.keys(roles);
  if (input.provider !== undefined) checkProvider(src, ['provider'], input.provider, known, errors);
  input.providers?.forEach((p, j) => checkProvider(src, ['providers', j], p, known, errors));
  const planProvider = input.provider ?? opts.defaultProvider ?? 'sim';
  // One set of providers is compared: the plan's, else the first step's that names some.
  const lanes = input.providers ?? input.steps.find((s) => s.providers)?.providers;
  const steps: Step[] = input.steps.map((s, i) => {
    const agent = s.agent ?? GENERIC_ROLE;
    if (!roleNamed(roles, agent)) {
      errors.push(
        diagnosticAt(src, ['steps', i, 'agent'], `found unknown role ${code(agent)}, expected one of ${listText(roleNames)} or a role declared under \`roles:\`${didYouMean(agent, roleNames)}`),
      );
    }
    if (s.provider !== undefined) checkProvider(src, ['steps', i, 'provider'], s.provider, known, errors);
    if (s.providers) {
      if (s.provider !== undefined) errors.push(diagnosticAt(src, ['steps', i, 'providers'], `found both \`provider:\` and \`providers:\`, expected one: a step runs on one provider or is compared on several`));
      else if (lanes && (s.providers.length !== lanes.length || s.providers.some((p) => !lanes.includes(p)))) {
        const from = input.providers ? 'the plan' : 'the first compared step';
        errors.push(diagnosticAt(src, ['steps', i, 'providers'], `found providers ${listText(s.providers)}, expected the ones ${from} compares (${listText(lanes)}): a comparison runs every lane on the same steps`));
      } else if (!input.providers) s.providers.forEach((p, j) => checkProvider(src, ['steps', i, 'providers', j], p, known, errors));
    }
    const step: Step = {
      id: s.id,
      agent,
      provider: s.provider ?? planProvider,
      task: s.task,
      dependsOn: s.dependsOn ?? [],
      expectedOutputs: s.expectedOutputs ?? [],
      checks: s.checks ?? [],
    };
    if (s.approval) step.approval = s.approval;
    if (s.timeout !== undefined) step.timeout = s.timeout;
    if (s.sim) step.sim = s.sim;
    // Compared: named on the step, or every step not pinned to its own provider when the plan compares.
    if (lanes && (s.providers || (input.providers && s.provider === undefined))) step.providers = [...lanes];
    return step;
  });
  checkGraph(src, steps, NATIVE, errors);
  const workspace = resolveWorkspace(src, input.workspace, opts, absFile, errors);
  if (errors.length) return { ok: false, diagnostics: errors };
  const plan: Plan = {
    kind: 'plan',
    file: absFile,
    format: 'conductor',
    goal: input.goal,
    provider: planProvider,
    concurrency: input.concurrency ?? 1,
    roles,
    steps,
  };
  if (workspace) plan.workspace = workspace;
  if (input.approval) plan.approval = input.approval;
  if (lanes) plan.providers = [...lanes];
  return { ok: true, value: plan, warnings: [] };
}

function swarmPlan(src: Source, input: SwarmPlanInput, opts: LoadOptions, absFile: string): Loaded<Plan> {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const roles: Record<string, Role> = { ...BUILTIN_ROLES };
  const provider = opts.defaultProvider ?? 'sim';
  const steps: Step[] = input.steps.map((s, i) => {
    let agent = matchBuiltinRole(s.agentName);
    if (!agent) {
      agent = s.agentName;
      if (!roleNamed(roles, agent)) {
        roles[agent] = genericRole(agent);
        warnings.push(diagnosticAt(src, ['steps', i, 'agentName'], `agent ${code(agent)} matches no built-in role; using the generic role under that name`));
      }
    }
    return {
      id: String(s.stepNumber),
      agent,
      provider,
      task: s.task,
      dependsOn: (s.dependencies ?? []).map(String),
      expectedOutputs: s.expectedOutputs ?? [],
      checks: [],
    };
  });
  checkGraph(src, steps, SWARM, errors);
  if (errors.length) return { ok: false, diagnostics: errors };
  return {
    ok: true,
    value: { kind: 'plan', file: absFile, format: 'swarm', goal: input.goal, provider, concurrency: 1, roles, steps },
    warnings,
  };
}

export function loadPlan(src: Source, opts: LoadOptions, absFile: string): Loaded<Plan> {
  const swarm = looksLikeSwarm(src.data);
  const schema = (swarm ? swarmPlanSchema : planSchema) as z.ZodType;
  const r = schema.safeParse(src.data);
  if (!r.success) return { ok: false, diagnostics: issuesToDiagnostics(src, schema, r.error.issues) };
  return swarm
    ? swarmPlan(src, r.data as SwarmPlanInput, opts, absFile)
    : nativePlan(src, r.data as PlanInput, opts, absFile);
}
