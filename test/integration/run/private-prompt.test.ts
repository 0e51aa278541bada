// The agent's real (unredacted) prompt lives in a private temp folder that no conductor process leaves
// behind, a kill -9 included.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductor, onlyExec, readEvents, tempProject } from './helpers';

function promptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('prompt.md'))
    .map((p) => join(dir, p));
}

async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the private prompt file', () => {
  it('holds the real task while the agent runs (0600 in a 0700 folder) and is gone after kill -9', async () => {
    const cwd = tempProject();
    const tmp = mkdtempSync(join(tmpdir(), 'conductor-tmpdir-'));
    const child = conductor(cwd, ['run', 'test/fixtures/plans/slow.plan.yaml'], { env: { TMPDIR: tmp } });
    const exec = await until('the second step to start', () => {
      try {
        const id = onlyExec(cwd);
        return readEvents(cwd, id).some((e) => e.type === 'step.started' && e.unit === 'second') ? id : undefined;
      } catch {
        return undefined;
      }
    });
    const file = await until('the prompt file', () => promptFiles(tmp).find((f) => readFileSync(f, 'utf8').includes('Wait for the release file')));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    expect(exec).toMatch(/^exec-/);

    child.kill('SIGKILL');
    await child;
    await until('the private folder to be removed', () => (promptFiles(tmp).length === 0 && readdirSync(tmp).length === 0 ? true : undefined), 10_000);
  });
});
