// Comparisons: a plan run once per provider. Each provider's copy of the steps is a lane, with its own
// workspace from the same base; a unit of a lane is `<step>@<provider>` and depends on its lane's copies.
import type { Plan, Step } from './types';

export const laneUnitId = (step: string, lane: string): string => `${step}@${lane}`;

/**
 * The providers compared: `--providers` (given) over the file's. A step compared in the file runs on each;
 * with `--providers` on a plan that compares nothing, every step does. Returns the plan unchanged otherwise.
 */
export function withProviders(plan: Plan, providers: string[] | undefined): Plan {
  if (!providers?.length) return plan;
  const compared = plan.steps.some((s) => s.providers);
  const steps = plan.steps.map((s): Step => (!compared || s.providers ? { ...s, providers } : s));
  return { ...plan, providers, steps };
}

/**
 * Lanes: each compared provider gets a copy of every step. A compared step runs on the lane's provider, one
 * pinned to its own `provider:` runs on that in every lane (so each lane's workspace holds the whole work).
 * Copies are ordered step by step across lanes, so lanes start side by side.
 */
export function expandLanes(plan: Plan): Plan {
  const lanes = plan.providers;
  if (plan.lanes || !lanes || lanes.length < 2) return plan;
  const steps = plan.steps.flatMap((s) =>
    lanes.map((lane): Step => {
      const { providers: _compared, ...step } = s;
      return {
        ...step,
        id: laneUnitId(s.id, lane),
        base: s.id,
        lane,
        provider: s.providers ? lane : s.provider,
        dependsOn: s.dependsOn.map((d) => laneUnitId(d, lane)),
      };
    }),
  );
  return { ...plan, steps, lanes: [...lanes], concurrency: plan.concurrency * lanes.length };
}
