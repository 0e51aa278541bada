// The trial matrix: dots per provider, pass rate with its Wilson interval, errors apart, durations, the flaky
// marker, the selected trial's line, navigation over the dots, Enter opening the trial's pane, and the
// per-assertion breakdown — against states folded from hand-written events by the real reducer.
import chalk from 'chalk';
import { afterEach, describe, expect, test } from 'vitest';
import type { EventBody } from '../../src/core/events';
import { replay } from '../../src/core/machine';
import type { ConductorEvent } from '../../src/core/events';
import { summarizeScenario } from '../../src/core/stats';
import { formatDuration } from '../../src/core/duration';
import { App } from '../../src/ui/app';
import { TrialBoard } from '../../src/ui/components/trial-board';
import { TrialBreakdown } from '../../src/ui/components/trial-breakdown';
import { moveInGrid, trialGrid } from '../../src/ui/components/trial-grid';
import { DEFAULT_THEME, MONO_THEME } from '../../src/ui/theme';
import { FakeRuntime, plain, planRuntime } from './fake-runtime';
import { KEY, mount, settle } from './harness';

type Mounted = ReturnType<typeof mount>;
let app: Mounted | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const trial = (provider: string, i: number) => ({
  id: `${provider}-${i}`, kind: 'trial' as const, agent: 'backend', provider, dependsOn: [], expectedOutputs: [], index: i,
});

type Check = { name: string; status: 'passed' | 'failed' | 'unknown'; required?: boolean; weight?: number; expected?: string; found?: string };
const EXIT: Omit<Check, 'status'> = { name: 'exit code 0', required: true, weight: 1, expected: 'exit 0' };
const TESTS: Omit<Check, 'status'> = { name: 'tests pass', weight: 2, expected: 'node test/greet.test.js exits 0' };
const COST: Omit<Check, 'status'> = { name: 'cost at most $0.10', weight: 1, expected: '≤ $0.10' };

const judged = (unit: string, session: string, attempt: number, checks: Check[], status: 'passed' | 'failed', score: number, reason?: string): EventBody[] => [
  { type: 'trial.started', unit, session, attempt, provider: unit.split('-')[0], agent: 'backend' },
  { type: 'session.state', session, state: 'running' },
  { type: 'session.state', session, state: 'completed', exitCode: 0 },
  ...checks.map((c) => ({ type: 'assertion.evaluated' as const, unit, passed: c.status === 'passed', ...c })),
  { type: 'trial.finished', unit, status, score, ...(reason ? { reason } : {}) },
];

/**
 * sim: 1 passed; 2 failed then passed on its retry (flaky); 3 could not start (error); 4 running; 5 pending.
 * claude: 1 failed; 2 passed; 3 running, waiting for an approval (unless `approval` is false: the App tests keep
 * the overlay closed); 4, 5 pending. Threshold 80 %.
 */
function matrixEvents(approval = true): EventBody[] {
  return [
    {
      type: 'execution.created', kind: 'scenario', file: 'plans/greeting.scenario.yaml', goal: 'greeting', concurrency: 8,
      units: [1, 2, 3, 4, 5].map((i) => trial('sim', i)).concat([1, 2, 3, 4, 5].map((i) => trial('claude', i))), threshold: 0.8, passScore: 1,
    },
    { type: 'execution.started' },
    ...judged('sim-1', 'sim-1#1', 1, [{ ...EXIT, status: 'passed', found: 'exit 0' }, { ...TESTS, status: 'passed', found: 'exit 0' }, { ...COST, status: 'unknown', found: 'no cost reported' }], 'passed', 1),
    ...judged('sim-2', 'sim-2#1', 1, [{ ...EXIT, status: 'passed', found: 'exit 0' }, { ...TESTS, status: 'failed', found: 'exit 1: AssertionError' }, { ...COST, status: 'unknown', found: 'no cost reported' }], 'failed', 0.5, 'tests pass failed'),
    { type: 'trial.retried', unit: 'sim-2' },
    ...judged('sim-2', 'sim-2#2', 2, [{ ...EXIT, status: 'passed', found: 'exit 0' }, { ...TESTS, status: 'passed', found: 'exit 0' }, { ...COST, status: 'unknown', found: 'no cost reported' }], 'passed', 1),
    { type: 'trial.started', unit: 'sim-3', session: 'sim-3#1', attempt: 1, provider: 'sim', agent: 'backend' },
    { type: 'session.spawn-failed', session: 'sim-3#1', reason: 'spawn sim-agent ENOENT' },
    // What the runtime appends for the reducer's emit effect.
    { type: 'session.state', session: 'sim-3#1', state: 'failed', reason: 'spawn sim-agent ENOENT' },
    { type: 'trial.started', unit: 'sim-4', session: 'sim-4#1', attempt: 1, provider: 'sim', agent: 'backend' },
    { type: 'session.state', session: 'sim-4#1', state: 'running' },
    ...judged('claude-1', 'claude-1#1', 1, [{ ...EXIT, status: 'failed', found: 'exit 2' }, { ...TESTS, status: 'failed', found: 'exit 1' }, { ...COST, status: 'passed', found: '$0.04' }], 'failed', 0.25, 'exit code 0 failed (required)'),
    ...judged('claude-2', 'claude-2#1', 1, [{ ...EXIT, status: 'passed', found: 'exit 0' }, { ...TESTS, status: 'passed', found: 'exit 0' }, { ...COST, status: 'passed', found: '$0.03' }], 'passed', 1),
    { type: 'trial.started', unit: 'claude-3', session: 'claude-3#1', attempt: 1, provider: 'claude', agent: 'backend' },
    { type: 'session.state', session: 'claude-3#1', state: 'running' },
    ...(approval ? [{ type: 'approval.requested' as const, id: 'ap-1', session: 'claude-3#1', via: 'screen' as const, command: 'npm test', options: ['allow' as const, 'deny' as const] }] : []),
  ];
}

