// Config: conductor.yaml parsing, provider defaults, user settings through conf, and merge precedence.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectConfig, loadUserSettings, openUserSettings, resolveConfig, userSettingsPath } from '../../../src/adapters/input/config';
import { formatDiagnostic, parseConfigText } from '../../../src/core/load/index';
import { DEFAULT_CONFIG, mergeConfig } from '../../../src/core/schema/config';
import { builtinProviders } from '../../../src/adapters/providers';
import { claude } from '../../../src/adapters/providers/claude';
import { sim } from '../../../src/adapters/providers/sim';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
const parse = (text: string) => parseConfigText(text, 'conductor.yaml', builtinProviders);
const firstError = (text: string): string => {
  const r = parse(text);
  if (r.ok) throw new Error('expected an error');
  return formatDiagnostic(r.diagnostics[0]);
};
const providersOf = (text: string) => {
  const r = parse(text);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  return r.value.providers ?? {};
};

describe('recording limits', () => {
  it('recording.maxCastMB is read from conductor.yaml, 100 by default, and must be a whole number ≥ 1', () => {
    expect(mergeConfig({}).recording).toEqual({ maxCastMB: 100 });
    const r = parse(yaml('recording:', '  maxCastMB: 5'));
    expect(r.ok && mergeConfig({ project: r.value }).recording).toEqual({ maxCastMB: 5 });
    expect(firstError(yaml('recording:', '  maxCastMB: 0'))).toMatch(/^conductor\.yaml:2:\d+: error: .*the most MB of output one \.cast recording keeps \(a whole number of at least 1\)/);
  });
});

