// Helpers for store tests that kill a real conductor and look at what it left.
import { conductor, onlyExec, readEvents } from '../run/helpers';

export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = probe();
      if (v !== undefined && v !== false) return v;
    } catch {
      // not there yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `plan` in `cwd` and kill -9s it once `ready` holds for its log; returns the execution id. */
export async function runAndKill(cwd: string, plan: string, ready: (events: ReturnType<typeof readEvents>, exec: string) => boolean): Promise<string> {
  const child = conductor(cwd, ['run', plan]);
  const exec = await until(`${plan} to reach the point to kill it`, () => {
    const id = onlyExec(cwd);
    return ready(readEvents(cwd, id), id) ? id : undefined;
  });
  child.kill('SIGKILL');
  await child;
  return exec;
}
