// The redactor the store uses when a caller does not pass one: built-in patterns, this process's secret env
// values, and every env value of the providers configured for the run (set by whoever opens the execution).
import { createRedactor, type Redactor } from '../../core/redact';
import type { ProviderDef } from '../../core/types';

let cached: Redactor | undefined;
let providerEnv: Record<string, string>[] = [];

export function storeRedactor(): Redactor {
  return (cached ??= createRedactor({ env: process.env, allEnv: providerEnv }));
}

/**
 * From now on the store (and headless output) also redacts every value in these providers' `env:`, whatever
 * the variable is called (values too short or too plain to be secrets excepted, see `isRedactableValue`).
 */
export function redactProviderEnv(providers: Record<string, ProviderDef> | ProviderDef[]): void {
  providerEnv = Object.values(providers).map((p) => p.env);
  cached = undefined;
}

/**
 * Whether `text` holds anything the store would redact (a token, a key, a secret env value): such text must
 * not become part of a file name (a step id used in proof/ and trace/ names), where redaction cannot reach.
 */
export function looksSecret(text: string): boolean {
  return storeRedactor().redact(text) !== text;
}
