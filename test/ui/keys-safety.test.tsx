// The keys and what they reach, where a slip costs most: input mode after its session ends, follow
// mode while typing, pastes (never an answer, never a command), quitting from everywhere, the approval
// overlay showing the session that asks and everything about its question, the list of decisions.
import chalk from 'chalk';
import { afterEach, describe, expect, test } from 'vitest';
import type { EventBody } from '../../src/core/events';
import type { Command } from '../../src/runtime/api';
import { App } from '../../src/ui/app';
import { applyKeymapOverrides, DEFAULT_KEYMAP } from '../../src/ui/keymap';
import type { Keymap } from '../../src/ui/keymap';
import type { FakeRuntime } from './fake-runtime';
import { planRuntime } from './fake-runtime';
import { KEY, mount, settle } from './harness';

type Mounted = ReturnType<typeof mount>;
let app: Mounted | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  chalk.level = 0;
});

async function open(rt: FakeRuntime, size = { cols: 100, rows: 30 }, extra: Partial<Parameters<typeof App>[0]> = {}) {
  const m = mount(<App runtime={rt} bell={false} now={() => 1_020_000} follow={false} {...extra} />, size);
  await settle(40);
  // Keys are routed at once; the frame they lead to can take longer than one tick on a busy machine.
  const wrapped: Mounted = {
    ...m,
    press: async (...keys: string[]) => {
      await m.press(...keys);
      await settle(40);
    },
  };
  app = wrapped;
  return wrapped;
}

const footer = (a: Mounted) => a.frame().split('\n').at(-1) ?? '';
/** Everything sent but the pane resizes the layout asks for. */
const control = (rt: FakeRuntime): Command[] => rt.commands.filter((c) => c.type !== 'resize' && c.type !== 'pane-size');
const SHIFT_DOWN = '\x1b[1;2B';
const SHIFT_UP = '\x1b[1;2A';

describe('input mode after its session ends', () => {
  test('stays on: every key but Ctrl-] is swallowed, nothing is sent, and a notice says why', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press(KEY.down, 'i');
    expect(a.frame()).toContain('INPUT');
    rt.emit({ type: 'session.state', session: 's-api', state: 'failed', exitCode: 1 });
    await settle(40);
    expect(a.frame()).toContain("api's session ended — keys are not sent; Ctrl-] leaves input mode");
    const before = control(rt).length;
    // Today's accident: x then y stopped another agent, r retried, Enter typed into another one.
    await a.press('x', 'y', 'r', KEY.enter, 'i', 'q', KEY.ctrlC, 's', KEY.down, 'x', 'y');
    await a.press('\x1b[200~pasted\x1b[201~');
    expect(control(rt).slice(before)).toEqual([]);
    expect(a.frame()).toContain('INPUT');
    expect(a.frame()).not.toContain('Stop the session');
    expect(a.frame()).not.toContain('Quit?');
    await a.press(KEY.leave);
    expect(a.frame()).not.toContain('INPUT');
    expect(a.frame()).not.toContain('session ended');
    // Back in normal mode the keys are commands again.
    await a.press('r');
    expect(control(rt).at(-1)).toEqual({ type: 'retry', unit: 'api' });
  });

  test('the notice names the configured leave key', async () => {
    const r = applyKeymapOverrides(DEFAULT_KEYMAP, { 'leave-input': ['ctrl+\\'] });
    if (!('table' in r)) throw new Error(r.errors.join('\n'));
    const rt = planRuntime();
    const a = await open(rt, undefined, { keymap: r.table as Keymap });
    await a.press(KEY.down, 'i');
    rt.emit({ type: 'session.state', session: 's-api', state: 'cancelled' });
    await settle(40);
    expect(a.frame()).toContain("api's session ended — keys are not sent; Ctrl-\\ leaves input mode");
    await a.press('\x1c');
    expect(a.frame()).not.toContain('INPUT');
  });
});

