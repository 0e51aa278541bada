// Scenario files: one task run as N trials and judged by weighted assertions (schema level, before defaults).
import * as z from 'zod';
import { custom, duration, forward, fraction, positiveInt, relPath, stringList, text, workspace } from './common';
import { approvalPolicySchema } from './policy';
import { simScriptSchema } from './sim';
import { describeValue } from '../duration';
import { didYouMean } from '../suggest';
import type { Assertion } from '../types';
import { code } from '../load/diagnostic';

export const ASSERTION_KINDS = [
  'exitCode',
  'fileExists',
  'fileContains',
  'commandPasses',
  'transcriptMatches',
  'ranCommand',
  'approvalsAtMost',
  'durationAtMost',
  'costAtMost',
] as const;
type Kind = (typeof ASSERTION_KINDS)[number];

const COMMON = ['weight', 'required', 'name'];

const regex = custom((v, fail) => {
  if (typeof v !== 'string' || !v) return fail(`found ${describeValue(v)}, expected a regular expression`);
  try {
    new RegExp(v);
  } catch (e) {
    return fail(`found an invalid regular expression ${JSON.stringify(v)} (${(e as Error).message})`);
  }
  return v;
});

const count = (what: string) =>
  custom((v, fail) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fail(`found ${describeValue(v)}, expected ${what} (a whole number, 0 or more)`),
  );

const fileContainsObject = custom((v, fail, ctx) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return fail(`found ${describeValue(v)}, expected {path, text} or {path, regex}`);
  const r = forward(
    ctx,
    z.strictObject({ path: relPath, text: text('the text to look for').optional(), regex: regex.optional() }),
    v,
  );
  if (!r) return z.NEVER;
  if ((r.text === undefined) === (r.regex === undefined)) {
    const found = r.text === undefined ? 'only `path`' : 'both `text` and `regex`';
    return fail(`found ${found}, expected exactly one of \`text\` or \`regex\` next to \`path\``);
  }
  return r.text !== undefined ? { path: r.path, text: r.text } : { path: r.path, regex: r.regex as string };
});

const bodies: { [K in Kind]: z.ZodType } = {
  exitCode: custom((v, fail) => (typeof v === 'number' && Number.isInteger(v) ? { equals: v } : fail(`found ${describeValue(v)}, expected an exit code (a whole number)`))),
  fileExists: relPath.transform((path) => ({ path })),
  fileContains: fileContainsObject,
  commandPasses: text('a shell command').transform((run) => ({ run })),
  transcriptMatches: regex.transform((r) => ({ regex: r })),
  ranCommand: text('a command glob like "npm test*"').transform((glob) => ({ glob })),
  approvalsAtMost: count('a number of approvals').transform((max) => ({ max })),
  durationAtMost: duration.transform((max) => ({ max })),
  costAtMost: custom((v, fail) => (typeof v === 'number' && v >= 0 ? { max: v } : fail(`found ${describeValue(v)}, expected a cost in dollars (a number, 0 or more)`))),
};

const commonSchema = z.strictObject({
  weight: custom((v, fail) => (typeof v === 'number' && v > 0 ? v : fail(`found ${describeValue(v)}, expected a weight above 0`))).optional(),
  required: z.boolean().optional(),
  name: text('an assertion name').optional(),
});

export const assertionSchema = custom((v, fail, ctx): Assertion => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    return fail(`found ${describeValue(v)}, expected an assertion like \`- fileExists: out.txt\` (one of ${ASSERTION_KINDS.join(', ')})`);
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  const kinds = keys.filter((k) => (ASSERTION_KINDS as readonly string[]).includes(k)) as Kind[];
  if (kinds.length > 1) return fail(`found ${kinds.map((k) => code(k)).join(' and ')} in one assertion, expected one kind per list item`, [kinds[1]]);
  const unknown = keys.filter((k) => !COMMON.includes(k) && !kinds.includes(k as Kind));
  if (kinds.length === 0) {
    const near = unknown.length ? didYouMean(unknown[0], ASSERTION_KINDS) : '';
    return fail(
      `found ${unknown.length ? code(unknown[0]) : 'no assertion kind'}, expected one of ${ASSERTION_KINDS.join(', ')}${near}`,
      unknown.length ? [unknown[0]] : [],
    );
  }
  const kind = kinds[0];
  for (const k of unknown) {
    ctx.addIssue({ code: 'unrecognized_keys', keys: [k], path: [], input: v, known: [kind, ...COMMON] } as never);
  }
  const body = forward(ctx, bodies[kind], obj[kind], [kind]);
  const rest: Record<string, unknown> = {};
  for (const k of COMMON) if (k in obj) rest[k] = obj[k];
  const common = forward(ctx, commonSchema, rest);
  if (!body || !common || unknown.length) return z.NEVER;
  const a = { type: kind, ...body, weight: common.weight ?? 1, required: common.required ?? false } as Assertion;
  if (common.name !== undefined) a.name = common.name;
  return a;
});

const assertions = custom((v, fail, ctx): Assertion[] => {
  if (!Array.isArray(v)) return fail(`found ${describeValue(v)}, expected a list of assertions like \`- exitCode: 0\``);
  if (v.length === 0) return fail('found an empty list, expected at least one assertion');
  return forward(ctx, z.array(assertionSchema), v) ?? z.NEVER;
});

export const scenarioSchema = z.strictObject({
  name: text('a scenario name').optional(),
  task: text('the task given to the agent'),
  agent: text('a role name').optional(),
  workspace: workspace.optional(),
  providers: stringList('a provider name or a list of provider names').optional(),
  trials: positiveInt('the number of trials').optional(),
  concurrency: positiveInt('how many trials may run at once').optional(),
  timeout: duration.optional(),
  approval: approvalPolicySchema.optional(),
  assertions,
  threshold: fraction('the pass rate required').optional(),
  passScore: fraction('the score a trial must reach to pass').optional(),
  sim: simScriptSchema.optional(),
});

export type ScenarioInput = z.output<typeof scenarioSchema>;
