// Output folders that cannot be used, and a disk that fills up mid-run: one clear line, a distinct exit
// code, no stack trace, and every file conductor wrote still valid (whole JSON lines only).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conductor, tempProject } from '../run/helpers';

const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
});

/** A tmpfs of `size` at a fresh folder, or undefined when this process may not mount (not root). */
function tmpfs(options: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

const canMount = process.platform === 'linux' && process.getuid?.() === 0;

describe('output folders conductor cannot use', () => {
  it('a file where the output folder should be: one line naming it, exit 2', async () => {
    const cwd = tempProject();
    writeFileSync(join(cwd, 'blocker'), 'a file\n');
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--out', 'blocker/sub']);
    expect(r.exitCode, String(r.all)).toBe(2);
    expect(r.stderr).toMatch(/^conductor: cannot write blocker\/sub\/\S+: blocker is a file, not a folder; .*--out DIR/);
    expect(String(r.stderr).trim().split('\n')).toHaveLength(1);
    expect(r.all).not.toMatch(/internal error|\n\s+at /);
  });

  it.skipIf(!canMount)('a read-only output folder: one line naming it, exit 2', async () => {
    const ro = tmpfs('ro,size=1m');
    expect(ro).toBeDefined();
    const cwd = tempProject();
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--out', join(ro!, 'out')]);
    expect(r.exitCode, String(r.all)).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*: .* is on a read-only file system; .*--out DIR/);
    expect(r.all).not.toMatch(/internal error|\n\s+at /);
  });

  it.skipIf(!canMount)('a disk that fills up mid-run: stops, says so with the file and how to resume, exit 74, files valid', async () => {
    const small = tmpfs('size=64k');
    expect(small).toBeDefined();
    const cwd = tempProject();
    const r = await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--approve', 'all', '--out', small!], { timeout: 120_000 });
    expect(r.exitCode, String(r.all)).toBe(74);
    expect(r.stderr).toMatch(/conductor: disk full writing \S+: free space, then `conductor resume exec-\S+`/);
    expect(r.all).not.toMatch(/internal error|\n\s+at /);
    const trace = join(small!, 'trace');
    const [exec] = readdirSync(trace);
    const logs = [join(trace, exec, 'events.jsonl'), ...readdirSync(join(trace, exec, 'trajectories')).map((f) => join(trace, exec, 'trajectories', f))];
    for (const file of logs) {
      const text = readFileSync(file, 'utf8');
      if (!text) continue;
      expect(text.endsWith('\n'), `${file} ends with a torn line`).toBe(true);
      for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line), `${file}: ${line.slice(0, 80)}`).not.toThrow();
    }
    const seqs = readFileSync(logs[0], 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq: number }).seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  });
});
