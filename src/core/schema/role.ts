// Agent role profiles: YAML/JSON form (fields optional, filled from the built-in role of that name) and roles files.
import * as z from 'zod';
import { custom, forward, stringList, text } from './common';
import { describeValue } from '../duration';
import { BUILTIN_ROLES, GENERIC_ROLE, roleNamed } from '../roles';
import type { Role } from '../types';
import { code } from '../load/diagnostic';

export const roleInputSchema = z.strictObject({
  name: text('a role name').optional(),
  purpose: text('what the role is for').optional(),
  scope: stringList().optional(),
  boundaries: stringList().optional(),
  done_definition: stringList().optional(),
  refusal_rules: stringList().optional(),
  output_contract: z
    .strictObject({
      transcript: text('a transcript path template like proof/{exec}/step-{step}-{agent}.md').optional(),
      artifacts: stringList().optional(),
    })
    .optional(),
});

export type RoleInput = z.output<typeof roleInputSchema>;

/** A role from its file form, missing fields taken from the built-in role of the same name (else generic). */
export function completeRole(name: string, input: RoleInput): Role {
  const base = roleNamed(BUILTIN_ROLES, name) ?? BUILTIN_ROLES[GENERIC_ROLE];
  return {
    name,
    purpose: input.purpose ?? base.purpose,
    scope: input.scope ?? base.scope,
    boundaries: input.boundaries ?? base.boundaries,
    done_definition: input.done_definition ?? base.done_definition,
    refusal_rules: input.refusal_rules ?? base.refusal_rules,
    output_contract: {
      transcript: input.output_contract?.transcript ?? base.output_contract.transcript,
      artifacts: input.output_contract?.artifacts ?? base.output_contract.artifacts,
    },
  };
}

/** `roles:` in a plan: a mapping name → role, or a list of roles with names. */
export const rolesSchema = custom((v, fail, ctx): Record<string, Role> => {
  const out: Record<string, Role> = {};
  if (v === undefined || v === null) return out;
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const r = forward(ctx, roleInputSchema, item, [i]);
      if (!r) return;
      if (!r.name) return void fail('missing key `name`, expected every role in a list to have a name', [i]);
      if (Object.hasOwn(out, r.name)) return void fail(`found role ${code(r.name)} twice, expected unique role names`, [i, 'name']);
      out[r.name] = completeRole(r.name, r);
    });
    return out;
  }
  if (typeof v === 'object') {
    for (const [key, item] of Object.entries(v)) {
      const r = forward(ctx, roleInputSchema, item ?? {}, [key]);
      if (r) out[key] = completeRole(key, r);
    }
    return out;
  }
  return fail(`found ${describeValue(v)}, expected a mapping of role name → role, or a list of roles`);
});

/** A roles file: `agents:` holding a list of roles. */
export const rolesFileSchema = z.strictObject({ agents: rolesSchema });

export const roleSchema = z.strictObject({
  name: z.string(),
  purpose: z.string(),
  scope: z.array(z.string()),
  boundaries: z.array(z.string()),
  done_definition: z.array(z.string()),
  refusal_rules: z.array(z.string()),
  output_contract: z.strictObject({ transcript: z.string(), artifacts: z.array(z.string()) }),
});
