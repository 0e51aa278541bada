import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { FORCE_COLOR: '0' },
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