function matrixRuntime(): FakeRuntime {
  const rt = new FakeRuntime();
  rt.emit(...(matrixEvents(false) as (EventBody & { step?: string })[]));
  rt.setScreen('sim-1#1', [plain('sim-1 says: greeting module added')], 4, 60);
  rt.setScreen('sim-2#2', [plain('sim-2 second attempt: all tests passed')], 4, 60);
  rt.setScreen('sim-4#1', [plain('sim-4 is still writing greet()')], 4, 60);
  rt.setScreen('claude-2#1', [plain('claude-2 finished the greeting')], 4, 60);
  return rt;
}

/** The same state by replay(), as `status` and the report build it. */
function matrixState() {
  let seq = 0;
  return replay(matrixEvents().map((b) => ({ seq: ++seq, ts: 1_000_000 + seq * 1000, exec: 'exec-20250101-abcd', ...b }) as ConductorEvent))!;
}

const lines = (frame: string) => frame.split('\n');
const widest = (frame: string) => Math.max(...lines(frame).map((l) => [...l.replace(/\x1b\[[0-9;]*m/g, '')].length));

async function open(rt: FakeRuntime, size = { cols: 120, rows: 40 }) {
  app = mount(<App runtime={rt} bell={false} now={() => 1_100_000} follow={false} />, size);
  await settle();
  return app;
}

describe('trial matrix: rendering', () => {
  test('one row of dots per provider in trial order, pass rate with interval, errors apart, durations, flaky marker', () => {
    const state = matrixState();
    app = mount(<TrialBoard exec={state} selected="sim-1" focused={false} width={36} height={30} theme={DEFAULT_THEME} now={() => 1_100_000} />, { cols: 36, rows: 31 });
    const f = app.frame();
    // sim: ✓ then ✓~ (flipped between attempts), ⚠ (could not start), ● running, ○ pending.
    expect(f).toMatch(/›sim 5 trials · 2 to go/);
    expect(f).toContain('✓ ✓~⚠ ● ○');
    // Errors count as not passed (2 of 3 judged) and are said apart.
    expect(f).toContain('2/3 67% [21–94%] ⚠1 error');
    expect(f).toMatch(/claude 5 trials · 3 to go/);
    expect(f).toContain('✗ ✓ ⚑ ○ ○');
    expect(f).toContain('1/2 50% [9–91%]');
    const sim = summarizeScenario(state).providers[0];
    expect(f).toContain(`p50 ${formatDuration(sim.durationMs.p50!)} · p95 ${formatDuration(sim.durationMs.p95!)}`);
    // The header: name, threshold, not met (yet).
    expect(lines(f)[1]).toMatch(/greeting ≥80% ✗ not met yet/);
    expect(f).toMatch(/~flaky/);
  });

  test('the selected trial in words: status, score, duration, attempts, flakiness, reason', () => {
    const state = matrixState();
    app = mount(<TrialBoard exec={state} selected="sim-2" focused width={50} height={30} theme={DEFAULT_THEME} now={() => 1_100_000} />, { cols: 50, rows: 31 });
    expect(app.frame()).toMatch(/sim-2 passed · score 1\.00/);
    expect(app.frame()).toMatch(/\d+(\.\d)?s · 2 attempts · flaky: failed→passed/);
    app.unmount();
    app = mount(<TrialBoard exec={state} selected="claude-1" focused width={60} height={30} theme={DEFAULT_THEME} now={() => 1_100_000} />, { cols: 60, rows: 31 });
    expect(app.frame()).toMatch(/claude-1 failed · score 0\.25/);
    expect(app.frame()).toMatch(/\d+(\.\d)?s · 1 attempt/);
    expect(app.frame()).toContain('exit code 0 failed (required)');
    app.unmount();
    app = mount(<TrialBoard exec={state} selected="sim-3" focused width={60} height={30} theme={DEFAULT_THEME} now={() => 1_100_000} />, { cols: 60, rows: 31 });
    expect(app.frame()).toMatch(/sim-3 error\s/);
    expect(app.frame()).toContain('spawn sim-agent ENOENT');
  });

  test('the mono theme keeps distinct glyphs and marks the selected dot without colour', () => {
    const state = matrixState();
    const level = chalk.level;
    chalk.level = 3;
    try {
      app = mount(<TrialBoard exec={state} selected="sim-3" focused width={36} height={30} theme={MONO_THEME} now={() => 1_100_000} />, { cols: 36, rows: 31 });
      const f = app.frame();
      expect(f.replace(/\x1b\[[0-9;]*m/g, '')).toContain('✓ ✓~⚠ ● ○');
      // No colour at all; inverse video on the selected dot only.
      expect(f).not.toMatch(/\x1b\[(3[0-9]|9[0-7])m/);
      expect(f).toMatch(/\x1b\[7m(\x1b\[[0-9;]*m)*⚠/);
      expect(f.match(/\x1b\[7m/g)?.length).toBe(1);
    } finally {
      chalk.level = level;
    }
  });

  test('finished and met: the header says so without "so far"', () => {
    const rt = new FakeRuntime();
    rt.emit(
      { type: 'execution.created', kind: 'scenario', file: 'x.scenario.yaml', goal: 'tiny', concurrency: 1, units: [trial('sim', 1)], threshold: 0.5, passScore: 1 },
      { type: 'execution.started' },
      ...(judged('sim-1', 's1', 1, [{ ...EXIT, status: 'passed', found: 'exit 0' }], 'passed', 1) as (EventBody & { step?: string })[]),
      { type: 'execution.finished', status: 'passed', passed: 1, failed: 0 },
    );
    app = mount(<TrialBoard exec={rt.state} selected="sim-1" focused width={36} height={20} theme={DEFAULT_THEME} />, { cols: 36, rows: 21 });
    expect(app.frame()).toMatch(/tiny ≥50% ✓ met\s*│/);
    expect(app.frame()).toContain('1/1 100% [21–100%]');
  });

  for (const size of [
    { cols: 120, rows: 40 },
    { cols: 80, rows: 24 },
    { cols: 60, rows: 20 },
  ]) {
    test(`the whole screen at ${size.cols}×${size.rows}: matrix and breakdown fit, nothing wraps`, async () => {
      const a = await open(matrixRuntime(), size);
      let f = a.frame();
      expect(lines(f).length).toBeLessThanOrEqual(size.rows);
      expect(widest(f)).toBeLessThanOrEqual(size.cols);
      expect(f).toContain('✓ ✓~⚠ ● ○');
      expect(f).toContain('2/3 67%');
      expect(f).toContain('⚠1 error');
      await a.press('b');
      f = a.frame();
      expect(lines(f).length).toBeLessThanOrEqual(size.rows);
      expect(widest(f)).toBeLessThanOrEqual(size.cols);
      expect(f).toContain('Assertions · sim');
      expect(f).toMatch(/✓ exit code 0 +req +(✓2 +✗0 +\?0|2\/0\/0)/);
      expect(f).toMatch(/tests pass/);
    });
  }
});

describe('trial matrix: the per-assertion breakdown', () => {
  test('counts per assertion over the judged trials of the provider, and the selected trial’s evidence', () => {
    const state = matrixState();
    app = mount(<TrialBreakdown exec={state} selected="claude-1" width={90} height={20} theme={DEFAULT_THEME} />, { cols: 90, rows: 21 });
    const f = app.frame();
    expect(f).toContain('Assertions · claude · 2 judged · claude-1');
    // claude-1 failed exit and tests, passed cost; claude-2 passed all three.
    expect(f).toMatch(/✗ exit code 0\s+req\s+✓1\s+✗1\s+\?0/);
    expect(f).toMatch(/✗ tests pass\s+w2\s+✓1\s+✗1\s+\?0/);
    expect(f).toMatch(/✓ cost at most \$0\.10\s+w1\s+✓2\s+✗0\s+\?0/);
    expect(f).toContain('expected exit 0 · found exit 2');
    expect(f).toContain('expected node test/greet.test.js exits 0 · found exit 1');
    expect(f).toContain('expected ≤ $0.10 · found $0.04');
  });

  test('the sim provider: its error is not judged; unknown counted apart; the flaky trial judged by its last attempt', () => {
    const state = matrixState();
    app = mount(<TrialBreakdown exec={state} selected="sim-2" width={90} height={20} theme={DEFAULT_THEME} />, { cols: 90, rows: 21 });
    const f = app.frame();
    expect(f).toContain('Assertions · sim · 2 judged · sim-2');
    expect(f).toMatch(/✓ tests pass\s+w2\s+✓2\s+✗0\s+\?0/);
    expect(f).toMatch(/\? cost at most \$0\.10\s+w1\s+✓0\s+✗0\s+\?2/);
    expect(f).toContain('found no cost reported');
  });

  test('narrow and short: counts in one column, evidence only where the trial did not pass, then cut', () => {
    const state = matrixState();
    app = mount(<TrialBreakdown exec={state} selected="claude-1" width={30} height={6} theme={DEFAULT_THEME} />, { cols: 30, rows: 7 });
    const f = app.frame();
    expect(lines(f).length).toBeLessThanOrEqual(7);
    expect(widest(f)).toBeLessThanOrEqual(30);
    expect(f).toMatch(/✗ exit code 0\s+req\s+1\/1\/0/);
    expect(f).toMatch(/\+\d more/);
  });
});

describe('trial matrix: navigation', () => {
  test('moves: ←/→ along rows (on to the next provider), ↑/↓ between providers at the same trial', () => {
    const grid = trialGrid(matrixState());
    expect(grid).toEqual([
      ['sim-1', 'sim-2', 'sim-3', 'sim-4', 'sim-5'],
      ['claude-1', 'claude-2', 'claude-3', 'claude-4', 'claude-5'],
    ]);
    expect(moveInGrid(grid, 'sim-2', 'right')).toBe('sim-3');
    expect(moveInGrid(grid, 'sim-5', 'right')).toBe('claude-1');
    expect(moveInGrid(grid, 'sim-1', 'left')).toBe('sim-1');
    expect(moveInGrid(grid, 'sim-2', 'down')).toBe('claude-2');
    expect(moveInGrid(grid, 'claude-2', 'down')).toBe('sim-3');
    expect(moveInGrid(grid, 'claude-2', 'up')).toBe('sim-2');
    expect(moveInGrid([['a-1', 'a-2', 'a-3']], 'a-1', 'down')).toBe('a-2');
  });

  test('keys move the selection over the dots, the pane follows it, Enter opens that trial’s session', async () => {
    const rt = matrixRuntime();
    const a = await open(rt);
    expect(a.frame()).toContain('sim-1 says: greeting module added');
    await a.press(KEY.right);
    await a.shows('sim-2 second attempt: all tests passed');
    expect(a.frame()).toMatch(/sim-2 passed · score 1\.00/);
    expect(a.frame()).toMatch(/2 attempts/);
    await a.press(KEY.down);
    await a.shows('claude-2 finished the greeting');
    await a.press('k');
    await a.shows('sim-2 second attempt: all tests passed');
    await a.press(KEY.left, KEY.right, KEY.right, KEY.right);
    await a.shows('sim-4 is still writing greet()');
    await a.press(KEY.enter);
    // The pane has focus: the help bar offers pane keys, and Esc goes back to the board.
    expect(a.frame()).toContain('sim-4 is still writing greet()');
    expect(a.frame()).toContain('previous pane');
    await a.press(KEY.esc);
    expect(a.frame()).toContain('previous trial');
  });

  test('b toggles the breakdown in place of the pane; it follows the selection; Enter closes it and opens the pane', async () => {
    const rt = matrixRuntime();
    const a = await open(rt);
    await a.press('b');
    await a.shows('Assertions · sim · 2 judged · sim-1');
    expect(a.frame()).not.toContain('sim-1 says: greeting module added');
    await a.press(KEY.down);
    await a.shows('Assertions · claude · 2 judged · claude-1');
    expect(a.frame()).toContain('expected exit 0 · found exit 2');
    await a.press(KEY.up, KEY.enter);
    await a.shows('sim-1 says: greeting module added');
    expect(a.frame()).not.toContain('Assertions ·');
    await a.press(KEY.esc, 'b', 'b');
    expect(a.frame()).not.toContain('Assertions ·');
  });

  test('the help bar and ? document the matrix keys for a scenario, not for a plan', async () => {
    const a = await open(matrixRuntime());
    expect(a.frame()).toMatch(/← previous trial/);
    expect(a.frame()).toMatch(/b assertion breakdown/);
    await a.press('?');
    expect(a.frame()).toContain('assertion breakdown');
    expect(a.frame()).toContain('Step board / trial matrix');
    app!.unmount();
    const plan = await open(planRuntime());
    expect(plan.frame()).not.toMatch(/previous trial|assertion breakdown/);
    await plan.press('?');
    expect(plan.frame()).not.toMatch(/previous trial|assertion breakdown/);
    await plan.press(KEY.esc, 'b');
    expect(plan.frame()).toContain('the assertion breakdown is for scenarios');
  });
});
