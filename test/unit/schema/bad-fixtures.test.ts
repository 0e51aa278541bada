// Every malformed fixture yields one exact first diagnostic: position, field path and message.
// `*.conductor.yaml` fixtures are project configs (providers), the rest plans and scenarios.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isConfigFileName, loadConfigFile } from '../../../src/adapters/input/config';
import { loadInputFile } from '../../../src/adapters/input/load-input';
import { formatDiagnostic } from '../../../src/core/load/index';

const dir = fileURLToPath(new URL('../../fixtures/bad/', import.meta.url));

const EXPECTED: [string, string][] = [
  ['absolute-output.plan.yaml', 'absolute-output.plan.yaml:5:23: error: steps[0].expectedOutputs[0]: found absolute path "/tmp/out.txt", expected a path relative to the project'],
  ['assertion-bad-regex.scenario.yaml', 'assertion-bad-regex.scenario.yaml:3:24: error: assertions[0].transcriptMatches: found an invalid regular expression "([unclosed" (Invalid regular expression: /([unclosed/: Unterminated character class)'],
  ['assertion-bad-value.scenario.yaml', 'assertion-bad-value.scenario.yaml:4:22: error: assertions[1].approvalsAtMost: found "many", expected a number of approvals (a whole number, 0 or more)'],
  ['assertion-two-kinds.scenario.yaml', 'assertion-two-kinds.scenario.yaml:4:17: error: assertions[0].fileExists: found `exitCode` and `fileExists` in one assertion, expected one kind per list item'],
  ['bad-approval-mode.plan.yaml', 'bad-approval-mode.plan.yaml:2:11: error: approval: found "alow", expected one of ask, allow, deny; did you mean `allow`?'],
  ['bad-assertion.scenario.yaml', 'bad-assertion.scenario.yaml:3:16: error: assertions[0].fileExist: found `fileExist`, expected one of exitCode, fileExists, fileContains, commandPasses, transcriptMatches, ranCommand, approvalsAtMost, durationAtMost, costAtMost; did you mean `fileExists`?'],
  ['bad-check.plan.yaml', 'bad-check.plan.yaml:7:9: error: steps[0].checks[0]: unknown key `timout`; did you mean `timeout`?'],
  ['bad-concurrency.plan.yaml', 'bad-concurrency.plan.yaml:2:14: error: concurrency: found number 0, expected how many steps may run at once (a whole number of at least 1)'],
  ['bad-duration.plan.yaml', 'bad-duration.plan.yaml:5:14: error: steps[0].timeout: found "10 minutes", expected a duration like `500ms`, `90s`, `10m`, `1h` or a number of seconds'],
  ['bad-glob-type.plan.yaml', 'bad-glob-type.plan.yaml:3:18: error: approval.allow[1]: found number 42, expected a command glob (a string like "npm *")'],
  ['bad-sim-action.plan.yaml', 'bad-sim-action.plan.yaml:7:9: error: steps[0].sim[1]: found `wirte`, expected one sim action: say, think, run, write, ask, sleep, fail; did you mean `write`?'],
  ['bad-workspace.plan.yaml', 'bad-workspace.plan.yaml:3:3: error: workspace: found a mapping with `fixtur`, expected exactly one of `path`, `fixture`, `git`; did you mean `fixture`?'],
  ['cycle.plan.yaml', 'cycle.plan.yaml:5:16: error: steps[0].dependsOn: dependency cycle build → test → build (each step depends on the next), expected no cycles'],
  ['duplicate-ids.plan.yaml', 'duplicate-ids.plan.yaml:7:9: error: steps[2].id: found duplicate step id `a`, already used by steps[0] at line 3; expected unique ids'],
  ['duplicate-key.plan.yaml', 'duplicate-key.plan.yaml:2:1: error: syntax error: Map keys must be unique'],
  ['empty-steps.plan.yaml', 'empty-steps.plan.yaml:2:8: error: steps: found an empty list, expected at least one step'],
  ['empty.plan.yaml', 'empty.plan.yaml:1:1: error: found an empty file, expected a mapping'],
  ['missing-goal.plan.yaml', 'missing-goal.plan.yaml:1:1: error: missing key `goal`, expected the goal of the plan (a string)'],
  ['missing-task.plan.yaml', 'missing-task.plan.yaml:3:5: error: steps[0]: missing key `task`, expected the step\'s instructions (a string)'],
  ['native-unknown-key.plan.json', 'native-unknown-key.plan.json:4:31: error: steps[0]: unknown key `expectedOutput`; did you mean `expectedOutputs`?'],
  ['negative-duration.plan.yaml', 'negative-duration.plan.yaml:5:14: error: steps[0].timeout: found -5, expected a duration like `500ms`, `90s`, `10m`, `1h` or a number of seconds (not negative)'],
  ['not-a-mapping.plan.yaml', 'not-a-mapping.plan.yaml:1:1: error: found a list or a value, expected a mapping with `goal` and `steps` (plan) or `task` and `assertions` (scenario)'],
  ['path-escape.plan.yaml', 'path-escape.plan.yaml:5:35: error: steps[0].expectedOutputs[1]: found "../../etc/passwd", which leaves the project root; expected a path inside it'],
  ['scenario-bad-fail-rate.scenario.yaml', 'scenario-bad-fail-rate.scenario.yaml:4:13: error: sim.failRate: found number 2, expected failRate between 0 and 1 (or a percentage like 80%)'],
  ['scenario-bad-trials.scenario.yaml', 'scenario-bad-trials.scenario.yaml:2:9: error: trials: found number 2.5, expected the number of trials (a whole number of at least 1)'],
  ['scenario-missing-task.scenario.yaml', 'scenario-missing-task.scenario.yaml:1:1: error: missing key `task`, expected the task given to the agent (a string)'],
  ['scenario-no-assertions.scenario.yaml', 'scenario-no-assertions.scenario.yaml:3:13: error: assertions: found an empty list, expected at least one assertion'],
  ['scenario-unknown-provider.scenario.yaml', 'scenario-unknown-provider.scenario.yaml:2:18: error: providers[1]: found unknown provider `gemni`, expected one of `sim`, `shell`, `claude`, `codex`, `gemini`, `copilot`, `aider`; did you mean `gemini`?'],
  ['self-dependency.plan.yaml', 'self-dependency.plan.yaml:5:17: error: steps[0].dependsOn[0]: step `a` depends on itself, expected ids of other steps'],
  ['steps-not-list.plan.yaml', 'steps-not-list.plan.yaml:3:3: error: steps: found a mapping, expected a list of steps'],
  ['swarm-bad-dependency.json', 'swarm-bad-dependency.json:6:77: error: steps[1].dependencies[0]: found unknown step `3`, expected one of `1`'],
  ['swarm-bad-step-number.json', 'swarm-bad-step-number.json:4:21: error: steps[0].stepNumber: found "one", expected a step number (a whole number)'],
  ['swarm-garbage-key.json', 'swarm-garbage-key.json:4:61: error: steps[0]: unknown key `dependecies`; did you mean `dependencies`?'],
  ['swarm-missing-task.json', 'swarm-missing-task.json:4:5: error: steps[0]: missing key `task`, expected the step\'s instructions (a string)'],
  ['syntax-bad-indent.plan.yaml', 'syntax-bad-indent.plan.yaml:5:1: error: syntax error: Sequence item without - indicator'],
  ['syntax-error.plan.json', "syntax-error.plan.json:5:3: error: syntax error: Unexpected token ']' (a .json file must be strict JSON: no trailing commas, comments or single quotes)"],
  ['syntax-error.plan.yaml', 'syntax-error.plan.yaml:4:11: error: syntax error: Missing closing "quote'],
  ['threshold-too-high.scenario.yaml', 'threshold-too-high.scenario.yaml:2:12: error: threshold: found number 1.5, expected the pass rate required between 0 and 1 (or a percentage like 80%)'],
  ['unknown-depends-on.plan.yaml', 'unknown-depends-on.plan.yaml:7:17: error: steps[1].dependsOn[0]: found unknown step `biuld`, expected one of `build`; did you mean `build`?'],
  ['unknown-key-near-miss.plan.yaml', 'unknown-key-near-miss.plan.yaml:7:5: error: steps[1]: unknown key `dependson`; did you mean `dependsOn`?'],
  ['unknown-kind.yaml', 'unknown-kind.yaml:1:1: error: cannot tell whether this is a plan or a scenario: name it *.plan.yaml or *.scenario.yaml, or give it `steps` (plan) or `assertions` (scenario)'],
  ['unknown-plan-provider.plan.yaml', 'unknown-plan-provider.plan.yaml:2:11: error: provider: found unknown provider `openai`, expected one of `sim`, `shell`, `claude`, `codex`, `gemini`, `copilot`, `aider`'],
  ['unknown-provider.plan.yaml', 'unknown-provider.plan.yaml:4:15: error: steps[0].provider: found unknown provider `claud`, expected one of `sim`, `shell`, `claude`, `codex`, `gemini`, `copilot`, `aider`; did you mean `claude`?'],
  ['unknown-role.plan.yaml', 'unknown-role.plan.yaml:4:12: error: steps[0].agent: found unknown role `backnd`, expected one of `generic`, `backend`, `frontend`, `tester`, `reviewer`, `integrator`, `security` or a role declared under `roles:`; did you mean `backend`?'],
  ['unknown-top-key.plan.yaml', 'unknown-top-key.plan.yaml:2:1: error: unknown key `concurency`; did you mean `concurrency`?'],
  ['workspace-escape.plan.yaml', 'workspace-escape.plan.yaml:3:12: error: workspace.fixture: found "../../../../elsewhere", which leaves the project root; expected a folder inside it'],
  ['wrong-type-task.plan.yaml', 'wrong-type-task.plan.yaml:5:7: error: steps[0].task: found a list, expected the step\'s instructions (a string)'],
  ['bad-role-field.plan.yaml', 'bad-role-field.plan.yaml:5:5: error: roles.scribe: unknown key `boundries`; did you mean `boundaries`?'],
  ['assertion-bad-duration.scenario.yaml', 'assertion-bad-duration.scenario.yaml:3:21: error: assertions[0].durationAtMost: found "a while", expected a duration like `500ms`, `90s`, `10m`, `1h` or a number of seconds'],
  ['file-contains-no-text.scenario.yaml', 'file-contains-no-text.scenario.yaml:3:19: error: assertions[0].fileContains: found only `path`, expected exactly one of `text` or `regex` next to `path`'],
  ['scenario-unknown-agent.scenario.yaml', 'scenario-unknown-agent.scenario.yaml:2:8: error: agent: found unknown role `testr`, expected one of `generic`, `backend`, `frontend`, `tester`, `reviewer`, `integrator`, `security`; did you mean `tester`?'],
  ['bad-think-ms.plan.yaml', 'bad-think-ms.plan.yaml:7:13: error: steps[0].sim[0].ms: found "soon", expected milliseconds (a number like 400, or a duration like 400ms)'],
  ['provider-bare-duration.conductor.yaml', 'provider-bare-duration.conductor.yaml:5:17: error: providers.claude.approval.stableMs: found number 400; write `400ms` or `400s`: a bare number is ambiguous here'],
  ['provider-bare-idle.conductor.yaml', 'provider-bare-idle.conductor.yaml:6:13: error: providers.mycli.done.idle: found number 20; write `20ms` or `20s`: a bare number is ambiguous here'],
  ['provider-duration-no-unit.conductor.yaml', 'provider-duration-no-unit.conductor.yaml:5:15: error: providers.claude-slow.done.idleMs: found "30"; write `30ms` or `30s`: a bare number is ambiguous here'],
  ['provider-extends-cycle.conductor.yaml', 'provider-extends-cycle.conductor.yaml:5:14: error: providers.faster.extends: found an `extends` cycle fast → faster → fast, expected each provider to build on one that does not lead back to it'],
  ['provider-missing-command.conductor.yaml', 'provider-missing-command.conductor.yaml:3:5: error: providers.mycli: missing key `command`, expected the executable to start (a string), or `extends: NAME` to build on another provider'],
  ['provider-misspelled-key.conductor.yaml', 'provider-misspelled-key.conductor.yaml:5:5: error: providers.claude: unknown key `aproval`; did you mean `approval`?'],
  ['provider-unknown-extends.conductor.yaml', 'provider-unknown-extends.conductor.yaml:3:14: error: providers.claude-fast.extends: found unknown provider `claud`, expected one of `sim`, `shell`, `claude`, `codex`, `gemini`, `copilot`, `aider`; did you mean `claude`?'],
  ['wrong-type-scenario.scenario.json', 'wrong-type-scenario.scenario.json:3:13: error: trials: found "five", expected the number of trials (a whole number of at least 1)'],
];

describe('bad fixtures', () => {
  it('covers every fixture in test/fixtures/bad', () => {
    expect(readdirSync(dir).sort()).toEqual(EXPECTED.map(([f]) => f).sort());
  });

  it.each(EXPECTED)('%s', async (file, expected) => {
    const r = isConfigFileName(file) ? await loadConfigFile(file, dir) : await loadInputFile(file, { cwd: dir });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatDiagnostic(r.diagnostics[0])).toBe(expected);
  });
});
