// User-defined provider definitions (`providers:` in conductor.yaml) and how they become ProviderDefs:
// an entry named like a built-in extends that preset, `extends: NAME` starts from another provider,
// anything else is a new provider that needs a `command`. Objects merge key by key, lists replace.
import * as z from 'zod';
import { custom, forward, text } from './common';
import { describeValue, parseDuration } from '../duration';
import { didYouMean } from '../suggest';
import type { ApprovalPattern, Millis, ProviderDef, ProviderDialog, ProviderHooks } from '../types';
import { code } from '../load/diagnostic';
import { simScriptSchema } from './sim';

export const BUILTIN_PROVIDER_NAMES = ['sim', 'shell', 'claude', 'codex', 'gemini', 'copilot', 'aider'] as const;

const regex = (what: string) =>
  custom((v, fail) => {
    if (typeof v !== 'string' || !v) return fail(`found ${describeValue(v)}, expected ${what} (a regular expression)`);
    try {
      new RegExp(v);
    } catch (e) {
      return fail(`found an invalid regular expression ${JSON.stringify(v)} (${(e as Error).message}), expected ${what}`);
    }
    return v;
  });

/**
 * A provider timing (`400ms`, `2s`, `1m`). A bare number is refused: `stableMs: 400` used to mean 400 seconds,
 * and nobody can tell from the number alone which unit its writer had in mind.
 */
export const providerDuration = custom((v, fail): Millis => {
  const bare = typeof v === 'number' || (typeof v === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(v));
  if (bare) {
    const n = String(v).trim();
    return fail(`found ${typeof v === 'number' ? `number ${n}` : `"${n}"`}; write \`${n}ms\` or \`${n}s\`: a bare number is ambiguous here`);
  }
  const r = parseDuration(v);
  if (!r.ok) return fail(`found ${describeValue(v)}, expected a duration with its unit, like \`400ms\`, \`2s\` or \`1m\``);
  return r.ms;
});

const patternObject = z.strictObject({
  match: regex('an approval prompt pattern'),
  command: regex('a command capture pattern').optional(),
  wrap: z.enum(['app', 'terminal']).optional(),
  gap: z.number().int().min(0).optional(),
});

const patternSchema = custom((v, fail, ctx): ApprovalPattern => {
  if (typeof v === 'string') return forward(ctx, regex('an approval prompt pattern'), v) !== undefined ? { match: v } : z.NEVER;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const r = forward(ctx, patternObject, v);
    if (!r) return z.NEVER;
    const out: ApprovalPattern = { match: r.match };
    if (r.command !== undefined) out.command = r.command;
    if (r.wrap !== undefined) out.wrap = r.wrap;
    if (r.gap !== undefined) out.gap = r.gap;
    return out;
  }
  return fail(`found ${describeValue(v)}, expected a pattern string or {match, command}`);
});

const args = (what: string) => z.array(text(what));

const dialogSchema = z.strictObject({
  kind: z.enum(['trust', 'api-key', 'onboarding', 'hooks']),
  match: regex('the dialog pattern'),
  text: text('what the dialog asks, for the person'),
  keys: z.strictObject({ allow: z.string(), deny: z.string() }),
});

/** Both spellings of one timing at once is an error; `field` is the unit-neutral one (`stable`), `alias` the old (`stableMs`). */
const oneOf =
  (field: string, alias: string) =>
  (v: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (v[field] !== undefined && v[alias] !== undefined)
      ctx.addIssue({ code: 'custom', path: [alias], message: `found both ${code(field)} and ${code(alias)}, expected one of them (they mean the same)`, input: v });
  };

