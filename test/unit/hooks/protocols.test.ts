// Each CLI's hook payloads (real ones, recorded from the pinned CLIs: test/fixtures/hooks) read as
// HookEvents, and the replies each CLI expects for allow, always, deny and "conductor could not be asked".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { claudeCommandText, claudeHooks, claudeSettings } from '../../../src/adapters/hooks/claude';
import { codexArgs, codexHooks } from '../../../src/adapters/hooks/codex';
import { geminiHooks, geminiSettings, geminiTrusts, settingsRoot } from '../../../src/adapters/hooks/gemini';
import { hookCommand, shellQuote } from '../../../src/adapters/hooks/protocol';

const sample = (cli: string, name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../fixtures/hooks', cli, `${name}.json`), 'utf8'));
const bin = { node: '/usr/bin/node', bin: '/opt/my conductor/dist/hook.js' };
const ALL = { approvals: true, turnEnd: true, sessionStart: true };

describe('claude hooks', () => {
  test('PermissionRequest is an approval with the exact Bash command', () => {
    expect(claudeHooks.read('PermissionRequest', sample('claude', 'PermissionRequest'))).toEqual({ kind: 'approval', tool: 'Bash', command: 'touch pr-allow-1' });
    expect(claudeHooks.read('PermissionRequest', sample('claude', 'PermissionRequest-no-suggestions'))).toMatchObject({ kind: 'approval', tool: 'Bash' });
    expect(claudeHooks.approvalEvents).toContain('PermissionRequest');
  });

  test('SessionStart gives the session id and the transcript; Stop the end of the turn with the last message', () => {
    expect(claudeHooks.read('SessionStart', sample('claude', 'SessionStart-startup'))).toEqual({
      kind: 'events',
      events: [
        { type: 'session', id: '580c6715-06ad-4fe7-b5c5-472d10ddea37' },
        { type: 'transcript', path: '/tmp/rs-claude-zbWSIP/home/.claude/projects/-tmp-rs-claude-zbWSIP-ws/580c6715-06ad-4fe7-b5c5-472d10ddea37.jsonl' },
      ],
    });
    const resumed = claudeHooks.read('SessionStart', sample('claude', 'SessionStart-resume'));
    expect(resumed.kind === 'events' && resumed.events[0]).toMatchObject({ type: 'session' });
    expect(claudeHooks.read('Stop', sample('claude', 'Stop'))).toEqual({ kind: 'events', events: [{ type: 'turn-ended', message: 'Done: the command ran.' }] });
    expect(claudeHooks.read('Notification', sample('claude', 'Notification-idle_prompt'))).toEqual({ kind: 'events', events: [] });
  });

  test('command text: Bash command, file tools by path, other tools as compact JSON (200 chars)', () => {
    expect(claudeCommandText('Bash', { command: 'npm test -- --run "a b"', description: 'x' })).toBe('npm test -- --run "a b"');
    expect(claudeCommandText('Edit', { file_path: '/w/src/a.ts', old_string: 'a', new_string: 'b' })).toBe('Edit /w/src/a.ts');
    expect(claudeCommandText('Write', { file_path: '/w/b.ts', content: 'x' })).toBe('Write /w/b.ts');
    expect(claudeCommandText('MultiEdit', { file_path: '/w/c.ts', edits: [] })).toBe('MultiEdit /w/c.ts');
    expect(claudeCommandText('NotebookEdit', { notebook_path: '/w/n.ipynb', new_source: '' })).toBe('NotebookEdit /w/n.ipynb');
    expect(claudeCommandText('WebFetch', { url: 'https://example.com', prompt: 'read' })).toBe('WebFetch {"url":"https://example.com","prompt":"read"}');
    const long = claudeCommandText('mcp__x__y', { text: 'a'.repeat(500) });
    expect(long.startsWith('mcp__x__y {"text":"aaa')).toBe(true);
    expect(long.length).toBe('mcp__x__y '.length + 200);
  });

  test('replies: allow and always allow; deny and failure deny with a message; other events print nothing', () => {
    const out = (d: 'allow' | 'always' | 'deny' | undefined) => JSON.parse(claudeHooks.reply('PermissionRequest', d, 'socket gone'));
    expect(out('allow')).toEqual({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
    expect(out('always')).toEqual(out('allow'));
    expect(out('deny').hookSpecificOutput.decision).toMatchObject({ behavior: 'deny', message: expect.stringContaining('conductor denied') });
    expect(out(undefined).hookSpecificOutput.decision).toMatchObject({ behavior: 'deny', message: expect.stringContaining('socket gone') });
    expect(claudeHooks.reply('Stop', 'allow')).toBe('');
    expect(claudeHooks.reply('SessionStart', undefined)).toBe('');
  });

  test('--settings: PermissionRequest for every tool (long timeout, onFailure block), Stop, SessionStart', () => {
    const s = claudeSettings(bin, ALL) as { hooks: Record<string, { matcher?: string; hooks: Record<string, unknown>[] }[]> };
    expect(Object.keys(s.hooks).sort()).toEqual(['PermissionRequest', 'SessionStart', 'Stop']);
    const pr = s.hooks.PermissionRequest[0];
    expect(pr.matcher).toBe('*');
    expect(pr.hooks[0]).toEqual({ type: 'command', command: `/usr/bin/node '/opt/my conductor/dist/hook.js' claude PermissionRequest`, timeout: 86_400, onFailure: 'block' });
    expect(s.hooks.Stop[0].hooks[0].command).toBe(`/usr/bin/node '/opt/my conductor/dist/hook.js' claude Stop`);
    const installed = claudeHooks.install({ ...bin, session: 'a#1', workspace: '/w', env: {} }, ALL)!;
    expect(installed.args[0]).toBe('--settings');
    expect(JSON.parse(installed.args[1])).toEqual(s);
    expect(Object.keys((claudeSettings(bin, { approvals: false, turnEnd: true, sessionStart: false }) as { hooks: object }).hooks)).toEqual(['Stop']);
  });
});

describe('codex hooks', () => {
  test('PermissionRequest is an approval with the exact command; SessionStart the id; Stop the end of the turn', () => {
    expect(codexHooks.read('PermissionRequest', sample('codex', 'PermissionRequest'))).toEqual({ kind: 'approval', tool: 'Bash', command: 'touch pr-allow-1 # sleep3-PermissionRequest' });
    expect(codexHooks.read('SessionStart', sample('codex', 'SessionStart-startup'))).toMatchObject({ kind: 'events', events: [{ type: 'session', id: expect.stringMatching(/^[0-9a-f-]{36}$/) }, { type: 'transcript' }] });
    expect(codexHooks.read('Stop', sample('codex', 'Stop'))).toMatchObject({ kind: 'events', events: [{ type: 'turn-ended', message: expect.any(String) }] });
    expect(codexHooks.read('Interrupt', sample('codex', 'Interrupt'))).toEqual({ kind: 'events', events: [] });
    // PreToolUse cannot allow in Codex: it is not an approval channel.
    expect(codexHooks.approvalEvents).toEqual(['PermissionRequest']);
  });

  test('replies carry only behavior and message (the reserved fields fail closed)', () => {
    expect(JSON.parse(codexHooks.reply('PermissionRequest', 'always'))).toEqual({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
    const deny = JSON.parse(codexHooks.reply('PermissionRequest', undefined, 'ENOENT'));
    expect(Object.keys(deny.hookSpecificOutput.decision).sort()).toEqual(['behavior', 'message']);
    expect(deny.hookSpecificOutput.decision.behavior).toBe('deny');
    expect(codexHooks.reply('Stop', undefined)).toBe('');
  });

  test('-c overrides are TOML inline tables, with --dangerously-bypass-hook-trust', () => {
    const args = codexArgs(bin, ALL);
    expect(args[0]).toBe('--dangerously-bypass-hook-trust');
    expect(args.filter((a) => a === '-c')).toHaveLength(3);
    expect(args[2]).toBe(`hooks.PermissionRequest=[{hooks=[{type="command",command="/usr/bin/node '/opt/my conductor/dist/hook.js' codex PermissionRequest",timeout=86400}]}]`);
    expect(args[4]).toMatch(/^hooks\.Stop=\[\{hooks=\[\{type="command",command=".* codex Stop",timeout=30\}\]\}\]$/);
    expect(args[6]).toMatch(/^hooks\.SessionStart=/);
  });
});

describe('gemini hooks', () => {
  test('nothing Gemini hooks can say is an approval; AfterAgent ends the turn; SessionStart gives the id', () => {
    expect(geminiHooks.approvalEvents).toEqual([]);
    expect(geminiHooks.read('AfterAgent', sample('gemini', 'AfterAgent'))).toEqual({ kind: 'events', events: [{ type: 'turn-ended', message: 'Done: the command ran.' }] });
    expect(geminiHooks.read('SessionStart', sample('gemini', 'SessionStart-startup'))).toMatchObject({ kind: 'events', events: [{ type: 'session', id: expect.any(String) }, { type: 'transcript' }] });
    expect(geminiHooks.read('BeforeTool', sample('gemini', 'BeforeTool'))).toEqual({ kind: 'events', events: [] });
    expect(geminiHooks.reply('AfterAgent', 'deny')).toBe('');
  });

  test('system settings: the machine’s own kept, hooks appended, session retention off', () => {
    const base = { hooks: { AfterAgent: [{ hooks: [{ name: 'theirs', type: 'command', command: 'x' }] }] }, general: { vimMode: true }, security: { auth: { enforcedType: 'x' } } };
    const s = geminiSettings(base, bin, { turnEnd: true, sessionStart: true }) as Record<string, any>;
    expect(s.security).toEqual(base.security);
    expect(s.general).toEqual({ vimMode: true, sessionRetention: { enabled: false } });
    expect(s.hooks.AfterAgent).toHaveLength(2);
    expect(s.hooks.AfterAgent[0].hooks[0].name).toBe('theirs');
    expect(s.hooks.AfterAgent[1].hooks[0]).toEqual({ name: 'conductor-AfterAgent', type: 'command', command: `/usr/bin/node '/opt/my conductor/dist/hook.js' gemini AfterAgent`, timeout: 30_000 });
    expect(s.hooks.SessionStart[0].hooks[0].command).toMatch(/ gemini SessionStart$/);
  });

  test('the settings file goes under the user cache, never /tmp, and only where Gemini would trust it', () => {
    expect(settingsRoot({ XDG_CACHE_HOME: '/home/u/.cache' })).toBe('/home/u/.cache/conductor/gemini-hooks');
    expect(geminiTrusts(mkdtempSync(join(tmpdir(), 'g-')))).toBe(false); // /tmp is world-writable
    expect(geminiTrusts('/no/such/file')).toBe(false);
  });

  test('installed as root: a 0600 file in a 0700 folder the env points at, removed on cleanup', () => {
    if (process.getuid?.() !== 0) return;
    const cache = mkdtempSync(join(process.env.HOME ?? '/root', '.conductor-test-'));
    try {
      const installed = geminiHooks.install({ ...bin, session: 's', workspace: '/w', env: { XDG_CACHE_HOME: cache } }, ALL);
      // A cache under a folder Gemini trusts (root-owned, not group/other-writable) works; elsewhere nothing is installed.
      if (!geminiTrusts(cache)) {
        expect(installed).toBeUndefined();
        return;
      }
      const file = installed!.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH;
      expect(file.startsWith(join(cache, 'conductor/gemini-hooks/'))).toBe(true);
      expect(installed!.env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH).toBe('/etc/gemini-cli/system-defaults.json');
      expect(JSON.parse(readFileSync(file, 'utf8')).general.sessionRetention.enabled).toBe(false);
      expect(geminiTrusts(file)).toBe(true);
      installed!.cleanup!();
      expect(() => readFileSync(file)).toThrow();
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

test('hook command lines are shell-quoted', () => {
  expect(shellQuote('/a/b.js')).toBe('/a/b.js');
  expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
  expect(hookCommand({ node: '/n', bin: '/b c' }, 'codex', 'Stop')).toBe(`/n '/b c' codex Stop`);
});
