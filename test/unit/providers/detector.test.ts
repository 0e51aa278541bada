// The approval detector over time: stability, one report per appearance, gone, replacement.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createApprovalDetector, sim, cleanCommand, extractOptions, shell, matchPrompt } from '../../../src/adapters/providers';
import { compilePatterns, promptKey, type ApprovalDetector } from '../../../src/adapters/providers/detector';
import { createXtermEmulator, type Emulator } from '../../../src/adapters/pty/emulator';
import { screenText } from '../../../src/core/screen';
import { askApproval } from '../../../src/sim/approval-prompt';
import { eraseUp } from '../../../src/sim/render';

const prompt = readFileSync(new URL('../../fixtures/screens/sim-bash.txt', import.meta.url), 'utf8');
const after = readFileSync(new URL('../../fixtures/screens/sim-bash-after.txt', import.meta.url), 'utf8');

function clock() {
  let t = 1000;
  return { now: () => t, tick: (ms: number) => (t += ms) };
}

describe('createApprovalDetector', () => {
  test('reports once after stableMs, then gone after goneMs', () => {
    const c = clock();
    const d = createApprovalDetector(sim, c.now, { goneMs: 100 });
    expect(d.feed(prompt)).toEqual([]);
    c.tick(sim.approval.stableMs - 1);
    expect(d.feed(prompt)).toEqual([]);
    c.tick(1);
    const ev = d.feed(prompt);
    expect(ev).toHaveLength(1);
    expect(ev[0].type).toBe('prompt');
    expect(ev[0].prompt.command).toBe('npm test');
    expect(ev[0].prompt.since).toBe(1000);
    expect(d.current?.command).toBe('npm test');
    c.tick(5000);
    expect(d.feed(prompt)).toEqual([]);
    expect(d.feed(after)).toEqual([]);
    c.tick(50);
    expect(d.feed(after)).toEqual([]);
    c.tick(50);
    const gone = d.feed(after);
    expect(gone.map((e) => e.type)).toEqual(['gone']);
    expect(gone[0].prompt.command).toBe('npm test');
    expect(d.current).toBeUndefined();
  });

  test('a flicker shorter than goneMs does not re-report', () => {
    const c = clock();
    const d = createApprovalDetector(sim, c.now, { goneMs: 200 });
    d.feed(prompt);
    c.tick(sim.approval.stableMs);
    expect(d.feed(prompt)).toHaveLength(1);
    c.tick(10);
    expect(d.feed(after)).toEqual([]);
    c.tick(10);
    expect(d.feed(prompt)).toEqual([]);
    c.tick(1000);
    expect(d.feed(prompt)).toEqual([]);
  });

  test('an unstable prompt is not reported until it settles', () => {
    const c = clock();
    const d = createApprovalDetector(sim, c.now);
    const other = prompt.replace('npm test', 'npm tes ');
    d.feed(prompt);
    c.tick(100);
    d.feed(other);
    c.tick(100);
    expect(d.feed(prompt)).toEqual([]);
    c.tick(sim.approval.stableMs);
    expect(d.feed(prompt)[0]?.prompt.command).toBe('npm test');
  });

  test('the same prompt at another row (redrawn lower, scrolled) is the same prompt: no gone, no new prompt', () => {
    const c = clock();
    const d = createApprovalDetector(sim, c.now, { goneMs: 0 });
    d.feed(prompt);
    c.tick(sim.approval.stableMs);
    const first = d.feed(prompt)[0].prompt;
    for (const moved of [`✗ Denied: npm test\n${prompt}`, `\n\n\n${prompt}`, prompt.split('\n').slice(3).join('\n')]) {
      c.tick(1);
      expect(d.feed(moved)).toEqual([]);
      c.tick(1000);
      expect(d.feed(moved)).toEqual([]);
    }
    expect(d.current?.key).toBe(first.key);
  });

  test('the key is the pattern, the command without whitespace and the labels; nothing positional', () => {
    const a = matchPrompt(compilePatterns(sim), prompt);
    const b = matchPrompt(compilePatterns(sim), `one\ntwo\n${prompt}`);
    const other = matchPrompt(compilePatterns(sim), prompt.replace('npm test', 'npm tset'));
    expect(a?.key).toMatch(/^[0-9a-f]{16}$/);
    expect(b?.key).toBe(a?.key);
    expect(other?.key).not.toBe(a?.key);
    expect(promptKey(0, 'npm  run\nbuild', ['1. Yes'])).toBe(promptKey(0, 'npm run build', ['1.  Yes']));
    expect(promptKey(0, 'npm test', ['1. Yes'])).not.toBe(promptKey(1, 'npm test', ['1. Yes']));
  });

  test('selection moving inside the box is the same prompt', () => {
    const c = clock();
    const d = createApprovalDetector(sim, c.now);
    d.feed(prompt);
    c.tick(sim.approval.stableMs);
    expect(d.feed(prompt)).toHaveLength(1);
    const moved = prompt.replace('❯ 1. Yes (y)', '  1. Yes (y)').replace('  2. Yes, always', '❯ 2. Yes, always');
    c.tick(1000);
    expect(d.feed(moved)).toEqual([]);
  });

  test('providers that never ask report nothing', () => {
    const d = createApprovalDetector(shell, () => 0);
    expect(d.feed(prompt)).toEqual([]);
  });

  test('reset forgets the reported prompt', () => {
    const c = clock();
    const d = createApprovalDetector(sim, c.now);
    d.feed(prompt);
    c.tick(sim.approval.stableMs);
    d.feed(prompt);
    d.reset();
    expect(d.current).toBeUndefined();
    c.tick(1);
    d.feed(prompt);
    c.tick(sim.approval.stableMs);
    expect(d.feed(prompt)[0]?.type).toBe('prompt');
  });
});