export const providerInputSchema = z.strictObject({
  extends: text('the name of the provider to start from').optional(),
  command: text('the executable to start').optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  prompt: z
    .strictObject({ via: z.enum(['arg', 'file', 'type']).optional(), readyPattern: regex('a ready pattern').optional() })
    .optional(),
  approval: z
    .strictObject({
      patterns: z.array(patternSchema).optional(),
      stable: providerDuration.optional(),
      stableMs: providerDuration.optional(),
      keys: z.strictObject({ allow: z.string().optional(), always: z.string().optional(), deny: z.string().optional() }).optional(),
    })
    .superRefine(oneOf('stable', 'stableMs'))
    .optional(),
  done: z
    .strictObject({
      via: z.enum(['exit', 'idle']).optional(),
      idle: providerDuration.optional(),
      idleMs: providerDuration.optional(),
      pattern: regex('a done pattern').optional(),
    })
    .superRefine(oneOf('idle', 'idleMs'))
    .optional(),
  exit: z.array(z.string()).optional(),
  hooks: z
    .strictObject({
      protocol: z.enum(['claude', 'codex', 'gemini']).optional(),
      approvals: z.boolean().optional(),
      turnEnd: z.boolean().optional(),
      sessionStart: z.boolean().optional(),
    })
    .optional(),
  session: z.strictObject({ args: args('an argument') }).optional(),
  resume: z.strictObject({ args: args('an argument') }).optional(),
  version: z.strictObject({ args: z.array(z.string()), pattern: regex('a version pattern').optional() }).optional(),
  dialogs: z.array(dialogSchema).optional(),
  failures: z.array(z.strictObject({ match: regex('a failure pattern'), reason: text('what went wrong and what to do') })).optional(),
  asksApproval: z.boolean().optional(),
  /** A sim variant's script, for steps and scenarios that give none (the sim agent runs it). */
  sim: simScriptSchema.optional(),
});

export type ProviderInput = z.output<typeof providerInputSchema>;

/** What a user entry changes, shaped like ProviderDef (timings in ms, patterns as objects). */
interface ProviderPatch {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  prompt?: Partial<ProviderDef['prompt']>;
  approval?: { patterns?: ApprovalPattern[]; stableMs?: Millis; keys?: Partial<ProviderDef['approval']['keys']> };
  done?: Partial<ProviderDef['done']>;
  exit?: string[];
  hooks?: Partial<ProviderHooks>;
  session?: { args: string[] };
  resume?: { args: string[] };
  version?: ProviderDef['version'];
  dialogs?: ProviderDialog[];
  failures?: { match: string; reason: string }[];
  asksApproval?: boolean;
  sim?: ProviderDef['sim'];
}

