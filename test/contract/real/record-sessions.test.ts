// Records real sessions of the three agent CLIs as fixtures, when CONDUCTOR_RECORD_CASTS=1: the PTY output as an
// asciicast (test/fixtures/casts/real/<cli>-<allow|deny>.cast) and the CLI's own transcript file
// (test/fixtures/cli-transcripts/<cli>-<allow|deny>.jsonl). Temp paths are masked to the same length, so the
// recorded screens keep their layout. Each session: the prompt, the approval dialog, the answer, the reply, the
// CLI's own exit command.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';
import { resolveArgv } from '../../../src/adapters/providers/argv';
import { createApprovalDetector } from '../../../src/adapters/providers/detector';
import { spawnPtySession } from '../../../src/adapters/pty/session';
import { CastWriter } from '../../../src/adapters/store/cast-writer';
import { screenText } from '../../../src/core/screen';
import { claudeContract, codexContract, geminiContract } from './contracts';
import { cliInstalled, lingeringProcesses, makeDirs, MARKER_COMMAND, type LiveContract, type LiveDirs, type LiveMock } from './live-harness';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const recording = process.env.CONDUCTOR_RECORD_CASTS === '1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each CLI's own way out, typed the way a person would, and where it keeps its transcript. */
const CLIS: { contract: LiveContract<LiveMock>; exit: string; transcripts: (home: string) => string }[] = [
  { contract: claudeContract, exit: '/exit', transcripts: (home) => join(home, '.claude/projects') },
  { contract: codexContract, exit: '/quit', transcripts: (home) => join(home, '.codex/sessions') },
  { contract: geminiContract, exit: '/quit', transcripts: (home) => join(home, '.gemini/tmp') },
];
/** Its own transcript among the files there (Gemini also keeps a prompt log, logs.json). */
const OWN = /(?:\/chats\/|\/projects\/|\/sessions\/).*\.jsonl?$/;
/** Record only these (`claude-allow,gemini-deny`), when set. */
const only = process.env.CONDUCTOR_RECORD_ONLY?.split(',');

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
  } catch {
    return [];
  }
}

const mask = (text: string, dirs: LiveDirs): string => {
  const masked = join(dirname(dirs.root), basename(dirs.root).replace(/[^-]+$/, (s) => 'X'.repeat(s.length)));
  return text.split(dirs.root).join(masked);
};

describe.skipIf(!recording)('recording real sessions (CONDUCTOR_RECORD_CASTS=1)', () => {
  for (const { contract, exit, transcripts } of CLIS) {
    const name = contract.def.name;
    for (const decision of ['allow', 'deny'] as const) {
      test.skipIf(!cliInstalled(name) || (only !== undefined && !only.includes(`${name}-${decision}`)))(`${name}: ${decision}`, async () => {
        const mock = await contract.startMock(MARKER_COMMAND);
        const dirs = makeDirs(name);
        const env = contract.setup(dirs, mock);
        const argv = resolveArgv(contract.def, { prompt: 'Create the marker file', workspace: dirs.ws, simPath: '' });
        const castFile = join(dirs.root, 'session.cast');
        const start = Date.now();
        const cast = CastWriter.open(castFile, { width: 120, height: 40, startMs: start, command: [argv.command, ...argv.args].join(' ') });
        const pty = spawnPtySession({ command: argv.command, args: argv.args, cwd: dirs.ws, env: { ...argv.env, ...env }, cols: 120, rows: 40 });
        pty.onData((d) => cast.output(Date.now(), d));
        let exited = false;
        void pty.exited.then(() => (exited = true));
        const type = (keys: string) => {
          cast.input(Date.now(), keys);
          pty.write(keys);
        };
        const detector = createApprovalDetector(contract.def);
        let asked = false;
        const until = async (what: string, pred: () => boolean, ms: number) => {
          const end = Date.now() + ms;
          while (!pred()) {
            for (const e of detector.feed(pty.snapshot())) if (e.type === 'prompt') asked = true;
            if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${screenText(pty.snapshot())}`);
            await sleep(50);
          }
        };
        try {
          await until('the approval prompt', () => asked, 40_000);
          await sleep(1000);
          type(contract.def.approval.keys[decision]);
          if (decision === 'allow') await until('the reply', () => screenText(pty.snapshot()).includes(contract.finalText), 20_000);
          await sleep(2000);
          for (const ch of exit) {
            type(ch);
            await sleep(40);
          }
          await sleep(800);
          type('\r');
          await until('the exit', () => exited, 5000).catch(async () => {
            type('\r');
            await until('the exit', () => exited, 10_000);
          });
          cast.close(Date.now());
          const castOut = join(repo, 'test/fixtures/casts/real');
          mkdirSync(castOut, { recursive: true });
          writeFileSync(join(castOut, `${name}-${decision}.cast`), mask(readFileSync(castFile, 'utf8'), dirs));
          // Gemini writes no chat file for a session whose only tool call was refused.
          const own = filesUnder(transcripts(dirs.home)).filter((f) => OWN.test(f));
          if (own.length > 0) {
            const out = join(repo, 'test/fixtures/cli-transcripts');
            mkdirSync(out, { recursive: true });
            const biggest = own.sort((a, b) => statSync(b).size - statSync(a).size)[0];
            writeFileSync(join(out, `${name}-${decision}.jsonl`), mask(readFileSync(biggest, 'utf8'), dirs));
          }
        } finally {
          if (!exited) pty.kill('SIGKILL');
          await Promise.race([pty.exited, sleep(3000)]);
          pty.dispose();
          await mock.close();
          for (const pid of await lingeringProcesses(dirs.root)) process.kill(pid, 'SIGKILL');
          dirs.cleanup();
        }
      }, 120_000);
    }
  }
});
