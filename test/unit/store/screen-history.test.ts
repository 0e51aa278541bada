import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { continuation, lineKey, ScreenHistory } from '../../../src/adapters/store/screen-history';

const screen = (dir: string, name: string): string => readFileSync(join(__dirname, '../../fixtures/screens', dir, name), 'utf8');
const count = (text: string, part: string): number => text.split(part).length - 1;

/** Feeds screens each shown for `ms` (default 1 s), starting at t=0. */
function feed(h: ScreenHistory, frames: [text: string, alternate: boolean, ms?: number][], t0 = 0): number {
  let t = t0;
  for (const [text, alternate, ms = 1000] of frames) {
    h.frame(t, text, alternate);
    t += ms;
  }
  return t;
}

describe('lineKey: what a line is compared by', () => {
  it('treats spinners, timers and counters as the same line', () => {
    expect(lineKey('✻ Stewing… (3s · ↓ 5 tokens)')).toBe(lineKey('✽ Stewing… (14s · ↓ 120 tokens)'));
    expect(lineKey(' ⠙ Thinking... (esc to cancel, 0s)')).toBe(lineKey(' ⠹ Thinking... (esc to cancel, 12s)'));
    expect(lineKey('• Working (5s • esc to interrupt)')).toBe(lineKey('• Working (61s • esc to interrupt)'));
    expect(lineKey('▗▟▛███▛█▄  Claude Code v2.1.330')).toBe(lineKey('█▟         Claude Code v2.1.330'));
  });

  it('keeps different words different', () => {
    expect(lineKey('✻ Stewing… (3s)')).not.toBe(lineKey('✻ Baked for 3s · done 1:03 PM'));
    expect(lineKey('$ touch a')).not.toBe(lineKey('$ touch b'));
  });
});

describe('continuation: a screen that only adds to the one before', () => {
  const of = (lines: string[]) => ({ lines, keys: lines.map(lineKey) });
  it('merges lines added at the bottom, or above a footer, and lines that grew', () => {
    expect(continuation(of(['> prompt', 'footer']), of(['> prompt', 'reply 1', 'footer']))).toEqual(['> prompt', 'reply 1', 'footer']);
    expect(continuation(of(['> prompt', 'The answ']), of(['> prompt', 'The answer is 42']))).toEqual(['> prompt', 'The answer is 42']);
  });

  it('joins a screen whose top scrolled away', () => {
    const prev = of(['a one', 'b two', 'c three', 'd four', 'e five']);
    const next = of(['c three', 'd four', 'e five', 'f six']);
    expect(continuation(prev, next)).toEqual(['a one', 'b two', 'c three', 'd four', 'e five', 'f six']);
  });

  it('does not merge a screen that lost lines (an approval box went away)', () => {
    expect(continuation(of(['> prompt', 'Do you want to proceed?', '1. Yes', 'footer']), of(['> prompt', 'Ran it', 'footer']))).toBeUndefined();
  });
});

