// `npm test` after the build and type check: the parallel group, then the serial group (see vitest.config.ts),
// both always run; exits non-zero when either failed. Arguments are passed to both (e.g. a file filter).
import { spawnSync } from 'node:child_process';

const workers = process.env.CONDUCTOR_TEST_WORKERS ?? '2';
const groups = [
  ['--project', 'parallel', `--maxWorkers=${workers}`],
  ['--project', 'serial', '--maxWorkers=1'],
];
let code = 0;
for (const args of groups) {
  const r = spawnSync('npx', ['vitest', 'run', '--passWithNoTests', ...args, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) code = r.status ?? 1;
}
process.exit(code);
