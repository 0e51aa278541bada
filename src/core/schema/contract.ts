// Compile-time proof that the schemas' outputs are exactly the shapes in core/types.ts.
import type * as z from 'zod';
import type { Assertion, Check, ProviderDef, Role, SimAction, SimScript, WorkspaceSpec, ApprovalPolicy } from '../types';
import type { checkSchema } from './plan';
import type { approvalPolicySchema } from './policy';
import type { completeProvider } from './provider';
import type { roleSchema } from './role';
import type { assertionSchema } from './scenario';
import type { simActionSchema, simScriptSchema } from './sim';
import type { workspace } from './common';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type Contract = [
  Assert<Equal<z.output<typeof roleSchema>, Role>>,
  Assert<Equal<z.output<typeof simActionSchema>, SimAction>>,
  Assert<Equal<z.output<typeof simScriptSchema>, SimScript>>,
  Assert<Equal<z.output<typeof checkSchema>, Check>>,
  Assert<Equal<z.output<typeof approvalPolicySchema>, ApprovalPolicy>>,
  Assert<Equal<z.output<typeof assertionSchema>, Assertion>>,
  Assert<Equal<z.output<typeof workspace>, WorkspaceSpec>>,
  Assert<Equal<ReturnType<typeof completeProvider>, ProviderDef>>,
];
