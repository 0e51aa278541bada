// Checks that node-pty's native addon was built, so a broken install fails loudly at start with
// what to do, not later as a session that could not start.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export class PtyAddonMissing extends Error {}

/** The folders node-pty loads its addon from (see node-pty's lib/utils.js). */
const ADDON_DIRS = ['build/Release', 'build/Debug', `prebuilds/${process.platform}-${process.arch}`];

function nodePtyRoot(): string {
  try {
    return dirname(dirname(createRequire(import.meta.url).resolve('node-pty')));
  } catch {
    throw new PtyAddonMissing('node-pty is not installed: run `npm install` in the conductor folder');
  }
}

/** Throws PtyAddonMissing, saying how to fix it, unless node-pty (at `root`) has its addon. */
export function assertPtyAddon(root: string = nodePtyRoot()): void {
  if (!ADDON_DIRS.some((d) => existsSync(join(root, d, 'pty.node')))) {
    throw new PtyAddonMissing(
      `node-pty's native addon (pty.node) was not built in ${root}: its install script must run — approve it (\`npm install-scripts approve node-pty\`, recorded under allowScripts in package.json) and run \`npm rebuild node-pty\` (needs python3, make and g++)`,
    );
  }
}
