// The hook server and client over a real Unix socket: tokens, file modes, approvals answered, withdrawn
// and denied on close, and a client that cannot reach conductor denies.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { runHookClient } from '../../../src/adapters/hooks/client';
import type { HookEvent, HookLink } from '../../../src/adapters/hooks/link';
import { ENV_SOCKET, ENV_TOKEN } from '../../../src/adapters/hooks/protocol';
import { createHookLinker, createHookServer, type HookServer } from '../../../src/adapters/hooks/server';
import { claude } from '../../../src/adapters/providers/claude';
import { codex } from '../../../src/adapters/providers/codex';

const fixture = (cli: string, name: string): string => readFileSync(join(__dirname, '../../fixtures/hooks', cli, `${name}.json`), 'utf8');

/** Runs the hook client in-process, the way a CLI runs it: payload on stdin, the link's env. */
async function hook(env: Record<string, string | undefined>, protocol: string, event: string, payload: string) {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from([Buffer.from(payload)]);
  const code = await runHookClient([protocol, event], {
    stdin,
    stdout: { write: (s: string, cb?: () => void) => ((stdout += s), cb?.(), true) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  });
  return { code, stdout, stderr, json: stdout.trim() ? JSON.parse(stdout) : undefined };
}

const until = async (pred: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function linked(provider = claude, session = 'step-a#1'): Promise<{ link: HookLink; events: HookEvent[] }> {
  server ??= await createHookServer();
  const link = (await createHookLinker(server, { node: '/usr/bin/node', bin: '/x/hook.js' })({ session, provider, workspace: '/w' }))!;
  const events: HookEvent[] = [];
  link.onEvent((e) => events.push(e));
  return { link, events };
}

describe('hook server', () => {
  test('the socket is 0600 in a fresh 0700 folder, with a short path', async () => {
    server = await createHookServer();
    expect(server.socketPath.length).toBeLessThan(100);
    expect(statSync(server.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(server.socketPath)).mode & 0o777).toBe(0o700);
    expect(statSync(server.socketPath).isSocket()).toBe(true);
  });

  test('a long temp root falls back to /tmp so the path fits sun_path', async () => {
    server = await createHookServer({ tmpRoot: `/tmp/${'x'.repeat(120)}` });
    expect(server.socketPath.startsWith('/tmp/cdh-')).toBe(true);
  });

  test('the link puts the socket, session and a random token in the env, and the hooks in the args', async () => {
    const { link } = await linked();
    expect(link.env.CONDUCTOR_HOOK_SOCKET).toBe(server!.socketPath);
    expect(link.env.CONDUCTOR_SESSION).toBe('step-a#1');
    expect(link.env.CONDUCTOR_HOOK_TOKEN).toMatch(/^[\w-]{32}$/);
    expect(link.args[0]).toBe('--settings');
    const other = await linked(claude, 'step-b#1');
    expect(other.link.env.CONDUCTOR_HOOK_TOKEN).not.toBe(link.env.CONDUCTOR_HOOK_TOKEN);
  });

  test('an approval waits for the answer; allow goes back as the CLI reply; the closed request is reported', async () => {
    const { link, events } = await linked();
    const reply = hook(link.env, 'claude', 'PermissionRequest', fixture('claude', 'PermissionRequest'));
    await until(() => events.length > 0);
    expect(events).toEqual([{ type: 'approval', key: 'hook-1', command: 'touch pr-allow-1', tool: 'Bash', options: ['allow', 'always', 'deny'] }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(1); // still waiting
    link.answer('hook-1', 'allow');
    const r = await reply;
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ type: 'approval-closed', key: 'hook-1' });
  });

  test('deny and always: each reply as the CLI expects; an unknown key is ignored', async () => {
    const { link, events } = await linked(codex);
    const first = hook(link.env, 'codex', 'PermissionRequest', fixture('codex', 'PermissionRequest'));
    await until(() => events.length === 1);
    link.answer('hook-99', 'allow');
    link.answer('hook-1', 'deny');
    expect((await first).json.hookSpecificOutput.decision.behavior).toBe('deny');
    const second = hook(link.env, 'codex', 'PermissionRequest', fixture('codex', 'PermissionRequest'));
    await until(() => events.some((e) => e.type === 'approval' && e.key === 'hook-2'));
    link.answer('hook-2', 'always');
    expect((await second).json.hookSpecificOutput.decision).toEqual({ behavior: 'allow' });
  });

  test('fire-and-forget events are acknowledged at once and delivered', async () => {
    const { link, events } = await linked();
    const start = await hook(link.env, 'claude', 'SessionStart', fixture('claude', 'SessionStart-startup'));
    const stop = await hook(link.env, 'claude', 'Stop', fixture('claude', 'Stop'));
    expect([start.code, start.stdout, stop.code, stop.stdout]).toEqual([0, '', 0, '']);
    expect(events.map((e) => e.type)).toEqual(['session', 'transcript', 'turn-ended']);
  });

  test('events that arrive before anyone listens are kept', async () => {
    server = await createHookServer();
    const link = (await createHookLinker(server, { node: 'n', bin: 'b' })({ session: 's', provider: claude, workspace: '/w' }))!;
    await hook(link.env, 'claude', 'Stop', fixture('claude', 'Stop'));
    const events: HookEvent[] = [];
    link.onEvent((e) => events.push(e));
    expect(events).toEqual([{ type: 'turn-ended', message: 'Done: the command ran.' }]);
  });

  test('a wrong token, an unknown session or another protocol is refused: the client denies, nothing is reported', async () => {
    const { link, events } = await linked();
    const bad = await hook({ ...link.env, [ENV_TOKEN]: 'not-the-token-not-the-token-1234' }, 'claude', 'PermissionRequest', fixture('claude', 'PermissionRequest'));
    expect(bad.json.hookSpecificOutput.decision.behavior).toBe('deny');
    expect(bad.stderr).toMatch(/wrong token/);
    const unknown = await hook({ ...link.env, CONDUCTOR_SESSION: 'nobody' }, 'claude', 'PermissionRequest', fixture('claude', 'PermissionRequest'));
    expect(unknown.json.hookSpecificOutput.decision.behavior).toBe('deny');
    const other = await hook(link.env, 'codex', 'PermissionRequest', fixture('codex', 'PermissionRequest'));
    expect(other.json.hookSpecificOutput.decision.behavior).toBe('deny');
    expect(other.stderr).toMatch(/speak claude/);
    expect(events).toEqual([]);
  });

  test('a client that disconnects before the answer has withdrawn its request', async () => {
    const { link, events } = await linked();
    const sock = createConnection(server!.socketPath);
    await new Promise((r) => sock.once('connect', r));
    sock.write(`${JSON.stringify({ v: 1, session: 'step-a#1', token: link.env.CONDUCTOR_HOOK_TOKEN, protocol: 'claude', event: 'PermissionRequest', payload: JSON.parse(fixture('claude', 'PermissionRequest')) })}\n`);
    await until(() => events.length === 1);
    sock.destroy();
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ type: 'approval-closed', key: 'hook-1' });
    link.answer('hook-1', 'allow'); // too late: ignored
  });

  test("closing a session's link answers what is pending deny; later requests are denied too", async () => {
    const { link, events } = await linked();
    const pending = hook(link.env, 'claude', 'PermissionRequest', fixture('claude', 'PermissionRequest'));
    await until(() => events.length === 1);
    link.close();
    expect((await pending).json.hookSpecificOutput.decision.behavior).toBe('deny');
    const later = await hook(link.env, 'claude', 'PermissionRequest', fixture('claude', 'PermissionRequest'));
    expect(later.json.hookSpecificOutput.decision.behavior).toBe('deny');
  });

  test('closing the server answers pending requests deny and removes the socket and its folder', async () => {
    const { link, events } = await linked();
    const pending = hook(link.env, 'claude', 'PermissionRequest', fixture('claude', 'PermissionRequest'));
    await until(() => events.length === 1);
    const path = server!.socketPath;
    await server!.close();
    server = undefined;
    expect((await pending).json.hookSpecificOutput.decision.behavior).toBe('deny');
    expect(existsSync(path)).toBe(false);
    expect(existsSync(dirname(path))).toBe(false);
  });
});

