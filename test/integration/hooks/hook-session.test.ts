// The hook channel end to end: a fake CLI (test/fixtures/hooks/fake-claude-cli.mjs) runs in a real PTY under
// the real runtime, reducer and session adapter, and runs the real `conductor hook` client (its own bundle)
// the way Claude Code does, against a real hook server. Approvals arrive `via: hook` with the exact command,
// policy and person decisions go back, and the fake CLI acts on the reply it printed.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createHookLinker, createHookServer, type HookServer } from '../../../src/adapters/hooks/server';
import type { ConductorEvent } from '../../../src/core/events';
import { screenText } from '../../../src/core/screen';
import type { ApprovalPolicy, Plan, ProviderDef } from '../../../src/core/types';
import { runPaths } from '../../../src/runtime/recorder';
import { realTimers, Runtime } from '../../../src/runtime/runtime';
import { SessionRunner } from '../../../src/runtime/session-runner';
import { MemoryRecorder } from '../../runtime/harness';

const FAKE = fileURLToPath(new URL('../../fixtures/hooks/fake-claude-cli.mjs', import.meta.url));

let hookBin = '';
beforeAll(async () => {
  // A private build of the hook client, as scripts/build.mjs makes dist/hook.js (immune to a concurrent build).
  hookBin = join(mkdtempSync(join(tmpdir(), 'conductor-hookbin-')), 'hook.js');
  await build({
    entryPoints: [fileURLToPath(new URL('../../../src/cli/hook.ts', import.meta.url))],
    outfile: hookBin,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
});

const fakeClaude = (commands: string[]): ProviderDef => ({
  name: 'fake-claude',
  command: FAKE,
  args: ['--permission-mode', 'default', '{prompt}'],
  env: { FAKE_CLI_COMMANDS: JSON.stringify(commands) },
  prompt: { via: 'arg' },
  // No screen patterns: whatever is decided here can only have come through the hook.
  approval: { patterns: [], stableMs: 100, keys: { allow: 'y', always: 'a', deny: 'n' } },
  done: { via: 'idle', idleMs: 60_000 },
  exit: ['/exit', '\r'],
  hooks: { protocol: 'claude', approvals: true, turnEnd: true, sessionStart: true },
  session: { args: ['--session-id', '{agentSession}'] },
  asksApproval: true,
});

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(commands: string[], policy: ApprovalPolicy, person?: (command: string) => 'allow' | 'deny' | 'always') {
  server = await createHookServer();
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'conductor-hooks-it-')));
  const provider = fakeClaude(commands);
  const plan: Plan = {
    kind: 'plan',
    file: join(root, 'hooks.plan.yaml'),
    format: 'conductor',
    goal: 'hooks',
    provider: provider.name,
    concurrency: 1,
    roles: {},
    steps: [{ id: 'a', agent: 'backend', provider: provider.name, task: 'run the commands', dependsOn: [], expectedOutputs: [], checks: [] }],
  };
  const paths = runPaths({ proof: join(root, 'proof'), trace: join(root, 'trace') }, 'exec-20260101-000000-hook');
  const recorder = new MemoryRecorder();
  const runtime = new Runtime('exec-20260101-000000-hook', {
    input: plan,
    settings: { approve: 'policy', interactive: true },
    recorder,
    paths,
    clock: Date.now,
    timers: realTimers,
    sessions: (ctx) =>
      new SessionRunner({
        ...ctx,
        provider,
        input: plan,
        workspace: root,
        paths,
        recorder,
        clock: Date.now,
        timers: realTimers,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? root },
        nodePath: process.execPath,
        simPath: '',
        watch: null,
        hooks: createHookLinker(server!, { node: process.execPath, bin: hookBin }),
      }),
    verify: async () => ({ passed: true }),
  });
  runtime.create([{ id: 'a', kind: 'step', agent: 'backend', provider: provider.name, dependsOn: [], expectedOutputs: [], approval: policy }]);
  const asked = new Set<string>();
  runtime.subscribe(() => {
    const s = runtime.getSnapshot();
    for (const id of s.queue) {
      if (!person || asked.has(id)) continue;
      // A person answers a moment later, if the approval is still theirs to answer (policy may have decided it).
      setTimeout(() => {
        const a = runtime.getSnapshot().approvals[id];
        if (asked.has(id) || a.status !== 'pending') return;
        asked.add(id);
        void runtime.command({ type: 'approve', id, decision: person(a.command) });
      }, 20);
    }
  });
  runtime.start();
  const done = await Promise.race([
    (async () => {
      for (;;) {
        const s = runtime.getSnapshot();
        if (s.units.a.status === 'passed' || s.units.a.status === 'failed') return s;
        await new Promise((r) => setTimeout(r, 50));
      }
    })(),
    new Promise<never>((_, reject) =>
      setTimeout(() => {
        const snap = runtime.screen('a#1');
        reject(new Error(`timed out; screen:\n${snap ? screenText(snap) : ''}`));
      }, 25_000),
    ),
  ]);
  await runtime.quit('test over');
  const events = recorder.events;
  const of = <T extends ConductorEvent['type']>(t: T) => events.filter((e): e is Extract<ConductorEvent, { type: T }> => e.type === t);
  return { root, state: done, events, of };
}

