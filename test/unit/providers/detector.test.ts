// The approval detector over time: stability, one report per appearance, gone, replacement.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createApprovalDetector, sim, cleanCommand, extractOptions, shell } from '../../../src/adapters/providers';
import type { ApprovalDetector } from '../../../src/adapters/providers/detector';
import { createXtermEmulator, type Emulator } from '../../../src/adapters/pty/emulator';
import { screenText } from '../../../src/core/screen';
import { askApproval } from '../../../src/sim/approval-prompt';

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

  test('the same command asked again at another place is a new appearance', () => {
    const c = clock();
    const d = createApprovalDetector(sim, c.now, { goneMs: 0 });
    d.feed(prompt);
    c.tick(sim.approval.stableMs);
    const first = d.feed(prompt)[0].prompt;
    const moved = `✗ Denied: npm test\n${prompt}`;
    c.tick(1);
    const ev = d.feed(moved);
    expect(ev.map((e) => e.type)).toEqual(['gone']);
    c.tick(sim.approval.stableMs);
    const again = d.feed(moved);
    expect(again[0]?.type).toBe('prompt');
    expect(again[0]?.prompt.fingerprint).not.toBe(first.fingerprint);
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
