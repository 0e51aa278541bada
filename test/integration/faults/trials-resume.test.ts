// Resume runs only what is missing (issue 9, item 8): a 20-trial scenario killed with SIGKILL while some trials
// are judged and others run, then `conductor resume`: the judged trials do not run again, each unfinished trial
// runs once more, a trial whose agent was done when conductor died is only judged again (on the workspace its
// agent left), and the pass rate printed is the one the log gives. Tests run against dist/: `npm run build` first.
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConductorEvent } from '../../../src/core/events';
import { replay } from '../../../src/core/machine';
import { TERMINAL_UNIT_STATUSES } from '../../../src/core/state';
import { conductor, onlyExec, tempProject, type LoggedEvent } from '../run/helpers';
import { runAndKill, until } from '../store/helpers';

/** The log as a reader after a kill sees it: every whole line (a torn last line is what the kill cut off). */
function logOf(cwd: string, exec: string): LoggedEvent[] {
  const out: LoggedEvent[] = [];
  for (const l of readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8').split('\n')) {
    if (!l) continue;
    try {
      out.push(JSON.parse(l) as LoggedEvent);
    } catch {
      /* torn by the kill */
    }
  }
  return out;
}

const of = (events: LoggedEvent[], type: string, unit?: string) => events.filter((e) => e.type === type && (unit === undefined || e.unit === unit));

/** Each trial's state in this log, as the core's reducer replays it. */
const unitsOf = (events: LoggedEvent[]) => replay(events as unknown as ConductorEvent[])!.units;

