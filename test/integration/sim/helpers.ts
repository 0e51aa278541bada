// Test helpers: a private build of the sim agent (immune to concurrent `npm run build`) and screen waits.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenText } from '../../../src/core/screen';
import type { PtySession } from '../../../src/adapters/pty';

let built: Promise<string> | undefined;

export function simAgentPath(): Promise<string> {
  built ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'conductor-sim-')), 'sim-agent.js');
    await build({
      entryPoints: [fileURLToPath(new URL('../../../src/sim/agent.ts', import.meta.url))],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    return out;
  })();
  return built;
}

export async function waitFor<T>(fn: () => T | undefined | false | null, ms = 20_000, what: () => string = () => 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const screen = (s: PtySession): string => screenText(s.snapshot());

export const waitForScreen = (s: PtySession, text: string | RegExp, ms?: number): Promise<string> =>
  waitFor(
    () => {
      const t = screen(s);
      return (typeof text === 'string' ? t.includes(text) : text.test(t)) && t;
    },
    ms,
    () => `screen to show ${String(text)}\n--- screen ---\n${screen(s)}`,
  );
