// The `conductor hook` entry (dist/hook.js): a small bundle of its own, so an agent CLI's hook starts fast
// (no Ink, React, node-pty, config or plan loading). bin/conductor routes `conductor hook …` here too.
import { runHookClient } from '../adapters/hooks/client';

const args = process.argv.slice(2);
if (args[0] === 'hook') args.shift();
runHookClient(args, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`conductor hook: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
