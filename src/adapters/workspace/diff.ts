// Summarizes what a session changed in a git workspace (`git diff --numstat` plus untracked files).

export interface DiffFile {
  path: string;
  added: number;
  removed: number;
}

const loadExeca = () => import('execa').then((m) => m.execa);

export async function gitDiffSummary(dir: string): Promise<DiffFile[] | undefined> {
  const execa = await loadExeca();
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false });
  if (inside.exitCode !== 0 || String(inside.stdout).trim() !== 'true') return undefined;
  const numstat = await execa('git', ['diff', '--numstat', 'HEAD', '--', '.'], { cwd: dir, reject: false });
  const files: DiffFile[] = [];
  for (const line of String(numstat.stdout).split('\n')) {
    const m = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(line);
    if (m) files.push({ path: m[3], added: m[1] === '-' ? 0 : Number(m[1]), removed: m[2] === '-' ? 0 : Number(m[2]) });
  }
  const untracked = await execa('git', ['ls-files', '--others', '--exclude-standard', '--', '.'], { cwd: dir, reject: false });
  for (const path of String(untracked.stdout).split('\n').filter(Boolean)) files.push({ path, added: 0, removed: 0 });
  return files;
}
