// e2e: approvals you can trust. The real `conductor tui` on the demo at three sizes; on every approval a
// person waits 6 s without a key (the overlay opening resizes the pane, the agent redraws), then answers.
// Exactly the pressed key's decision is recorded, nothing is decided "by user" without a key, and no
// approval is left unresolved.
import { describe, expect, it } from 'vitest';
import type { ConductorEvent } from '../../src/core/events';
import { replay } from '../../src/core/machine';
import { onlyExec, readEvents, tempProject } from '../integration/run/helpers';
import { spawnConductor } from './term';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the execution to finish');
    await sleep(100);
  }
}
const DECISION: Record<string, string> = { y: 'allow', a: 'always', n: 'deny' };

describe.concurrent('conductor tui: a decision only when a key was pressed', () => {
  it.each([
    { cols: 120, rows: 40, keys: ['y', 'y'] },
    { cols: 80, rows: 24, keys: ['a', 'n'] },
    { cols: 60, rows: 20, keys: ['y', 'n'] },
    // The person resizes the terminal while the agent asks: the agent redraws, the approval stays the same one.
    { cols: 120, rows: 40, keys: ['n'], resize: [90, 26] as const },
  ])('$cols×$rows: waits 6 s at each approval, then records exactly $keys', async ({ cols, rows, keys, resize }) => {
    const cwd = tempProject();
    const t = spawnConductor(['tui', 'plans/demo.plan.yaml'], { cwd, cols, rows });
    const commands = [/\$ mkdir -p build/, /\$ node test\/greet\.test\.js/];
    for (const [i, key] of keys.entries()) {
      await t.waitFor(new RegExp(`Approval 1 of 1[\\s\\S]*${commands[i].source}`), 60_000);
      if (resize) {
        await sleep(2000);
        t.resize(resize[0], resize[1]);
        await sleep(2000);
        t.resize(cols, rows);
        await sleep(2000);
      } else await sleep(6000);
      // Still asking, nothing decided while no key was pressed.
      expect(t.screen()).toMatch(/Approval 1 of 1/);
      const before = readEvents(cwd, onlyExec(cwd));
      expect(before.filter((e) => e.type === 'approval.decided')).toHaveLength(i);
      expect(before.filter((e) => e.type === 'approval.withdrawn')).toEqual([]);
      t.write(key);
    }
    await waitUntil(() => readEvents(cwd, onlyExec(cwd)).some((e) => e.type === 'execution.finished'), 30_000);
    t.write('q');
    await t.exited;
    const events = readEvents(cwd, onlyExec(cwd));
    const decided = events.filter((e) => e.type === 'approval.decided');
    expect(decided.map((e) => [e.decision, e.by, e.how])).toEqual(keys.map((k) => [DECISION[k], 'user', 'overlay']));
    const state = replay(events as unknown as ConductorEvent[])!;
    expect(Object.values(state.approvals).map((a) => a.status)).toEqual(keys.map(() => 'resolved'));
    expect(events.filter((e) => e.type === 'approval.requested')).toHaveLength(keys.length);
  }, 150_000);
});
