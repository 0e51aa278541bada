// `conductor replay` without a terminal or with bad input: the recorded sessions to pick from, where the recording is,
// one-line errors with exit 2 (the playback itself is in test/e2e/replay.test.ts and test/ui/replay-view.test.tsx).
import { describe, expect, it } from 'vitest';
import { conductor, onlyExec, tempProject } from './helpers';

describe('conductor replay (no terminal, bad input)', () => {
  it('without --step lists the recorded steps and exits 2; without a terminal says where the recording is', async () => {
    const cwd = tempProject();
    expect((await conductor(cwd, ['run', 'plans/demo.plan.yaml', '--approve', 'all'])).exitCode).toBe(0);
    const exec = onlyExec(cwd);
    const list = await conductor(cwd, ['replay', exec]);
    expect(list.exitCode).toBe(2);
    expect(String(list.stderr)).toContain(`${exec} has 4 recorded sessions; pick one with --step S:`);
    expect(String(list.stderr)).toMatch(/^\s+api\s+passed\s+backend\/sim$/m);
    const piped = await conductor(cwd, ['replay', exec, '--step', 'docs']);
    expect(piped.exitCode).toBe(2);
    expect(String(piped.stderr).trim()).toBe(
      `conductor: replay needs a terminal; the recording is at proof/${exec}/step-docs-frontend.cast (asciinema play proof/${exec}/step-docs-frontend.cast)`,
    );
    for (const [args, msg] of [
      [['--step', 'nope'], `${exec} has no step "nope" (--step); its steps: plan, api, docs, test`],
      [['--step', 'api', '--attempt', '2'], 'step api has no attempt 2 (--attempt); it has 1'],
      [['--step', 'api', '--speed', '99'], '--speed takes a number from 0.25 to 16 (like 2 or 0.5), not "99"'],
    ] as const) {
      const r = await conductor(cwd, ['replay', exec, ...args]);
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr).trim()).toBe(msg);
    }
    const unknown = await conductor(cwd, ['replay', 'exec-20200101-000000-zzzz']);
    expect(unknown.exitCode).toBe(2);
    expect(String(unknown.stderr)).toMatch(/^no execution exec-20200101-000000-zzzz: .* does not exist/);
  }, 90_000);
});
