// `npm run bench`: runs every benchmark and writes the figures, with the command and machine, to proof/bench/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstFrame } from './first-frame.mjs';
import { minimalInk } from './minimal-ink.mjs';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = resolve(repo, 'proof/bench');
mkdirSync(out, { recursive: true });
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
const when = new Date().toISOString();

const ff = await firstFrame(10);
const base = await minimalInk(10);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const lines = [
  '# Benchmarks',
  '',
  `Measured ${when} on ${machine} with \`npm run bench\` (bench/run.mjs).`,
  '',
  '## Time to first frame',
  '',
  'From spawning `bin/conductor tui plans/demo.plan.yaml` in a 120×36 PTY to the first screen showing the header and the board (bench/first-frame.mjs; bundled build, React in production mode).',
  '',
  `| program | runs | median | min | max |`,
  `|---|---|---|---|---|`,
  `| conductor tui (demo plan) | ${ff.runs} | ${fmt(ff.median)} | ${fmt(ff.min)} | ${fmt(ff.max)} |`,
  `| minimal Ink app, bundled the same way (bench/minimal-ink.mjs) | ${base.runs} | ${fmt(base.median)} | ${fmt(base.min)} | ${fmt(base.max)} |`,
  '',
  `All conductor runs (ms): ${ff.times.map((t) => t.toFixed(0)).join(', ')}`,
  '',
  'The difference is what conductor does before its first frame: loading config, the plan schema and YAML parser, copying the workspace, opening the event log.',
  '',
];
writeFileSync(resolve(out, 'results.md'), lines.join('\n'));
writeFileSync(resolve(out, 'results.json'), `${JSON.stringify({ when, machine, firstFrame: ff, minimalInk: base }, null, 2)}\n`);
console.log(lines.join('\n'));
