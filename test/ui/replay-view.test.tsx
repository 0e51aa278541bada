// The replay view on a fake clock: text appears at its playback time, pause stops time, seeks forward and
// back show the right screen, speed changes how fast time moves, markers and the end are shown, q quits.
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readRecording } from '../../src/adapters/store/cast-reader';
import { ReplayView, type ReplayClock, type ReplayInfo } from '../../src/ui/replay/replay-view';
import { KEY, mount } from './harness';

const rec = () => readRecording(join(resolve(__dirname, '../fixtures/casts/replay'), 'small.cast'));
const INFO: ReplayInfo = { exec: 'exec-20261201-120000-abcd', unit: 'build', kind: 'step', agent: 'coder', provider: 'sim', attempt: 2, attempts: 2 };

/** Time moves only when the test says; `advance` fires the playback timer once, as one frame would. */
class FakeClock implements ReplayClock {
  ms = 0;
  readonly timers = new Set<() => void>();
  now = () => this.ms;
  every = (_ms: number, fn: () => void) => {
    this.timers.add(fn);
    return () => void this.timers.delete(fn);
  };
  advance(ms: number) {
    this.ms += ms;
    for (const fn of [...this.timers]) fn();
  }
}

function setup(props: { speed?: number } = {}) {
  const clock = new FakeClock();
  const onQuit = vi.fn();
  const ui = mount(<ReplayView recording={rec()} info={INFO} clock={clock} onQuit={onQuit} {...props} />, { cols: 100, rows: 12 });
  return { ui, clock, onQuit };
}

describe('ReplayView', () => {
  it('plays: each line appears at its time on the clock, the header names the session', async () => {
    const { ui, clock } = setup();
    await ui.shows('▶ 0:00.0 / 0:07.7');
    expect(ui.frame()).toContain('replay exec-20261201-120000-abcd · step build · coder/sim · attempt 2 of 2');
    expect(ui.frame()).toContain('40×6 padded');
    expect(ui.frame()).not.toContain('first line');
    clock.advance(600);
    await ui.shows('▶ 0:00.6');
    expect(ui.frame()).toContain('first line');
    expect(ui.frame()).not.toContain('second line');
    clock.advance(1000);
    await ui.shows('second line');
    // The 30 s pause plays as 2 s: 4.6 s in, the line after it is there.
    clock.advance(3000);
    await ui.shows('after the pause');
    expect(ui.frame()).toContain('▶ 0:04.6');
    // Then the recording narrowed to 20×4.
    clock.advance(1000);
    await ui.shows('narrow now');
    expect(ui.frame()).toContain('20×4 padded');
    ui.unmount();
  });

  it('pause stops time; space plays on from there', async () => {
    const { ui, clock } = setup();
    clock.advance(1600);
    await ui.shows('second line');
    await ui.press(' ');
    await ui.shows('‖ 0:01.6');
    expect(clock.timers.size).toBe(0);
    clock.advance(10_000);
    await ui.press('x');
    expect(ui.frame()).toContain('‖ 0:01.6');
    expect(ui.frame()).not.toContain('after the pause');
    await ui.press(' ');
    expect(clock.timers.size).toBe(1);
    clock.advance(3000);
    await ui.shows('▶ 0:04.6');
    expect(ui.frame()).toContain('after the pause');
    ui.unmount();
  });

  it('→ and ← seek 5 s, g and G go to the start and the end; backwards shows the earlier screen', async () => {
    const { ui, clock } = setup();
    await ui.press(' ');
    await ui.shows('‖ 0:00.0');
    await ui.press(KEY.right);
    await ui.shows('‖ 0:05.0');
    expect(ui.frame()).toContain('after the pause');
    expect(ui.frame()).toContain('20×4 padded');
    await ui.press('\x1b[D');
    await ui.shows('‖ 0:00.0');
    expect(ui.frame()).not.toContain('first line');
    expect(ui.frame()).toContain('40×6 padded');
    await ui.press('G');
    await ui.shows('■ 0:07.7 / 0:07.7');
    expect(ui.frame()).toContain('last line');
    expect(ui.frame()).toContain('■ 0:07.7 state: completed');
    await ui.press('g');
    await ui.shows('‖ 0:00.0');
    clock.advance(2000);
    await ui.press(KEY.right, KEY.right);
    await ui.shows('■ 0:07.7');
    await ui.press(KEY.left);
    await ui.shows('‖ 0:02.7');
    expect(ui.frame()).toContain('◆ 0:02.6 approval ap-1 resolved: allow by user');
    expect(ui.frame()).toContain('second line');
    expect(ui.frame()).not.toContain('after the pause');
    ui.unmount();
  });

  it('speed: ] and + go faster, [ and - slower, within 0.25× to 16×', async () => {
    const { ui, clock } = setup({ speed: 2 });
    await ui.shows('2×');
    clock.advance(500);
    await ui.shows('▶ 0:01.0');
    await ui.press(']');
    await ui.shows('4×');
    clock.advance(500);
    await ui.shows('▶ 0:03.0');
    await ui.press('[', '-', '-', '-', '-');
    await ui.shows('0.25×');
    clock.advance(2000);
    await ui.shows('▶ 0:03.5');
    await ui.press('+', ']', ']', ']', ']', ']', ']', ']');
    await ui.shows('16×');
    clock.advance(1000);
    // Past the end: it stops there.
    await ui.shows('■ 0:07.7 / 0:07.7');
    expect(clock.timers.size).toBe(0);
    // Space at the end starts again from the beginning.
    await ui.press(' ');
    await ui.shows('▶ 0:00.0');
    ui.unmount();
  });

  it('draws the markers on the bar, says idle gaps are shortened, q, Esc and Ctrl-C quit', async () => {
    const { ui, onQuit } = setup();
    await ui.shows('▶ 0:00.0');
    const bar = ui.frame().split('\n').find((l) => l.includes('/ 0:07.7'))!;
    expect(bar.match(/◆/g)).toHaveLength(2);
    expect(bar).toContain('■');
    expect(ui.frame()).toContain('pauses over 2 s play as 2 s');
    await ui.press('q');
    expect(onQuit).toHaveBeenCalledTimes(1);
    await ui.press(KEY.esc);
    expect(onQuit).toHaveBeenCalledTimes(2);
    await ui.press(KEY.ctrlC);
    expect(onQuit).toHaveBeenCalledTimes(3);
    ui.unmount();
  });

  it('a torn recording says so and plays what is there', async () => {
    const clock = new FakeClock();
    const torn = readRecording(join(resolve(__dirname, '../fixtures/casts/replay'), 'torn.cast'));
    const ui = mount(<ReplayView recording={torn} info={INFO} clock={clock} onQuit={() => {}} />, { cols: 80, rows: 12 });
    await ui.shows("the recording's last line (5) was cut short; it plays up to there");
    clock.advance(2000);
    await ui.shows('second line');
    expect(ui.frame()).toContain('■ 0:01.5 / 0:01.5');
    ui.unmount();
  });
});
