// The html report in a real browser: headless Chromium loads the file (no network: everything is inlined), the
// player's own script builds one player per recording, and the trial matrix is there. Skipped, saying why, where
// no Chromium is installed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempProject } from './helpers';
import { cli, EXEC, TRIALS, writeScenarioExecution } from './report-fixture';

// scripts/report-screenshot.mjs is the same code people run to take the screenshot in proof/.
const { findChromium, renderPage } = (await import(join(REPO, 'scripts/report-screenshot.mjs'))) as {
  findChromium(): string | undefined;
  renderPage(html: string, o: { dumpDom?: boolean; screenshot?: string }): string;
};
const chromium = findChromium();

describe.skipIf(!chromium)(`html report in headless Chromium${chromium ? '' : ' (skipped: no chromium, chromium-browser or google-chrome on PATH; set CHROMIUM=…)'}`, () => {
  it('plays each trial’s recording with asciinema-player and shows the matrix', async () => {
    const cwd = tempProject();
    const casts = writeScenarioExecution(cwd);
    const r = await cli(cwd, ['report', EXEC, '--format', 'html']);
    expect(r.exitCode, r.all).toBe(0);
    const file = join(cwd, 'proof', EXEC, 'report.html');
    const source = readFileSync(file, 'utf8');
    // Before the scripts run, the page holds no player: whatever the DOM shows below, the player's JS made.
    expect(/<div class="ap-wrapper/.test(source)).toBe(false);
    const dom = renderPage(file, { dumpDom: true });
    expect(dom.match(/<div class="ap-wrapper/g)?.length, 'players built').toBe(casts);
    expect(dom.match(/class="ap-player /g)?.length).toBe(casts);
    expect(dom.includes('>the recording could not be played'), 'a player failed').toBe(false);
    // The matrix: one dot per trial, coloured by its outcome, in a row per provider.
    const dots = [...dom.matchAll(/<a class="dot (\w+)" href="#unit-\d+"/g)].map((m) => m[1]);
    expect(dots).toEqual(['pass', 'fail', 'error', 'fail', 'fail']);
    expect(dots).toHaveLength(TRIALS.length);
    expect(dom.includes('<tr><th>sim</th><td class="dots">')).toBe(true);
    expect(dom.includes('<tr><th>claude</th><td class="dots">')).toBe(true);
    // A recorded screen was drawn by the player's terminal (text of the real Claude Code recording).
    // (in a terminal line the player drew, not in the recording's JSON, which holds it too)
    expect(/class="ap-line"[^>]*><span[^>]*>claude --permission-mode default --resume 18a2d2a5/.test(dom), 'the recording drawn').toBe(true);
  }, 180_000);
});
