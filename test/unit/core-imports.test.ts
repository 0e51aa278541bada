// core/ stays pure: no UI, PTY, filesystem or process imports anywhere under src/core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FORBIDDEN = ['ink', 'react', 'node-pty', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'execa', 'chokidar', 'ink-select-input', '@xterm/headless'];

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });

const imports = (source: string): string[] =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? m[4],
  );

describe('core purity', () => {
  const sources = files('src/core');
  it('finds the core sources', () => expect(sources.length).toBeGreaterThan(3));
  for (const file of sources) {
    it(`${file} imports nothing impure`, () => {
      const bad = imports(readFileSync(file, 'utf8')).filter((m) => FORBIDDEN.includes(m) || FORBIDDEN.some((f) => m.startsWith(`${f}/`)));
      expect(bad).toEqual([]);
    });
  }
  it('the import scanner sees every import form', () => {
    expect(imports("import x from 'ink';\nimport 'node:fs';\nconst a = await import('execa');\nexport { y } from 'react';")).toEqual(['ink', 'node:fs', 'execa', 'react']);
  });
});
