// A scenario on several providers ends with whether their pass rates differ beyond chance, naming the test.
import { describe, expect, it } from 'vitest';
import type { ProviderSummary } from '../../../src/core/stats';
import { significanceLines } from '../../../src/runtime/scenario-text';

const summary = (provider: string, passed: number, failed: number, errors = 0, other = 0): ProviderSummary => ({
  provider,
  trials: passed + failed + errors + other,
  passed,
  failed,
  errors,
  other,
  meetsThreshold: false,
  durationMs: {},
  assertions: [],
  units: [],
});

describe('significanceLines', () => {
  it("says Fisher's exact test, its p and the verdict for each pair", () => {
    expect(significanceLines([summary('claude', 8, 0), summary('codex', 0, 8)])).toEqual([
      "claude vs codex: 8/8 vs 0/8 passed; Fisher's exact test (two-sided) p = 0.000, significant at 0.05",
    ]);
    // Errors count as not passed; unfinished trials are not counted.
    expect(significanceLines([summary('a', 5, 2, 1, 3), summary('b', 4, 4), summary('c', 0, 0, 0, 2)])).toEqual([
      "a vs b: 5/8 vs 4/8 passed; Fisher's exact test (two-sided) p = 1.000, not significant at 0.05 (could be chance)",
    ]);
    expect(significanceLines([summary('solo', 3, 1)])).toEqual([]);
  });
});
