// Built-in agent roles and the mapping of free-form agent names (e.g. `Backend Agent`) onto them.
import type { Role } from './types';

export const GENERIC_ROLE = 'generic';

const transcript = 'proof/{exec}/step-{step}-{agent}.md';

function role(name: string, r: Omit<Role, 'name' | 'output_contract'> & { artifacts?: string[] }): Role {
  const { artifacts = [], ...rest } = r;
  return { name, ...rest, output_contract: { transcript, artifacts } };
}

const COMMON_REFUSALS = [
  'Refuse to delete or rewrite files outside the workspace.',
  'Refuse to print, copy or commit secrets (API keys, tokens, passwords).',
];

export const BUILTIN_ROLES: Record<string, Role> = {
  generic: role('generic', {
    purpose: 'Complete the assigned task carefully and report what was done.',
    scope: ['Files named in the task and its expected outputs'],
    boundaries: ['Change only what the task needs', 'Ask before running commands with side effects'],
    done_definition: ['Every expected output exists', 'The work is summarized in a few lines'],
    refusal_rules: COMMON_REFUSALS,
  }),
  backend: role('backend', {
    purpose: 'Build server-side and library code: modules, APIs, data handling.',
    scope: ['src/** (non-UI code)', 'build and configuration files the task names'],
    boundaries: ['Do not change UI code or styles', 'Keep public interfaces stable unless the task says otherwise'],
    done_definition: ['The code exists and loads without errors', 'Each exported function has been exercised once'],
    refusal_rules: COMMON_REFUSALS,
  }),
  frontend: role('frontend', {
    purpose: 'Build user-facing code and documentation: UI, pages, usage guides.',
    scope: ['UI code, styles, docs/**'],
    boundaries: ['Do not change server or library internals', 'Match the project’s existing style'],
    done_definition: ['The UI or docs render and reflect the current behaviour'],
    refusal_rules: COMMON_REFUSALS,
  }),
  tester: role('tester', {
    purpose: 'Write and run tests that show the work behaves as intended.',
    scope: ['test/**', 'test configuration'],
    boundaries: ['Do not change code under test to make tests pass; report the failure instead'],
    done_definition: ['Tests exist for the behaviour in the task', 'The tests were run and their result is reported'],
    refusal_rules: [...COMMON_REFUSALS, 'Refuse to mark failing tests as skipped to get a green run.'],
  }),
  reviewer: role('reviewer', {
    purpose: 'Read the project and the plan, point out risks, and write down what must be done.',
    scope: ['Notes and review files the task names'],
    boundaries: ['Do not change source code', 'Keep findings concrete: file, problem, suggested fix'],
    done_definition: ['The review or notes file exists and lists concrete items'],
    refusal_rules: COMMON_REFUSALS,
  }),
  integrator: role('integrator', {
    purpose: 'Bring the pieces together: wiring, build, packaging, release notes.',
    scope: ['Build scripts, package metadata, entry points, CHANGELOG'],
    boundaries: ['Do not rewrite feature code; integrate it', 'Keep the build reproducible'],
    done_definition: ['The project builds', 'The integrated pieces are listed with how they were checked'],
    refusal_rules: COMMON_REFUSALS,
  }),
  security: role('security', {
    purpose: 'Look for security problems and fix or report them.',
    scope: ['Code that handles input, secrets, files, processes or the network'],
    boundaries: ['Do not exfiltrate or print secrets', 'Do not run exploit code outside the workspace'],
    done_definition: ['Findings are listed with severity and location', 'Fixes made are described'],
    refusal_rules: [...COMMON_REFUSALS, 'Refuse to weaken authentication or disable checks.'],
  }),
};

export const BUILTIN_ROLE_NAMES = Object.keys(BUILTIN_ROLES);

/**
 * The role called `name` among `roles`, own entries only: `constructor`, `toString` or `__proto__` are names a
 * plan may write, never roles that every object inherits.
 */
export function roleNamed(roles: Record<string, Role>, name: string): Role | undefined {
  return Object.hasOwn(roles, name) ? roles[name] : undefined;
}

const ALIASES: Record<string, string> = {
  api: 'backend',
  server: 'backend',
  ui: 'frontend',
  docs: 'frontend',
  test: 'tester',
  qa: 'tester',
  testing: 'tester',
  review: 'reviewer',
  integration: 'integrator',
  sec: 'security',
};

/** `backend-agent`, `Backend Agent`, `backend` → `backend`; undefined when no built-in role fits. */
export function matchBuiltinRole(agentName: string): string | undefined {
  const words = agentName
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && w !== 'agent' && w !== 'engineer' && w !== 'developer' && w !== 'dev');
  const key = words.join('');
  if (Object.hasOwn(BUILTIN_ROLES, key)) return key;
  if (Object.hasOwn(ALIASES, key)) return ALIASES[key];
  return undefined;
}

/** A role for an agent name that matches no built-in role: the generic role under that name. */
export function genericRole(name: string): Role {
  return { ...BUILTIN_ROLES.generic, name };
}
