// Finds an executable on PATH, the way a shell would, without running anything.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Resolves a command name against PATH (absolute or relative paths are checked as they are). */
export async function which(command: string, envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  if (command.includes('/')) return (await isExecutable(command)) ? command : undefined;
  for (const dir of envPath.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, command);
    if (await isExecutable(p)) return p;
  }
  return undefined;
}
