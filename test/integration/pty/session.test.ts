// PtySession behaviour against real child processes: screen spans, terminal replies, signals, exit codes.
import { afterEach, describe, expect, test } from 'vitest';
import { tmpdir } from 'node:os';
import { lineText, screenText, type ScreenSnapshot } from '../../../src/core/screen';
import { spawnPtySession, type PtySession } from '../../../src/adapters/pty';

const sessions: PtySession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

function spawn(command: string, args: string[], extra: { cols?: number; rows?: number; scrollback?: number } = {}): PtySession {
  const s = spawnPtySession({ command, args, cwd: tmpdir(), env: { ...process.env }, ...extra });
  sessions.push(s);
  return s;
}

const node = (code: string, extra?: { cols?: number; rows?: number; scrollback?: number }): PtySession =>
  spawn(process.execPath, ['-e', code], extra);

async function waitFor<T>(fn: () => T | undefined | false, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const screenHas = (s: PtySession, text: string): boolean => screenText(s.snapshot()).includes(text);

describe('PtySession', () => {
  test('onParsed reports a chunk only once the screen shows it', async () => {
    const s = node(`let i = 0; const t = setInterval(() => { process.stdout.write('line ' + i + '\\r\\n'); if (++i === 200) { clearInterval(t); } }, 1)`, { rows: 300 });
    const seen: boolean[] = [];
    let parsed = '';
    s.onParsed((d) => {
      parsed += d;
      const last = /line (\d+)\r*\n$/.exec(parsed);
      if (last) seen.push(screenHas(s, `line ${last[1]}`));
    });
    await s.exited;
    expect(parsed).toMatch(/line 199/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(Boolean)).toBe(true);
  });

  test('colors and attributes become merged spans', async () => {
    const s = node(
      `process.stdout.write('plain \\x1b[31mred\\x1b[0m \\x1b[1;38;5;208mbold208\\x1b[0m \\x1b[38;2;16;32;255;48;5;4mrgb\\x1b[0m \\x1b[2;3;4;7mfx\\x1b[0m\\n')`,
    );
    await s.exited;
    const snap: ScreenSnapshot = s.snapshot();
    const spans = snap.lines[0].spans;
    expect(lineText(snap.lines[0]).trimEnd()).toBe('plain red bold208 rgb fx');
    expect(spans[0]).toEqual({ text: 'plain ' });
    expect(spans.find((x) => x.text === 'red')).toEqual({ text: 'red', fg: 1 });
    expect(spans.find((x) => x.text === 'bold208')).toEqual({ text: 'bold208', fg: 208, bold: true });
    expect(spans.find((x) => x.text === 'rgb')).toEqual({ text: 'rgb', fg: '#1020ff', bg: 4 });
    expect(spans.find((x) => x.text === 'fx')).toEqual({ text: 'fx', dim: true, italic: true, underline: true, inverse: true });
    expect(snap.lines).toHaveLength(snap.rows);
    expect(snap.cols).toBe(120);
    expect(snap.rows).toBe(40);
  });

  test('cursor position and title are data', async () => {
    const s = node(`process.stdout.write('\\x1b]0;my title\\x07\\x1b[5;10Hx\\x1b[?25l'); setTimeout(() => {}, 300)`);
    await s.exited;
    const snap = s.snapshot();
    expect(snap.title).toBe('my title');
    expect(snap.cursor).toEqual({ x: 10, y: 4, visible: false });
    expect(lineText(snap.lines[4]).trimEnd()).toBe('         x');
  });

  test('cursor position request is answered by the emulator', async () => {
    const s = node(`
      process.stdin.setRawMode(true);
      process.stdout.write('\\x1b[3;7H\\x1b[6n');
      let buf = '';
      process.stdin.on('data', (d) => {
        buf += d.toString();
        const m = /\\x1b\\[(\\d+);(\\d+)R/.exec(buf);
        if (m) { process.stdout.write('\\r\\nreply row=' + m[1] + ' col=' + m[2] + '\\r\\n'); process.exit(0); }
      });
    `);
    const e = await s.exited;
    expect(e.exitCode).toBe(0);
    expect(s.text()).toContain('reply row=3 col=7');
  });

  test('device attributes request is answered', async () => {
    const s = node(`
      process.stdin.setRawMode(true);
      process.stdout.write('\\x1b[c');
      process.stdin.on('data', (d) => { process.stdout.write('DA ' + JSON.stringify(d.toString()) + '\\r\\n'); process.exit(0); });
    `);
    await s.exited;
    expect(s.text()).toMatch(/DA "\\u001b\[\?[\d;]+c"/);
  });

  test('exit codes propagate', async () => {
    expect((await node('process.exit(7)').exited).exitCode).toBe(7);
    expect((await node('').exited).exitCode).toBe(0);
    expect((await spawn('/bin/sh', ['-c', 'exit 42']).exited).exitCode).toBe(42);
  });

  test('a missing command exits 127', async () => {
    const s = spawn('conductor-no-such-binary-xyz', []);
    expect((await s.exited).exitCode).toBe(127);
  });

  test('kill signals the whole process group and reports the signal', async () => {
    const s = spawn('/bin/sh', ['-c', 'sleep 30 & echo started; wait']);
    await waitFor(() => screenHas(s, 'started'));
    s.kill('SIGTERM');
    const e = await s.exited;
    expect(e.signal).toBe(15);
    expect(e.exitCode).toBe(143);
  });

  test('SIGKILL ends the session', async () => {
    const s = node('setInterval(() => {}, 1000); console.log("up")');
    await waitFor(() => screenHas(s, 'up'));
    s.kill('SIGKILL');
    const e = await s.exited;
    expect(e.exitCode).not.toBe(0);
  });

  test('input is written to the agent', async () => {
    const s = node(`process.stdin.on('data', (d) => { console.log('got:' + d.toString().trim()); process.exit(0); })`);
    await waitFor(() => s.version > 0 || true);
    s.write('hello\r');
    await s.exited;
    expect(s.text()).toContain('got:hello');
  });

  test('resize reaches the agent and the screen', async () => {
    const s = node(`
      console.log('size ' + process.stdout.columns + 'x' + process.stdout.rows);
      setInterval(() => {}, 1000);
      process.stdout.on('resize', () => { console.log('size ' + process.stdout.columns + 'x' + process.stdout.rows); process.exit(0); });
    `);
    await waitFor(() => screenHas(s, 'size 120x40'));
    s.resize(80, 20);
    await s.exited;
    expect(s.text()).toContain('size 80x20');
    const snap = s.snapshot();
    expect(snap.cols).toBe(80);
    expect(snap.rows).toBe(20);
    expect(snap.lines).toHaveLength(20);
  });

  test('pause stops the process group and resume continues it', async () => {
    const s = node(`let n = 0; setInterval(() => console.log('tick ' + n++), 30)`);
    await waitFor(() => screenHas(s, 'tick 2'));
    s.pause();
    expect(s.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    const frozen = s.text();
    await new Promise((r) => setTimeout(r, 400));
    expect(s.text()).toBe(frozen);
    s.resume();
    expect(s.paused).toBe(false);
    await waitFor(() => s.text() !== frozen);
    s.kill();
    await s.exited;
  });

  test('kill while paused still ends the session', async () => {
    const s = node(`setInterval(() => {}, 1000); console.log('ready')`);
    await waitFor(() => screenHas(s, 'ready'));
    s.pause();
    s.kill('SIGTERM');
    expect((await s.exited).signal).toBe(15);
  });

  test('text() holds scrollback; readLines and scrolled snapshots read it', async () => {
    const s = node(`for (let i = 0; i < 300; i++) console.log('line ' + i)`, { rows: 10, cols: 40 });
    await s.exited;
    const text = s.text();
    expect(text.split('\n')[0]).toBe('line 0');
    expect(text.split('\n').at(-1)).toBe('line 299');
    const snap = s.snapshot();
    expect(snap.bufferLength).toBeGreaterThan(300);
    expect(snap.viewportY).toBe(snap.bufferLength - 10);
    expect(lineText(s.readLines(0, 1)[0]).trimEnd()).toBe('line 0');
    const up = s.snapshot(100);
    expect(up.viewportY).toBe(snap.viewportY - 100);
    expect(lineText(up.lines[0]).trimEnd()).toBe(lineText(s.readLines(up.viewportY, up.viewportY + 1)[0]).trimEnd());
    expect(s.snapshot(1e9).viewportY).toBe(0);
  });

  test('version and onChange follow screen changes', async () => {
    const s = node(`setTimeout(() => console.log('later'), 100)`);
    let changes = 0;
    s.onChange(() => changes++);
    await s.exited;
    expect(changes).toBeGreaterThan(0);
    expect(s.version).toBeGreaterThan(0);
  });

  test('onExit fires after all data and late subscribers still hear it', async () => {
    const s = node(`process.stdout.write('x'.repeat(50000) + 'END'); process.exit(5)`);
    let seen = '';
    let atExit = '';
    s.onData((d) => (seen += d));
    s.onExit(() => (atExit = seen));
    await s.exited;
    expect(atExit.endsWith('END')).toBe(true);
    const late = await new Promise((r) => s.onExit(r));
    expect(late).toEqual({ exitCode: 5 });
  });
});