describe('follow mode while typing', () => {
  test('never moves the pane being typed into; following resumes after input mode', async () => {
    const rt = planRuntime();
    const a = await open(rt, undefined, { follow: true });
    expect(a.frame()).toContain('›● docs');
    await a.press('i');
    expect(a.frame()).toContain('INPUT');
    rt.emit({ type: 'approval.requested', id: 'ap-9', session: 's-api', via: 'screen', command: 'ls', options: ['allow', 'deny'] });
    await settle(40);
    // No overlay takes the keys of a person typing into a pane: the other agent's ask is a banner, the selection stays.
    expect(a.frame()).toContain('›● docs');
    expect(a.frame()).not.toContain('Approval 1 of 1');
    expect(a.frame()).toContain('api asks: $ ls');
    expect(a.frame()).toContain('docs · writer · gemini');
    expect(a.frame()).toContain('INPUT');
    await a.press('y');
    expect(rt.sent('approve')).toEqual([]);
    expect(rt.sent('input')).toEqual([{ type: 'input', session: 's-docs', data: 'y' }]);
    await a.press(KEY.leave);
    await settle(40);
    // Nothing new arrives; the next state change re-syncs the selection to what needs attention.
    rt.emit({ type: 'session.output', session: 's-docs', bytes: 1 });
    await settle(40);
    expect(a.frame()).toMatch(/›⚑ api/);
  });
});

describe('pastes', () => {
  test('a paste never answers an approval; the same key typed afterwards does', async () => {
    const rt = planRuntime({ approvals: 1 });
    const a = await open(rt);
    expect(a.frame()).toContain('Approval 1 of 1');
    await a.press('\x1b[200~y\x1b[201~');
    expect(rt.sent('approve')).toEqual([]);
    expect(a.frame()).toContain('paste ignored: answer with a key');
    expect(a.frame()).toContain('Approval 1 of 1');
    await a.press('y');
    expect(rt.sent('approve')).toEqual([{ type: 'approve', id: 'ap-1', decision: 'allow' }]);
  });

  test('text right after a paste end in the same burst is pasted text, not a key (ESC[201~y inside a paste)', async () => {
    const rt = planRuntime({ approvals: 1 });
    const a = await open(rt);
    await a.press('\x1b[200~hello\x1b[201~y');
    expect(rt.sent('approve')).toEqual([]);
    expect(a.frame()).toContain('paste ignored: answer with a key');
    expect(a.frame()).toContain('Approval 1 of 1');
    await a.press('y');
    expect(rt.sent('approve')).toEqual([{ type: 'approve', id: 'ap-1', decision: 'allow' }]);
  });

  test('in input mode the early-ended paste reaches the agent whole, as one bracketed paste without inner markers', async () => {
    const rt = planRuntime();
    rt.pasteMode.add('s-api');
    const a = await open(rt);
    await a.press(KEY.down, 'i');
    await a.press('\x1b[200~echo hi\x1b[201~y\x1b[200~ more\x1d\x1b[201~');
    await a.press('z');
    expect(rt.sent('input')).toEqual([
      { type: 'input', session: 's-api', data: '\x1b[200~echo hiy more\x1d\x1b[201~', paste: true },
      { type: 'input', session: 's-api', data: 'z' },
    ]);
    expect(a.frame()).toContain('INPUT');
  });

  test('without bracketed paste the agent gets one line: newlines become spaces, the trailing one is dropped, and a notice says so', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press(KEY.down, 'i');
    await a.press('\x1b[200~ls -la\r\nrm -rf x\n\x1b[201~');
    expect(rt.sent('input')).toEqual([{ type: 'input', session: 's-api', data: 'ls -la rm -rf x', paste: true }]);
    expect(a.frame()).toContain('newlines became spaces');
  });

  test('on the board, in a pane, in help and in the approvals list a paste runs no command', async () => {
    const rt = planRuntime({ approvals: 1 });
    const a = await open(rt);
    await a.press('l', '\x1b[200~xq\x1b[201~');
    expect(a.frame()).toContain('paste ignored');
    await a.press(KEY.down, KEY.enter, '\x1b[200~x\x1b[201~', '?', '\x1b[200~q\x1b[201~', KEY.esc);
    await settle(40);
    await a.press('A', '\x1b[200~y\x1b[201~');
    expect(a.frame()).toContain('paste ignored: answer with a key');
    expect(control(rt)).toEqual([]);
    expect(a.frame()).not.toContain('Quit?');
    expect(a.frame()).not.toContain('Stop the session');
  });
});

