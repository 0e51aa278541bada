// Whole session lifecycles through the real Runtime, reducer and session adapter, on fake PTYs and a
// fake clock: approvals answered by a person, a policy, a timeout or nobody; prompts redrawn, moved
// or gone; typing and pasting into the pane; stops, timeouts, exits, quit; replay equals live.
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/core/machine';
import { promptLine, World, type FakePty } from './harness';

const CLEAR = '\r\x1b[2K';

/** An agent that asks for each command in turn and runs it when the answer is y or a; exits 0 at the end. */
function askingAgent(pty: FakePty, commands: string[], opts: { exitWhenDone?: boolean } = {}): { asked: () => number } {
  let i = 0;
  let asked = 0;
  const ask = () => {
    asked++;
    void pty.out(`${promptLine(commands[i])}`);
  };
  pty.onKeys = (data) => {
    if (i >= commands.length) return;
    const k = data.toLowerCase();
    if (k !== 'y' && k !== 'a' && k !== 'n') return;
    void pty.out(`${CLEAR}${k === 'n' ? 'denied' : 'ran'}: ${commands[i]}\r\n`).then(() => {
      i++;
      if (i < commands.length) ask();
      else if (opts.exitWhenDone !== false) pty.exit(0);
    });
  };
  void pty.out('fake agent ready\r\n').then(ask);
  return { asked: () => asked };
}

const decisions = (w: World) => w.events('approval.decided').map((e) => e.type === 'approval.decided' && [e.decision, e.by, e.how ?? '', e.rule ?? '']);

describe('approvals answered by a person', () => {
  it('waits as long as it takes: nothing is decided or written without a key, then exactly the key pressed', async () => {
    const w = new World();
    w.onSpawn = (_, pty) => void askingAgent(pty, ['touch x']);
    await w.start();
    await w.clock.advance(300);
    expect(w.state.queue).toEqual(['ap-1']);
    expect(w.state.sessions['a#1'].state).toBe('waiting_for_approval');
    await w.clock.advance(6000);
    expect(w.events('approval.decided', 'approval.resolved', 'approval.withdrawn')).toEqual([]);
    expect(w.pty().written).toEqual([]);
    await w.runtime.command({ type: 'approve', id: 'ap-1', decision: 'deny' });
    await w.clock.advance(300);
    expect(w.pty().written).toEqual(['n']);
    expect(decisions(w)).toEqual([['deny', 'user', 'overlay', '']]);
    expect(w.events('approval.resolved')).toHaveLength(1);
    expect(w.state.units.a.status).toBe('passed');
  });

  it('a resize that moves and redraws the prompt keeps the same approval; the later key decides', async () => {
    const w = new World();
    let pty!: FakePty;
    w.onSpawn = (_, p) => {
      pty = p;
      askingAgent(p, ['touch x']);
    };
    await w.start();
    await w.clock.advance(300);
    expect(w.state.queue).toEqual(['ap-1']);
    // The overlay opens, the pane shrinks, the agent clears and redraws its prompt one row lower, after a pause.
    await w.runtime.command({ type: 'resize', session: 'a#1', cols: 80, rows: 20 });
    await pty.out('\x1b[2J\x1b[H');
    await w.clock.advance(900);
    await pty.out('fake agent ready\r\n\r\n' + promptLine('touch x'));
    await w.clock.advance(6000);
    expect(w.events('approval.requested')).toHaveLength(1);
    expect(w.events('approval.decided', 'approval.withdrawn')).toEqual([]);
    expect(pty.written).toEqual([]);
    await w.runtime.command({ type: 'approve', id: 'ap-1', decision: 'allow' });
    await w.clock.advance(300);
    expect(pty.written).toEqual(['y']);
    expect(decisions(w)).toEqual([['allow', 'user', 'overlay', '']]);
  });

  it('a prompt that leaves the screen unanswered is withdrawn: no decision, no key', async () => {
    const w = new World();
    let pty!: FakePty;
    w.onSpawn = (_, p) => {
      pty = p;
      void p.out(promptLine('rm -rf build'));
    };
    await w.start();
    await w.clock.advance(300);
    await pty.out(`${CLEAR}the agent changed its mind\r\n`);
    await w.clock.advance(400);
    // Off screen: a key now would land in the agent's input box, so the decision waits.
    expect(w.state.approvals['ap-1'].offscreen).toBe(true);
    await w.runtime.command({ type: 'approve', id: 'ap-1', decision: 'allow' });
    await w.clock.advance(2000);
    expect(w.events('approval.decided')).toEqual([]);
    const withdrawn = w.events('approval.withdrawn');
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0]).toMatchObject({ id: 'ap-1', reason: 'the prompt left the screen without an answer' });
    expect(pty.written).toEqual([]);
    expect(w.state.sessions['a#1'].state).toBe('running');
    expect(w.state.queue).toEqual([]);
  });

  it('an answer typed into the pane is recorded as the person\'s, with what they typed', async () => {
    const w = new World();
    w.onSpawn = (_, p) => void askingAgent(p, ['touch x']);
    await w.start();
    await w.clock.advance(300);
    await w.runtime.command({ type: 'input', session: 'a#1', data: 'y' });
    await w.clock.advance(400);
    expect(decisions(w)).toEqual([['allow', 'user', 'pane', '']]);
    expect(w.events('approval.decided')[0]).toMatchObject({ typed: 'y' });
    expect(w.events('approval.resolved')).toHaveLength(1);
    // Only the person's key reached the agent: conductor wrote nothing of its own.
    expect(w.pty().written).toEqual(['y']);
  });

  it('keys typed into the pane that answer no option, and pastes, decide nothing', async () => {
    const w = new World();
    let pty!: FakePty;
    w.onSpawn = (_, p) => {
      pty = p;
      void p.out(promptLine('touch x'));
    };
    await w.start();
    await w.clock.advance(300);
    await w.runtime.command({ type: 'input', session: 'a#1', data: 'y', paste: true });
    await w.runtime.command({ type: 'input', session: 'a#1', data: 'x' });
    await pty.out(`${CLEAR}something else\r\n`);
    await w.clock.advance(2000);
    expect(w.events('approval.decided')).toEqual([]);
    expect(w.events('approval.withdrawn')[0]).toMatchObject({ typed: 'x' });
  });
});