describe('mergeConfig', () => {
  it('uses defaults when nothing is set', () => {
    expect(mergeConfig({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ provider: 'sim', concurrency: 1, theme: 'dark', bell: true, output: { proof: 'proof', trace: 'trace' } });
  });

  it('takes flags over project over user over defaults', () => {
    const user = { defaultProvider: 'codex', theme: 'light' as const, bell: false, keymap: { quit: ['q'], help: ['?'] } };
    const project = { provider: 'claude', theme: 'mono' as const, keymap: { quit: ['ctrl+q'] } };
    expect(mergeConfig({ user }).provider).toBe('codex');
    const both = mergeConfig({ user, project });
    expect(both).toMatchObject({ provider: 'claude', theme: 'mono', bell: false, keymap: { quit: ['ctrl+q'], help: ['?'] } });
    const all = mergeConfig({ user, project, flags: { provider: 'shell', concurrency: 4, bell: true } });
    expect(all).toMatchObject({ provider: 'shell', concurrency: 4, theme: 'mono', bell: true });
  });
});

describe('parseConfigText', () => {
  it('fills provider definitions with defaults', () => {
    const r = parseConfigText('providers:\n  mycli:\n    command: mycli\n    approval:\n      patterns: ["Allow\\\\?"]\n', 'conductor.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.providers?.mycli).toEqual({
      name: 'mycli',
      command: 'mycli',
      args: [],
      env: {},
      prompt: { via: 'arg' },
      approval: { patterns: [{ match: 'Allow\\?' }], stableMs: 300, keys: { allow: 'y', always: 'a', deny: '\u001b' } },
      done: { via: 'exit' },
      asksApproval: true,
    });
  });

  it('treats an empty file as all defaults', () => {
    expect(parseConfigText('', 'conductor.yaml')).toEqual({ ok: true, value: {}, warnings: [] });
  });

  it.each([
    ['theme: blue\n', 'conductor.yaml:1:8: error: theme: found "blue", expected one of dark, light, mono'],
    ['providers:\n  x:\n    comand: x\n', 'conductor.yaml:3:5: error: providers.x: unknown key `comand`; did you mean `command`?'],
    ['keymap:\n  quit: 3\n', 'conductor.yaml:2:9: error: keymap.quit: found number 3, expected a key or a list of keys (strings like "ctrl+c")'],
    ['bel: true\n', 'conductor.yaml:1:1: error: unknown key `bel`; did you mean `bell`?'],
  ])('reports %j', (text, expected) => {
    const r = parseConfigText(text, 'conductor.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatDiagnostic(r.diagnostics[0])).toBe(expected);
  });
});

describe('providers: an entry for a built-in name extends the preset', () => {
  it('keeps every pattern and key of claude when only env is given; env merges', () => {
    const p = providersOf(yaml('providers:', '  claude:', '    env:', '      ANTHROPIC_BASE_URL: http://127.0.0.1:8080'));
    expect(p.claude).toEqual({ ...claude, env: { ...claude.env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' } });
    expect(p.claude.approval.patterns).toEqual(claude.approval.patterns);
    expect(p.claude.approval.patterns.length).toBeGreaterThan(0);
    expect(p.claude.approval.keys).toEqual(claude.approval.keys);
    expect(p.claude.asksApproval).toBe(true);
    expect(p.claude.command).toBe('claude');
  });

  it('merges mappings key by key and replaces lists', () => {
    const p = providersOf(
      yaml('providers:', '  claude:', '    args: [--model, opus, "{prompt}"]', '    approval:', '      keys: {deny: n}', '      stable: 600ms', '    done: {idle: 30s}'),
    );
    expect(p.claude.args).toEqual(['--model', 'opus', '{prompt}']);
    expect(p.claude.approval).toEqual({ patterns: claude.approval.patterns, stableMs: 600, keys: { ...claude.approval.keys, deny: 'n' } });
    expect(p.claude.done).toEqual({ ...claude.done, idleMs: 30_000 });
    expect(p.claude.version).toEqual(claude.version);
  });

  it('a list given replaces the preset list (patterns included)', () => {
    const p = providersOf(yaml('providers:', '  claude:', '    approval:', '      patterns: ["Allow\\\\?"]'));
    expect(p.claude.approval.patterns).toEqual([{ match: 'Allow\\?' }]);
    expect(p.claude.approval.keys).toEqual(claude.approval.keys);
  });

  it('an empty entry is the preset itself', () => {
    expect(providersOf(yaml('providers:', '  claude:')).claude).toEqual(claude);
  });

  it('extends: a variant of a built-in, of a configured built-in, and of a variant', () => {
    const p = providersOf(
      yaml(
        'providers:',
        '  claude:',
        '    env: {ANTHROPIC_BASE_URL: "http://127.0.0.1:9"}',
        '  claude-fast:',
        '    extends: claude',
        '    args: [--model, haiku, "{prompt}"]',
        '  claude-fast-eu:',
        '    extends: claude-fast',
        '    env: {REGION: eu}',
        '  sim-secret:',
        '    extends: sim',
        '    env: {SECRET_THING: x}',
      ),
    );
    expect(p['claude-fast']).toEqual({ ...claude, name: 'claude-fast', args: ['--model', 'haiku', '{prompt}'], env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' } });
    expect(p['claude-fast-eu']).toMatchObject({ name: 'claude-fast-eu', command: 'claude', args: ['--model', 'haiku', '{prompt}'], env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', REGION: 'eu' } });
    expect(p['claude-fast-eu'].approval).toEqual(claude.approval);
    expect(p['sim-secret']).toEqual({ ...sim, name: 'sim-secret', env: { SECRET_THING: 'x' } });
  });

  it('the merged providers reach the resolved config next to the untouched presets', () => {
    const cfg = mergeConfig({ project: { providers: providersOf(yaml('providers:', '  claude: {env: {A: b}}')) }, presets: builtinProviders });
    expect(Object.keys(cfg.providers).sort()).toEqual(Object.keys(builtinProviders).sort());
    expect(cfg.providers.claude.approval).toEqual(claude.approval);
    expect(cfg.providers.codex).toBe(builtinProviders.codex);
  });

  it.each([
    [yaml('providers:', '  claude:', '    aproval: {stable: 1s}'), 'conductor.yaml:3:5: error: providers.claude: unknown key `aproval`; did you mean `approval`?'],
    [yaml('providers:', '  claude:', '    approval:', '      stabel: 1s'), 'conductor.yaml:4:7: error: providers.claude.approval: unknown key `stabel`; did you mean `stable`?'],
    [yaml('providers:', '  fast:', '    extends: claud'), 'conductor.yaml:3:14: error: providers.fast.extends: found unknown provider `claud`, expected one of `sim`, `shell`, `claude`, `codex`, `gemini`, `copilot`, `aider`; did you mean `claude`?'],
    [
      yaml('providers:', '  a:', '    extends: b', '  b:', '    extends: a'),
      'conductor.yaml:5:14: error: providers.b.extends: found an `extends` cycle a → b → a, expected each provider to build on one that does not lead back to it',
    ],
    [yaml('providers:', '  me:', '    extends: me'), 'conductor.yaml:3:14: error: providers.me.extends: provider `me` extends itself, expected the name of another provider'],
    [
      yaml('providers:', '  mycli:', '    args: ["{prompt}"]'),
      'conductor.yaml:3:5: error: providers.mycli: missing key `command`, expected the executable to start (a string), or `extends: NAME` to build on another provider',
    ],
    [yaml('providers:', '  x:', '    command: x', '    hooks: {approvals: true}'), "conductor.yaml:4:12: error: providers.x.hooks: missing key `protocol`, expected which CLI's hook protocol the provider speaks (claude, codex or gemini)"],
  ])('reports %j', (text, expected) => {
    expect(firstError(text)).toBe(expected);
  });

  it('extending a built-in by its own name is the preset', () => {
    expect(providersOf(yaml('providers:', '  claude:', '    extends: claude')).claude).toEqual(claude);
  });
});

describe('providers: timings need a unit', () => {
  it.each([
    ['stableMs: 400ms', { stableMs: 400 }],
    ['stable: 2s', { stableMs: 2000 }],
    ['stable: "1.5s"', { stableMs: 1500 }],
  ])('approval.%s', (line, expected) => {
    expect(providersOf(yaml('providers:', '  x:', '    command: x', '    approval:', `      ${line}`)).x.approval).toMatchObject(expected);
  });

  it.each([
    ['idleMs: 20s', 20_000],
    ['idle: 1m', 60_000],
  ])('done.%s', (line, ms) => {
    expect(providersOf(yaml('providers:', '  x:', '    command: x', '    done:', `      ${line}`)).x.done.idleMs).toBe(ms);
  });

  it.each([
    ['      stableMs: 400', 'conductor.yaml:5:17: error: providers.x.approval.stableMs: found number 400; write `400ms` or `400s`: a bare number is ambiguous here'],
    ['      stable: "2"', 'conductor.yaml:5:15: error: providers.x.approval.stable: found "2"; write `2ms` or `2s`: a bare number is ambiguous here'],
    ['      stable: soon', 'conductor.yaml:5:15: error: providers.x.approval.stable: found "soon", expected a duration with its unit, like `400ms`, `2s` or `1m`'],
    ['      stable: 1s\n      stableMs: 1000ms', 'conductor.yaml:6:17: error: providers.x.approval.stableMs: found both `stable` and `stableMs`, expected one of them (they mean the same)'],
  ])('refuses %j', (line, expected) => {
    expect(firstError(yaml('providers:', '  x:', '    command: x', '    approval:', line))).toBe(expected);
  });
});

describe('files', () => {
  let dir: string;
  let confDir: string;
  const saved = process.env.CONDUCTOR_CONFIG_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'conductor-cfg-'));
    confDir = mkdtempSync(join(tmpdir(), 'conductor-conf-'));
    process.env.CONDUCTOR_CONFIG_DIR = confDir;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(confDir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.CONDUCTOR_CONFIG_DIR;
    else process.env.CONDUCTOR_CONFIG_DIR = saved;
  });

  it('merges conductor.yaml over user settings', async () => {
    writeFileSync(join(dir, 'conductor.yaml'), 'concurrency: 3\ntheme: light\n');
    (await openUserSettings()).set({ defaultProvider: 'shell', theme: 'mono', bell: false });
    expect(await loadProjectConfig(dir)).toEqual({ ok: true, value: { concurrency: 3, theme: 'light' }, warnings: [] });
    const r = await resolveConfig({ cwd: dir, flags: { concurrency: 5 } });
    expect(r.ok && r.value).toMatchObject({ provider: 'shell', concurrency: 5, theme: 'light', bell: false });
  });

  it('names the settings file when user settings are bad', async () => {
    (await openUserSettings()).set({ theme: 'neon' });
    const r = await loadUserSettings();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0].file).toBe(join(confDir, 'config.json'));
      expect(r.diagnostics[0].message).toBe('found "neon", expected one of dark, light, mono');
    }
  });

  it('reports an unreadable settings file without throwing', async () => {
    writeFileSync(join(confDir, 'config.json'), '{ not json');
    const r = await loadUserSettings();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0].message).toMatch(/^cannot read user settings: /);
  });

  it('finds the settings file where conf keeps it, and reads nothing when there is none', async () => {
    expect(userSettingsPath()).toBe((await openUserSettings()).path);
    delete process.env.CONDUCTOR_CONFIG_DIR;
    const xdg = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = join(confDir, 'xdg');
    try {
      expect(userSettingsPath()).toBe(join(confDir, 'xdg', 'conductor-nodejs', 'config.json'));
      expect(userSettingsPath()).toBe((await openUserSettings()).path);
    } finally {
      if (xdg === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = xdg;
    }
    process.env.CONDUCTOR_CONFIG_DIR = join(confDir, 'absent');
    expect(await loadUserSettings()).toEqual({ ok: true, value: {}, warnings: [] });
  });
});