describe('approvals through the hook channel', () => {
  test('policy allows and denies by the exact command; the CLI runs only what was allowed; the turn end finishes the session', async () => {
    const r = await run(['touch allowed-1', 'touch denied-1'], { default: 'deny', allow: ['touch allowed-*'], deny: ['touch denied-*'], onTimeout: 'deny' });
    const requested = r.of('approval.requested');
    expect(requested.map((e) => [e.via, e.command, e.options])).toEqual([
      ['hook', 'touch allowed-1', ['allow', 'always', 'deny']],
      ['hook', 'touch denied-1', ['allow', 'always', 'deny']],
    ]);
    expect(requested.every((e) => e.detector === 'fake-claude hook (Bash)')).toBe(true);
    expect(r.of('approval.decided').map((e) => [e.decision, e.by])).toEqual([
      ['allow', 'policy'],
      ['deny', 'policy'],
    ]);
    // Each request was answered and its connection closed: resolved, not withdrawn.
    expect(r.of('approval.resolved').map((e) => e.decision)).toEqual(['allow', 'deny']);
    expect(r.of('approval.withdrawn')).toEqual([]);
    expect(existsSync(join(r.root, 'allowed-1'))).toBe(true);
    expect(existsSync(join(r.root, 'denied-1'))).toBe(false);
    // SessionStart reported the id conductor preassigned; Stop ended the turn with the last message; /exit ended the CLI.
    const preassigned = r.of('session.agent-session').find((e) => e.via === 'preassigned')?.id;
    expect(preassigned).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.of('session.agent-session').find((e) => e.via === 'hook')?.id).toBe(preassigned);
    expect(r.of('session.turn-ended').map((e) => [e.via, e.message])).toEqual([['hook', 'Done: ran 1, denied 1.']]);
    expect(r.state.units.a.status).toBe('passed');
    expect(r.state.sessions['a#1'].exitCode).toBe(0);
  }, 40_000);

  test("a person's decisions go back the same way; always is answered allow and remembered for the session", async () => {
    const seen: string[] = [];
    const r = await run(['touch person-yes', 'touch person-no', 'touch twice', 'touch twice'], { default: 'ask', allow: [], deny: [], onTimeout: 'deny' }, (command) => {
      seen.push(command);
      return command === 'touch person-no' ? 'deny' : command === 'touch twice' ? 'always' : 'allow';
    });
    // The second `touch twice` was allowed by the remembered "always": the person was asked once.
    expect(seen).toEqual(['touch person-yes', 'touch person-no', 'touch twice']);
    expect(r.of('approval.decided').map((e) => [e.decision, e.by])).toEqual([
      ['allow', 'user'],
      ['deny', 'user'],
      ['always', 'user'],
      ['allow', 'policy'],
    ]);
    expect(existsSync(join(r.root, 'person-yes'))).toBe(true);
    expect(existsSync(join(r.root, 'person-no'))).toBe(false);
    expect(existsSync(join(r.root, 'twice'))).toBe(true);
    expect(r.state.units.a.status).toBe('passed');
  }, 40_000);
});

describe('the hook client process', () => {
  const timed = (args: string[], env: Record<string, string>, stdin: string) =>
    new Promise<{ ms: number; code: number | null; stdout: string }>((resolve) => {
      const t = Date.now();
      const child = spawn(process.execPath, [hookBin, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ ms: Date.now() - t, code, stdout }));
      child.stdin.end(stdin);
    });

  test('with conductor gone it denies at once (as fast as node starts)', async () => {
    const env = { CONDUCTOR_HOOK_SOCKET: join(tmpdir(), 'cdh-gone', 's'), CONDUCTOR_SESSION: 'a#1', CONDUCTOR_HOOK_TOKEN: 'x' };
    const r = await timed(['claude', 'PermissionRequest'], env, JSON.stringify({ tool_name: 'Bash', tool_input: { command: 'rm -rf /' } }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).hookSpecificOutput.decision.behavior).toBe('deny');
    expect(r.ms).toBeLessThan(5000);
    const stop = await timed(['claude', 'Stop'], env, '{}');
    expect([stop.code, stop.stdout]).toEqual([0, '']);
  });
});
