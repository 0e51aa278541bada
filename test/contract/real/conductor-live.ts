// The live contract through conductor itself: the built `bin/conductor run`, `resume` and `tui` drive a real
// agent CLI offline against its loopback mock, as a person would (keys pressed seconds after the overlay
// opens, a terminal resize, kill -9 and resume). One describe per CLI; each CLI's test file calls it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, test } from 'vitest';
import { spawnConductor, type Term } from '../../e2e/term';
import { cliInstalled, lingeringProcesses, makeDirs, skipReason, type LiveDirs, type LiveMock } from './live-harness';
import type { MockOptions } from './mock-http';

const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'bin/conductor');
const built = existsSync(join(REPO, 'dist/hook.js')) && existsSync(join(REPO, 'dist/cli.js'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Commands of the shapes people's agents run: a redirect, a pipe, npm test, one longer than a row. */
export const SHAPES = [
  'echo redirected > shape-redirect.txt',
  "printf 'a\\nb\\nc\\n' | wc -l > shape-pipe.txt",
  'npm test',
  `node -e "require('fs').writeFileSync('shape-long.txt', '${'x'.repeat(120)}'.length + ' long')"`,
];
const SHAPE_FILES = ['shape-redirect.txt', 'shape-pipe.txt', 'npm-test-ran.txt', 'shape-long.txt'];

export interface ConductorLiveCase {
  name: 'claude' | 'codex' | 'gemini';
  startMock(commands: string[], o?: MockOptions): Promise<LiveMock>;
  setup(dirs: LiveDirs, mock: LiveMock): Record<string, string>;
  /** conductor.yaml's `providers.<name>` entry for the run tests, as YAML lines (indented under it). */
  runConfig?: string[];
  /** The same for the TUI test. */
  tuiConfig?: string[];
  /** The key that answers "always" in the overlay. */
  alwaysKey?: string;
}

export type Ev = Record<string, unknown> & { type: string };

/** The execution under `<ws>/trace` (the only one) and its event log. */
export function readEvents(ws: string): { exec: string; events: Ev[] } {
  const exec = readdirSync(join(ws, 'trace')).find((d) => d.startsWith('exec-'))!;
  const events = readFileSync(join(ws, 'trace', exec, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Ev);
  return { exec, events };
}

/** The log as a short story for failure messages: the events that matter, with command, decision and status. */
export const story = (events: Ev[]): string =>
  events
    .filter((e) => !['session.output', 'file.touched', 'session.input', 'usage'].includes(e.type))
    .map((e) => `${e.type}${e.command ? ` ${String(e.command)}` : ''}${e.decision ? ` ${String(e.decision)} by ${String(e.by)}` : ''}${e.status ? ` ${String(e.status)}` : ''}${e.reason ? ` (${String(e.reason)})` : ''}`)
    .join('\n');

function writeProject(c: ConductorLiveCase, dirs: LiveDirs, plan: string, config: string[] | undefined): void {
  writeFileSync(join(dirs.ws, 'live.plan.yaml'), plan);
  writeFileSync(join(dirs.ws, 'package.json'), JSON.stringify({ name: 'live', version: '1.0.0', private: true, scripts: { test: "node -e \"require('fs').writeFileSync('npm-test-ran.txt', 'ok')\"" } }));
  if (config?.length) writeFileSync(join(dirs.ws, 'conductor.yaml'), ['providers:', `  ${c.name}:`, ...config.map((l) => `    ${l}`), ''].join('\n'));
}

const plan = (c: ConductorLiveCase, task: string, outputs: string[]): string =>
  [`goal: live ${c.name}`, `provider: ${c.name}`, 'workspace:', '  path: .', 'steps:', '  - id: one', '    agent: backend', `    task: ${task}`, `    expectedOutputs: [${outputs.join(', ')}]`, ''].join('\n');

export function describeConductorLive(c: ConductorLiveCase): void {
  const installed = cliInstalled(c.name);
  const why = !installed ? ` (skipped: ${skipReason(c.name)})` : !built ? ' (skipped: run npm run build)' : '';
  const live = test.skipIf(!installed || !built);

  // The four tests run one after another: at once, four CLIs on two cores miss the one-minute bar.
  describe(`conductor with the real ${c.name} CLI`, () => {
    const release = async (dirs: LiveDirs | undefined, mock: LiveMock | undefined, term: Term | undefined): Promise<void> => {
      term?.kill('SIGKILL');
      await mock?.close();
      if (!dirs) return;
      const strays = await lingeringProcesses(dirs.root);
      for (const pid of strays) process.kill(pid, 'SIGKILL');
      // CONDUCTOR_KEEP_LIVE=1 keeps the temp folders (proof/, trace/, the CLI's home) to look at.
      if (process.env.CONDUCTOR_KEEP_LIVE === '1') console.log(`kept ${dirs.root}`);
      else dirs.cleanup();
      expect(strays, 'processes left behind').toEqual([]);
    };

    const conductor = (cwd: string, args: string[], env: Record<string, string>): ResultPromise<{ all: true; reject: false }> =>
      execa('node', [BIN, ...args], { cwd, env: { ...env, CI: 'true' }, extendEnv: false, reject: false, timeout: 120_000, all: true });

    live(`run --approve all: every shape of command runs exactly, the step passes by itself within a minute, the .md has the prompt, commands and answers${why}`, async () => {
      let dirs: LiveDirs | undefined;
      let mock: LiveMock | undefined;
      let term: Term | undefined;
      try {
        mock = await c.startMock(SHAPES);
        dirs = makeDirs(c.name);
        const env = c.setup(dirs, mock);
        const task = 'Create the shape files';
        writeProject(c, dirs, plan(c, task, SHAPE_FILES), c.runConfig);
        const r = await conductor(dirs.ws, ['run', 'live.plan.yaml', '--approve', 'all'], env);
        const { exec, events } = readEvents(dirs.ws);
        expect(r.exitCode, `${r.all}\n${story(events)}`).toBe(0);
        for (const f of SHAPE_FILES) expect(existsSync(join(dirs.ws, f)), f).toBe(true);
        expect(readFileSync(join(dirs.ws, 'shape-pipe.txt'), 'utf8').trim()).toBe('3');
        expect(readFileSync(join(dirs.ws, 'shape-long.txt'), 'utf8')).toBe('120 long');
        const asked = events.filter((e) => e.type === 'approval.requested');
        expect(asked.map((e) => e.command)).toEqual(SHAPES);
        // Each approval says how it came (the hook where the CLI has one) and which version of the CLI asked.
        expect(asked.map((e) => e.via)).toEqual(SHAPES.map(() => (c.name === 'gemini' ? 'screen' : 'hook')));
        expect(asked.every((e) => typeof e.cliVersion === 'string' && /^\d+\.\d+\.\d+/.test(e.cliVersion)), JSON.stringify(asked[0])).toBe(true);
        // The hook socket's folder (under TMPDIR, the temp root here) is gone once the run ended.
        expect(readdirSync(dirs.root).filter((f) => f.startsWith('cdh-'))).toEqual([]);
        expect(events.filter((e) => e.type === 'approval.resolved').map((e) => [e.decision, e.by])).toEqual(SHAPES.map(() => ['allow', 'policy']));
        const started = events.find((e) => e.type === 'step.started')!;
        const finished = events.find((e) => e.type === 'step.finished')!;
        expect(finished).toMatchObject({ status: 'passed' });
        expect((finished.ts as number) - (started.ts as number)).toBeLessThan(60_000);
        expect(events.some((e) => e.type === 'session.turn-ended')).toBe(true);
        const md = readFileSync(join(dirs.ws, 'proof', exec, 'step-one-backend.md'), 'utf8');
        expect(md).toContain(task);
        for (const cmd of SHAPES) expect(md).toContain(cmd);
        expect(md).toMatch(/: allow \(by policy\)/);
      } finally {
        await release(dirs, mock, term);
      }
    }, 150_000);

    live(`run --approve none: no command runs and the step ends${why}`, async () => {
      let dirs: LiveDirs | undefined;
      let mock: LiveMock | undefined;
      let term: Term | undefined;
      try {
        mock = await c.startMock(SHAPES.slice(0, 2));
        dirs = makeDirs(c.name);
        const env = c.setup(dirs, mock);
        writeProject(c, dirs, plan(c, 'Create the shape files', SHAPE_FILES.slice(0, 2)), c.runConfig);
        const r = await conductor(dirs.ws, ['run', 'live.plan.yaml', '--approve', 'none'], env);
        const { events } = readEvents(dirs.ws);
        expect(r.exitCode, `${r.all}\n${story(events)}`).toBe(1);
        for (const f of SHAPE_FILES) expect(existsSync(join(dirs.ws, f)), f).toBe(false);
        const resolved = events.filter((e) => e.type === 'approval.resolved');
        expect(resolved.length).toBeGreaterThan(0);
        expect(resolved.every((e) => e.decision === 'deny' && e.by === 'policy')).toBe(true);
        expect(events.find((e) => e.type === 'step.finished')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/missing expected output/) });
        expect(events.at(-1)).toMatchObject({ type: 'execution.finished', status: 'failed' });
      } finally {
        await release(dirs, mock, term);
      }
    }, 150_000);

    live(`tui: y, a and n pressed seconds after each overlay opens do what they say; always skips the second ask; a resize on the way${why}`, async () => {
      let dirs: LiveDirs | undefined;
      let mock: LiveMock | undefined;
      let term: Term | undefined;
      try {
        const ALLOW = 'echo yes >> tui-yes.txt';
        const ALWAYS = 'echo always >> tui-always.txt';
        const DENY = 'touch tui-denied.txt';
        mock = await c.startMock([ALLOW, ALWAYS, ALWAYS, DENY]);
        dirs = makeDirs(c.name);
        const env = c.setup(dirs, mock);
        writeProject(c, dirs, plan(c, 'Write the tui files', ['tui-yes.txt', 'tui-always.txt']), c.tuiConfig);
        term = spawnConductor(['tui', 'live.plan.yaml'], { cwd: dirs.ws, cols: 120, rows: 40, env: { ...env, CI: 'true' } });
        const answer = async (command: string, key: string, resize?: [number, number]) => {
          const overlay = new RegExp(`Approval \\d+ of \\d+[\\s\\S]*\\$ ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
          await term!.waitFor(overlay, 60_000);
          // A person reads the overlay first; the prompt must still be there, undecided, when the key lands.
          await sleep(1500);
          if (resize) term!.resize(...resize);
          await sleep(1500);
          // Like a person: press, and if the overlay is still up a few seconds later (the agent was redrawing
          // its prompt after the resize, so conductor did not send the key), press again.
          for (let tries = 0; tries < 3; tries++) {
            term!.write(key);
            const until = Date.now() + 6000;
            while (Date.now() < until && overlay.test(term!.screen())) await sleep(100);
            if (!overlay.test(term!.screen())) return;
          }
          throw new Error(`the overlay for ${command} stayed up after ${key} was pressed three times:\n${term!.screen()}`);
        };
        await answer(ALLOW, 'y', [100, 32]);
        await answer(ALWAYS, c.alwaysKey ?? 'a');
        await answer(DENY, 'n');
        // After a denial the CLI may ask what to do instead: that is the person's turn, and e ends the session.
        const after = await term.waitFor(/· passed|· failed|your turn\?/, 90_000);
        if (/your turn\?/.test(after)) {
          await sleep(1000);
          term.write('e');
          await term.waitFor(/· passed|· failed/, 60_000);
        }
        term.write('q');
        await term.exited;
        term = undefined;
        const { events } = readEvents(dirs.ws);
        const decided = events.filter((e) => e.type === 'approval.decided');
        const s = story(events);
        expect(readFileSync(join(dirs.ws, 'tui-yes.txt'), 'utf8'), s).toBe('yes\n');
        expect(readFileSync(join(dirs.ws, 'tui-always.txt'), 'utf8'), s).toBe('always\nalways\n');
        expect(existsSync(join(dirs.ws, 'tui-denied.txt')), s).toBe(false);
        // The person decided exactly three times; the second ALWAYS was never put to them.
        expect(decided.filter((e) => e.by === 'user').map((e) => e.decision), s).toEqual(['allow', 'always', 'deny']);
        expect(events.find((e) => e.type === 'step.finished'), s).toMatchObject({ status: 'passed' });
      } finally {
        await release(dirs, mock, term);
      }
    }, 200_000);

    live(`kill -9 mid-session, then resume: the CLI resumes its own conversation and the approved command does not run twice${why}`, async () => {
      let dirs: LiveDirs | undefined;
      let mock: LiveMock | undefined;
      let term: Term | undefined;
      try {
        const ONE = 'echo one >> resume-log.txt';
        const TWO = 'echo two >> resume-log.txt';
        mock = await c.startMock([ONE, TWO], { holdAfter: 1 });
        dirs = makeDirs(c.name);
        const env = c.setup(dirs, mock);
        writeProject(c, dirs, plan(c, 'Append one and two to resume-log.txt', ['resume-log.txt']), c.runConfig);
        const child = conductor(dirs.ws, ['run', 'live.plan.yaml', '--approve', 'all'], env);
        const until = Date.now() + 90_000;
        while (!mock.held) {
          if (Date.now() > until) throw new Error('the first command never came back to the model');
          await sleep(100);
        }
        child.kill('SIGKILL');
        await child;
        // The CLI loses its terminal with conductor; wait for it to go before resuming.
        await lingeringProcesses(dirs.root, 10_000);
        mock.release();
        const before = readEvents(dirs.ws).events;
        expect(before.some((e) => e.type === 'session.agent-session')).toBe(true);
        expect(before.some((e) => e.type === 'execution.finished')).toBe(false);
        const { exec } = readEvents(dirs.ws);
        const r = await conductor(dirs.ws, ['resume', exec, '--approve', 'all'], env);
        const { events } = readEvents(dirs.ws);
        const s = `${r.all}\n${story(events)}`;
        expect(r.exitCode, s).toBe(0);
        expect(readFileSync(join(dirs.ws, 'resume-log.txt'), 'utf8'), `${s}\n${JSON.stringify(mock.turns)}`).toBe('one\ntwo\n');
        const attempts = events.filter((e) => e.type === 'step.started');
        expect(attempts.map((e) => e.attempt)).toEqual([1, 2]);
        expect(attempts[1].resume, s).toBeTruthy();
        // The resumed request carries the earlier tool result and conductor's short continue message, not the task again.
        const resumed = mock.turns.filter((t) => /conductor was interrupted/.test(t.lastUser));
        expect(resumed.length, JSON.stringify(mock.turns)).toBeGreaterThan(0);
        // Claude and Codex resume with ONE's result in the history; Gemini 0.61 saves its conversation only after
        // the model's next reply, so there conductor's message names what ran.
        expect(resumed[0].toolResults >= 1 || resumed[0].lastUser.includes(`\`${ONE}\``), JSON.stringify(resumed[0]).slice(-400)).toBe(true);
        expect(events.filter((e) => e.type === 'approval.requested').map((e) => e.command)).toEqual([ONE, TWO]);
        // Both attempts have their transcript: the interrupted one written from its recording.
        expect(existsSync(join(dirs.ws, 'proof', exec, 'step-one-backend.md'))).toBe(true);
        expect(existsSync(join(dirs.ws, 'proof', exec, 'step-one-backend.2.md'))).toBe(true);
        expect(readFileSync(join(dirs.ws, 'proof', exec, 'step-one-backend.md'), 'utf8')).toContain(ONE);
      } finally {
        await release(dirs, mock, term);
      }
    }, 240_000);
  });
}
