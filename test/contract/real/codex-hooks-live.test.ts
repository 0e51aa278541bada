// Contract: the codex preset's hooks against the real Codex CLI (offline, loopback mock). With hooks
// installed the screen detector is off: the approval can only arrive through PermissionRequest, exact.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { codex } from '../../../src/adapters/providers/codex';
import { runHooked } from './hooks-harness';
import { cliInstalled, lingeringProcesses, makeDirs, markerPath, MARKER_COMMAND, skipReason, type LiveDirs } from './live-harness';
import { startMockCodexServer } from './mock-codex-server';
import { codexSetup } from './setups';

const installed = cliInstalled('codex');
describe.skipIf(!installed)(`codex hooks against the real CLI${installed ? '' : ` (skipped: ${skipReason('codex')})`}`, () => {
  let dirs: LiveDirs | undefined;
  afterEach(async () => {
    if (!dirs) return;
    const strays = await lingeringProcesses(dirs.root);
    for (const pid of strays) process.kill(pid, 'SIGKILL');
    dirs.cleanup();
    dirs = undefined;
    expect(strays, 'processes left behind by the CLI').toEqual([]);
  });

  // Deny through the hook is covered by conductor-live's `run --approve none`.
  test.each(['allow'] as const)('the approval arrives via the hook with the exact command; %s is what the CLI does; Stop ends the turn', async (decision) => {
    const mock = await startMockCodexServer(MARKER_COMMAND);
    dirs = makeDirs('codex');
    try {
      const r = await runHooked({ def: codex, dirs, env: codexSetup(dirs, mock), policy: { default: 'ask', allow: [], deny: [], onTimeout: 'deny' }, person: () => decision });
      const requested = r.of('approval.requested');
      expect(requested.map((e) => [e.via, e.command])).toEqual([['hook', MARKER_COMMAND]]);
      expect(r.of('approval.decided').map((e) => [e.decision, e.by])).toEqual([[decision, 'user']]);
      expect(r.of('approval.resolved').map((e) => e.decision)).toEqual([decision]);
      expect(existsSync(markerPath(dirs))).toBe(decision === 'allow');
      expect(mock.toolResults).toBe(1);
      // Stop: the end of the turn, with the model's last message; then /exit ended the CLI.
      expect(r.of('session.turn-ended').map((e) => [e.via, e.message])).toEqual([['hook', 'Done: the command ran.']]);
      // Codex has no flag to preassign an id: SessionStart reports it.
      const ids = r.of('session.agent-session');
      expect(ids.map((e) => e.via)).toEqual(['hook']);
      expect(ids[0].id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.state.units.a.status, r.screen).toBe('passed');
      expect(r.state.sessions['a#1'].exitCode).toBe(0);
    } finally {
      await mock.close();
    }
  }, 120_000);

  test("the trust dialog of an untrusted git repository is answered with the preset's keys, then the session runs", async () => {
    const mock = await startMockCodexServer(MARKER_COMMAND);
    dirs = makeDirs('codex');
    execFileSync('git', ['init', '-q', dirs.ws]);
    try {
      const r = await runHooked({
        def: codex,
        dirs,
        env: codexSetup(dirs, mock, { trusted: false }),
        policy: { default: 'allow', allow: [], deny: [], onTimeout: 'deny' },
        person: () => 'allow',
      });
      expect(r.of('approval.requested').map((e) => [e.via, e.dialog ?? e.command])).toEqual([
        ['screen', 'trust'],
        ['hook', MARKER_COMMAND],
      ]);
      expect(existsSync(markerPath(dirs))).toBe(true);
      expect(r.state.units.a.status, r.screen).toBe('passed');
    } finally {
      await mock.close();
    }
  }, 120_000);
});
