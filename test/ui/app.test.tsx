import chalk from 'chalk';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { App } from '../../src/ui/app';
import { EXEC, FakeRuntime, planRuntime, scenarioRuntime } from './fake-runtime';
import { KEY, mount, settle } from './harness';

type Mounted = ReturnType<typeof mount>;
let app: Mounted | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
});

async function open(rt: FakeRuntime, size = { cols: 100, rows: 30 }, extra: Partial<Parameters<typeof App>[0]> = {}) {
  app = mount(<App runtime={rt} bell={false} now={() => 1_020_000} follow={false} {...extra} />, size);
  await settle();
  return app;
}

const lines = (frame: string) => frame.split('\n');

describe('board and header', () => {
  test('steps in dependency order with icons, dependencies and approval markers', async () => {
    const a = await open(planRuntime({ approvals: 1 }));
    const f = a.frame();
    const order = ['✓ db', '⚑ api ← db', '● docs', '○ web ← api, docs'].map((s) => f.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(f).toMatch(/api ← db approval\?/);
    expect(f).toMatch(/backend · claude · 13s/);
    expect(f).toContain('frontend · codex');
  });

  test('header shows goal, execution id and counts', async () => {
    const a = await open(planRuntime({ approvals: 1 }));
    const header = lines(a.frame())[0];
    expect(header).toContain('Ship the todo API');
    expect(header).toContain(EXEC);
    expect(header).toContain('✓1 ●1 ⚑1 ✗0 /4');
  });

  test('a scenario shows its trials as a matrix: one dot per trial', async () => {
    const a = await open(scenarioRuntime());
    expect(a.frame()).toMatch(/›claude 3 trials · 3 to go/);
    expect(a.frame()).toContain('● ○ ○');
    expect(a.frame()).toContain('no trial judged yet');
    expect(a.frame()).toMatch(/claude-1 running/);
  });

  test('↑/↓ move the selection and the pane follows it', async () => {
    const a = await open(planRuntime());
    expect(a.frame()).toContain('db · dba · sim');
    await a.press(KEY.down);
    await a.shows('api · backend · claude');
    expect(a.frame()).toContain('ready for input');
    await a.press('j', 'k');
    expect(a.frame()).toContain('api · backend · claude');
  });

  test('by default the pane follows the step that needs attention, until a step is picked; f follows again', async () => {
    const rt = planRuntime();
    const a = await open(rt, undefined, { follow: true });
    await a.shows('docs · writer · gemini');
    rt.emit({ type: 'approval.requested', id: 'ap-9', session: 's-api', via: 'screen', command: 'ls', options: ['allow', 'deny'] });
    await a.shows('api · backend · claude');
    await a.press('l', KEY.up);
    await a.shows('db · dba · sim');
    rt.emit({ type: 'session.output', session: 's-docs', bytes: 3 });
    await settle();
    expect(a.frame()).toContain('db · dba · sim');
    await a.press('f');
    await a.shows('api · backend · claude');
  });
});

describe('pane', () => {
  test('a session that ended before this conductor started points at its recording', async () => {
    const rt = new FakeRuntime();
    rt.emit(
      { type: 'execution.created', kind: 'plan', file: 'p.plan.yaml', goal: 'Resumed plan', concurrency: 1, units: [{ id: 'one', kind: 'step', agent: 'backend', provider: 'sim', dependsOn: [], expectedOutputs: [] }] },
      { type: 'execution.started' },
      { type: 'step.started', unit: 'one', session: 'one#1', attempt: 1, provider: 'sim', agent: 'backend' },
      { type: 'session.state', session: 'one#1', state: 'interrupted', reason: 'quit' },
    );
    const a = await open(rt);
    expect(a.frame()).toContain('This session ran before this conductor started');
    expect(a.frame()).toContain(`proof/${EXEC}/one#1.md`);
  });

  beforeAll(() => {
    chalk.level = 3;
    return () => {
      chalk.level = 0;
    };
  });

  test('draws colored spans and lets no sequence but SGR through', async () => {
    const a = await open(planRuntime());
    await a.press(KEY.down);
    const f = a.frame();
    expect(f).toContain('\x1b[32mhistory 25 ');
    expect(f).toContain('\x1b[38;2;255;136;0m');
    expect(f).toMatch(/copied/);
    expect(f).toMatch(/titled/);
    expect(f).toMatch(/ctrlchars/);
    expect(f).not.toContain(']52;');
    expect(f).not.toContain('evil title');
    expect(f).not.toContain('\x07');
    const escapes = f.match(/\x1b[^[]|\x1b\[[0-9;]*[^0-9;m]/g);
    expect(escapes).toBeNull();
  });

  test('re-renders a pane only when its session version moves', async () => {
    const rt = planRuntime();
    const spy = vi.spyOn(rt, 'screen');
    const a = await open(rt);
    await a.press(KEY.down);
    const calls = () => spy.mock.calls.filter(([s]) => s === 's-api').length;
    const before = calls();
    rt.emit({ type: 'session.output', session: 's-docs', bytes: 5 });
    await settle();
    expect(calls()).toBe(before);
    rt.output('s-api', [{ spans: [{ text: 'fresh line' }] }]);
    await settle();
    expect(calls()).toBeGreaterThan(before);
    expect(a.frame()).toContain('fresh line');
  });

  test('asks the runtime to resize a live session to its pane', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press(KEY.down);
    await vi.waitFor(() => expect(rt.sent('resize')).toContainEqual({ type: 'resize', session: 's-api', cols: 68, rows: 24 }));
  });

  test('PgUp pages through history; G returns to the live screen', async () => {
    const a = await open(planRuntime(), { cols: 100, rows: 16 });
    await a.press(KEY.down, KEY.enter);
    expect(a.frame()).not.toContain('history 17 ');
    await a.press(KEY.pageUp);
    expect(a.frame()).toMatch(/↑\d+/);
    expect(a.frame()).toContain('history 17 ');
    await a.press('G');
    expect(a.frame()).not.toMatch(/↑\d+/);
  });

  test('/ searches the buffer, n/N move between matches, matches are highlighted', async () => {
    const a = await open(planRuntime());
    await a.press(KEY.down, KEY.enter, '/');
    expect(a.frame()).toContain('SEARCH');
    await a.press('n', 'e', 'e', 'd', 'l', 'e', KEY.enter);
    expect(a.frame()).toContain('/needle 6/6');
    expect(a.frame()).toMatch(/\x1b\[45m[^\n]*needle/);
    await a.press('n');
    expect(a.frame()).toContain('/needle 5/6');
    expect(a.frame()).toContain('history 20 ');
    await a.press('N');
    expect(a.frame()).toContain('/needle 6/6');
    await a.press(KEY.esc);
    await settle();
    expect(a.frame()).not.toContain('/needle');
  });

  test('split shows several panes; z zooms one', async () => {
    const a = await open(planRuntime(), { cols: 200, rows: 40 });
    await a.press(KEY.down, 'v', KEY.down, 'v');
    expect(a.frame()).toContain('api · backend · claude');
    expect(a.frame()).toContain('docs · writer · gemini');
    await a.press(KEY.tab, 'z');
    const zoomed = a.frame();
    expect(zoomed).toContain('api · backend · claude');
    expect(zoomed).not.toContain('docs · writer · gemini');
    expect(zoomed).not.toContain('Steps');
  });
});

describe('approvals', () => {
  test('y allows the first in the queue with exactly one command, then the next is shown', async () => {
    const rt = planRuntime({ approvals: 2 });
    const a = await open(rt);
    expect(a.frame()).toContain('Approval 1 of 2');
    expect(a.frame()).toContain('$ rm -rf build');
    expect(a.frame()).toContain('via screen · detector claude-prompt · CLI 1.0.3');
    await a.press('y');
    expect(rt.commands.filter((c) => c.type === 'approve')).toEqual([{ type: 'approve', id: 'ap-1', decision: 'allow' }]);
    expect(a.frame()).toContain('Approval 1 of 1');
    expect(a.frame()).toContain('$ npm publish');
    await a.press('y');
    expect(rt.sent('approve')).toEqual([
      { type: 'approve', id: 'ap-1', decision: 'allow' },
      { type: 'approve', id: 'ap-2', decision: 'allow' },
    ]);
  });

  test('a is always, n and Esc deny', async () => {
    const rt = planRuntime({ approvals: 2 });
    const a = await open(rt);
    await a.press('a');
    expect(rt.sent('approve')).toEqual([{ type: 'approve', id: 'ap-1', decision: 'always' }]);
    await a.press(KEY.esc);
    await settle();
    expect(rt.sent('approve')[1]).toEqual({ type: 'approve', id: 'ap-2', decision: 'deny' });
    const rt2 = planRuntime({ approvals: 1 });
    app?.unmount();
    const b = await open(rt2);
    await b.press('n');
    expect(rt2.sent('approve')).toEqual([{ type: 'approve', id: 'ap-1', decision: 'deny' }]);
    expect(b.frame()).not.toContain('Approval 1');
  });

  test('an option the prompt does not offer sends nothing', async () => {
    const rt = planRuntime({ approvals: 2 });
    const a = await open(rt);
    await a.press(KEY.right, 'a');
    expect(rt.sent('approve')).toEqual([]);
    expect(a.frame()).toContain('does not offer "always"');
  });

  test('Enter toggles details; the list shows past decisions with who decided', async () => {
    const rt = planRuntime({ approvals: 2 });
    const a = await open(rt);
    await a.press(KEY.enter);
    expect(a.frame()).toContain('id ap-1 · session s-api');
    rt.emit({ type: 'approval.decided', id: 'ap-1', decision: 'deny', by: 'timeout' }, { type: 'approval.resolved', id: 'ap-1', decision: 'deny', by: 'timeout' });
    await settle();
    await a.press('A');
    expect(a.frame()).toContain('Approvals 1 waiting · 2 in all');
    expect(a.frame()).toMatch(/⚑ docs waiting · via hook \$ npm publish/);
    expect(a.frame()).toMatch(/✗ api deny by timeout · via screen \$ rm -rf build/);
    await a.press('y');
    expect(rt.sent('approve')).toEqual([{ type: 'approve', id: 'ap-2', decision: 'allow' }]);
    await a.press(KEY.esc);
    await settle();
    expect(a.frame()).not.toContain('Approvals 1 waiting');
  });

  test('the overlay opens when an approval arrives, and the bell rings once for it', async () => {
    const rt = planRuntime();
    const bell = vi.fn();
    const a = await open(rt, undefined, { bell });
    expect(a.frame()).not.toContain('Approval');
    rt.emit({ type: 'approval.requested', id: 'ap-9', session: 's-docs', via: 'screen', command: 'git push', options: ['allow', 'deny'] });
    await settle();
    expect(a.frame()).toContain('Approval 1 of 1');
    expect(a.frame()).toContain('$ git push');
    await vi.waitFor(() => expect(bell).toHaveBeenCalledTimes(1));
  });

  test('l puts the overlay off; the footer still counts pending approvals', async () => {
    const a = await open(planRuntime({ approvals: 2 }));
    await a.press('l');
    expect(a.frame()).not.toContain('Approval 1');
    expect(a.frame()).toContain('⚑ 2 pending');
  });
});

describe('input mode', () => {
  test('keys go to the PTY as exact bytes, Ctrl-] leaves', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press(KEY.down, 'i');
    expect(a.frame()).toContain('INPUT');
    expect(a.frame()).toContain('Ctrl-] leave input mode');
    await a.press('l', 's', KEY.enter, KEY.up, KEY.backspace, KEY.ctrlC, 'q', KEY.esc);
    await settle();
    expect(rt.sent('input').map((c) => c.data)).toEqual(['l', 's', '\r', '\x1b[A', '\x7f', '\x03', 'q', '\x1b']);
    expect(rt.sent('input').every((c) => c.session === 's-api')).toBe(true);
    await a.press(KEY.leave);
    expect(a.frame()).not.toContain('INPUT');
    expect(rt.sent('input')).toHaveLength(8);
    expect(rt.sent('quit')).toEqual([]);
  });

  test('a burst is split at the leave chord; a bracketed paste is forwarded as one paste', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press(KEY.down, KEY.enter, KEY.enter);
    expect(a.frame()).toContain('INPUT');
    await a.press('\x1b[200~hello\nworld\x1b[201~');
    await a.press('ab\x1dz');
    // The agent has no bracketed paste here: the newline would submit, so it becomes a space.
    expect(rt.sent('input')).toEqual([
      { type: 'input', session: 's-api', data: 'hello world', paste: true },
      { type: 'input', session: 's-api', data: 'ab' },
    ]);
    expect(a.frame()).not.toContain('INPUT');
    expect(a.frame()).not.toContain('Steps');
  });

  test('an approval on the session being typed into shows a banner instead of the overlay', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press(KEY.down, 'i');
    rt.emit({ type: 'approval.requested', id: 'ap-5', session: 's-api', via: 'screen', command: 'make deploy', options: ['allow', 'deny'] });
    await settle();
    expect(a.frame()).toContain('api asks: $ make deploy');
    expect(a.frame()).not.toContain('Approval 1 of 1');
    await a.press('y');
    expect(rt.sent('input').map((c) => c.data)).toEqual(['y']);
    await a.press(KEY.leave);
    expect(a.frame()).toContain('Approval 1 of 1');
  });
});

