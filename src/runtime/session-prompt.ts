// Builds what a session is handed: the generated prompt (role + task + prior context from completed
// dependencies), the step's task line and its sim script.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { buildPrompt } from '../core/prompt';
import { BUILTIN_ROLES, genericRole, roleNamed } from '../core/roles';
import type { ExecState, SessionInfo } from '../core/state';
import type { Plan, ProviderDef, Role, Scenario, SimScript } from '../core/types';
import { drawFaults, type InjectedFault } from '../sim/chaos';
import type { ExecPaths } from './recorder';

const SUMMARY_LINES = 12;

const stepOf = (input: Plan | Scenario, unit: string) => (input.kind === 'plan' ? input.steps.find((s) => s.id === unit) : undefined);

export const sessionTask = (input: Plan | Scenario, unit: string): string => (input.kind === 'plan' ? (stepOf(input, unit)?.task ?? '') : input.task);

/** The step's sim script; each trial of a scenario gets its own seed (seed + trial index), so trials vary. */
export function simScript(input: Plan | Scenario, unit: string, trialIndex?: number, variant?: SimScript): SimScript | undefined {
  // The step's or scenario's own script, else the sim variant's (conductor.yaml), which is what a comparison of variants differs in.
  if (input.kind === 'plan') return stepOf(input, unit)?.sim ?? variant;
  const sim = input.sim ?? variant;
  if (!sim) return undefined;
  const seed = (sim.seed ?? 1) + Math.max(0, (trialIndex ?? 1) - 1);
  return { ...sim, seed };
}

/**
 * The faults this session of the script injects (drawn from its seed: a trial's seed + index), for a provider
 * that is handed the script (the sim); none for a CLI that never reads it, so nothing is recorded that cannot happen.
 */
export function simFaults(provider: ProviderDef, script: SimScript | undefined): InjectedFault[] {
  if (!script?.chaos || !provider.args.some((a) => a.includes('{script}'))) return [];
  return drawFaults(script, script.seed ?? 1);
}

export function roleFor(input: Plan | Scenario, agent: string): Role {
  return (input.kind === 'plan' ? roleNamed(input.roles, agent) : undefined) ?? roleNamed(BUILTIN_ROLES, agent) ?? genericRole(agent);
}

/** The last lines of a finished session's transcript: what the dependency said it did. */
function transcriptSummary(path: string): string {
  if (!existsSync(path)) return '';
  const text = readFileSync(path, 'utf8');
  const body = /\n(`{3,})text?\n([\s\S]*?)\n\1/.exec(text)?.[2] ?? text;
  return body
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .slice(-SUMMARY_LINES)
    .join('\n');
}

export function sessionPrompt(input: Plan | Scenario, state: ExecState, session: SessionInfo, paths: ExecPaths): string {
  const unit = state.units[session.unit];
  const transcriptPath = relative(process.cwd(), paths.sessionFiles(unit.id, session.agent, session.attempt).transcript);
  const step = stepOf(input, unit.id);
  const priorContext = unit.dependsOn.map((dep) => {
    const d = state.units[dep];
    const last = d.sessions.length ? state.sessions[d.sessions[d.sessions.length - 1]] : undefined;
    const transcript = last ? paths.sessionFiles(dep, last.agent, last.attempt).transcript : '';
    return {
      stepId: dep,
      agent: d.agent,
      status: d.status,
      summary: transcript ? transcriptSummary(transcript) : '',
      outputs: d.expectedOutputs,
      transcript: transcript ? relative(process.cwd(), transcript) : '',
    };
  });
  return buildPrompt({
    goal: input.kind === 'plan' ? input.goal : input.name,
    execId: state.exec,
    role: roleFor(input, session.agent),
    step: {
      id: unit.id,
      task: sessionTask(input, unit.id),
      expectedOutputs: unit.expectedOutputs,
      checks: step?.checks ?? [],
    },
    priorContext,
    transcriptPath,
  });
}
