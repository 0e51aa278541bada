// Placeholder substitution for provider argument templates.
import { describe, expect, test } from 'vitest';
import { builtinProviders, resolveArgv } from '../../../src/adapters/providers';
import type { ProviderDef } from '../../../src/core/types';

const base = { workspace: '/w', simPath: '/pkg/dist/sim-agent.js', nodePath: '/usr/bin/node' };

describe('resolveArgv', () => {
  test('sim: full template', () => {
    const r = resolveArgv(builtinProviders.sim, { ...base, promptFile: '/t/p.md', script: '/t/s.json', seed: 3, agent: 'builder' });
    expect(r.command).toBe('/usr/bin/node');
    expect(r.args).toEqual(['/pkg/dist/sim-agent.js', '--prompt-file', '/t/p.md', '--script', '/t/s.json', '--seed', '3', '--name', 'builder']);
  });

  test('sim: absent values drop their flag', () => {
    const r = resolveArgv(builtinProviders.sim, { ...base, promptFile: '/t/p.md' });
    expect(r.args).toEqual(['/pkg/dist/sim-agent.js', '--prompt-file', '/t/p.md']);
  });

  test('a prompt with spaces, quotes and newlines stays one argument', () => {
    const prompt = 'Fix "the" bug;\nthen $(rm -rf /) `x`';
    const r = resolveArgv(builtinProviders.claude, { ...base, prompt });
    expect(r.command).toBe('claude');
    expect(r.args).toEqual(['--permission-mode', 'default', prompt]);
    expect(resolveArgv(builtinProviders.gemini, { ...base, prompt }).args).toEqual(['--prompt-interactive', prompt]);
  });

  test('shell runs the task through sh -c', () => {
    const r = resolveArgv(builtinProviders.shell, { ...base, task: 'npm test && echo ok' });
    expect(r).toEqual({ command: '/bin/sh', args: ['-c', 'npm test && echo ok'], env: {} });
  });

  test('placeholders inside args and env; unknown ones stay literal', () => {
    const def: ProviderDef = {
      ...builtinProviders.shell,
      command: 'agent',
      args: ['--cwd={workspace}', '--model', '{model}', '{unknown}', '--x', '{seed}'],
      env: { AGENT_HOME: '{workspace}/.agent' },
    };
    const r = resolveArgv(def, { ...base, model: 'm1', seed: 0 });
    expect(r.args).toEqual(['--cwd=/w', '--model', 'm1', '{unknown}', '--x', '0']);
    expect(r.env).toEqual({ AGENT_HOME: '/w/.agent' });
  });
});