describe('q and Ctrl-C from everywhere', () => {
  test.each([
    ['the approval overlay', [], 'q'],
    ['the approval overlay (Ctrl-C)', [], KEY.ctrlC],
    ['the approval details', [KEY.enter], 'q'],
    ['the approvals list', ['A'], 'q'],
    ['help', ['?'], 'q'],
    ['help (Ctrl-C)', ['?'], KEY.ctrlC],
    ['the search prompt (Ctrl-C)', ['l', KEY.down, KEY.enter, '/'], KEY.ctrlC],
    ['the stop confirmation', ['l', 'x'], 'q'],
  ])('%s opens the quit confirmation', async (_where, before, key) => {
    const rt = planRuntime({ approvals: 1 });
    const a = await open(rt, { cols: 120, rows: 40 });
    await a.press(...before, key);
    expect(a.frame()).toContain('Quit? 2 sessions are still running');
    expect(rt.sent('approve')).toEqual([]);
    await a.press('n');
    expect(a.frame()).not.toContain('Quit?');
    expect(rt.sent('quit')).toEqual([]);
  });

  test('q is text in the search prompt; y after the confirmation quits', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press(KEY.down, KEY.enter, '/', 'q');
    expect(a.frame()).toContain('/q');
    expect(a.frame()).not.toContain('Quit?');
    let exited = false;
    void a.instance.waitUntilExit().then(() => (exited = true));
    await a.press(KEY.ctrlC, 'y');
    await settle(40);
    expect(rt.sent('quit')).toEqual([{ type: 'quit' }]);
    expect(exited).toBe(true);
  });

  test('Esc and ? close help; help says Ctrl-C goes to the agent in input mode', async () => {
    const a = await open(planRuntime(), { cols: 120, rows: 50 });
    await a.press('?');
    expect(a.frame()).toContain('Ctrl-C included');
    await a.press('?');
    expect(a.frame()).not.toContain('Ctrl-C included');
    await a.press('?', KEY.esc);
    await settle(40);
    expect(a.frame()).not.toContain('Ctrl-C included');
  });
});

describe('approval details', () => {
  test('Esc closes the details instead of denying; Esc with details closed still denies', async () => {
    const rt = planRuntime({ approvals: 1 });
    const a = await open(rt, { cols: 140, rows: 30 });
    await a.press(KEY.enter);
    expect(a.frame()).toContain('id ap-1 · session s-api');
    expect(footer(a)).toContain('Esc close details');
    expect(footer(a)).not.toContain('n/Esc deny');
    await a.press(KEY.esc);
    await settle(40);
    expect(rt.sent('approve')).toEqual([]);
    expect(a.frame()).not.toContain('id ap-1 · session s-api');
    expect(a.frame()).toContain('Approval 1 of 1');
    expect(footer(a)).toContain('n/Esc deny');
    await a.press(KEY.esc);
    await settle(40);
    expect(rt.sent('approve')).toEqual([{ type: 'approve', id: 'ap-1', decision: 'deny' }]);
  });
});

