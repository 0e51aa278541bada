// User-defined provider definitions (`providers:` in conductor.yaml) normalized to ProviderDef.
import * as z from 'zod';
import { custom, duration, forward, text } from './common';
import { describeValue } from '../duration';
import type { ProviderDef } from '../types';

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

const patternSchema = custom((v, fail, ctx) => {
  if (typeof v === 'string') return forward(ctx, regex('an approval prompt pattern'), v) !== undefined ? { match: v } : z.NEVER;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const r = forward(ctx, z.strictObject({ match: regex('an approval prompt pattern'), command: regex('a command capture pattern').optional() }), v);
    if (!r) return z.NEVER;
    return r.command === undefined ? { match: r.match } : { match: r.match, command: r.command };
  }
  return fail(`found ${describeValue(v)}, expected a pattern string or {match, command}`);
});

export const providerInputSchema = z.strictObject({
  command: text('the executable to start'),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  prompt: z
    .strictObject({ via: z.enum(['arg', 'file', 'type']).optional(), readyPattern: regex('a ready pattern').optional() })
    .optional(),
  approval: z
    .strictObject({
      patterns: z.array(patternSchema).optional(),
      stableMs: duration.optional(),
      keys: z.strictObject({ allow: z.string().optional(), always: z.string().optional(), deny: z.string().optional() }).optional(),
    })
    .optional(),
  done: z
    .strictObject({
      via: z.enum(['exit', 'idle']).optional(),
      idleMs: duration.optional(),
      pattern: regex('a done pattern').optional(),
    })
    .optional(),
  resume: z.strictObject({ args: z.array(z.string()) }).optional(),
  version: z.strictObject({ args: z.array(z.string()), pattern: regex('a version pattern').optional() }).optional(),
  asksApproval: z.boolean().optional(),
});

export type ProviderInput = z.output<typeof providerInputSchema>;

export function completeProvider(name: string, p: ProviderInput): ProviderDef {
  const patterns = p.approval?.patterns ?? [];
  const def: ProviderDef = {
    name,
    command: p.command,
    args: p.args ?? [],
    env: p.env ?? {},
    prompt: { via: p.prompt?.via ?? 'arg' },
    approval: {
      patterns,
      stableMs: p.approval?.stableMs ?? 300,
      keys: {
        allow: p.approval?.keys?.allow ?? 'y',
        always: p.approval?.keys?.always ?? 'a',
        deny: p.approval?.keys?.deny ?? '\u001b',
      },
    },
    done: { via: p.done?.via ?? 'exit' },
    asksApproval: p.asksApproval ?? patterns.length > 0,
  };
  if (p.prompt?.readyPattern !== undefined) def.prompt.readyPattern = p.prompt.readyPattern;
  if (p.done?.idleMs !== undefined) def.done.idleMs = p.done.idleMs;
  if (p.done?.pattern !== undefined) def.done.pattern = p.done.pattern;
  if (p.resume) def.resume = p.resume;
  if (p.version) def.version = p.version.pattern === undefined ? { args: p.version.args } : p.version;
  return def;
}

/** `providers:` in conductor.yaml: name → definition. */
export const providersSchema = custom((v, fail, ctx): Record<string, ProviderDef> => {
  const out: Record<string, ProviderDef> = {};
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) return fail(`found ${describeValue(v)}, expected a mapping of provider name → definition`);
  for (const [name, item] of Object.entries(v)) {
    if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) {
      fail(`found provider name "${name}", expected letters, digits, - and _`, [name]);
      continue;
    }
    const r = forward(ctx, providerInputSchema, item, [name]);
    if (r) out[name] = completeProvider(name, r);
  }
  return out;
});
