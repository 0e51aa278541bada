// Roles: built-in set, agent-name mapping, roles files and plan-declared roles.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseInputText, parseRolesText } from '../../../src/core/load/index';
import { BUILTIN_ROLES, matchBuiltinRole } from '../../../src/core/roles';

describe('roles', () => {
  it('has the built-in roles with complete profiles', () => {
    expect(Object.keys(BUILTIN_ROLES).sort()).toEqual(['backend', 'frontend', 'generic', 'integrator', 'reviewer', 'security', 'tester']);
    for (const r of Object.values(BUILTIN_ROLES)) {
      expect(r.purpose).not.toBe('');
      expect(r.done_definition.length).toBeGreaterThan(0);
      expect(r.output_contract.transcript).toBe('proof/{exec}/step-{step}-{agent}.md');
    }
  });

  it.each([
    ['backend-agent', 'backend'],
    ['Backend Agent', 'backend'],
    ['backend', 'backend'],
    ['frontend_dev', 'frontend'],
    ['QA', 'tester'],
    ['Data Wizard', undefined],
  ])('maps %s → %s', (name, role) => {
    expect(matchBuiltinRole(name)).toBe(role);
  });

  it('loads a roles file, filling fields from the built-in role of the same name', () => {
    const text = [
      'agents:',
      '  - name: backend',
      '    purpose: Own the API.',
      '  - name: docs',
      '    purpose: Write documentation.',
      '    scope: [docs/**]',
      '    output_contract:',
      '      artifacts: [docs/index.md]',
    ].join('\n');
    const r = parseRolesText(text, 'roles.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.backend).toEqual({ ...BUILTIN_ROLES.backend, purpose: 'Own the API.' });
    expect(r.value.docs.scope).toEqual(['docs/**']);
    expect(r.value.docs.output_contract).toEqual({ transcript: 'proof/{exec}/step-{step}-{agent}.md', artifacts: ['docs/index.md'] });
    expect(r.value.docs.boundaries).toEqual(BUILTIN_ROLES.generic.boundaries);
  });

  it('reports a misspelled role field with its position', () => {
    const r = parseRolesText('agents:\n  - name: x\n    purpse: y\n', 'roles.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatDiagnostic(r.diagnostics[0])).toBe('roles.yaml:3:5: error: agents[0]: unknown key `purpse`; did you mean `purpose`?');
  });

  it('lets a plan declare and use its own roles', () => {
    const text = 'goal: g\nroles:\n  scribe:\n    purpose: Take notes.\nsteps:\n  - id: a\n    agent: scribe\n    task: t\n';
    const r = parseInputText(text, 'x.plan.yaml', { absPath: '/p/x.plan.yaml' });
    expect(r.ok).toBe(true);
    if (r.ok && r.value.kind === 'plan') {
      expect(r.value.roles.scribe.purpose).toBe('Take notes.');
      expect(r.value.roles.backend).toEqual(BUILTIN_ROLES.backend);
    }
  });
});
