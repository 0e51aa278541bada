// Sim scripts: the scripted actions a step or scenario gives the embedded sim agent.
import * as z from 'zod';
import { custom, duration, forward, fraction, millis, text } from './common';
import { describeValue } from '../duration';
import { didYouMean } from '../suggest';
import type { FaultKind, SimAction, SimChaos, SimScript } from '../types';
import { code } from '../load/diagnostic';

export const SIM_ACTIONS = ['say', 'think', 'run', 'write', 'ask', 'sleep', 'fail'] as const;

const actionSchemas = {
  say: z.strictObject({ say: text('a line to print') }),
  think: z.strictObject({ think: text('what the agent is thinking about'), ms: millis.optional() }),
  run: z.strictObject({ run: text('a shell command'), ask: z.boolean().optional() }),
  write: z.strictObject({
    write: z.strictObject({ path: text('a file path relative to the workspace'), content: z.string() }),
  }),
  ask: z.strictObject({ ask: text('the question to ask approval for') }),
  sleep: z.strictObject({ sleep: duration }),
  fail: z.strictObject({ fail: text('the failure message') }),
};

export const simActionSchema = custom((v, fail, ctx): SimAction => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    return fail(`found ${describeValue(v)}, expected one sim action: ${SIM_ACTIONS.join(', ')} (e.g. \`say: hello\`)`);
  }
  const keys = Object.keys(v);
  const kind = 'run' in v ? 'run' : keys.find((k) => (SIM_ACTIONS as readonly string[]).includes(k));
  if (!kind) {
    const hint = keys.length ? didYouMean(keys[0], SIM_ACTIONS) : '';
    return fail(
      `found ${keys.length ? keys.map((k) => code(k)).join(', ') : 'an empty mapping'}, expected one sim action: ${SIM_ACTIONS.join(', ')}${hint}`,
    );
  }
  const r = forward(ctx, actionSchemas[kind as keyof typeof actionSchemas], v);
  if (!r) return z.NEVER;
  const action = { ...r } as Record<string, unknown>;
  for (const k of Object.keys(action)) if (action[k] === undefined) delete action[k];
  return action as SimAction;
});

/** `chaos: {crash, hang, garbage}`: each fault's probability per trial (0..1). */
const chaosSchema = z.strictObject({
  crash: fraction('the probability of a crash per trial').optional(),
  hang: fraction('the probability of a hang per trial').optional(),
  garbage: fraction('the probability of garbage output per trial').optional(),
});

const simObject = z.strictObject({
  seed: z.number().int().optional(),
  failRate: fraction('failRate').optional(),
  chaos: chaosSchema.optional(),
  actions: z.array(simActionSchema),
});

export const simScriptSchema = custom((v, fail, ctx): SimScript => {
  if (Array.isArray(v)) {
    const r = forward(ctx, z.array(simActionSchema), v);
    return r ? { actions: r } : z.NEVER;
  }
  if (v && typeof v === 'object') {
    const r = forward(ctx, simObject, v);
    if (!r) return z.NEVER;
    const out: SimScript = { actions: r.actions };
    if (r.seed !== undefined) out.seed = r.seed;
    if (r.failRate !== undefined) out.failRate = r.failRate;
    if (r.chaos !== undefined) {
      const chaos: SimChaos = {};
      for (const [k, p] of Object.entries(r.chaos) as [FaultKind, number | undefined][]) if (p !== undefined) chaos[k] = p;
      out.chaos = chaos;
    }
    return out;
  }
  return fail(`found ${describeValue(v)}, expected a list of sim actions or {seed, failRate, chaos, actions}`);
});