describe('ScreenHistory on the alternate screen', () => {
  it('keeps screens that stayed ≥ 300 ms, drops the ones that flashed by, and keeps the last one before the switch', () => {
    const h = new ScreenHistory({ origin: 0 });
    feed(h, [
      ['booting', false],
      ['flash 1', true, 50],
      ['flash 2', true, 50],
      ['seen for a while', true, 400],
      ['the last screen, briefly', true, 20],
      ['Bye', false],
    ]);
    const text = h.render('booting\nBye');
    expect(text).not.toContain('flash');
    expect(text).toContain('seen for a while');
    expect(text).toContain('the last screen, briefly');
    expect(text.indexOf('booting')).toBeLessThan(text.indexOf('seen for a while'));
    expect(text.indexOf('the last screen, briefly')).toBeLessThan(text.indexOf('Bye'));
    expect(text).toMatch(/┄┄┄┄ full screen, screen 1 of 2 \+1\.1s ┄┄┄┄/);
    expect(text).toContain('┄┄┄┄ end of full screen ┄┄┄┄');
  });

  it('shows a screen repeated unchanged, or with only its timer ticking, once', () => {
    const h = new ScreenHistory();
    const frames: [string, boolean][] = [];
    for (let s = 0; s < 30; s++) frames.push([`> fix the bug\n\n✻ Cogitating… (${s}s · ↓ ${s * 7} tokens)\n\n? for shortcuts`, true]);
    feed(h, frames);
    h.finish();
    expect(h.screens()).toHaveLength(1);
    expect(h.screens()[0].text).toContain('(29s · ↓ 203 tokens)');
  });

  it('merges a streamed reply into one screen, not one per line', () => {
    const h = new ScreenHistory();
    const reply = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the reply`);
    const frames: [string, boolean][] = reply.map((_, i) => [['> explain', ...reply.slice(0, i + 1), '────', '❯', '────'].join('\n'), true]);
    feed(h, frames);
    const text = h.render('');
    expect(h.screens()).toHaveLength(1);
    expect(count(text, 'line 1 of the reply')).toBe(1);
    expect(text).toContain('line 40 of the reply');
  });

  it('keeps a real Claude approval dialog between the prompt and the reply, and elides what the screens share', () => {
    const h = new ScreenHistory();
    feed(h, [
      [screen('real', 'claude-shell-prompt.txt'), true, 2000],
      [screen('real', 'claude-allowed.txt'), true, 2000],
      ['Resume this session with:\nclaude --resume 1234', false],
    ]);
    const text = h.render('Resume this session with:\nclaude --resume 1234');
    expect(text).toContain('Do you want to proceed?');
    expect(text).toContain(' touch conductor-contract-ok');
    expect(text).toContain('● Done: the command ran.');
    expect(text.indexOf('Do you want to proceed?')).toBeLessThan(text.indexOf('● Done: the command ran.'));
    expect(text.indexOf('● Done: the command ran.')).toBeLessThan(text.indexOf('Resume this session with:'));
    // The banner and the prompt line are shown once; the second screen says it shares them.
    expect(count(text, 'Claude Code v2.1.330')).toBe(1);
    expect(count(text, '❯ Create the marker file')).toBe(1);
    expect(text).toMatch(/⋮ \d+ lines as on the screen before/);
    expect(text.split('\n').filter((l) => l === '').length).toBeLessThan(10);
  });

  it('a session that ended on the alternate screen does not show its last screen twice', () => {
    const h = new ScreenHistory();
    const last = screen('../screen-history', 'claude-bash-dialog.txt');
    feed(h, [
      ['started', false],
      [last, true],
    ]);
    const normal = 'started';
    const emulatorText = `${normal}\n${last.replace(/\s+$/, '')}`;
    const text = h.render(emulatorText);
    expect(count(text, 'Do you want to proceed?')).toBe(1);
    expect(text.startsWith('started\n')).toBe(true);
  });
});

describe('ScreenHistory in the normal buffer', () => {
  it('is the final text itself when nothing was lost', () => {
    const h = new ScreenHistory();
    feed(h, [
      ['$ npm test', false],
      ['$ npm test\n3 passing', false],
    ]);
    expect(h.render('$ npm test\n3 passing\ndone')).toBe('$ npm test\n3 passing\ndone');
    expect(new ScreenHistory().render('no frames at all\n')).toBe('no frames at all');
  });

  it('puts back an approval box an inline app erased, after the line shown above it, once', () => {
    const h = new ScreenHistory({ origin: 0 });
    const before = ['› Create the marker file', '', '• Running touch marker'];
    const box = ['', '  Would you like to run the following command?', '', '  $ touch marker', '', '› 1. Yes, proceed (y)', '  3. No, and tell Codex what to do differently (esc)'];
    feed(h, [
      [[...before, ...box].join('\n'), false, 2000],
      [[...before, ...box].join('\n').replace('(y)', '(y) '), false, 2000],
      [[...before, '✔ You approved codex to run touch marker', '• Ran touch marker', '• Done: the command ran.'].join('\n'), false],
    ]);
    const final = ['WARNING: temporary dir', ...before, '✔ You approved codex to run touch marker', '• Ran touch marker', '• Done: the command ran.', 'Token usage: total=30'].join('\n');
    const text = h.render(final);
    expect(count(text, 'Would you like to run the following command?')).toBe(1);
    expect(text.indexOf('• Running touch marker')).toBeLessThan(text.indexOf('Would you like to run'));
    expect(text.indexOf('(esc)')).toBeLessThan(text.indexOf('✔ You approved codex'));
    expect(text).toContain('┄┄┄┄ on screen +0.0s, redrawn later ┄┄┄┄');
    expect(count(text, '› Create the marker file')).toBe(1);
  });

  it('does not count a line that was being typed as lost', () => {
    const h = new ScreenHistory();
    feed(h, [
      ['> Create the mar', false],
      ['> Create the marker file', false],
    ]);
    expect(h.render('> Create the marker file\nok')).toBe('> Create the marker file\nok');
  });

  it('places a real Gemini approval dialog (redrawn in place in the normal buffer) before the tool box that replaced it', () => {
    const h = new ScreenHistory();
    const dialog = screen('../screen-history', 'gemini-shell-dialog.txt');
    const idle = screen('real', 'research-gemini-idle.txt');
    feed(h, [
      [dialog, false, 2000],
      [idle, false],
    ]);
    // The final scrollback as Gemini leaves it: the approval panel redrawn as the short tool box.
    const final = dialog.slice(0, dialog.lastIndexOf('╭')).trimEnd() + '\n╭──╮\n│ ✓  Shell touch plain-1 │\n╰──╯\n' + idle;
    const text = h.render(final);
    expect(count(text, 'Allow execution of [Shell]?')).toBe(1);
    expect(text.indexOf('Allow execution of [Shell]?')).toBeLessThan(text.indexOf('✓  Shell touch plain-1'));
  });
});

describe('ScreenHistory bounds', () => {
  it('keeps at most maxFrames screens and says how many it dropped', () => {
    const h = new ScreenHistory({ maxFrames: 5 });
    feed(
      h,
      Array.from({ length: 12 }, (_, i) => [`screen ${'abcdefghijkl'[i]}`, true] as [string, boolean]),
    );
    const text = h.render('');
    expect(h.screens()).toHaveLength(5);
    expect(text).toContain('[7 earlier screens were not kept]');
    expect(text).toContain('screen l');
  });

  it('ignores frames after finish', () => {
    const h = new ScreenHistory();
    h.frame(0, 'one', true);
    h.finish(1000);
    h.frame(2000, 'two', true);
    expect(h.render('')).not.toContain('two');
  });
});
