// The session prompt given to an agent: role + task + prior context + required artifacts, as Markdown.
import type { Check, Role } from './types';

export interface PriorStep {
  stepId: string;
  agent: string;
  status: string;
  summary?: string;
  outputs: string[];
  transcript?: string;
}

export interface PromptInput {
  goal: string;
  execId: string;
  role: Role;
  step: { id: string; task: string; expectedOutputs: string[]; checks: Check[] };
  priorContext: PriorStep[];
  transcriptPath: string;
}

const bullets = (items: string[], empty = '- (none)') => (items.length ? items.map((i) => `- ${i}`).join('\n') : empty);

export function buildPrompt(input: PromptInput): string {
  const { goal, execId, role, step, priorContext, transcriptPath } = input;
  const artifacts = [...new Set([...step.expectedOutputs, ...role.output_contract.artifacts])];
  const sections: [string, string][] = [
    ['Context', [`- Goal: ${goal}`, `- Execution: ${execId}`, `- Step: ${step.id}`, `- Transcript: ${transcriptPath}`].join('\n')],
    ['Role', `You are the **${role.name}** agent. ${role.purpose}`],
    ['Task', step.task.trim()],
    ['Scope', bullets(role.scope)],
    ['Boundaries', bullets(role.boundaries)],
    ['Done definition', bullets([...role.done_definition, ...step.checks.map((c) => `\`${c.run}\` passes${c.name ? ` (${c.name})` : ''}`)])],
    [
      'Hard rules',
      bullets([
        'Work only inside the current working directory (the workspace); never read or write files outside it.',
        'Do not touch files outside your scope unless the task names them.',
        artifacts.length ? 'Produce every file listed under Required artifacts, at exactly those paths.' : 'Keep changes to what the task needs.',
        'Ask before running commands with side effects; never print secrets.',
        'When finished, end with the closure block below.',
      ]),
    ],
    ['Refusal rules', bullets(role.refusal_rules)],
    [
      'Dependencies and prior context',
      priorContext.length
        ? priorContext
            .map((p) =>
              [
                `- Step ${p.stepId} (${p.agent}): ${p.status}`,
                ...(p.summary ? [`  - Summary: ${p.summary.trim().split('\n').join('\n    ')}`] : []),
                ...(p.outputs.length ? [`  - Outputs: ${p.outputs.join(', ')}`] : []),
                ...(p.transcript ? [`  - Transcript: ${p.transcript}`] : []),
              ].join('\n'),
            )
            .join('\n')
        : 'This step depends on no earlier steps.',
    ],
    ['Required artifacts', bullets(artifacts, '- (no files required; report your result in the summary)')],
    [
      'Closure',
      ['When the work is finished, print exactly:', '', '```', 'DONE', 'Summary: <one or two lines on what you did>', 'Artifacts: <the files you produced, comma separated>', '```', '', 'If you cannot finish, print `FAILED: <reason>` instead.'].join('\n'),
    ],
  ];
  return `${sections.map(([title, body]) => `## ${title}\n\n${body}`).join('\n\n')}\n`;
}