describe('the same prompt again', () => {
  it('asked again right after an answer (same command, next line) is a new approval, asked anew', async () => {
    const w = new World();
    w.onSpawn = (_, p) => void askingAgent(p, ['npm test', 'npm test']);
    await w.start();
    await w.clock.advance(300);
    await w.runtime.command({ type: 'approve', id: 'ap-1', decision: 'deny' });
    await w.clock.advance(600);
    expect(w.state.queue).toEqual(['ap-2']);
    expect(w.state.approvals['ap-1'].status).toBe('resolved');
    await w.runtime.command({ type: 'approve', id: 'ap-2', decision: 'allow' });
    await w.clock.advance(300);
    expect(w.pty().written).toEqual(['n', 'y']);
    expect(w.state.units.a.status).toBe('passed');
  });
});

describe('approvals answered by policy, always, timeout, or nobody', () => {
  it('an allow rule answers at once and records the rule; the step passes by itself', async () => {
    const w = new World({ policy: { default: 'ask', allow: ['touch *'], deny: [], onTimeout: 'deny' } });
    w.onSpawn = (_, p) => void askingAgent(p, ['touch x']);
    await w.start();
    await w.clock.advance(500);
    expect(decisions(w)).toEqual([['allow', 'policy', '', 'allow "touch *"']]);
    expect(w.pty().written).toEqual(['y']);
    expect(w.state.units.a.status).toBe('passed');
  });

  it('every part is judged: `echo ok && touch pwned.txt` is denied by the rule for touch', async () => {
    const w = new World({ policy: { default: 'ask', allow: ['echo ok*'], deny: ['touch *'], onTimeout: 'deny' } });
    w.onSpawn = (_, p) => void askingAgent(p, ['echo ok && touch pwned.txt']);
    await w.start();
    await w.clock.advance(500);
    const d = w.events('approval.decided')[0];
    expect(d).toMatchObject({ decision: 'deny', by: 'policy' });
    expect(d.type === 'approval.decided' && d.parts?.map((p) => [p.text, p.verdict])).toEqual([
      ['echo ok', 'allow'],
      ['touch pwned.txt', 'deny'],
    ]);
    expect(w.pty().written).toEqual(['n']);
  });

  it('"always" skips the second ask of the same command in the same session', async () => {
    const w = new World();
    w.onSpawn = (_, p) => void askingAgent(p, ['npm test', 'npm test']);
    await w.start();
    await w.clock.advance(300);
    await w.runtime.command({ type: 'approve', id: 'ap-1', decision: 'always' });
    await w.clock.advance(600);
    expect(decisions(w)).toEqual([
      ['always', 'user', 'overlay', ''],
      ['allow', 'policy', '', 'always: you allowed "npm test" for the rest of this session'],
    ]);
    expect(w.pty().written).toEqual(['a', 'y']);
  });

  it('the approval timeout decides with onTimeout after its time, shown as a deadline', async () => {
    const w = new World({ policy: { default: 'ask', allow: [], deny: [], timeout: 2000, onTimeout: 'deny' } });
    w.onSpawn = (_, p) => void askingAgent(p, ['touch x']);
    await w.start();
    await w.clock.advance(300);
    const a = w.state.approvals['ap-1'];
    expect(a.deadline).toBe(a.requestedAt + 2000);
    await w.clock.advance(1000);
    expect(w.events('approval.decided')).toEqual([]);
    await w.clock.advance(1200);
    expect(decisions(w)).toEqual([['deny', 'timeout', '', 'no answer before the approval timeout']]);
    expect(w.pty().written).toEqual(['n']);
  });

  it('headless, what the policy leaves to a person is denied by policy, saying so', async () => {
    const w = new World({ settings: { interactive: false } });
    w.onSpawn = (_, p) => void askingAgent(p, ['touch x']);
    await w.start();
    await w.clock.advance(500);
    const [d] = decisions(w) as [string, string, string, string][];
    expect(d.slice(0, 2)).toEqual(['deny', 'policy']);
    expect(d[3]).toMatch(/nobody to ask in a headless run/);
  });

  it('--approve all and --approve none answer every prompt', async () => {
    for (const [approve, key] of [['all', 'y'], ['none', 'n']] as const) {
      const w = new World({ settings: { approve } });
      w.onSpawn = (_, p) => void askingAgent(p, ['rm -rf /tmp/x']);
      await w.start();
      await w.clock.advance(500);
      expect(decisions(w)).toEqual([[approve === 'all' ? 'allow' : 'deny', 'policy', '', `--approve ${approve}`]]);
      expect(w.pty().written).toEqual([key]);
    }
  });
});

