// Prepares the folder an execution's sessions run in: the project folder itself, a fresh copy of a
// fixture folder, or a git worktree at a ref. Reused as-is when an execution resumes.
import { cpSync, existsSync, lstatSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { WorkspaceSpec } from '../../core/types';

export class WorkspaceError extends Error {}

/**
 * The real path of `p`, symlinks included. A path that does not exist yet is the real path of its deepest
 * existing parent with the rest appended, so a file about to be written is judged by where it would land.
 */
export function realPath(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}

function inside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** Resolves `p` against `base` (symlinks included), refusing anything whose real path is outside `root`. */
export function confined(root: string, base: string, p: string): string {
  const abs = resolve(base, p);
  if (!inside(root, abs)) throw new WorkspaceError(`${p} is outside the project root ${root}`);
  const real = realPath(abs);
  if (!inside(realPath(root), real)) throw new WorkspaceError(`${p} is a symlink to ${real}, outside the project root ${root}`);
  return real;
}

/** A fixture's symlinks may only point inside the fixture: a copy's link to the original would let agents write there. */
function copyFixture(from: string, target: string): void {
  cpSync(from, target, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => {
      if (/[/\\](node_modules|\.git)$/.test(src)) return false;
      if (lstatSync(src).isSymbolicLink()) {
        const real = realPath(src);
        if (!inside(from, real)) throw new WorkspaceError(`workspace fixture ${from} holds ${relative(from, src)}, a symlink to ${real} outside the fixture; make it a copy or a link inside the fixture`);
      }
      return true;
    },
  });
}

const loadExeca = () => import('execa').then((m) => m.execa);

export async function prepareWorkspace(opts: { spec?: WorkspaceSpec; root: string; inputDir: string; target: string }): Promise<string> {
  const { spec, root, inputDir, target } = opts;
  if (!spec) return root;
  if ('path' in spec) {
    const dir = confined(root, inputDir, spec.path);
    if (!existsSync(dir)) throw new WorkspaceError(`workspace folder ${spec.path} does not exist (resolved to ${dir})`);
    return dir;
  }
  if (existsSync(target)) return target;
  if ('fixture' in spec) {
    const from = confined(root, inputDir, spec.fixture);
    if (!existsSync(from)) throw new WorkspaceError(`workspace fixture ${spec.fixture} does not exist (resolved to ${from})`);
    mkdirSync(resolve(target, '..'), { recursive: true });
    try {
      copyFixture(from, target);
    } catch (err) {
      // A half-made copy would be reused as-is by the next run or resume.
      rmSync(target, { recursive: true, force: true });
      throw err;
    }
    return target;
  }
  const execa = await loadExeca();
  const r = await execa('git', ['worktree', 'add', '--detach', target, spec.git], { cwd: root, reject: false });
  if (r.exitCode !== 0) throw new WorkspaceError(`git worktree add ${spec.git} failed: ${String(r.stderr).trim()}`);
  return target;
}

/** The commit `ref` names in the repository at `root`: every lane of a comparison starts its worktree there. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  const execa = await loadExeca();
  const r = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, reject: false });
  const commit = String(r.stdout).trim();
  if (r.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(commit)) return commit;
  const inRepo = await execa('git', ['rev-parse', '--git-dir'], { cwd: root, reject: false });
  if (inRepo.exitCode !== 0) throw new WorkspaceError(`${root} is not a git repository: a comparison needs a workspace per provider — add \`workspace: {fixture: DIR}\` to the plan, or run it in a git repository`);
  throw new WorkspaceError(`git ref ${ref} names no commit in ${root}; expected a branch, tag or commit (git rev-parse ${ref})`);
}

/**
 * Removes a workspace conductor made (a fixture copy, or a git worktree: unregistered from its repository too).
 * A folder the user named (`path:`) is never removed.
 */
export async function removeWorkspace(opts: { spec?: WorkspaceSpec; root: string; target: string }): Promise<void> {
  const { spec, root, target } = opts;
  if (!spec || 'path' in spec || !existsSync(target)) return;
  if ('git' in spec) {
    const execa = await loadExeca();
    const r = await execa('git', ['worktree', 'remove', '--force', target], { cwd: root, reject: false });
    if (r.exitCode === 0 && !existsSync(target)) return;
  }
  rmSync(target, { recursive: true, force: true });
  if ('git' in spec) {
    const execa = await loadExeca();
    await execa('git', ['worktree', 'prune'], { cwd: root, reject: false });
  }
}
