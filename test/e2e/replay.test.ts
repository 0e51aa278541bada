// e2e: `conductor run` the demo into a temp project, then `conductor replay <exec> --step api` in a real PTY:
// the step's output appears as it plays, it stops at the end on the exit marker, space plays again and pauses,
// g / → seek, a resize redraws, q leaves the alternate screen and exits 0.
import { describe, expect, it } from 'vitest';
import { conductor, onlyExec, tempProject } from '../integration/run/helpers';
import { spawnConductor } from './term';

describe('conductor replay', () => {
  it('plays a step of a finished run, pauses, seeks, follows a resize, quits restoring the terminal', async () => {
    const cwd = tempProject();
    const run = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--approve', 'all']);
    expect(run.exitCode, String(run.all)).toBe(0);
    const exec = onlyExec(cwd);

    const t = spawnConductor(['replay', exec, '--step', 'api'], { cwd, cols: 100, rows: 30 });
    await t.waitFor(`replay ${exec} · step api · backend/sim · attempt 1`);
    // The recording is 120×40; the pane is 98×24.
    await t.waitFor('120×40 clipped to 98×24');
    const playing = await t.waitFor(/Implementing src\/greet\.js/);
    const total = /▶ \d:\d\d\.\d \/ (\d):(\d\d\.\d)/.exec(playing);
    expect(total, playing).not.toBeNull();
    const seconds = Number(total![1]) * 60 + Number(total![2]);
    const end = `${total![1]}:${total![2]}`;
    // The 2 s the agent took to start (over the 2 s idle cap) play as 2 s: the whole step is a few seconds.
    expect(seconds).toBeLessThan(15);
    // Played to the end, it stops there on the last frame, the exit marker named.
    const ended = await t.waitFor(`■ ${end} / ${end}`);
    expect(ended).toMatch(/✓ done/);
    expect(ended).toContain(`■ ${end} state: completed`);
    // Space at the end plays again from the start; space again pauses.
    t.write(' ');
    await t.waitFor(/▶ 0:0\d\.\d/);
    t.write(' ');
    await t.waitFor(/‖ \d:\d\d\.\d/);
    t.write('g');
    const start = await t.waitFor(/‖ 0:00\.0 /);
    expect(start).not.toMatch(/Implementing/);
    // → is 5 s ahead (or the end); ← back to the start again.
    t.write('\x1b[C');
    const ahead = seconds > 5 ? '‖ 0:05.0 ' : `■ ${end} `;
    await t.waitFor(ahead);
    t.write('\x1b[D');
    await t.waitFor(/‖ 0:00\.0 /);
    t.write('G');
    const last = await t.waitFor(`■ ${end} `);
    expect(last).toMatch(/build\/greeting\.txt written/);
    t.resize(70, 20);
    const small = await t.waitFor('clipped to 68×14');
    expect(small).toContain(`■ ${end} `);
    expect(small).toMatch(/✓ done/);
    t.write('q');
    const exit = await t.exited;
    expect(exit.exitCode).toBe(0);
    const raw = t.raw();
    expect(raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(raw.lastIndexOf('\x1b[?1049h'));
    expect(raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(raw.lastIndexOf('\x1b[?25l'));

    // SIGTERM mid-play: the terminal is given back the same way, exit 128 + 15.
    const killed = spawnConductor(['replay', exec, '--step', 'plan', '--speed', '0.25'], { cwd, cols: 100, rows: 30 });
    await killed.waitFor(/▶ 0:0\d\.\d .* 0\.25×/);
    killed.kill('SIGTERM');
    expect((await killed.exited).exitCode).toBe(143);
    const rawKilled = killed.raw();
    expect(rawKilled.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(rawKilled.lastIndexOf('\x1b[?1049h'));
  }, 90_000);

});