/** Longer than the pane, with no spaces where the terminal wraps it. */
const LONG = `node -e "const s='${'a'.repeat(200)}';console.log(JSON.stringify(s.split('a'),null,2))"`;
const HEADER = '✻ sim agent · builder\r\n  cwd: /tmp/demo/project\r\n\r\n';

const written = (emu: Emulator, data: string): Promise<void> => new Promise((r) => emu.write(data, r));

/** The sim's own prompt code drawing into a real @xterm/headless terminal; returns everything it wrote. */
async function drawSimPrompt(emu: Emulator, cols: number, command: string): Promise<string> {
  let out = '';
  void askApproval({ write: (d) => (out += d), columns: () => cols, onKeys: () => () => {} }, 'Bash command', command);
  await written(emu, out);
  return out;
}

/** Feeds the screen until the detector has reported (stableMs later), returning the events. */
function settle(d: ApprovalDetector, emu: Emulator, c: ReturnType<typeof clock>): ReturnType<ApprovalDetector['feed']> {
  const events = d.feed(emu.snapshot());
  c.tick(sim.approval.stableMs);
  return [...events, ...d.feed(emu.snapshot())];
}

describe('on a real terminal (@xterm/headless)', () => {
  test.each([60, 80])('a command longer than the pane is read back byte for byte at %i columns', async (cols) => {
    const emu = createXtermEmulator({ cols, rows: 24, scrollback: 100 });
    await written(emu, HEADER);
    await drawSimPrompt(emu, cols, LONG);
    const snap = emu.snapshot();
    expect(snap.lines.filter((l) => l.wrapped).length).toBeGreaterThanOrEqual(Math.floor(LONG.length / cols));
    // Row by row the command is cut mid-token; joining rows with spaces is what went wrong before.
    expect(screenText(snap)).not.toContain(LONG);
    const c = clock();
    const ev = settle(createApprovalDetector(sim, c.now), emu, c);
    expect(ev.map((e) => e.type)).toEqual(['prompt']);
    expect(ev[0].prompt.command).toBe(LONG);
    expect(ev[0].prompt.options).toEqual(['1. Yes (y)', '2. Yes, always for this session (a)', '3. No (esc)']);
    emu.dispose();
  });

  test('a multi-line command keeps its lines', async () => {
    const command = `cat > notes.txt <<'EOF'\nfirst line\n  indented second ${'b'.repeat(90)}\n\nEOF`;
    const emu = createXtermEmulator({ cols: 60, rows: 30, scrollback: 100 });
    await drawSimPrompt(emu, 60, command);
    const c = clock();
    expect(settle(createApprovalDetector(sim, c.now), emu, c)[0]?.prompt.command).toBe(command);
    emu.dispose();
  });

  test('a resize (xterm reflows 120→80 columns, 40→30 rows) keeps the one identity: no gone, no new prompt', async () => {
    const emu = createXtermEmulator({ cols: 120, rows: 40, scrollback: 100 });
    // A full screen above the prompt, with lines that rewrap: the prompt moves in the buffer and on screen.
    const above = Array.from({ length: 12 }, (_, i) => `● step ${i} ${'x'.repeat(100 + i * 10)}\r\n`).join('');
    await written(emu, HEADER + above);
    await drawSimPrompt(emu, 120, LONG);
    const c = clock();
    const d = createApprovalDetector(sim, c.now, { goneMs: 0 });
    const [first] = settle(d, emu, c);
    expect(first?.type).toBe('prompt');
    const titleAt = (): number => {
      const snap = emu.snapshot();
      return snap.viewportY + snap.lines.findIndex((l) => l.spans.map((x) => x.text).join('').startsWith(' Bash command'));
    };
    const row = titleAt();
    const before = emu.snapshot();
    emu.resize(80, 30);
    const after = emu.snapshot();
    expect(after.lines.filter((l) => l.wrapped).length).toBeGreaterThan(before.lines.filter((l) => l.wrapped).length);
    expect(titleAt()).not.toBe(row);
    for (let i = 0; i < 5; i++) {
      c.tick(200);
      expect(d.feed(emu.snapshot())).toEqual([]);
    }
    expect(d.current?.key).toBe(first.prompt.key);
    expect(d.current?.command).toBe(LONG);
    emu.dispose();
  });

  test('the prompt redrawn one row lower keeps the one identity', async () => {
    const emu = createXtermEmulator({ cols: 80, rows: 30, scrollback: 100 });
    await written(emu, HEADER);
    const drawn = await drawSimPrompt(emu, 80, LONG);
    const c = clock();
    const d = createApprovalDetector(sim, c.now, { goneMs: 0 });
    const [first] = settle(d, emu, c);
    const titleRow = (): number => screenText(emu.snapshot()).split('\n').indexOf(' Bash command');
    const row = titleRow();
    // Erase the prompt, print a line where it was, draw it again below.
    await written(emu, `${eraseUp(emu.snapshot().cursor.y - 3)}● one more line\r\n${drawn}`);
    expect(titleRow()).toBe(row + 1);
    for (let i = 0; i < 3; i++) {
      c.tick(200);
      expect(d.feed(emu.snapshot())).toEqual([]);
    }
    expect(d.current?.key).toBe(first.prompt.key);
    emu.dispose();
  });
});

describe('helpers', () => {
  test('cleanCommand strips borders and joins wrapped lines', () => {
    expect(cleanCommand('│   npm run build --   │\n│   --watch            │\n')).toBe('npm run build -- --watch');
    expect(cleanCommand('  $ ls -la')).toBe('ls -la');
  });

  test('extractOptions reads numbered lists and letter choices', () => {
    expect(extractOptions('Q?\n❯ 1. Yes\n  2. No (esc)\nfooter', 0)).toEqual(['1. Yes', '2. No (esc)']);
    expect(extractOptions('Run shell command? (Y)es/(N)o/(D)on\'t ask again [Yes]:', 0)).toEqual(['(Y)es', '(N)o', "(D)on't ask again"]);
  });
});
