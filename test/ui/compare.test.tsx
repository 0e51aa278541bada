// The live comparison in the TUI: a pane per lane side by side, titled by provider and status; approvals
// name the provider; "same answer for all" sends one decision per identical pending approval and no other;
// the comparison view (figures per provider, diff of diffs) when the execution finishes and on C.
import { afterEach, describe, expect, test } from 'vitest';
import type { LaneChangesLike } from '../../src/core/compare';
import { App } from '../../src/ui/app';
import { FakeRuntime, plain } from './fake-runtime';
import { KEY, mount, until } from './harness';

type Mounted = ReturnType<typeof mount>;
let app: Mounted | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

/** A comparison of one step `greet` on each lane, every lane's session running. */
function laneRuntime(lanes: string[]): FakeRuntime {
  const rt = new FakeRuntime();
  rt.emit({
    type: 'execution.created', kind: 'plan', file: 'plans/compare.plan.yaml', goal: 'Compare greetings', concurrency: lanes.length, lanes,
    units: lanes.map((l) => ({ id: `greet@${l}`, kind: 'step' as const, agent: 'backend', provider: l, dependsOn: [], expectedOutputs: [], lane: l, step: 'greet' })),
  }, { type: 'execution.started' });
  for (const l of lanes) {
    rt.emit(
      { type: 'step.started', unit: `greet@${l}`, session: `s-${l}`, attempt: 1, provider: l, agent: 'backend' },
      { type: 'session.state', session: `s-${l}`, state: 'running' },
    );
    rt.setScreen(`s-${l}`, [plain(`${l} is working`)], 4, 60);
  }
  return rt;
}

const ask = (rt: FakeRuntime, id: string, lane: string, command: string) =>
  rt.emit({ type: 'approval.requested', id, session: `s-${lane}`, via: 'screen', command, options: ['allow', 'always', 'deny'] });

const finish = (rt: FakeRuntime, lane: string) =>
  rt.emit({ type: 'session.state', session: `s-${lane}`, state: 'completed', exitCode: 0 }, { type: 'step.finished', unit: `greet@${lane}`, status: 'passed' });

async function open(rt: FakeRuntime, size = { cols: 160, rows: 40 }, loadCompare?: () => Promise<Record<string, LaneChangesLike | undefined>>) {
  app = mount(<App runtime={rt} bell={false} now={() => 1_020_000} loadCompare={loadCompare} />, size);
  await until(() => app!.frame().length > 0, 'the first frame');
  return app;
}

const rowWith = (frame: string, ...texts: string[]) => frame.split('\n').find((l) => texts.every((t) => l.includes(t)));

describe('lanes as split panes', () => {
  test('one pane per lane on the same rows, titled provider · status, following each lane', async () => {
    const rt = laneRuntime(['sim-careful', 'sim-quick']);
    const a = await open(rt);
    await a.shows('sim-quick · running greet');
    expect(rowWith(a.frame(), 'sim-careful · running greet', 'sim-quick · running greet')).toBeDefined();
    expect(a.frame()).toContain('sim-careful is working');
    expect(a.frame()).toContain('sim-quick is working');
    finish(rt, 'sim-quick');
    await a.shows('sim-quick · ✓ passed');
    expect(rowWith(a.frame(), 'sim-careful · running greet', 'sim-quick · ✓ passed')).toBeDefined();
    // The person's own choices still work: focus and zoom on a lane's pane, then closing the split.
    await a.press(KEY.tab, 'z');
    expect(a.frame()).toContain('sim-careful · running greet');
    expect(a.frame()).not.toContain('sim-quick · ✓ passed');
    await a.press('z');
    await a.shows('sim-quick · ✓ passed');
    await a.press('v');
    // `v` on the focused pane takes it out of the split: the lanes are no longer followed, one pane is left.
    expect(rowWith(a.frame(), 'sim-careful · ', 'sim-quick · ')).toBeUndefined();
    // Nor does a change of the execution bring them back.
    rt.emit({ type: 'session.output', session: 's-sim-careful', bytes: 1 });
    await a.press(KEY.esc);
    expect(rowWith(a.frame(), 'sim-careful · ', 'sim-quick · ')).toBeUndefined();
    // `f` on the board follows again: the lanes' panes come back.
    await a.press('f');
    await until(() => rowWith(a.frame(), 'sim-careful · running greet', 'sim-quick · ✓ passed') !== undefined, 'the lanes side by side again');
  });

  test('more than 4 lanes: the first 4 are shown and the last pane names the others', async () => {
    const lanes = ['sim-a', 'sim-b', 'sim-c', 'sim-d', 'sim-e', 'sim-f'];
    const a = await open(laneRuntime(lanes));
    await a.shows('+2 more: sim-e, sim-f');
    for (const l of lanes.slice(0, 4)) expect(a.frame()).toContain(`${l} · running greet`);
    expect(a.frame()).not.toContain('sim-e · running');
  });
});