describe('the overlay shows the session that asks', () => {
  test("Tab through the queue shows each approval's own pane", async () => {
    const rt = planRuntime({ approvals: 2 });
    const a = await open(rt);
    // The selection is db; the overlay asks about api.
    expect(a.frame()).toContain('›✓ db');
    expect(a.frame()).toContain('api · backend · claude');
    expect(a.frame()).not.toContain('db · dba · sim');
    await a.press(KEY.tab);
    expect(a.frame()).toContain('$ npm publish');
    expect(a.frame()).toContain('docs · writer · gemini');
    expect(a.frame()).not.toContain('api · backend · claude');
    await a.press(KEY.left);
    expect(a.frame()).toContain('api · backend · claude');
    await a.press('l');
    expect(a.frame()).toContain('db · dba · sim');
  });

  test('in a split the asking pane becomes the highlighted one', async () => {
    chalk.level = 3;
    const rt = planRuntime();
    const a = await open(rt, { cols: 200, rows: 40 });
    await a.press(KEY.down, 'v', KEY.down, 'v');
    const bold = (title: string) => new RegExp(`\\x1b\\[1m${title}`).test(a.frame());
    expect(bold('api · backend · claude')).toBe(false);
    rt.emit(
      { type: 'approval.requested', id: 'ap-1', session: 's-api', via: 'screen', command: 'make a', options: ['allow', 'deny'] },
      { type: 'approval.requested', id: 'ap-2', session: 's-docs', via: 'screen', command: 'make b', options: ['allow', 'deny'] },
    );
    await settle(40);
    expect(a.frame()).toContain('docs · writer · gemini');
    expect(bold('api · backend · claude')).toBe(true);
    expect(bold('docs · writer · gemini')).toBe(false);
    await a.press(KEY.tab);
    expect(a.frame()).toContain('api · backend · claude');
    expect(bold('docs · writer · gemini')).toBe(true);
    expect(bold('api · backend · claude')).toBe(false);
  });
});

describe('what the overlay says', () => {
  const ask = (rt: FakeRuntime, extra: Partial<Extract<EventBody, { type: 'approval.requested' }>> = {}) =>
    rt.emit({ type: 'approval.requested', id: 'ap-1', session: 's-api', via: 'screen', command: 'ls', options: ['allow', 'always', 'deny'], ...extra });

  test('a long command is wrapped whole, not truncated', async () => {
    const rt = planRuntime();
    const command = `${'npm run build && '.repeat(12)}echo THE-END`;
    ask(rt, { command });
    const a = await open(rt);
    const f = a.frame();
    expect(f).toContain('THE-END');
    expect(f).toContain('step api · backend · claude');
    expect(f).not.toContain('more of the command');
    const shown = f.split('\n').filter((l) => /║ (\$| ) /.test(l)).map((l) => l.replace(/^.*║ (?:\$ | {2})/, '').replace(/\s*║.*$/, ''));
    expect(shown.join(' ').replace(/\s+/g, ' ')).toContain(command.replace(/\s+/g, ' '));
    expect(f.split('\n').length).toBeLessThanOrEqual(29);
  });

  test('a command longer than the overlay scrolls with S-↓/S-↑ (and ] [), which the help bar then shows', async () => {
    const rt = planRuntime();
    const command = Array.from({ length: 14 }, (_, i) => `line-${i + 1} && true`).join('\n');
    ask(rt, { command });
    const a = await open(rt, { cols: 120, rows: 40 });
    expect(a.frame()).toContain('$ line-1 && true');
    expect(a.frame()).toContain('line-6 && true');
    expect(a.frame()).not.toContain('line-7 ');
    expect(a.frame()).toContain('lines 1–6 of 14');
    expect(footer(a)).toContain('S-↓/] more of the command');
    await a.press(SHIFT_DOWN);
    expect(a.frame()).toContain('lines 6–11 of 14');
    expect(a.frame()).toContain('line-11 && true');
    await a.press(']', ']');
    expect(a.frame()).toContain('lines 9–14 of 14');
    expect(a.frame()).toContain('line-14 && true');
    await a.press(SHIFT_UP, '[', '[');
    expect(a.frame()).toContain('lines 1–6 of 14');
    expect(rt.sent('approve')).toEqual([]);
  });

  test('on a small terminal the overlay shows fewer command lines and still fits', async () => {
    const rt = planRuntime();
    ask(rt, { command: Array.from({ length: 14 }, (_, i) => `step-${i + 1}`).join('\n') });
    const a = await open(rt, { cols: 80, rows: 16 });
    const f = a.frame();
    expect(f.split('\n').length).toBeLessThanOrEqual(15);
    expect(f).toContain('$ step-1');
    expect(f).toMatch(/lines 1–\d of 14/);
    expect(f).toContain('Approval 1 of 1');
    expect(f).toMatch(/\[y\] allow/);
  });

  test('a policy timeout shows a live countdown', async () => {
    let t = 1_020_000;
    const rt = planRuntime();
    ask(rt, { deadline: t + 42_000, onTimeout: 'deny' });
    const a = await open(rt, undefined, { now: () => t });
    expect(a.frame()).toContain('decides deny in 42s');
    t += 1000;
    await settle(1150);
    expect(a.frame()).toContain('decides deny in 41s');
  });

  test('while the prompt is off the agent screen, y/a/n give a notice and send nothing', async () => {
    const rt = planRuntime();
    ask(rt, { key: 'k1' });
    rt.emit({ type: 'prompt.gone', session: 's-api', key: 'k1' });
    const a = await open(rt);
    expect(a.frame()).toContain("the prompt left the agent's screen — waiting for it to come back");
    await a.press('y', 'a', 'n');
    expect(rt.sent('approve')).toEqual([]);
    expect(a.frame()).toContain("not sent: the prompt left the agent's screen");
    rt.emit({ type: 'prompt.seen', session: 's-api', key: 'k1', via: 'screen', command: 'ls', options: ['allow', 'always', 'deny'] });
    await settle(40);
    expect(a.frame()).not.toContain('waiting for it to come back');
    await a.press('y');
    expect(rt.sent('approve')).toEqual([{ type: 'approve', id: 'ap-1', decision: 'allow' }]);
  });
});

