// Baseline for the first-frame figure: a minimal Ink app ("hello" in a box), bundled the same way
// as conductor (esbuild, production React), timed from spawn to its first frame.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { summarize, timeToScreen } from './first-frame.mjs';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));

export async function minimalInk(runs = 10) {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-minimal-ink-'));
  const entry = join(dir, 'app.jsx');
  writeFileSync(
    entry,
    "import React from 'react'; import { render, Box, Text } from 'ink';\nrender(<Box borderStyle='round'><Text>hello</Text></Box>);\nsetTimeout(() => process.exit(0), 10000);\n",
  );
  const out = join(dir, 'app.mjs');
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    jsx: 'automatic',
    nodePaths: [join(repo, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': join(repo, 'scripts/empty-module.mjs') },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await timeToScreen([out], dir, [/hello/]));
  return summarize(times);
}
