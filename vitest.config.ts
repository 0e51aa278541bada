import { defineConfig } from 'vitest/config';

// Two groups, run one after the other by `npm test`:
// - `parallel`: unit, component, fake-PTY, integration and recorded-contract tests, several files at a time
//   (most of their time is spent waiting on child processes, so more workers than cores pays);
// - `serial`: the e2e TUI tests and the real agent CLIs, one file at a time on an otherwise idle machine,
//   since they hold people's timings (a key seconds after an overlay, a step within a minute).
const SERIAL = ['test/e2e/**/*.test.{ts,tsx}', 'test/contract/real/**/*.test.{ts,tsx}'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { FORCE_COLOR: '0' },
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.{ts,tsx}'], exclude: SERIAL } },
      { extends: true, test: { name: 'serial', include: SERIAL } },
    ],
  },
});
