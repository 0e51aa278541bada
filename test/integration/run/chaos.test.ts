// Chaos in sim trials, through a real `conductor run`: a crash (death by a signal) and a hang past the
// timeout make the trial an error; garbage output (random bytes, broken escapes) leaves conductor working
// and the trial judged. Each fault is a `fault.injected` event in the log and in the trial's trajectory.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCast } from '../../../src/adapters/store/cast-writer';
import { conductor, onlyExec, readEvents, tempProject, type LoggedEvent } from './helpers';

function chaosProject(chaos: string, opts: { trials?: number; timeout?: string } = {}): string {
  const cwd = tempProject();
  mkdirSync(join(cwd, 'plans/chaos-ws'), { recursive: true });
  writeFileSync(join(cwd, 'plans/chaos-ws/README.md'), 'chaos fixture\n');
  writeFileSync(
    join(cwd, 'plans/chaos.scenario.yaml'),
    [
      'name: chaos',
      'task: write out.txt',
      'workspace:',
      '  fixture: chaos-ws',
      'providers: [sim]',
      `trials: ${opts.trials ?? 1}`,
      `timeout: ${opts.timeout ?? '2m'}`,
      'approval:',
      '  default: allow',
      'threshold: 1',
      'sim:',
      '  seed: 3',
      `  chaos: ${chaos}`,
      '  actions:',
      '    - say: starting',
      '    - write: {path: out.txt, content: "done\\n"}',
      '    - run: cat out.txt',
      '    - say: all finished',
      'assertions:',
      '  - fileExists: out.txt',
      '',
    ].join('\n'),
  );
  return cwd;
}

const trajectory = (cwd: string, exec: string, unit: string): LoggedEvent[] =>
  readFileSync(join(cwd, 'trace', exec, 'trajectories', `${unit}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LoggedEvent);

const manifestStatus = (cwd: string, exec: string, unit: string): string =>
  (JSON.parse(readFileSync(join(cwd, 'trace', exec, 'manifest.json'), 'utf8')) as { units: Record<string, { status: string }> }).units[unit].status;

const unitReason = (cwd: string, exec: string, unit: string): string | undefined =>
  (JSON.parse(readFileSync(join(cwd, 'proof', exec, 'execution.json'), 'utf8')) as { units: { id: string; reason?: string }[] }).units.find((u) => u.id === unit)?.reason;

function faultsOf(cwd: string, exec: string, unit: string, fault: string) {
  const events = readEvents(cwd, exec);
  const logged = events.filter((e) => e.type === 'fault.injected' && e.unit === unit);
  expect(logged.map((e) => e.fault)).toEqual([fault]);
  expect(Number.isInteger(logged[0].at)).toBe(true);
  // Recorded with the session start, before the session ended.
  const exited = events.find((e) => e.type === 'session.exited' && e.session === logged[0].session)!;
  expect(logged[0].seq).toBeLessThan(exited.seq);
  expect(trajectory(cwd, exec, unit).filter((e) => e.type === 'fault.injected')).toMatchObject([{ fault, at: logged[0].at, seq: logged[0].seq }]);
  return { events, at: logged[0].at as number, exited };
}

describe('chaos in sim trials', () => {
  it('crash: 1 kills the agent by a signal and the trial is an error', async () => {
    const cwd = chaosProject('{crash: 1}');
    const r = await conductor(cwd, ['run', 'plans/chaos.scenario.yaml']);
    expect(r.exitCode, String(r.all)).toBe(1);
    const exec = onlyExec(cwd);
    const { exited } = faultsOf(cwd, exec, 'sim-1', 'crash');
    expect(exited).toMatchObject({ signal: 11, exitCode: 139 });
    expect(manifestStatus(cwd, exec, 'sim-1')).toBe('error');
    expect(unitReason(cwd, exec, 'sim-1')).toBe('agent exited with code 139 (signal 11)');
    expect(r.stdout).toContain('signal 11');
    expect(r.stdout).toMatch(/✗ failed: 0 passed, 0 not passed, 1 error in /);
    expect(r.all).not.toMatch(/\n\s+at /);
  });

  it('hang: 1 goes silent until the trial timeout: an error, "timed out"', async () => {
    const cwd = chaosProject('{hang: 1}', { timeout: '8s' });
    const r = await conductor(cwd, ['run', 'plans/chaos.scenario.yaml']);
    expect(r.exitCode, String(r.all)).toBe(1);
    const exec = onlyExec(cwd);
    const { at } = faultsOf(cwd, exec, 'sim-1', 'hang');
    expect(manifestStatus(cwd, exec, 'sim-1')).toBe('error');
    expect(unitReason(cwd, exec, 'sim-1')).toBe('timed out after 8s');
    // The agent did its work up to the hang, and nothing after it.
    const text = readFileSync(join(cwd, 'proof', exec, 'step-sim-1-generic.md'), 'utf8');
    expect(text).toContain('sim agent');
    if (at > 0) expect(text).toContain('starting');
    expect(text).not.toContain('all finished');
    expect(text).not.toContain('summary');
  }, 60_000);

  it('garbage: 1 prints random bytes and broken escapes; the trial carries on and is judged, recorded in full', async () => {
    const cwd = chaosProject('{garbage: 1}', { trials: 2 });
    const r = await conductor(cwd, ['run', 'plans/chaos.scenario.yaml']);
    expect(r.all).not.toMatch(/\n\s+at |internal error/);
    const exec = onlyExec(cwd);
    for (const unit of ['sim-1', 'sim-2']) {
      const { events } = faultsOf(cwd, exec, unit, 'garbage');
      expect(['passed', 'failed']).toContain(manifestStatus(cwd, exec, unit));
      // The approval after the garbage was still read from the screen and answered.
      const asked = events.find((e) => e.type === 'approval.requested' && String(e.session).startsWith(`${unit}#`));
      expect(asked).toMatchObject({ command: 'cat out.txt', via: 'screen' });
      const transcript = readFileSync(join(cwd, 'proof', exec, `step-${unit}-generic.md`), 'utf8');
      expect(transcript).toContain('all finished');
      expect(transcript).toContain('✓ done');
      const cast = readCast(join(cwd, 'proof', exec, `step-${unit}-generic.cast`));
      const output = cast.events.filter(([, code]) => code === 'o').map(([, , data]) => data).join('');
      expect(output).toContain('\x1b]0;chaos title');
      expect(output).toContain('all finished');
    }
    expect(r.exitCode, String(r.all)).toBe(0);
  }, 90_000);
});
