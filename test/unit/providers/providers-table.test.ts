// `conductor providers`: rows and the table from fake probe results, and check outcomes in plain words.
import { describe, expect, it } from 'vitest';
import { builtinProviders } from '../../../src/adapters/providers';
import type { ProbeResult } from '../../../src/adapters/providers/probe';
import { describeCheck } from '../../../src/cli/providers';
import { providerRow, renderProvidersTable } from '../../../src/cli/providers-table';
import type { ProviderDef } from '../../../src/core/types';

const probe = (over: Partial<ProbeResult> = {}): ProbeResult => ({
  name: 'x',
  installed: true,
  path: '/usr/local/bin/x',
  version: '1.0.0',
  capabilities: [],
  flags: [],
  words: [],
  helpRead: true,
  tookMs: 5,
  ...over,
});

const { claude, codex, sim, shell } = builtinProviders;
const withHooks: ProviderDef = { ...claude, name: 'claude-hooked', session: undefined };
const screenOnly: ProviderDef = { ...claude, name: 'claude-screen', hooks: undefined, session: undefined, done: { via: 'idle' } };

describe('providerRow', () => {
  it('a CLI that is not installed says how to install it', () => {
    const row = providerRow(claude, probe({ installed: false, path: undefined, version: undefined, helpRead: false, error: 'claude not found' }), 'built-in', 'npm i -g @anthropic-ai/claude-code');
    expect(row).toMatchObject({ name: 'claude', installed: false, path: null, version: null });
    expect(row.missing[0]).toBe('not installed: install with `npm i -g @anthropic-ai/claude-code`');
  });

  it('a configured CLI without a known install command names the missing executable', () => {
    const def: ProviderDef = { ...claude, name: 'mine', command: 'mycli' };
    expect(providerRow(def, probe({ installed: false, helpRead: false }), 'configured').missing[0]).toBe('not installed: `mycli` is not on PATH');
  });

  it('channels come from the preset and --help: hooks, resume flag, session id flag, JSON output', () => {
    const row = providerRow(withHooks, probe({ flags: ['--resume', '--output-format'], capabilities: ['json', 'resume'] }), 'built-in, configured');
    expect(row.channels).toEqual({ approvals: { hook: true, screen: true, asks: true }, turnEnd: 'hook', resume: true, sessionId: 'hook', json: true });
    expect(row.missing).toEqual([]);
    // A flag that sets the id beats the hook that reports it.
    expect(providerRow(claude, probe({ flags: ['--resume', '--session-id'] }), 'built-in').channels.sessionId).toBe('flag');
    expect(row.missing).toEqual([]);
  });

  it('a resume flag the installed version lacks is reported as missing', () => {
    const row = providerRow(screenOnly, probe({ flags: ['--model'] }), 'built-in');
    expect(row.channels.resume).toBe(false);
    expect(row.missing).toContain('no resume flag in this version: its --help does not list `--resume`');
    expect(row.missing).toContain('no turn-end signal: no hook and no `done.pattern`, so a session ends only when the CLI exits');
  });

  it('a subcommand resume (codex resume --last) is found among the words of --help', () => {
    expect(providerRow(codex, probe({ words: ['resume', 'exec'] }), 'built-in').channels.resume).toBe(true);
    expect(providerRow(codex, probe({ words: ['exec'] }), 'built-in').channels.resume).toBe(false);
  });

  it('a session id flag missing from --help is reported', () => {
    const def: ProviderDef = { ...screenOnly, session: { args: ['--session-id', '{agentSession}'] } };
    const row = providerRow(def, probe({ flags: ['--continue'] }), 'built-in');
    expect(row.channels.sessionId).toBeNull();
    expect(row.missing).toContain('no session id flag in this version: its --help does not list `--session-id`');
  });

  it('without --help the preset is taken at its word, and JSON is unknown', () => {
    const row = providerRow(claude, probe({ helpRead: false, helpError: '`claude --help` gave no answer within 10s, so its flags are unknown (try --timeout 30s)' }), 'built-in');
    expect(row.channels).toMatchObject({ resume: true, json: null });
    expect(row.missing).toContain('`claude --help` gave no answer within 10s, so its flags are unknown (try --timeout 30s)');
  });

  it('sim and shell end by exiting; shell never asks', () => {
    expect(providerRow(sim, probe({ helpRead: false }), 'built-in').channels).toMatchObject({ turnEnd: 'exit', approvals: { screen: true } });
    const sh = providerRow(shell, probe(), 'built-in');
    expect(sh.channels.approvals.asks).toBe(false);
    expect(sh.missing).toEqual([]);
  });
});

describe('renderProvidersTable', () => {
  it('one aligned row per provider, then what each is missing', () => {
    const rows = [
      providerRow(sim, probe({ path: '/repo/dist/sim-agent.js', helpRead: false }), 'built-in'),
      providerRow(screenOnly, probe({ installed: false, path: undefined, version: undefined, helpRead: false }), 'built-in', 'npm i -g @anthropic-ai/claude-code'),
      providerRow({ ...claude, name: 'claude-fast' }, probe({ version: '2.1.330', flags: ['--resume', '--session-id'], capabilities: ['json'] }), 'configured'),
    ];
    const lines = renderProvidersTable(rows).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'provider       from        installed  version  approvals    turn end  resume  session id  json  path',
      'sim            built-in    yes        1.0.0    screen       exit      no      —           ?     /repo/dist/sim-agent.js',
      'claude-screen  built-in    no         —        screen       none      yes     —           ?     —',
      'claude-fast    configured  yes        2.1.330  hook+screen  hook      yes     flag        yes   /usr/local/bin/x',
    ]);
    expect(lines).toContain('missing:');
    expect(lines).toContain('  claude-screen: not installed: install with `npm i -g @anthropic-ai/claude-code`');
    expect(lines.some((l) => l.startsWith('  claude-fast:'))).toBe(false);
  });
});

describe('describeCheck', () => {
  const base = { lastLines: ['line one', 'line two'], tookMs: 2100, command: 'claude', args: [] };
  it.each([
    [{ kind: 'ready', how: 'prompt' }, true, 'claude is ready: its input prompt is on screen (after 2.1s).'],
    [{ kind: 'dialog', dialog: { kind: 'trust', text: 'trust the folder /tmp/x?' }, known: true }, false, 'claude shows a trust dialog ("trust the folder /tmp/x?") (after 2.1s): in a run, conductor asks you (or the approval policy) to answer it.'],
    [{ kind: 'failure', reason: 'not logged in (its screen asks you to sign in or give an API key)', known: false }, false, 'claude cannot work yet: not logged in (its screen asks you to sign in or give an API key) (after 2.1s).'],
    [{ kind: 'exited', exitCode: 1, reason: 'cannot reach its service (offline, or a proxy or base URL is wrong)' }, false, 'claude exited with code 1 after 2.1s: cannot reach its service (offline, or a proxy or base URL is wrong).'],
    [{ kind: 'not-installed', command: 'claude' }, false, 'claude is not installed: `claude` is not on PATH; install with `npm i -g @anthropic-ai/claude-code`.'],
    [{ kind: 'timeout', timeoutMs: 45_000 }, false, 'claude showed no ready state within 45s.'],
  ] as const)('%j', (outcome, ready, first) => {
    const d = describeCheck('claude', { ...base, outcome } as Parameters<typeof describeCheck>[1]);
    expect(d.ready).toBe(ready);
    expect(d.text.split('\n')[0]).toBe(first);
    if (!ready && outcome.kind !== 'not-installed') expect(d.text).toContain('\nlast lines on its screen:\n  │ line one\n  │ line two');
  });
});
