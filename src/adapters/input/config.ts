// Reads conductor.yaml from the project and user settings through conf, and merges them with CLI flags.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type Conf from 'conf';
import envPaths from 'env-paths';
import { parseConfigText, parseUserSettings, type Loaded } from '../../core/load/index';
import { mergeConfig, type ConfigFlags, type ProjectConfig, type UserSettings } from '../../core/schema/config';
import type { Config } from '../../core/types';
import { builtinProviders } from '../providers';

export const PROJECT_CONFIG_FILE = 'conductor.yaml';

/** Whether a file name is a project config (`conductor.yaml`, or `NAME.conductor.yaml` for a variant kept aside). */
export const isConfigFileName = (file: string): boolean => /(?:^|[/\\.])conductor\.ya?ml$/i.test(file);

/** A project config file at `file` (relative to `cwd`), its providers resolved against the built-in presets. */
export async function loadConfigFile(file: string, cwd: string, missingIsEmpty = false): Promise<Loaded<ProjectConfig>> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (e) {
    if (missingIsEmpty && (e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: {}, warnings: [] };
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'ENOENT: no such file' : err.message;
    return { ok: false, diagnostics: [{ file, line: 1, col: 1, path: '', message: `cannot read file: ${why}` }] };
  }
  return parseConfigText(text, file, builtinProviders);
}

/** `conductor.yaml` in `cwd`; absent means defaults. */
export async function loadProjectConfig(cwd: string): Promise<Loaded<ProjectConfig>> {
  return loadConfigFile(PROJECT_CONFIG_FILE, cwd, true);
}

/** Where conf keeps the user settings: its default folder (env-paths, suffix `nodejs`), or `CONDUCTOR_CONFIG_DIR`. */
export function userSettingsPath(): string {
  return join(process.env.CONDUCTOR_CONFIG_DIR ?? envPaths('conductor', { suffix: 'nodejs' }).config, 'config.json');
}

/** The conf store holding user settings; `CONDUCTOR_CONFIG_DIR` redirects it (tests). */
export async function openUserSettings(): Promise<Conf<Record<string, unknown>>> {
  const { default: Store } = await import('conf');
  const cwd = process.env.CONDUCTOR_CONFIG_DIR;
  return new Store<Record<string, unknown>>({ projectName: 'conductor', ...(cwd ? { cwd } : {}) });
}

export async function loadUserSettings(): Promise<Loaded<UserSettings>> {
  // Most people never write settings: skip loading conf (and its schema validator) at start-up then.
  if (!existsSync(userSettingsPath())) return { ok: true, value: {}, warnings: [] };
  let store: Conf<Record<string, unknown>>;
  try {
    store = await openUserSettings();
  } catch (e) {
    const where = process.env.CONDUCTOR_CONFIG_DIR ? join(process.env.CONDUCTOR_CONFIG_DIR, 'config.json') : 'user settings (config.json)';
    return { ok: false, diagnostics: [{ file: where, line: 1, col: 1, path: '', message: `cannot read user settings: ${(e as Error).message}` }] };
  }
  return parseUserSettings(store.store, store.path);
}

export async function resolveConfig(opts: { cwd: string; flags?: ConfigFlags }): Promise<Loaded<Config>> {
  const [project, user] = await Promise.all([loadProjectConfig(opts.cwd), loadUserSettings()]);
  const diagnostics = [...(project.ok ? [] : project.diagnostics), ...(user.ok ? [] : user.diagnostics)];
  if (!project.ok || !user.ok) return { ok: false, diagnostics };
  return {
    ok: true,
    value: mergeConfig({ flags: opts.flags, project: project.value, user: user.value, presets: builtinProviders }),
    warnings: [...project.warnings, ...user.warnings],
  };
}
