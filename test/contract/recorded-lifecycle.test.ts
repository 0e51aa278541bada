// Contract: each real CLI's recorded approval screens (captured from the pinned CLIs, test/fixtures/
// screens/real) driven through the real runtime, reducer and session adapter with that CLI's preset.
// A person waits 6 s without a key while the terminal is resized and the agent redraws its prompt;
// nothing is decided; then exactly the key pressed decides, and the preset's keys are what the agent gets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinProviders } from '../../src/adapters/providers';
import type { Decision } from '../../src/core/types';
import { World, type FakePty } from '../runtime/harness';

const screen = (name: string): string => readFileSync(join(__dirname, '../fixtures/screens/real', `${name}.txt`), 'utf8');
/** A full-screen app's frame: home, clear, the recorded text. */
const frame = (text: string): string => `\x1b[H\x1b[2J${text.replace(/\r?\n/g, '\r\n')}`;

/** Replays a CLI's recorded screens: the prompt; redrawn after a resize; the answer's screen on a key. */
function recordedAgent(pty: FakePty, cli: string, keys: Record<Decision, string>): void {
  const prompt = screen(`${cli}-shell-prompt`);
  let answered = false;
  void pty.out(frame(prompt));
  const resize = pty.resize.bind(pty);
  pty.resize = (cols, rows) => {
    resize(cols, rows);
    // The app clears and redraws for the new size a moment later.
    if (!answered) void pty.out('\x1b[H\x1b[2J').then(() => setTimeout(() => void pty.out(frame(prompt)), 5));
  };
  pty.onKeys = (data) => {
    if (answered) return;
    if (data === keys.allow || data === keys.always) {
      answered = true;
      void pty.out(frame(screen(`${cli}-allowed`))).then(() => pty.exit(0));
    } else if (data === keys.deny) {
      answered = true;
      void pty.out(frame(screen(`${cli}-denied`))).then(() => pty.exit(0));
    }
  };
}

describe.each(['claude', 'codex', 'gemini'])('%s recorded screens through the lifecycle', (cli) => {
  const preset = builtinProviders[cli];
  it.each(['allow', 'deny'] as const)('a resize while asking keeps one approval; after 6 s, %s is exactly what is recorded and sent', async (decision) => {
    const w = new World({ provider: preset, size: { cols: 120, rows: 40 } });
    w.onSpawn = (_, pty) => recordedAgent(pty, cli, preset.approval.keys);
    await w.start();
    await w.clock.advance(1000);
    expect(w.state.queue).toEqual(['ap-1']);
    expect(w.state.approvals['ap-1'].command).toBe('touch conductor-contract-ok');
    for (const [cols, rows] of [[100, 30], [120, 40], [80, 24], [120, 40]]) {
      await w.runtime.command({ type: 'resize', session: 'a#1', cols, rows });
      await new Promise((r) => setTimeout(r, 30));
      await w.clock.advance(1500);
    }
    expect(w.events('approval.requested')).toHaveLength(1);
    expect(w.events('approval.decided', 'approval.withdrawn')).toEqual([]);
    expect(w.pty().written).toEqual([]);
    await w.runtime.command({ type: 'approve', id: 'ap-1', decision });
    await w.clock.advance(1000);
    expect(w.pty().written).toEqual([preset.approval.keys[decision]]);
    expect(w.events('approval.decided').map((e) => e.type === 'approval.decided' && [e.decision, e.by, e.how])).toEqual([[decision, 'user', 'overlay']]);
    expect(w.state.approvals['ap-1'].status).toBe('resolved');
  });
});
