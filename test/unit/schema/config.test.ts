// Config: conductor.yaml parsing, provider defaults, user settings through conf, and merge precedence.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectConfig, loadUserSettings, openUserSettings, resolveConfig, userSettingsPath } from '../../../src/adapters/input/config';
import { formatDiagnostic, parseConfigText } from '../../../src/core/load/index';
import { DEFAULT_CONFIG, mergeConfig } from '../../../src/core/schema/config';

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
