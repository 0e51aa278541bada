// Live contract of a comparison: the built `bin/conductor compare --providers codex,gemini` drives the real
// Codex and Gemini CLIs at the same time, each against its own loopback mock model and in its own copy of
// one fixture, and prints the table and the diff of diffs. One start of each CLI: the suite is long enough.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import type { LaneChanges } from '../../../src/adapters/workspace/lanes';
import { readEvents, story } from './conductor-live';
import { cliInstalled, lingeringProcesses, makeDirs, skipReason, type LiveDirs, type LiveMock } from './live-harness';
import { startMockCodexServer } from './mock-codex-server';
import { startMockGeminiServer } from './mock-gemini-server';
import { codexSetup, geminiSetup } from './setups';

const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'bin/conductor');
const built = existsSync(join(REPO, 'dist/hook.js')) && existsSync(join(REPO, 'dist/cli.js'));
const missing = ['codex', 'gemini'].filter((n) => !cliInstalled(n));
const why = missing.length ? ` (skipped: ${missing.map(skipReason).join('; ')})` : !built ? ' (skipped: run npm run build)' : '';

// Both edit notes.txt, differently; codex also adds a file of its own, so the diff of diffs has both kinds.
const CODEX = ['echo codex was here >> notes.txt', 'echo only codex > codex-only.txt'];
const GEMINI = ['echo gemini was here >> notes.txt'];

const PLAN = [
  'goal: one small edit, compared across two real CLIs',
  'workspace:',
  '  fixture: fixture',
  'approval:',
  '  default: ask',
  '  allow: ["echo *", ">> notes.txt", "> codex-only.txt"]',
  'steps:',
  '  - id: note',
  '    agent: backend',
  '    task: Add a line to notes.txt',
  '    checks:',
  '      - run: grep -qE "(codex|gemini) was here" notes.txt',
  '        name: notes edited',
  '',
].join('\n');

/** The table `compare` prints: figure label → one cell per provider column (cells are at least two spaces apart). */
function parseTable(out: string, providers: string[]): Map<string, string[]> {
  const lines = out.split('\n');
  const head = lines.findIndex((l) => l.trim().split(/\s{2,}/).join(',') === providers.join(','));
  if (head < 0) throw new Error(`no table headed ${providers.join(', ')} in:\n${out}`);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(head + 1)) {
    if (!line.trim()) break;
    const [label, ...cells] = line.split(/\s{2,}/);
    rows.set(label, cells);
  }
  return rows;
}

