// Session prompts: snapshot of a backend step with two dependencies, and of a first step with none.
import { describe, expect, it } from 'vitest';
import { buildPrompt } from '../../../src/core/prompt';
import { BUILTIN_ROLES } from '../../../src/core/roles';

describe('buildPrompt', () => {
  it('backend step with two dependencies', () => {
    const prompt = buildPrompt({
      goal: 'Add a greeting module with tests to a tiny Node project',
      execId: 'exec-20250101-abcd',
      role: { ...BUILTIN_ROLES.backend, output_contract: { ...BUILTIN_ROLES.backend.output_contract, artifacts: ['CHANGES.md'] } },
      step: {
        id: 'api',
        task: 'Implement src/greet.js exporting greet(name).',
        expectedOutputs: ['src/greet.js', 'build/greeting.txt'],
        checks: [{ run: 'node -e "require(\'./src/greet\')"', name: 'module loads' }],
      },
      priorContext: [
        { stepId: 'plan', agent: 'reviewer', status: 'completed', summary: 'Wrote NOTES.md with three items', outputs: ['NOTES.md'], transcript: 'proof/exec-20250101-abcd/step-plan-reviewer.md' },
        { stepId: 'schema', agent: 'backend', status: 'completed', summary: 'Added the schema\nAll checks passed', outputs: [] },
      ],
      transcriptPath: 'proof/exec-20250101-abcd/step-api-backend.md',
    });
    expect(prompt).toContain('## Dependencies and prior context');
    expect(prompt).toMatchSnapshot();
  });

  it('step with no dependencies', () => {
    const prompt = buildPrompt({
      goal: 'Write notes',
      execId: 'exec-1',
      role: BUILTIN_ROLES.reviewer,
      step: { id: 'plan', task: 'Write NOTES.md.', expectedOutputs: ['NOTES.md'], checks: [] },
      priorContext: [],
      transcriptPath: 'proof/exec-1/step-plan-reviewer.md',
    });
    expect(prompt).toContain('This step depends on no earlier steps.');
    expect(prompt).toMatchSnapshot();
  });
});
