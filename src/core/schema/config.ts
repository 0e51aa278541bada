// Project config (conductor.yaml), user settings (conf), and their pure merge: flags > project > user > defaults.
import * as z from 'zod';
import { custom, positiveInt, text } from './common';
import { approvalPolicySchema, DEFAULT_POLICY } from './policy';
import { providersSchema } from './provider';
import { describeValue } from '../duration';
import type { ApprovalPolicy, Config, ProviderDef } from '../types';

const keymapSchema = custom((v, fail): Record<string, string[]> => {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return fail(`found ${describeValue(v)}, expected a mapping of command → key or list of keys`);
  const out: Record<string, string[]> = {};
  for (const [cmd, keys] of Object.entries(v)) {
    const list = typeof keys === 'string' ? [keys] : keys;
    if (!Array.isArray(list) || list.some((k) => typeof k !== 'string' || !k)) {
      fail(`found ${describeValue(keys)}, expected a key or a list of keys (strings like "ctrl+c")`, [cmd]);
      continue;
    }
    out[cmd] = list as string[];
  }
  return out;
});

const theme = z.enum(['dark', 'light', 'mono']);

export const projectConfigSchema = z.strictObject({
  provider: text('the default provider').optional(),
  concurrency: positiveInt('how many sessions may run at once').optional(),
  approval: approvalPolicySchema.optional(),
  output: z.strictObject({ proof: text('a folder').optional(), trace: text('a folder').optional() }).optional(),
  providers: providersSchema.optional(),
  keymap: keymapSchema.optional(),
  theme: theme.optional(),
  bell: z.boolean().optional(),
  recording: z.strictObject({ maxCastMB: positiveInt('the most MB of output one .cast recording keeps').optional() }).optional(),
});

/** conductor.yaml as written: provider entries not yet resolved against the presets. */
export type ProjectConfigInput = z.output<typeof projectConfigSchema>;

/** conductor.yaml with every configured provider resolved to its effective definition. */
export type ProjectConfig = Omit<ProjectConfigInput, 'providers'> & { providers?: Record<string, ProviderDef> };

export const userSettingsSchema = z.strictObject({
  defaultProvider: text('the default provider').optional(),
  keymap: keymapSchema.optional(),
  theme: theme.optional(),
  bell: z.boolean().optional(),
});

export type UserSettings = z.output<typeof userSettingsSchema>;

export interface ConfigFlags {
  provider?: string;
  concurrency?: number;
  approval?: ApprovalPolicy;
  theme?: Config['theme'];
  bell?: boolean;
}

export const DEFAULT_CONFIG: Config = {
  provider: 'sim',
  concurrency: 1,
  approval: DEFAULT_POLICY,
  output: { proof: 'proof', trace: 'trace' },
  providers: {},
  keymap: {},
  theme: 'dark',
  bell: true,
  recording: { maxCastMB: 100 },
};

/**
 * CLI flags > project config > user settings > defaults. Keymaps merge per command. `providers` holds every
 * provider a run can use: the presets, with the project's entries (already resolved against them) on top.
 */
export function mergeConfig(parts: { flags?: ConfigFlags; project?: ProjectConfig; user?: UserSettings; presets?: Record<string, ProviderDef> }): Config {
  const { flags = {}, project = {}, user = {}, presets = {} } = parts;
  const d = DEFAULT_CONFIG;
  const providers: Record<string, ProviderDef> = { ...presets, ...(project.providers ?? {}) };
  return {
    provider: flags.provider ?? project.provider ?? user.defaultProvider ?? d.provider,
    concurrency: flags.concurrency ?? project.concurrency ?? d.concurrency,
    approval: flags.approval ?? project.approval ?? { ...d.approval },
    output: { proof: project.output?.proof ?? d.output.proof, trace: project.output?.trace ?? d.output.trace },
    providers,
    keymap: { ...d.keymap, ...(user.keymap ?? {}), ...(project.keymap ?? {}) },
    theme: flags.theme ?? project.theme ?? user.theme ?? d.theme,
    bell: flags.bell ?? project.bell ?? user.bell ?? d.bell,
    recording: { maxCastMB: project.recording?.maxCastMB ?? d.recording!.maxCastMB },
  };
}
