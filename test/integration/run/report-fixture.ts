// A scenario execution on disk for `conductor report`: the synthetic two-provider log (test/unit/report/scenario-log)
// written as trace/<exec>/events.jsonl in a project folder, with real recordings (test/fixtures/casts/real) as the
// trials' .cast files, and optionally a re-evaluation in trace/<exec>/evaluations/.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Evaluation } from '../../../src/core/stats';
import { runPaths } from '../../../src/runtime/recorder';
import { EXEC, scenarioLog, type TrialPlan } from '../../unit/report/scenario-log';
import { conductor, REPO } from './helpers';

/** The built CLI, its output as strings. */
export async function cli(cwd: string, args: string[]) {
  const r = await conductor(cwd, args);
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), all: String(r.all) };
}

export { EXEC };

export const TRIALS: TrialPlan[] = [
  { provider: 'sim', index: 1, outcome: { judged: ['passed', 'passed', 'passed'] } },
  { provider: 'sim', index: 2, outcome: { judged: ['passed', 'failed', 'passed'] } },
  { provider: 'sim', index: 3, outcome: { error: true } },
  { provider: 'claude', index: 1, outcome: { judged: ['passed', 'passed', 'unknown'] } },
  { provider: 'claude', index: 2, outcome: { judged: ['failed', 'failed', 'passed'] } },
];

const CASTS = ['claude-allow.cast', 'codex-allow.cast', 'gemini-deny.cast', 'claude-deny.cast', 'codex-deny.cast'];

/** Writes the execution under `cwd`'s proof/ and trace/; returns how many recordings were written. */
export function writeScenarioExecution(cwd: string, o: { evaluation?: boolean; finish?: boolean } = {}): number {
  const b = scenarioLog(TRIALS, { finish: o.finish });
  const paths = runPaths({ proof: join(cwd, 'proof'), trace: join(cwd, 'trace') }, EXEC);
  mkdirSync(paths.traceDir, { recursive: true });
  writeFileSync(paths.events, b.log.map((e) => JSON.stringify(e)).join('\n') + '\n');
  let casts = 0;
  b.s.order.forEach((id, i) => {
    const s = b.s.sessions[b.s.units[id].sessions[0]];
    if (!s) return;
    const cast = paths.sessionFiles(id, s.agent, s.attempt).cast;
    mkdirSync(dirname(cast), { recursive: true });
    copyFileSync(join(REPO, 'test/fixtures/casts/real', CASTS[i % CASTS.length]), cast);
    casts++;
  });
  if (o.evaluation) {
    const evaluation: Evaluation = {
      n: 1,
      at: Date.parse('2026-12-02T09:30:00Z'),
      scenario: { file: 'plans/greeting.scenario.yaml', changed: true },
      threshold: 0.5,
      passScore: 1,
      units: { 'sim-2': { status: 'passed', score: 1, assertions: [{ name: 'exitCode 0', kind: 'exitCode', passed: true, status: 'passed', required: true, weight: 1 }] } },
    };
    mkdirSync(paths.evaluationsDir, { recursive: true });
    writeFileSync(join(paths.evaluationsDir, 'eval-1.json'), JSON.stringify(evaluation));
  }
  return casts;
}