describe('the approvals list', () => {
  test('says who decided and how, what was withdrawn and what was abandoned, with reasons', async () => {
    const rt = planRuntime();
    const req = (id: string, command: string, session = 's-api'): EventBody => ({ type: 'approval.requested', id, session, via: 'screen', command, options: ['allow', 'always', 'deny'] });
    rt.emit(
      req('ap-1', 'npm test'),
      { type: 'approval.decided', id: 'ap-1', decision: 'allow', by: 'user', how: 'pane', typed: 'y' },
      { type: 'approval.resolved', id: 'ap-1', decision: 'allow', by: 'user' },
      req('ap-2', 'rm -rf /'),
      { type: 'approval.decided', id: 'ap-2', decision: 'deny', by: 'policy', rule: 'deny "rm *" on `rm -rf /`' },
      { type: 'approval.resolved', id: 'ap-2', decision: 'deny', by: 'policy' },
      req('ap-3', 'curl x'),
      { type: 'approval.decided', id: 'ap-3', decision: 'deny', by: 'timeout', rule: 'no answer before the approval timeout' },
      { type: 'approval.resolved', id: 'ap-3', decision: 'deny', by: 'timeout' },
      req('ap-4', 'git push'),
      { type: 'approval.decided', id: 'ap-4', decision: 'always', by: 'user', how: 'overlay' },
      { type: 'approval.resolved', id: 'ap-4', decision: 'always', by: 'user' },
      req('ap-5', 'make clean'),
      { type: 'approval.withdrawn', id: 'ap-5', reason: 'the prompt left the screen without an answer' },
      req('ap-6', 'npm publish', 's-docs'),
      { type: 'session.state', session: 's-docs', state: 'failed', exitCode: 1 },
    );
    const a = await open(rt, { cols: 160, rows: 30 });
    await a.press('A');
    const f = a.frame();
    expect(f).toMatch(/✓ api allow by you \(typed in the pane\) · via screen \$ npm test/);
    expect(f).toMatch(/✗ api deny by policy: deny "rm \*" on `rm -rf \/` · via screen \$ rm -rf \//);
    expect(f).toMatch(/✗ api deny by timeout · via screen \$ curl x/);
    expect(f).toMatch(/✓ api always by you · via screen \$ git push/);
    expect(f).toMatch(/– api withdrawn: the prompt left the screen without an answer · via screen \$ make clean/);
    expect(f).toMatch(/– docs abandoned: the session ended · via screen \$ npm publish/);
  });
});

describe('ending a session as done', () => {
  test('e sends finish for the selected live session and says what happens next', async () => {
    const rt = planRuntime();
    const a = await open(rt);
    await a.press('e');
    expect(a.frame()).toMatch(/no live session to end/);
    await a.press('j', 'e');
    expect(rt.sent('finish')).toEqual([{ type: 'finish', session: 's-api' }]);
    expect(a.frame()).toMatch(/its CLI exits, then checks run/);
  });
});
