// Contract: `conductor run` (the built binary) with the real claude and codex presets: the execution starts
// its hook server with the session, the CLIs' hooks run dist/hook.js, approvals are logged `via: hook` with
// the exact command, and the socket folder is gone when the run ends.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { cliInstalled, lingeringProcesses, makeDirs, markerPath, MARKER_COMMAND, skipReason, type LiveDirs, type LiveMock } from './live-harness';
import { startMockClaudeServer } from './mock-claude-server';
import { startMockCodexServer } from './mock-codex-server';
import { claudeSetup, codexSetup } from './setups';

const BIN = resolve(__dirname, '../../../bin/conductor');
const built = existsSync(resolve(__dirname, '../../../dist/hook.js'));

const cases: { name: string; mock: (c: string) => Promise<LiveMock>; setup: (d: LiveDirs, m: LiveMock) => Record<string, string> }[] = [
  { name: 'claude', mock: startMockClaudeServer, setup: (d, m) => claudeSetup(d, m) },
  { name: 'codex', mock: startMockCodexServer, setup: codexSetup },
];

describe.each(cases)('conductor run with the real $name CLI and its hooks', ({ name, mock: startMock, setup }) => {
  const installed = cliInstalled(name);
  let dirs: LiveDirs | undefined;
  afterEach(async () => {
    if (!dirs) return;
    const strays = await lingeringProcesses(dirs.root);
    for (const pid of strays) process.kill(pid, 'SIGKILL');
    dirs.cleanup();
    dirs = undefined;
    expect(strays, 'processes left behind').toEqual([]);
  });

  test.skipIf(!installed || !built)(`approvals come through the hook (denied by the headless policy), the turn end too, and the run passes${installed ? (built ? '' : ' (skipped: run npm run build)') : ` (skipped: ${skipReason(name)})`}`, async () => {
    const mock = await startMock(MARKER_COMMAND);
    dirs = makeDirs(name);
    try {
      const env = setup(dirs, mock);
      writeFileSync(join(dirs.ws, 'live.plan.yaml'), `goal: live\nprovider: ${name}\nworkspace:\n  path: .\nsteps:\n  - id: one\n    agent: backend\n    task: Create the marker file\n`);
      const r = await execa('node', [BIN, 'run', 'live.plan.yaml', '--approve', 'policy'], {
        cwd: dirs.ws,
        env,
        extendEnv: false,
        reject: false,
        timeout: 150_000,
        all: true,
      });
      const exec = readdirSync(join(dirs.ws, 'trace')).find((d) => d.startsWith('exec-'))!;
      const events = readFileSync(join(dirs.ws, 'trace', exec, 'events.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const summary = events.filter((e) => !['session.output', 'file.touched'].includes(e.type as string)).map((e) => e.type);
      // Headless with a policy that allows nothing: the hook's request is denied by policy, and the CLI goes on.
      const requested = events.filter((e) => e.type === 'approval.requested');
      expect(requested.map((e) => [e.via, e.command]), `${r.all}\n${summary.join(', ')}`).toEqual([['hook', MARKER_COMMAND]]);
      expect(events.filter((e) => e.type === 'approval.resolved').map((e) => [e.decision, e.by])).toEqual([['deny', 'policy']]);
      expect(existsSync(markerPath(dirs))).toBe(false);
      expect(events.filter((e) => e.type === 'session.turn-ended').map((e) => e.via)).toEqual(['hook']);
      expect(r.exitCode, r.all).toBe(0);
      // The socket's folder (under TMPDIR, the temp root here) is removed when the run ends.
      expect(readdirSync(dirs.root).filter((f) => f.startsWith('cdh-'))).toEqual([]);
    } finally {
      await mock.close();
    }
  }, 180_000);
});