describe('hook client without conductor', () => {
  const env = { [ENV_SOCKET]: '/tmp/cdh-nonexistent/s', CONDUCTOR_SESSION: 's', [ENV_TOKEN]: 't' };

  test('an approval it cannot ask about is denied, at once', async () => {
    const t = Date.now();
    const r = await hook(env, 'claude', 'PermissionRequest', fixture('claude', 'PermissionRequest'));
    expect(Date.now() - t).toBeLessThan(2000);
    expect(r.code).toBe(0);
    expect(r.json.hookSpecificOutput.decision).toMatchObject({ behavior: 'deny', message: expect.stringMatching(/ENOENT/) });
    const c = await hook(env, 'codex', 'PermissionRequest', fixture('codex', 'PermissionRequest'));
    expect(c.json.hookSpecificOutput.decision.behavior).toBe('deny');
  });

  test('without the env, or with a payload that is not JSON, approvals are denied', async () => {
    expect((await hook({}, 'claude', 'PermissionRequest', '{}')).json.hookSpecificOutput.decision.behavior).toBe('deny');
    expect((await hook(env, 'claude', 'PermissionRequest', 'not json')).json.hookSpecificOutput.decision.behavior).toBe('deny');
  });

  test('fire-and-forget events exit 0 and print nothing', async () => {
    const r = await hook(env, 'claude', 'Stop', fixture('claude', 'Stop'));
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect((await hook(env, 'gemini', 'AfterAgent', fixture('gemini', 'AfterAgent'))).stdout).toBe('');
  });

  test('an unknown protocol is a usage error (exit 2, which blocks the call in Claude and Codex)', async () => {
    expect((await hook(env, 'nope', 'Stop', '{}')).code).toBe(2);
  });
});
