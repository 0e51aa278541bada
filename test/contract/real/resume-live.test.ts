// Contract: each preset's resume arguments against the real CLI, with its hooks installed. A first session
// runs to the end; then the preset's `resume` argv (with the hook arguments in front, as the session runner
// puts them) continues it: the CLI starts, its SessionStart hook reports the same session id (and, for
// Claude and Codex, the same transcript file), and its model is asked again.
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { HookEvent } from '../../../src/adapters/hooks/link';
import { createHookLinker, createHookServer } from '../../../src/adapters/hooks/server';
import { resolveArgv } from '../../../src/adapters/providers/argv';
import { claude } from '../../../src/adapters/providers/claude';
import { codex } from '../../../src/adapters/providers/codex';
import { gemini } from '../../../src/adapters/providers/gemini';
import { spawnPtySession } from '../../../src/adapters/pty/session';
import { logicalLines } from '../../../src/core/screen';
import type { ProviderDef } from '../../../src/core/types';
import { CONTINUE_MESSAGE } from '../../../src/runtime/session-runner';
import { hookClientPath, runHooked } from './hooks-harness';
import { cliInstalled, lingeringProcesses, makeDirs, MARKER_COMMAND, skipReason, type LiveDirs, type LiveMock } from './live-harness';
import { startMockClaudeServer } from './mock-claude-server';
import { startMockCodexServer } from './mock-codex-server';
import { startMockGeminiServer } from './mock-gemini-server';
import { claudeSetup, codexSetup, geminiSetup } from './setups';

interface Case {
  def: ProviderDef;
  mock: (command: string) => Promise<LiveMock>;
  setup: (dirs: LiveDirs, mock: LiveMock) => Record<string, string>;
  sameTranscript: boolean;
}
const cases: Case[] = [
  { def: claude, mock: startMockClaudeServer, setup: (d, m) => claudeSetup(d, m), sameTranscript: true },
  { def: codex, mock: startMockCodexServer, setup: codexSetup, sameTranscript: true },
  { def: gemini, mock: startMockGeminiServer, setup: geminiSetup, sameTranscript: false },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(cases)('$def.name resume arguments against the real CLI', ({ def, mock: startMock, setup, sameTranscript }) => {
  const installed = cliInstalled(def.name);
  const hooksWork = def.name !== 'gemini' || process.getuid?.() === 0;
  let dirs: LiveDirs | undefined;
  let cache: string | undefined;
  afterEach(async () => {
    if (cache) rmSync(cache, { recursive: true, force: true });
    cache = undefined;
    if (!dirs) return;
    const strays = await lingeringProcesses(dirs.root);
    for (const pid of strays) process.kill(pid, 'SIGKILL');
    dirs.cleanup();
    dirs = undefined;
    expect(strays, 'processes left behind by the CLI').toEqual([]);
  });

  test.skipIf(!installed || !hooksWork)(`resumes the same session${installed ? '' : ` (skipped: ${skipReason(def.name)})`}`, async () => {
    const mock = await startMock(MARKER_COMMAND);
    dirs = makeDirs(def.name);
    cache = mkdtempSync(join(homedir(), '.conductor-live-cache-'));
    const env = setup(dirs, mock);
    const server = await createHookServer();
    let pty: ReturnType<typeof spawnPtySession> | undefined;
    try {
      const first = await runHooked({ def, dirs, env, policy: { default: 'allow', allow: [], deny: [], onTimeout: 'deny' }, cacheHome: cache });
      expect(first.state.units.a.status, first.screen).toBe('passed');
      const agentSession = first.of('session.agent-session').at(-1)!.id;
      const requestsBefore = mock.requests.length;

      const link = (await createHookLinker(server, { node: process.execPath, bin: await hookClientPath(), env: { ...env, XDG_CACHE_HOME: cache } })({ session: 'a#2', provider: def, workspace: dirs.ws, agentSession }))!;
      const events: HookEvent[] = [];
      link.onEvent((e) => {
        events.push(e);
        if (e.type === 'approval') link.answer(e.key, 'deny');
      });
      const argv = resolveArgv(def, { mode: 'resume', agentSession, continue: CONTINUE_MESSAGE, extraArgs: link.args, workspace: dirs.ws, simPath: '' });
      pty = spawnPtySession({ command: argv.command, args: argv.args, cwd: dirs.ws, env: { ...env, ...argv.env, ...link.env }, cols: 120, rows: 40 });
      let exited = false;
      void pty.exited.then(() => (exited = true));
      const end = Date.now() + 60_000;
      const screen = () => logicalLines(pty!.snapshot()).join('\n');
      while (!events.some((e) => e.type === 'session') || mock.requests.length === requestsBefore) {
        if (exited || Date.now() > end) throw new Error(`${exited ? 'exited' : 'timed out'} before the resumed session started; argv: ${argv.args.join(' ')}\nscreen:\n${screen()}`);
        await sleep(100);
      }
      expect(events.find((e) => e.type === 'session')).toEqual({ type: 'session', id: agentSession });
      if (sameTranscript) {
        // Claude's <id>.jsonl, Codex's rollout-<time>-<id>.jsonl: the file the first session wrote.
        const path = events.find((e) => e.type === 'transcript');
        expect(path && path.type === 'transcript' && path.path).toContain(agentSession);
      }
      link.close();
    } finally {
      pty?.kill('SIGTERM');
      if (pty) await Promise.race([pty.exited, sleep(3000)]);
      pty?.kill('SIGKILL');
      pty?.dispose();
      await server.close();
      await mock.close();
    }
  }, 180_000);
});