describe('conductor compare with the real codex and gemini CLIs', () => {
  test.skipIf(missing.length > 0 || !built)(
    `compare --providers codex,gemini: both lanes run at once in their own copy of the fixture, pass, and the table and diff of diffs are printed${why}`,
    async () => {
      let dirs: LiveDirs | undefined;
      const mocks: LiveMock[] = [];
      try {
        const codexMock = await startMockCodexServer(CODEX);
        mocks.push(codexMock);
        const geminiMock = await startMockGeminiServer(GEMINI);
        mocks.push(geminiMock);
        dirs = makeDirs('compare');
        // One HOME holds both CLIs' configs (~/.codex and ~/.gemini); the env is the union of their set-ups.
        const env = { ...codexSetup(dirs, codexMock), ...geminiSetup(dirs, geminiMock), CI: 'true' };
        mkdirSync(join(dirs.ws, 'fixture'));
        writeFileSync(join(dirs.ws, 'fixture', 'notes.txt'), 'notes\n');
        writeFileSync(join(dirs.ws, 'compare.plan.yaml'), PLAN);
        const out = join(dirs.root, 'out');

        const r = await execa('node', [BIN, 'compare', 'compare.plan.yaml', '--providers', 'codex,gemini', '--out', out], {
          cwd: dirs.ws,
          env,
          extendEnv: false,
          reject: false,
          timeout: 150_000,
          all: true,
        });
        if (process.env.CONDUCTOR_KEEP_LIVE === '1') console.log(r.all);
        const { exec, events } = readEvents(out);
        const s = `${r.all}\n${story(events)}`;
        expect(r.exitCode, s).toBe(0);

        const trace = join(out, 'trace', exec);
        // Each lane's commands ran in its own workspace, and only there; the fixture is untouched.
        expect(readFileSync(join(trace, 'workspace/codex/notes.txt'), 'utf8'), s).toBe('notes\ncodex was here\n');
        expect(readFileSync(join(trace, 'workspace/codex/codex-only.txt'), 'utf8'), s).toBe('only codex\n');
        expect(readFileSync(join(trace, 'workspace/gemini/notes.txt'), 'utf8'), s).toBe('notes\ngemini was here\n');
        expect(existsSync(join(trace, 'workspace/gemini/codex-only.txt'))).toBe(false);
        expect(readFileSync(join(dirs.ws, 'fixture/notes.txt'), 'utf8')).toBe('notes\n');
        expect(readdirSync(join(dirs.ws, 'fixture'))).toEqual(['notes.txt']);

        // Every approval came from its own lane's CLI, by the channel that CLI has, and the policy allowed it.
        const asked = events.filter((e) => e.type === 'approval.requested');
        // Approvals name their session (<unit>#<attempt>).
        const byUnit = (unit: string) => asked.filter((e) => String(e.session).startsWith(`${unit}#`));
        expect(byUnit('note@codex').map((e) => [e.command, e.via]), s).toEqual(CODEX.map((c) => [c, 'hook']));
        expect(byUnit('note@gemini').map((e) => [e.command, e.via]), s).toEqual(GEMINI.map((c) => [c, 'screen']));
        expect(events.filter((e) => e.type === 'approval.resolved').every((e) => e.decision === 'allow' && e.by === 'policy'), s).toBe(true);
        expect(events.filter((e) => e.type === 'step.finished').map((e) => [e.unit, e.status]).sort(), s).toEqual([
          ['note@codex', 'passed'],
          ['note@gemini', 'passed'],
        ]);
        // At the same time: each lane started before the other finished.
        const at = (type: string, unit: string) => events.find((e) => e.type === type && e.unit === unit)!.ts as number;
        expect(at('step.started', 'note@codex')).toBeLessThan(at('step.finished', 'note@gemini'));
        expect(at('step.started', 'note@gemini')).toBeLessThan(at('step.finished', 'note@codex'));
        expect(codexMock.toolResults).toBe(CODEX.length);
        expect(geminiMock.toolResults).toBe(GEMINI.length);

        // What each lane changed, recorded against its base when the execution ended.
        const lane = (name: string) => JSON.parse(readFileSync(join(trace, 'lanes', `${name}.json`), 'utf8')) as LaneChanges;
        const files = (c: LaneChanges) => c.files.map((f) => [f.path, f.status, f.added, f.removed]).sort();
        expect(files(lane('codex')), s).toEqual([
          ['codex-only.txt', 'added', 1, 0],
          ['notes.txt', 'modified', 1, 0],
        ]);
        expect(files(lane('gemini')), s).toEqual([['notes.txt', 'modified', 1, 0]]);
        expect([lane('codex').dir, lane('gemini').dir]).toEqual([join(trace, 'workspace/codex'), join(trace, 'workspace/gemini')]);

        // The table: a column per provider, the figures from each lane.
        const table = parseTable(r.stdout, ['codex', 'gemini']);
        expect(table.get('status'), r.stdout).toEqual(['✓ passed', '✓ passed']);
        expect(table.get('steps passed')).toEqual(['1/1', '1/1']);
        expect(table.get('approvals asked')).toEqual([String(CODEX.length), String(GEMINI.length)]);
        expect(table.get('denied')).toEqual(['0', '0']);
        expect(table.get('commands run')).toEqual([String(CODEX.length), String(GEMINI.length)]);
        expect(table.get('files changed')).toEqual(['2', '1']);
        expect(table.get('lines +/−')).toEqual(['+2 −0', '+1 −0']);
        expect(table.get('checks passed')).toEqual(['1/1', '1/1']);
        expect(table.get('duration')?.every((c) => /\d/.test(c)), r.stdout).toBe(true);
        // Codex reports its usage (the mock's token counts); Gemini only through hooks, which need a root-owned settings path.
        expect(table.get('tokens')?.[0], r.stdout).toMatch(/^\d+$/);
        expect(table.has('cost')).toBe(true);
        // The diff of diffs.
        expect(r.stdout).toContain('only codex changed: codex-only.txt');
        expect(r.stdout).toContain('changed differently: notes.txt');
        expect(r.stdout).toContain(`the diffs: conductor report ${exec}`);
      } finally {
        for (const m of mocks) await m.close();
        if (dirs) {
          const strays = await lingeringProcesses(dirs.root);
          for (const pid of strays) process.kill(pid, 'SIGKILL');
          // CONDUCTOR_KEEP_LIVE=1 keeps the temp folders (out/proof, out/trace, the CLIs' home) to look at.
          if (process.env.CONDUCTOR_KEEP_LIVE === '1') console.log(`kept ${dirs.root}`);
          else dirs.cleanup();
          expect(strays, 'processes left behind').toEqual([]);
        }
      }
    },
    200_000,
  );
});