/** Processes whose working directory or command line is inside `dir`. */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (cwd.startsWith(dir) || cmd.includes(dir)) found.push(`pid ${pid} (cwd ${relative(dir, cwd) || '.'}): ${cmd.slice(0, 160)}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

async function strays(dir: string, withinMs: number): Promise<string[]> {
  const end = Date.now() + withinMs;
  let left = processesUnder(dir);
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesUnder(dir);
  }
  return left;
}

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
};

describe('kill -9 in the middle of a 20-trial run, then resume', () => {
  const SCENARIO = 'test/fixtures/plans/trials20.scenario.yaml';
  let cwd = '';
  let exec = '';
  let atKill: LoggedEvent[] = [];
  let after: LoggedEvent[] = [];
  let resumed: Awaited<ReturnType<typeof conductor>>;

  beforeAll(async () => {
    cwd = tempProject();
    exec = await runAndKill(cwd, SCENARIO, (events) => {
      const finished = new Set(of(events, 'trial.finished').map((e) => e.unit));
      const running = of(events, 'trial.started').filter((e) => !finished.has(e.unit as string));
      return finished.size >= 5 && running.length >= 1;
    });
    atKill = logOf(cwd, exec);
    resumed = await conductor(cwd, ['resume', exec], { timeout: 120_000 });
    after = logOf(cwd, exec);
  }, 150_000);

  it('resumes to the end and exits as the threshold says', () => {
    const story = `resume of ${exec} in ${cwd}:\n${String(resumed.all)}`;
    expect(of(after, 'execution.resumed').length, story).toBe(1);
    expect(of(after, 'execution.finished').length, story).toBe(1);
    const units = unitsOf(after);
    for (const [id, u] of Object.entries(units)) expect(TERMINAL_UNIT_STATUSES, `${id} is ${u.status} after the resume\n${story}`).toContain(u.status);
    const summary = of(after, 'execution.finished')[0];
    expect(resumed.exitCode, story).toBe(summary.status === 'passed' ? 0 : 1);
  }, 150_000);

  it('runs exactly the trials that were missing at the kill', () => {
    const before = unitsOf(atKill);
    const ids = Object.keys(before);
    expect(ids.length).toBe(20);
    const finished = ids.filter((id) => TERMINAL_UNIT_STATUSES.includes(before[id].status));
    // Cut off in its checks: the agent ended by itself (a good exit, or one its assertions judge) and judging began.
    const judging = ids.filter((id) => before[id].status === 'running' && before[id].phase === 'checks');
    const unfinished = ids.filter((id) => !finished.includes(id));
    const rerun = unfinished.filter((id) => !judging.includes(id));
    const story = `at the kill: finished ${finished.join(',')}; judging ${judging.join(',') || 'none'}; to run again ${rerun.join(',')}\n${String(resumed.all)}`;
    expect(finished.length, story).toBeGreaterThanOrEqual(5);
    expect(unfinished.length, story).toBeGreaterThanOrEqual(1);
    // The judged trials carry trial.finished (errors are decided without judging).
    for (const id of finished) {
      if (before[id].status !== 'error') expect(of(atKill, 'trial.finished', id).length, `${id}: ${story}`).toBe(1);
    }

    const resumedAt = of(after, 'execution.resumed')[0].seq;
    const since = after.filter((e) => e.seq > resumedAt);
    for (const id of finished) {
      expect(of(since, 'trial.started', id).length, `${id} started again although it had finished\n${story}`).toBe(0);
      expect(of(since, 'trial.finished', id).length, `${id} judged again although it had finished\n${story}`).toBe(0);
    }
    for (const id of rerun) expect(of(since, 'trial.started', id).length, `${id}: ${story}`).toBe(1);
    for (const id of judging) {
      expect(of(since, 'trial.started', id).length, `${id} was in its checks: its agent must not run again\n${story}`).toBe(0);
      expect(of(since, 'trial.facts', id).length, `${id}: ${story}`).toBe(1);
      expect(of(since, 'trial.finished', id).length, `${id}: ${story}`).toBe(1);
    }
    expect(of(since, 'trial.started').length, story).toBe(rerun.length);
  }, 150_000);

  it('leaves no workspace of a judged trial behind', () => {
    const ws = join(cwd, 'trace', exec, 'workspace');
    const judged = new Set(of(after, 'trial.finished').map((e) => e.unit as string));
    const judgedBefore = new Set(of(atKill, 'trial.finished').map((e) => e.unit as string));
    const left = (existsSync(ws) ? readdirSync(ws).filter((d) => judged.has(d)) : []).map((d) => `${d} (judged ${judgedBefore.has(d) ? 'before the kill' : 'after the resume'})`);
    expect(left, `${ws}: ${existsSync(ws) ? readdirSync(ws).join(', ') : 'gone'}`).toEqual([]);
  }, 150_000);

  it('prints the pass rate the log gives: passed / (passed + failed + errors)', () => {
    // Recomputed from the events alone: a trial's outcome is its last attempt's trial.finished, or an error when
    // that attempt's session failed and it was never judged.
    let passed = 0;
    let failed = 0;
    let errors = 0;
    for (const id of Object.keys(unitsOf(after))) {
      const last = of(after, 'trial.started', id).at(-1)!;
      const fin = of(after, 'trial.finished', id).filter((e) => e.seq > last.seq);
      if (fin.length) {
        if (fin.at(-1)!.status === 'passed') passed++;
        else failed++;
        continue;
      }
      const state = after.filter((e) => e.type === 'session.state' && e.session === last.session).at(-1);
      expect(state?.state, `${id}: neither judged nor an error (${JSON.stringify(state)})`).toBe('failed');
      errors++;
    }
    const n = passed + failed + errors;
    expect(n).toBe(20);
    const out = String(resumed.all);
    const m = /sim: (\d+)\/(\d+) passed, (\d+(?:\.\d+)?)%/.exec(out);
    expect(m, out).not.toBeNull();
    expect([Number(m![1]), Number(m![2])], out).toEqual([passed, n]);
    expect(Number(m![3]), out).toBeCloseTo((100 * passed) / n, 0);
    const summary = of(after, 'execution.finished')[0];
    expect({ passed: summary.passed, failed: summary.failed, errors: summary.errors ?? 0 }).toEqual({ passed, failed, errors });
    // The fixture's threshold is 0.5.
    expect(resumed.exitCode, out).toBe(passed / n >= 0.5 ? 0 : 1);
  }, 150_000);

  it('leaves nothing running', async () => {
    expect(await strays(cwd, 10_000)).toEqual([]);
  }, 150_000);
});

/**
 * A one-trial scenario whose `commandPasses` blocks until the test lets it go: the judge is running it when
 * conductor is killed. Each run of the command notes its pid and working folder.
 */
function checksProject(agentFails: boolean): { cwd: string; scenario: string; marks: string } {
  const cwd = tempProject();
  const marks = join(cwd, 'marks');
  const cmd = [
    `echo $$ >> ${marks}-pids`,
    `pwd >> ${marks}-cwds`,
    // Bounded (60 s) so a stray never outlives the test by much.
    `i=0; while [ ! -e ${marks}-go ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done`,
    `test -e out/done.txt`,
  ].join('; ');
  const scenario = 'plans/checks-resume.scenario.yaml';
  writeFileSync(
    join(cwd, scenario),
    [
      'name: checks-resume',
      'task: write out/done.txt',
      'workspace:',
      '  fixture: demo-workspace',
      'providers: [sim]',
      'trials: 1',
      'timeout: 2m',
      'approval:',
      '  default: allow',
      'threshold: 1',
      'sim:',
      '  seed: 5',
      '  actions:',
      '    - say: writing',
      '    - write: {path: out/done.txt, content: "done\\n"}',
      ...(agentFails ? ['    - fail: on purpose, after the file'] : ['    - say: all done']),
      'assertions:',
      '  - fileExists: out/done.txt',
      `  - commandPasses: ${JSON.stringify(cmd)}`,
      '',
    ].join('\n'),
  );
  return { cwd, scenario, marks };
}

const lines = (f: string): string[] => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);

for (const agentFails of [false, true]) {
  describe(`kill -9 while a trial is judged (its agent ${agentFails ? 'exited 1' : 'completed'}), then resume`, () => {
    let p: ReturnType<typeof checksProject>;
    let exec = '';
    let atKill: LoggedEvent[] = [];
    let after: LoggedEvent[] = [];
    let resumed: Awaited<ReturnType<typeof conductor>>;
    let firstAliveDuringResume: boolean | undefined;
    const pids: number[] = [];

    afterAll(() => {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    });

    beforeAll(async () => {
      p = checksProject(agentFails);
      exec = await runAndKill(p.cwd, p.scenario, (events) => {
        const ended = events.some((e) => e.type === 'session.state' && e.session === 'sim-1#1' && (e.state === 'completed' || e.state === 'failed'));
        return ended && !of(events, 'trial.facts').length && lines(`${p.marks}-pids`).length >= 1;
      });
      atKill = logOf(p.cwd, exec);
      pids.push(...lines(`${p.marks}-pids`).map(Number));
      const child = conductor(p.cwd, ['resume', exec], { timeout: 120_000 });
      // The resume's own run of the command has started: was the killed run's one still there?
      await until('the resumed judge to run the command', () => lines(`${p.marks}-pids`).length >= 2 || child.exitCode !== null, 100_000);
      pids.push(...lines(`${p.marks}-pids`).slice(1).map(Number));
      firstAliveDuringResume = alive(pids[0]);
      writeFileSync(`${p.marks}-go`, '');
      resumed = await child;
      after = logOf(p.cwd, exec);
    }, 150_000);

    it('only judges the trial again, on the workspace its agent left', () => {
      const story = `${exec} in ${p.cwd}:\n${String(resumed.all)}`;
      expect(onlyExec(p.cwd)).toBe(exec);
      expect(of(atKill, 'trial.facts').length, story).toBe(0);
      expect(of(atKill, 'trial.started').length, story).toBe(1);
      const resumedAt = of(after, 'execution.resumed')[0]?.seq;
      expect(resumedAt, story).toBeDefined();
      const since = after.filter((e) => e.seq > resumedAt);
      expect(of(since, 'trial.started').length, `the agent ran again\n${story}`).toBe(0);
      expect(of(since, 'trial.facts').length, story).toBe(1);
      expect(of(since, 'trial.finished').length, story).toBe(1);
      // The command ran once per judge, both times in the trial's own workspace, where the agent's file is.
      const cwds = lines(`${p.marks}-cwds`);
      expect(cwds.length, story).toBe(2);
      expect(cwds[1], story).toBe(cwds[0]);
      expect(cwds[0], story).toBe(join(p.cwd, 'trace', exec, 'workspace', 'sim-1'));
      const results = of(since, 'assertion.evaluated');
      expect(results.map((r) => [r.kind, r.passed]), story).toEqual([
        ['fileExists', true],
        ['commandPasses', true],
      ]);
      // No exitCode assertion: a judged agent that exited 1 still passes on its files.
      expect(of(since, 'trial.finished')[0].status, story).toBe('passed');
      expect(resumed.exitCode, story).toBe(0);
      expect(existsSync(join(p.cwd, 'trace', exec, 'workspace', 'sim-1')), story).toBe(false);
    }, 150_000);

    it("ends the killed run's command before judging again", () => {
      expect(pids.length).toBeGreaterThanOrEqual(2);
      expect(firstAliveDuringResume, `the command the killed judge started (pid ${pids[0]}) was still running when the resume ran it again`).toBe(false);
    }, 150_000);
  });
}
