// The redactor the store uses when a caller does not pass one: built-in patterns plus this process's secret env values.
import { createRedactor, type Redactor } from '../../core/redact';

let cached: Redactor | undefined;

export function storeRedactor(): Redactor {
  return (cached ??= createRedactor({ env: process.env }));
}