describe('session ends', () => {
  it('a stop sends TERM; an agent that ignores it is killed after the grace', async () => {
    const w = new World();
    w.onSpawn = (_, p) => {
      p.onSignal = (sig) => sig === 'SIGKILL' && p.exit(137, 9);
    };
    await w.start();
    await w.runtime.command({ type: 'stop', session: 'a#1' });
    await w.clock.advance(100);
    expect(w.pty().signals).toEqual(['SIGTERM']);
    await w.clock.advance(2000);
    expect(w.pty().signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(w.state.sessions['a#1']).toMatchObject({ state: 'cancelled', reason: 'stopped by user' });
    expect(w.state.units.a.status).toBe('cancelled');
  });

  it('a step timeout stops the agent and fails the step, saying why', async () => {
    const w = new World({ steps: [{ id: 'a', timeout: 5000 }] });
    await w.start();
    await w.clock.advance(4900);
    expect(w.pty().signals).toEqual([]);
    await w.clock.advance(200);
    expect(w.pty().signals).toEqual(['SIGTERM']);
    expect(w.state.sessions['a#1']).toMatchObject({ state: 'failed', reason: 'timed out after 5s' });
    expect(w.state.units.a).toMatchObject({ status: 'failed', reason: 'timed out after 5s' });
  });

  it('an exit code other than 0 fails the step; a pending prompt is abandoned', async () => {
    const w = new World({ steps: [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }] });
    w.onSpawn = (_, p) => void p.out(promptLine('touch x'));
    await w.start();
    await w.clock.advance(300);
    w.pty().exit(3);
    await w.clock.advance(10);
    expect(w.state.sessions['a#1']).toMatchObject({ state: 'failed', reason: 'agent exited with code 3' });
    expect(w.state.approvals['ap-1'].status).toBe('abandoned');
    expect(w.state.units.b.status).toBe('skipped');
    expect(w.state.status).toBe('failed');
  });

  it('pause and continue stop and resume the process group', async () => {
    const w = new World();
    await w.start();
    await w.runtime.command({ type: 'pause', session: 'a#1' });
    expect(w.state.sessions['a#1'].state).toBe('paused');
    await w.runtime.command({ type: 'continue', session: 'a#1' });
    expect(w.state.sessions['a#1'].state).toBe('running');
    expect(w.pty().signals).toEqual(['SIGSTOP', 'SIGCONT']);
  });

  it('quit interrupts the live session, stops it and closes once it exited', async () => {
    const w = new World();
    w.onSpawn = (_, p) => void p.out(promptLine('touch x'));
    await w.start();
    await w.clock.advance(300);
    const quitting = w.runtime.quit('quit by user');
    await w.clock.advance(10);
    await quitting;
    expect(w.pty().signals).toEqual(['SIGTERM']);
    expect(w.state.status).toBe('interrupted');
    expect(w.state.sessions['a#1'].state).toBe('interrupted');
    expect(w.state.approvals['ap-1'].status).toBe('abandoned');
    expect(w.recorder.closed).toBe(true);
  });

  it('the recorded log replays to the live state', async () => {
    const w = new World({ steps: [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }], policy: { default: 'ask', allow: ['echo *'], deny: [], onTimeout: 'deny' } });
    w.onSpawn = (s, p) => void askingAgent(p, s === 'a#1' ? ['echo hi', 'touch y'] : ['echo bye']);
    await w.start();
    await w.clock.advance(800);
    expect(w.state.queue).toEqual(['ap-2']);
    await w.runtime.command({ type: 'approve', id: 'ap-2', decision: 'allow' });
    await w.clock.advance(1000);
    expect(w.state.status).toBe('passed');
    expect(replay(w.recorder.events)).toEqual(w.state);
  });
});
