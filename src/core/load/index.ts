// Pure entry points: text of a plan, scenario, config or roles file → normalized value or positioned diagnostics.
import { resolve } from 'node:path';
import type * as z from 'zod';
import { projectConfigSchema, userSettingsSchema, type ProjectConfig, type UserSettings } from '../schema/config';
import { resolveProviders } from '../schema/provider';
import { looksLikeSwarm } from '../schema/plan';
import { rolesFileSchema } from '../schema/role';
import type { Diagnostic, Plan, ProviderDef, Role, Scenario } from '../types';
import { issuesToDiagnostics } from './issues';
import { loadPlan, type Loaded, type LoadOptions } from './plan';
import { loadScenario } from './scenario';
import { diagnosticAt, parseSource, type Source } from './source';

export { formatDiagnostic, pathText, sortDiagnostics } from './diagnostic';
export { findCycle, levels } from '../schedule';
export type { Loaded, LoadOptions } from './plan';

export type InputKind = 'plan' | 'scenario';

export function kindFromName(file: string): InputKind | undefined {
  if (/\.plan\.(ya?ml|json)$/i.test(file)) return 'plan';
  if (/\.scenario\.(ya?ml|json)$/i.test(file)) return 'scenario';
  return undefined;
}

function kindFromContent(data: unknown): InputKind | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  if (looksLikeSwarm(data)) return 'plan';
  // `providers` is in both (a plan compares them); `steps` only in plans.
  if ('steps' in data) return 'plan';
  if ('trials' in data || 'assertions' in data || 'providers' in data) return 'scenario';
  return undefined;
}

function done<T>(r: Loaded<T>): Loaded<T> {
  if (r.ok) return r;
  return { ok: false, diagnostics: [...r.diagnostics].sort((a, b) => a.line - b.line || a.col - b.col) };
}

function withSource<T>(text: string, file: string, fn: (src: Source) => Loaded<T>): Loaded<T> {
  const parsed = parseSource(text, file);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  if (parsed.source.data === null || parsed.source.data === undefined) {
    return { ok: false, diagnostics: [{ file, line: 1, col: 1, path: '', message: 'found an empty file, expected a mapping' }] };
  }
  return done(fn(parsed.source));
}

/** A plan or a scenario, decided by the file name (`.plan.*`, `.scenario.*`) or else by its content. */
export function parseInputText(text: string, file: string, opts: LoadOptions = {}): Loaded<Plan | Scenario> {
  const absFile = opts.absPath ?? resolve(file);
  return withSource<Plan | Scenario>(text, file, (src) => {
    const data = src.data;
    if (typeof data !== 'object' || Array.isArray(data)) {
      return { ok: false, diagnostics: [{ file, line: 1, col: 1, path: '', message: 'found a list or a value, expected a mapping with `goal` and `steps` (plan) or `task` and `assertions` (scenario)' }] };
    }
    const kind = kindFromName(file) ?? kindFromContent(data);
    if (!kind) {
      return {
        ok: false,
        diagnostics: [{ file, line: 1, col: 1, path: '', message: 'cannot tell whether this is a plan or a scenario: name it *.plan.yaml or *.scenario.yaml, or give it `steps` (plan) or `assertions` (scenario)' }],
      };
    }
    return kind === 'plan' ? loadPlan(src, opts, absFile) : loadScenario(src, opts, absFile);
  });
}

function parseWith<S extends z.ZodType, T = z.output<S>>(
  schema: S,
  text: string,
  file: string,
  allowEmpty: boolean,
  then?: (value: z.output<S>, src: Source) => Loaded<T>,
): Loaded<T> {
  const parsed = parseSource(text, file);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const src = parsed.source;
  const data = src.data ?? (allowEmpty ? {} : undefined);
  const r = schema.safeParse(data);
  if (!r.success) return done({ ok: false, diagnostics: issuesToDiagnostics(src, schema, r.error.issues) });
  return then ? done(then(r.data, src)) : { ok: true, value: r.data as T, warnings: [] };
}

/**
 * conductor.yaml; an empty file means all defaults. Provider entries are resolved against `presets` (the
 * built-in providers) and each other, so every reader of the config sees the same effective providers.
 */
export function parseConfigText(text: string, file: string, presets: Record<string, ProviderDef> = {}): Loaded<ProjectConfig> {
  return parseWith(projectConfigSchema, text, file, true, (value, src): Loaded<ProjectConfig> => {
    if (value.providers === undefined) return { ok: true, value: value as ProjectConfig, warnings: [] };
    const { providers, issues } = resolveProviders(value.providers, presets);
    if (issues.length) return { ok: false, diagnostics: issues.map((i) => diagnosticAt(src, ['providers', ...i.path], i.message)) };
    return { ok: true, value: { ...value, providers }, warnings: [] };
  });
}

/** A roles file: `agents:` with a list of roles; missing fields come from the built-in role of that name. */
export function parseRolesText(text: string, file: string): Loaded<Record<string, Role>> {
  const r = parseWith(rolesFileSchema, text, file, false);
  return r.ok ? { ok: true, value: r.value.agents, warnings: [] } : r;
}

/** User settings already read as an object (conf store); diagnostics point at the settings file by path only. */
export function parseUserSettings(data: unknown, file: string): Loaded<UserSettings> {
  const r = userSettingsSchema.safeParse(data ?? {});
  if (r.success) return { ok: true, value: r.data, warnings: [] };
  const text = JSON.stringify(data ?? {}, null, '\t');
  return parseWith(userSettingsSchema, text, file, true);
}

export type { Diagnostic };