describe('approvals in a comparison', () => {
  test('the overlay and the approvals list say which provider asks', async () => {
    const rt = laneRuntime(['sim-careful', 'sim-quick']);
    ask(rt, 'ap-1', 'sim-quick', 'node -e "1"');
    const a = await open(rt);
    await a.shows('sim-quick asks to run');
    expect(a.frame()).toMatch(/Approval 1 of 1 +sim-quick asks to run \(step greet · backend\):/);
    expect(a.frame()).not.toContain('[*] same answer for all');
    await a.press('A');
    await a.shows('Approvals');
    expect(rowWith(a.frame(), '⚑ sim-quick', 'node -e "1"')).toBeDefined();
  });

  test('"same answer for all" decides every pending identical command once, and nothing else', async () => {
    const rt = laneRuntime(['sim-a', 'sim-b', 'sim-c', 'sim-d']);
    ask(rt, 'ap-1', 'sim-a', 'mkdir -p build');
    ask(rt, 'ap-2', 'sim-b', 'mkdir   -p\tbuild ');
    ask(rt, 'ap-3', 'sim-c', 'rm -rf build');
    // Identical but already decided (by the policy): not pending, so not decided again.
    ask(rt, 'ap-4', 'sim-d', 'mkdir -p build');
    rt.emit({ type: 'approval.decided', id: 'ap-4', decision: 'deny', by: 'policy', rule: 'deny mkdir *' });
    const a = await open(rt);
    await a.shows('[*] same answer for all 2');
    await a.press('*');
    await a.shows('Same answer for all 2 (sim-a, sim-b)');
    await a.press('y');
    expect(rt.sent('approve')).toEqual([
      { type: 'approve', id: 'ap-1', decision: 'allow' },
      { type: 'approve', id: 'ap-2', decision: 'allow' },
    ]);
    // The other command is still asked about, one at a time.
    await a.shows('$ rm -rf build');
    expect(a.frame()).toContain('allowed for 2: sim-a, sim-b');
    await a.press('*', KEY.esc);
    // Esc leaves "for all" without deciding anything.
    expect(rt.sent('approve')).toHaveLength(2);
    await a.shows('[y] allow');
  });
});

test('the ? overlay of a comparison lists the comparison key and the same-answer-for-all key', async () => {
  const a = await open(laneRuntime(['sim-careful', 'sim-quick']), { cols: 240, rows: 90 });
  await a.press('?');
  await a.shows('Comparison of providers');
  expect(a.frame()).toMatch(/C +compare providers/);
  expect(a.frame()).toMatch(/\* +same answer for all/);
  expect(a.frame()).toContain('Approval: same answer for all');
});

describe('the comparison view', () => {
  const changes: Record<string, LaneChangesLike> = {
    'sim-careful': { lane: 'sim-careful', files: [
      { path: 'src/greet.js', status: 'added', added: 5, removed: 0, hash: 'a', after: 'function greet() {}\n' },
      { path: 'test/greet.test.js', status: 'added', added: 6, removed: 0, hash: 't', after: 'test\n' },
    ] },
    'sim-quick': { lane: 'sim-quick', files: [{ path: 'src/greet.js', status: 'added', added: 1, removed: 0, hash: 'b', after: 'module.exports = {}\n' }] },
  };

  test('opens when the execution finishes: a column per provider, the figures, the diff of diffs; Esc closes, C opens', async () => {
    const rt = laneRuntime(['sim-careful', 'sim-quick']);
    ask(rt, 'ap-1', 'sim-careful', 'node test/greet.test.js');
    rt.emit({ type: 'approval.decided', id: 'ap-1', decision: 'allow', by: 'policy', rule: 'node *' });
    ask(rt, 'ap-2', 'sim-careful', 'mkdir -p build');
    rt.emit({ type: 'approval.decided', id: 'ap-2', decision: 'deny', by: 'user', how: 'overlay' });
    let loads = 0;
    const a = await open(rt, { cols: 160, rows: 40 }, async () => (loads++, changes));
    finish(rt, 'sim-careful');
    finish(rt, 'sim-quick');
    rt.emit({ type: 'execution.finished', status: 'passed', passed: 2, failed: 0 });
    await a.shows('only sim-careful changed: test/greet.test.js');
    const f = a.frame();
    expect(f).toMatch(/sim-careful +sim-quick/);
    expect(f).toMatch(/approvals asked +2 +0/);
    expect(f).toMatch(/denied +1 +0/);
    expect(f).toMatch(/files changed +2 +1/);
    expect(f).toMatch(/lines \+\/− +\+11 −0 +\+1 −0/);
    expect(f).toMatch(/status +✓ passed +✓ passed/);
    expect(f).toContain('changed differently: src/greet.js');
    expect(f).toContain('src/greet.js: sim-careful → sim-quick');
    expect(loads).toBeGreaterThan(0);
    await a.press(KEY.esc);
    expect(a.frame()).not.toContain('Diff of diffs');
    await a.press('C');
    await a.shows('Diff of diffs');
  });

  test('scrolls when it does not fit', async () => {
    const rt = laneRuntime(['sim-careful', 'sim-quick']);
    const a = await open(rt, { cols: 100, rows: 14 }, async () => changes);
    await a.press('C');
    await a.shows('Comparison');
    expect(a.frame()).toMatch(/lines 1–\d+ of \d+/);
    expect(a.frame()).not.toContain('Diff of diffs');
    for (let i = 0; i < 12; i++) await a.press('j');
    await a.shows('Diff of diffs');
    expect(a.frame()).not.toMatch(/lines 1–/);
  });
});