describe('run control and quitting', () => {
  test('s starts, p pauses and continues, x stops after a confirmation, r retries a failed step', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press('s', KEY.down, 'p');
    const control = () => rt.commands.filter((c) => c.type !== 'resize' && c.type !== 'pane-size');
    expect(control()).toEqual([{ type: 'start' }, { type: 'pause', session: 's-api' }]);
    rt.emit({ type: 'session.state', session: 's-api', state: 'paused' });
    await settle();
    await a.press('p');
    expect(control().at(-1)).toEqual({ type: 'continue', session: 's-api' });
    await a.press('x');
    expect(a.frame()).toContain('Stop the session of api?');
    await a.press('y');
    expect(control().at(-1)).toEqual({ type: 'stop', session: 's-api' });
    rt.emit({ type: 'session.state', session: 's-api', state: 'failed', exitCode: 1 });
    await settle();
    await a.press('r');
    expect(control().at(-1)).toEqual({ type: 'retry', unit: 'api' });
  });

  test('h holds new steps and the header says so; s then starts the next one', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press('h');
    expect(rt.commands.filter((c) => c.type === 'hold')).toEqual([{ type: 'hold' }]);
    rt.emit({ type: 'execution.held', held: true });
    await settle();
    expect(a.frame()).toContain('held (s next, h release)');
    await a.press('?');
    expect(a.frame()).toMatch(/h\s+hold\/release/);
  });

  test('q asks first while sessions run, then quits the runtime and exits', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press('q');
    expect(a.frame()).toContain('Quit? 2 sessions are still running');
    expect(a.frame()).toContain(`conductor tui --resume ${EXEC} continues`);
    await a.press('n');
    expect(a.frame()).not.toContain('Quit?');
    expect(rt.sent('quit')).toEqual([]);
    let exited = false;
    void a.instance.waitUntilExit().then(() => (exited = true));
    await a.press('q', 'y');
    await settle();
    expect(rt.sent('quit')).toEqual([{ type: 'quit' }]);
    expect(exited).toBe(true);
  });

  test('? lists every binding by scope', async () => {
    const a = await open(planRuntime(), { cols: 120, rows: 50 });
    await a.press('?');
    const f = a.frame();
    expect(f).toContain('Input mode (keys go to the agent)');
    expect(f).toContain('leave input mode');
    expect(f).toContain('always (this session)');
    await a.press(KEY.esc);
    await settle();
    expect(a.frame()).not.toContain('Input mode (keys go to the agent)');
  });

  test('the help bar follows the scope', async () => {
    const a = await open(planRuntime(), { cols: 160, rows: 30 });
    const footer = () => lines(a.frame()).at(-1) ?? '';
    expect(footer()).toContain('↑/k previous step');
    expect(footer()).toContain('? help');
    await a.press(KEY.enter);
    expect(footer()).toContain('↑/k previous pane');
    expect(footer()).toContain('/ search');
  });
});

describe('sizes', () => {
  test.each([
    [80, 24],
    [200, 60],
  ])('fits %i×%i and follows a resize', async (cols, rows) => {
    const a = await open(planRuntime({ approvals: 1 }), { cols, rows });
    const check = (c: number, r: number) => {
      const ls = lines(a.frame());
      expect(ls.length).toBeLessThanOrEqual(r - 1);
      for (const l of ls) expect([...l].length).toBeLessThanOrEqual(c);
      expect(a.frame()).toContain('Approval 1 of 1');
      expect(ls.at(-1)).toContain('pending');
    };
    check(cols, rows);
    a.stdout.resize(120, 40);
    await settle();
    check(120, 40);
    expect(lines(a.frame()).length).toBe(39);
  });
});
