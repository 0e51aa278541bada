// Helpers for tests that drive the built conductor binary in a temp project folder.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { execa, type Options } from 'execa';

export const REPO = resolve(__dirname, '../../..');
export const BIN = join(REPO, 'bin/conductor');

/** A fresh project folder holding copies of plans/ and test/fixtures/plans/. */
export function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-it-'));
  cpSync(join(REPO, 'plans'), join(dir, 'plans'), { recursive: true });
  cpSync(join(REPO, 'test/fixtures/plans'), join(dir, 'test/fixtures/plans'), { recursive: true });
  return dir;
}

export function conductor(cwd: string, args: string[], opts: Options = {}) {
  return execa('node', [BIN, ...args], { cwd, reject: false, all: true, env: { CI: 'true', ...opts.env }, ...opts });
}

export function onlyExec(cwd: string): string {
  const execs = readdirSync(join(cwd, 'trace')).filter((d) => d.startsWith('exec-'));
  if (execs.length !== 1) throw new Error(`expected one execution, found ${execs.join(', ')}`);
  return execs[0];
}

export interface LoggedEvent {
  seq: number;
  ts: number;
  type: string;
  [k: string]: unknown;
}

export const readEvents = (cwd: string, exec: string): LoggedEvent[] =>
  readFileSync(join(cwd, 'trace', exec, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LoggedEvent);

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** Runs git in `cwd` with a fixed identity (tests make their own repositories); its trimmed stdout. */
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();

/** A fresh git repository holding `base.txt` (with `base`) and a .gitignore for conductor's outputs, committed; and its HEAD. */
export function gitRepo(prefix: string, base: string): { dir: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  git(dir, 'init', '-q');
  writeFileSync(join(dir, 'base.txt'), base);
  writeFileSync(join(dir, '.gitignore'), 'proof/\ntrace/\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'base');
  return { dir, head: git(dir, 'rev-parse', 'HEAD') };
}
