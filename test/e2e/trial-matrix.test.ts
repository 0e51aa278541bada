// e2e: the trial matrix in the real `bin/conductor tui`, read through @xterm/headless: the dots and the pass
// rate update live while four sim trials run, then ←/→ select a dot and Enter opens that trial's session.
import { describe, expect, it } from 'vitest';
import { onlyExec, readEvents, tempProject } from '../integration/run/helpers';
import { spawnConductor } from './term';

/** The row of dots under the provider's name on the board. */
const dotsOf = (screen: string): string => {
  const rows = screen.split('\n');
  const at = rows.findIndex((l) => /sim 4 trials/.test(l));
  return at >= 0 ? (rows[at + 1]?.split('│')[1] ?? '').trim() : '';
};

describe('conductor tui on a scenario: the trial matrix', () => {
  it('dots and pass rate update live; a dot selected with ←/→ opens its trial with Enter', async () => {
    const cwd = tempProject();
    const t = spawnConductor(['tui', 'test/fixtures/plans/matrix.scenario.yaml'], { cwd, cols: 100, rows: 30 });
    // A trial running and none judged yet.
    const early = await t.waitFor(/no trial judged yet/);
    expect(early).toMatch(/sim 4 trials/);
    await t.waitFor((s) => dotsOf(s).includes('●') && /no trial judged yet/.test(s));
    // Some passed while others still run or wait: the rate is live.
    const mid = await t.waitFor((s) => /\d\/\d \d+% \[\d+–\d+%\]/.test(s) && /to go/.test(s) && dotsOf(s).includes('✓'));
    expect(dotsOf(mid)).toMatch(/[●○]/);
    expect(mid).not.toMatch(/4\/4 /);
    // All four passed: the rate and its interval change to the final ones.
    const done = await t.waitFor(/4\/4 100% \[51–100%\]/, 30_000);
    expect(dotsOf(done)).toBe('✓ ✓ ✓ ✓');
    expect(done).toMatch(/matrix ≥\d+% ✓ met/);

    // Select the third dot: ← to the first trial (it stops there), → twice.
    t.write('\x1b[D');
    t.write('\x1b[D');
    t.write('\x1b[D');
    t.write('\x1b[D');
    await t.waitFor(/sim-1 passed/);
    t.write('\x1b[C');
    await t.waitFor(/sim-2 passed/);
    t.write('\x1b[C');
    await t.waitFor(/sim-3 passed/);
    t.write('\r');
    // The pane has focus and shows that trial's session: its title and the sim's banner with its own seed.
    const pane = await t.waitFor(/previous pane/);
    expect(pane).toMatch(/sim-3 · backend · sim/);
    expect(pane).toMatch(/seed 9/);
    expect(pane).toMatch(/Hello from a matrix trial/);

    t.write('q');
    expect((await t.exited).exitCode).toBe(0);
    const events = readEvents(cwd, onlyExec(cwd));
    expect(events.filter((e) => e.type === 'trial.started').map((e) => e.unit)).toEqual(['sim-1', 'sim-2', 'sim-3', 'sim-4']);
  }, 60_000);
});
