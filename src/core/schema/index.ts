// The schema layer's public surface: schemas, defaults and the pure helpers other modules use.
export { approvalPolicySchema, commandMatches, DEFAULT_POLICY } from './policy';
export { BUILTIN_PROVIDER_NAMES, completeProvider, providerInputSchema, providersSchema, type ProviderInput } from './provider';
export { completeRole, roleInputSchema, roleSchema, rolesFileSchema, rolesSchema, type RoleInput } from './role';
export { planSchema, stepSchema, swarmPlanSchema, looksLikeSwarm, SWARM_STEP_EXTRAS } from './plan';
export { scenarioSchema, assertionSchema, ASSERTION_KINDS } from './scenario';
export { simActionSchema, simScriptSchema, SIM_ACTIONS } from './sim';
export {
  DEFAULT_CONFIG,
  mergeConfig,
  projectConfigSchema,
  userSettingsSchema,
  type ConfigFlags,
  type ProjectConfig,
  type UserSettings,
} from './config';
