// Plan files: the native conductor format and the earlier swarm-conductor JSON format (schema level, before defaults).
import * as z from 'zod';
import { custom, duration, forward, id, positiveInt, relPathList, stringList, text, workspace } from './common';
import { approvalPolicySchema } from './policy';
import { rolesSchema } from './role';
import { simScriptSchema } from './sim';
import { describeValue } from '../duration';
import type { Check } from '../types';

const checkObject = z.strictObject({
  run: text('a shell command'),
  name: text('a check name').optional(),
  timeout: duration.optional(),
});

export const checkSchema = custom((v, fail, ctx): Check => {
  if (typeof v === 'string') return v.trim() ? { run: v.trim() } : fail('found an empty string, expected a command to run');
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const r = forward(ctx, checkObject, v);
    if (!r) return z.NEVER;
    const c: Check = { run: r.run };
    if (r.name !== undefined) c.name = r.name;
    if (r.timeout !== undefined) c.timeout = r.timeout;
    return c;
  }
  return fail(`found ${describeValue(v)}, expected a command string or {run, name, timeout}`);
});

const checksSchema = custom((v, fail, ctx): Check[] => {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) return fail(`found ${describeValue(v)}, expected a list of checks like \`- run: npm test\``);
  return forward(ctx, z.array(checkSchema), list) ?? z.NEVER;
});

const nonEmpty = <T extends z.ZodType>(item: T, what: string) =>
  custom((v, fail, ctx) => {
    if (!Array.isArray(v)) return fail(`found ${describeValue(v)}, expected a list of ${what}`);
    if (v.length === 0) return fail(`found an empty list, expected at least one ${what.replace(/s$/, '')}`);
    return forward(ctx, z.array(item), v) ?? z.NEVER;
  });

/** The providers a comparison runs the work on: two or more distinct names. */
export const providerList = custom((v, fail): string[] => {
  const list = typeof v === 'string' ? v.split(',').map((p) => p.trim()) : v;
  if (!Array.isArray(list)) return fail(`found ${describeValue(v)}, expected a list of provider names like \`[claude, codex]\``);
  const names: string[] = [];
  let bad = false;
  list.forEach((p, i) => {
    if (typeof p === 'string' && p.trim() && !names.includes(p.trim())) names.push(p.trim());
    else {
      bad = true;
      fail(typeof p !== 'string' || !p.trim() ? `found ${describeValue(p)}, expected a provider name` : `found ${describeValue(p)} twice, expected each provider once`, [i]);
    }
  });
  if (bad) return z.NEVER;
  if (names.length === 1) return fail(`found one provider, expected two or more to compare (for one, write \`provider: ${names[0]}\`)`);
  if (list.length === 0) return fail('found an empty list, expected two or more providers to compare');
  return names;
});

export const stepSchema = z.strictObject({
  id,
  agent: text('a role name').optional(),
  provider: text('a provider name').optional(),
  providers: providerList.optional(),
  task: text("the step's instructions"),
  dependsOn: stringList('a step id or a list of step ids').optional(),
  expectedOutputs: relPathList.optional(),
  checks: checksSchema.optional(),
  approval: approvalPolicySchema.optional(),
  timeout: duration.optional(),
  sim: simScriptSchema.optional(),
});

export type StepInput = z.output<typeof stepSchema>;

export const planSchema = z.strictObject({
  goal: text('the goal of the plan'),
  provider: text('a provider name').optional(),
  providers: providerList.optional(),
  concurrency: positiveInt('how many steps may run at once').optional(),
  workspace: workspace.optional(),
  approval: approvalPolicySchema.optional(),
  roles: rolesSchema.optional(),
  steps: nonEmpty(stepSchema, 'steps'),
});

export type PlanInput = z.output<typeof planSchema>;

/** Fields swarm-conductor wrote into steps that carry no meaning for conductor; accepted and ignored. */
export const SWARM_STEP_EXTRAS = [
  'metadata',
  'status',
  'estimatedDuration',
  'description',
  'title',
  'priority',
  'notes',
  'output',
  'result',
  'error',
  'startedAt',
  'completedAt',
] as const;

const ignored = z.unknown().optional();

const stepNumber = custom((v, fail) => {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return fail(`found ${describeValue(v)}, expected a step number (a whole number)`);
});

export const swarmStepSchema = z.strictObject({
  stepNumber,
  agentName: text('an agent name'),
  task: text("the step's instructions"),
  dependencies: z.array(stepNumber).optional(),
  expectedOutputs: relPathList.optional(),
  ...Object.fromEntries(SWARM_STEP_EXTRAS.map((k) => [k, ignored])),
}) as unknown as z.ZodType<{
  stepNumber: number;
  agentName: string;
  task: string;
  dependencies?: number[];
  expectedOutputs?: string[];
}>;

export const swarmPlanSchema = z.strictObject({
  goal: text('the goal of the plan'),
  createdAt: ignored,
  updatedAt: ignored,
  id: ignored,
  version: ignored,
  status: ignored,
  metadata: ignored,
  steps: nonEmpty(swarmStepSchema, 'steps'),
});

export type SwarmPlanInput = z.output<typeof swarmPlanSchema>;

/** A document written in the swarm-conductor format: steps carrying `stepNumber` / `agentName`. */
export function looksLikeSwarm(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const steps = (doc as { steps?: unknown }).steps;
  return (
    Array.isArray(steps) &&
    steps.some((s) => s && typeof s === 'object' && ('stepNumber' in s || 'agentName' in s))
  );
}
