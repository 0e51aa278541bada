// Prepares the folder an execution's sessions run in: the project folder itself, a fresh copy of a
// fixture folder, or a git worktree at a ref. Reused as-is when an execution resumes.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { WorkspaceSpec } from '../../core/types';

export class WorkspaceError extends Error {}

/** Resolves `p` against `base`, refusing anything outside `root`. */
export function confined(root: string, base: string, p: string): string {
  const abs = resolve(base, p);
  const rel = relative(root, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new WorkspaceError(`${p} is outside the project root ${root}`);
  return abs;
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
    cpSync(from, target, { recursive: true, filter: (src) => !/[/\\](node_modules|\.git)$/.test(src) });
    return target;
  }
  const execa = await loadExeca();
  const r = await execa('git', ['worktree', 'add', '--detach', target, spec.git], { cwd: root, reject: false });
  if (r.exitCode !== 0) throw new WorkspaceError(`git worktree add ${spec.git} failed: ${String(r.stderr).trim()}`);
  return target;
}