/** Drops undefined members so a merge never overwrites with "nothing". */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function toPatch(p: ProviderInput): ProviderPatch {
  const out: ProviderPatch = defined({
    command: p.command,
    args: p.args,
    env: p.env,
    prompt: p.prompt && defined({ ...p.prompt }),
    approval: p.approval && defined({ patterns: p.approval.patterns, stableMs: p.approval.stable ?? p.approval.stableMs, keys: p.approval.keys && defined({ ...p.approval.keys }) }),
    done: p.done && defined({ via: p.done.via, idleMs: p.done.idle ?? p.done.idleMs, pattern: p.done.pattern }),
    exit: p.exit,
    hooks: p.hooks && defined({ ...p.hooks }),
    session: p.session,
    resume: p.resume,
    version: p.version && defined({ ...p.version }),
    dialogs: p.dialogs,
    failures: p.failures,
    asksApproval: p.asksApproval,
    sim: p.sim,
  });
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Deep merge: mappings merge key by key (env included), lists and plain values replace. */
export function mergeDeep<T>(base: T, patch: unknown): T {
  if (!isPlainObject(patch) || !isPlainObject(base)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeDeep(out[k], v) : v;
  }
  return out as T;
}

/** The starting point of a provider that extends nothing. */
function blank(name: string, command: string): ProviderDef {
  return {
    name,
    command,
    args: [],
    env: {},
    prompt: { via: 'arg' },
    approval: { patterns: [], stableMs: 300, keys: { allow: 'y', always: 'a', deny: '\u001b' } },
    done: { via: 'exit' },
    asksApproval: false,
  };
}

/** `p` applied to `base` (a preset or another provider), or to the defaults when there is none. */
export function completeProvider(name: string, p: ProviderInput, base?: ProviderDef): ProviderDef {
  const patch = toPatch(p);
  const start = base ?? blank(name, p.command ?? '');
  const def = mergeDeep(start, patch) as ProviderDef;
  def.name = name;
  def.asksApproval = patch.asksApproval ?? (patch.approval?.patterns ? patch.approval.patterns.length > 0 : start.asksApproval);
  return def;
}

export interface ProviderIssue {
  /** Path under `providers:`. */
  path: PropertyKey[];
  message: string;
}

const names = (list: Iterable<string>) => [...list].map((n) => code(n)).join(', ');

/**
 * Every configured provider, resolved against the presets and each other. Returns the effective definitions
 * of the configured names (presets that were not mentioned are not included) and positioned problems.
 */
export function resolveProviders(
  inputs: Record<string, ProviderInput>,
  presets: Record<string, ProviderDef>,
): { providers: Record<string, ProviderDef>; issues: ProviderIssue[] } {
  const providers: Record<string, ProviderDef> = {};
  const failed = new Set<string>();
  const issues: ProviderIssue[] = [];
  const known = [...new Set([...Object.keys(presets), ...Object.keys(inputs)])];

  const own = (defs: Record<string, ProviderDef>, name: string): ProviderDef | undefined => (Object.hasOwn(defs, name) ? defs[name] : undefined);
  const resolve = (name: string, stack: string[]): ProviderDef | undefined => {
    if (Object.hasOwn(providers, name)) return providers[name];
    if (failed.has(name)) return undefined;
    const input = inputs[name];
    const fail = (path: PropertyKey[], message: string): undefined => {
      failed.add(name);
      issues.push({ path: [name, ...path], message });
      return undefined;
    };
    let base: ProviderDef | undefined;
    const from = input.extends;
    if (from === undefined) {
      base = own(presets, name);
      if (!base && input.command === undefined)
        return fail([], `missing key \`command\`, expected the executable to start (a string), or \`extends: NAME\` to build on another provider`);
    } else if (from === name) {
      base = own(presets, name);
      if (!base) return fail(['extends'], `provider ${code(name)} extends itself, expected the name of another provider`);
    } else if (Object.hasOwn(inputs, from)) {
      if (stack.includes(from)) {
        const cycle = [...stack.slice(stack.indexOf(from)), from];
        return fail(['extends'], `found an \`extends\` cycle ${cycle.join(' → ')}, expected each provider to build on one that does not lead back to it`);
      }
      base = resolve(from, [...stack, from]);
      if (!base) {
        failed.add(name);
        return undefined;
      }
    } else if (own(presets, from)) {
      base = presets[from];
    } else {
      return fail(['extends'], `found unknown provider ${code(from)}, expected one of ${names(known.filter((n) => n !== name))}${didYouMean(from, known)}`);
    }
    const def = completeProvider(name, input, base);
    if (def.hooks && def.hooks.protocol === undefined)
      return fail(['hooks'], 'missing key `protocol`, expected which CLI\'s hook protocol the provider speaks (claude, codex or gemini)');
    if (def.hooks) def.hooks = Object.assign({ approvals: false, turnEnd: false, sessionStart: false }, def.hooks);
    providers[name] = def;
    return def;
  };

  for (const name of Object.keys(inputs)) resolve(name, [name]);
  return { providers, issues };
}

/** `providers:` in conductor.yaml: name → entry as written (resolved against the presets by the loader). */
export const providersSchema = custom((v, fail, ctx): Record<string, ProviderInput> => {
  const out: Record<string, ProviderInput> = {};
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) return fail(`found ${describeValue(v)}, expected a mapping of provider name → definition`);
  for (const [name, item] of Object.entries(v)) {
    if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) {
      fail(`found provider name "${name}", expected letters, digits, - and _`, [name]);
      continue;
    }
    // `claude:` with nothing under it: the preset as it is.
    const r = forward(ctx, providerInputSchema, item ?? {}, [name]);
    if (r) out[name] = r;
  }
  return out;
});
