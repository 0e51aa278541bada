#!/usr/bin/env node
// Renders an html report (`conductor report ID --format html`) in headless Chromium: a screenshot, or the DOM after
// the page's scripts ran (--dump-dom), which shows whether asciinema-player built its players.
//
//   node scripts/report-screenshot.mjs proof/<exec>/report.html [out.png]   screenshot (default proof/report-html.png)
//   node scripts/report-screenshot.mjs --dump-dom proof/<exec>/report.html  the rendered DOM on stdout
//
// CHROMIUM names the browser (default: chromium, chromium-browser or google-chrome on PATH).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function findChromium() {
  const names = process.env.CHROMIUM ? [process.env.CHROMIUM] : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const name of names) {
    try {
      const path = name.includes('/') ? name : execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path && existsSync(path)) return path;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

/** Runs headless Chromium on the page; the virtual time budget lets the player's scripts run before the capture. */
export function renderPage(html, { screenshot, dumpDom, width = 1280, height = 1400, budgetMs = 5000 } = {}) {
  const chromium = findChromium();
  if (!chromium) throw new Error('no Chromium found (install chromium, or set CHROMIUM=/path/to/chrome)');
  // A profile of its own: two renders at once (parallel tests) must not share one.
  const profile = mkdtempSync(join(tmpdir(), 'conductor-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--no-first-run',
    '--mute-audio',
    `--user-data-dir=${profile}`,
    `--window-size=${width},${height}`,
    `--virtual-time-budget=${budgetMs}`,
    ...(screenshot ? [`--screenshot=${resolve(screenshot)}`] : []),
    ...(dumpDom ? ['--dump-dom'] : []),
    pathToFileURL(resolve(html)).href,
  ];
  try {
    const r = spawnSync(chromium, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${chromium} exited ${r.status}: ${r.stderr.split('\n').filter((l) => !/dbus|Fontconfig/i.test(l)).slice(-5).join('\n')}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const argv = process.argv.slice(2);
  const dump = argv[0] === '--dump-dom';
  const [html, out = 'proof/report-html.png'] = dump ? argv.slice(1) : argv;
  if (!html || !existsSync(html)) {
    process.stderr.write('usage: node scripts/report-screenshot.mjs [--dump-dom] REPORT.html [OUT.png]\n');
    process.exit(2);
  }
  try {
    if (dump) process.stdout.write(renderPage(html, { dumpDom: true }));
    else {
      renderPage(html, { screenshot: out });
      process.stdout.write(`${out}\n`);
    }
  } catch (err) {
    process.stderr.write(`report-screenshot: ${err.message}\n`);
    process.exit(1);
  }
}
