// Captures the TUI as a person sees it, for proof/screens/: drives `bin/conductor tui` on the demo
// plan in a pseudo-terminal, reads the screen through @xterm/headless, and writes each scene as
// text (.txt), as HTML (xterm's serialize addon) and as PNG (headless Chromium renders the HTML).
// Usage: npm run build && node scripts/capture-screens.mjs [--out proof/screens]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import serialize from '@xterm/addon-serialize';
import pty from 'node-pty';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outArg = process.argv.indexOf('--out');
const out = resolve(repo, outArg > 0 ? process.argv[outArg + 1] : 'proof/screens');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const COLS = 132;
const ROWS = 38;

mkdirSync(out, { recursive: true });
const cwd = mkdtempSync(join(tmpdir(), 'conductor-screens-'));
cpSync(join(repo, 'plans'), join(cwd, 'plans'), { recursive: true });

const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true, scrollback: 0 });
const serializer = new serialize.SerializeAddon();
term.loadAddon(serializer);
const child = pty.spawn(process.execPath, [join(repo, 'bin/conductor'), 'tui', 'plans/demo.plan.yaml'], {
  cwd,
  cols: COLS,
  rows: ROWS,
  name: 'xterm-256color',
  env: { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor' },
});
child.onData((d) => term.write(d));
term.onData((d) => child.write(d));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const flush = () => new Promise((r) => term.write('', r));
const screenText = () => {
  const buf = term.buffer.active;
  return Array.from({ length: term.rows }, (_, y) => buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '').join('\n');
};

async function waitFor(re, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    await flush();
    if (re.test(screenText())) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${re}; screen:\n${screenText()}`);
    await sleep(50);
  }
}

function page(html) {
  const style = `<style>body{margin:0;background:#000} pre{margin:0;padding:12px} pre div{font-family:'DejaVu Sans Mono',monospace !important;font-size:15px !important;line-height:1.2 !important;white-space:pre}</style>`;
  return html.replace('<html><body>', `<html><head><meta charset="utf-8">${style}</head><body>`);
}

async function capture(name) {
  await sleep(300);
  await flush();
  writeFileSync(join(out, `${name}.txt`), `${screenText()}\n`);
  const htmlPath = join(out, `${name}.html`);
  writeFileSync(htmlPath, page(serializer.serializeAsHTML({ includeGlobalBackground: true })));
  const width = Math.ceil(COLS * 9.05 + 24);
  const height = Math.ceil(ROWS * 18 + 24);
  execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
      `--window-size=${width},${height}`,
      `--screenshot=${join(out, `${name}.png`)}`,
      `file://${htmlPath}`,
    ],
    { stdio: 'ignore' },
  );
  process.stdout.write(`captured ${name}\n`);
}

await waitFor(/Approval 1 of 1/);
await capture('approval');
child.write('y');
await waitFor(/\$ node test\/greet\.test\.js/);
child.write('y');
await waitFor(/· passed/);
await capture('board');
child.write('k');
child.write('k');
await sleep(200);
child.write('z');
await waitFor(/Bash\(mkdir/);
await capture('pane');
child.write('z');
child.write('v');
child.write('j');
child.write('v');
child.write('j');
child.write('v');
child.write('k');
child.write('k');
child.write('k');
child.write('v');
await sleep(500);
await capture('split');
child.write('?');
await waitFor(/close help|Keys/i);
await capture('help');
child.write('\x1b');
child.write('q');
await new Promise((r) => child.onExit(r));
process.stdout.write(`screens written to ${out}\n`);
