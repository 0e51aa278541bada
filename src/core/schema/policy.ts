// Approval policy: shorthand or full form normalized to ApprovalPolicy, and commandMatches() for command globs.
// Judging a command against a policy, part by part, is core/policy.ts.
import * as z from 'zod';
import picomatch from 'picomatch';
import { custom, duration, forward } from './common';
import { describeValue } from '../duration';
import { didYouMean } from '../suggest';
import type { ApprovalPolicy } from '../types';

const MODES = ['ask', 'allow', 'deny'] as const;

const globList = custom((v, fail) => {
  if (v === undefined || v === null) return [] as string[];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) return fail(`found ${describeValue(v)}, expected a list of command globs like "npm *"`);
  const out: string[] = [];
  list.forEach((g, i) => {
    if (typeof g === 'string' && g.trim()) out.push(g.trim());
    else fail(`found ${describeValue(g)}, expected a command glob (a string like "npm *")`, [i]);
  });
  return out;
});

const mode = custom((v, fail) => {
  if (typeof v === 'string' && (MODES as readonly string[]).includes(v)) return v as (typeof MODES)[number];
  return fail(`found ${describeValue(v)}, expected one of ask, allow, deny${typeof v === 'string' ? didYouMean(v, MODES) : ''}`);
});

export const approvalPolicyObject = z.strictObject({
  default: mode.optional(),
  allow: globList.optional(),
  deny: globList.optional(),
  timeout: duration.optional(),
  onTimeout: z.enum(['deny', 'allow']).optional(),
});

export const approvalPolicySchema = custom((v, fail, ctx): ApprovalPolicy => {
  let input: unknown = v;
  if (typeof v === 'string') {
    if (!forward(ctx, mode, v)) return z.NEVER;
    input = { default: v };
  } else if (!v || typeof v !== 'object' || Array.isArray(v)) {
    return fail(`found ${describeValue(v)}, expected ask, allow, deny or a mapping {default, allow, deny, timeout, onTimeout}`);
  }
  const p = forward(ctx, approvalPolicyObject, input);
  if (!p) return z.NEVER;
  const out: ApprovalPolicy = {
    default: p.default ?? 'ask',
    allow: p.allow ?? [],
    deny: p.deny ?? [],
    onTimeout: p.onTimeout ?? 'deny',
  };
  if (p.timeout !== undefined) out.timeout = p.timeout;
  return out;
});

export const DEFAULT_POLICY: ApprovalPolicy = { default: 'ask', allow: [], deny: [], onTimeout: 'deny' };

const SLASH = '\u2215';
const OPTIONS = { bash: true, dot: true, noextglob: true, windows: false, format: (s: string) => s };
const cache = new Map<string, (s: string) => boolean>();

/** Whether a command glob matches the whole command text; `*` matches anything, `/` and spaces included. */
export function commandMatches(glob: string, command: string): boolean {
  let m = cache.get(glob);
  if (!m) {
    m = picomatch(glob.replaceAll('/', SLASH), OPTIONS);
    cache.set(glob, m);
  }
  return m(command.trim().replaceAll('/', SLASH));
}
