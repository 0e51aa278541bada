// Bundles src/ into dist/: one file for the CLI (fast first frame), one for the sim agent program, one for
// the hook client (`conductor hook`).
// React is built in production mode; node-pty and fs-ext stay external because they load native addons.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: ['node-pty', 'fs-ext'],
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled CJS dependencies still call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts', 'sim-agent': 'src/sim/agent.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  jsx: 'automatic',
  alias: { 'react-devtools-core': './scripts/empty-module.mjs' },
});

// `conductor hook`, run by agent CLIs' hooks on every tool call and turn: one small file, no shared chunks.
await build({ ...common, entryPoints: { hook: 'src/cli/hook.ts' }, outdir: 'dist' });
