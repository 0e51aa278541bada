// A node-pty without its native addon is reported at start with what to do.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertPtyAddon, PtyAddonMissing } from '../../src/adapters/pty/addon';

describe('assertPtyAddon', () => {
  it('passes for the installed node-pty', () => {
    expect(() => assertPtyAddon()).not.toThrow();
  });
  it('names the folder and the fix when pty.node was never built', () => {
    const root = mkdtempSync(join(tmpdir(), 'node-pty-'));
    expect(() => assertPtyAddon(root)).toThrow(PtyAddonMissing);
    expect(() => assertPtyAddon(root)).toThrow(/pty\.node\) was not built in .*npm install-scripts approve node-pty.*npm rebuild node-pty/);
    mkdirSync(join(root, 'build/Release'), { recursive: true });
    writeFileSync(join(root, 'build/Release/pty.node'), '');
    expect(() => assertPtyAddon(root)).not.toThrow();
  });
});
