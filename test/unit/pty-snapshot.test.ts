// Screen snapshots carry the terminal's own wrap flags; logical lines join the rows it wrapped.
import { describe, expect, test } from 'vitest';
import { createXtermEmulator } from '../../src/adapters/pty/emulator';
import { lineText, logicalLines } from '../../src/core/screen';

const written = (emu: ReturnType<typeof createXtermEmulator>, data: string): Promise<void> => new Promise((r) => emu.write(data, r));

describe('ScreenLine.wrapped', () => {
  test('rows the terminal auto-wrapped are marked, in snapshot() and readLines()', async () => {
    const emu = createXtermEmulator({ cols: 10, rows: 6, scrollback: 10 });
    await written(emu, `${'x'.repeat(25)}\r\n${'y'.repeat(10)}\r\nz`);
    const snap = emu.snapshot();
    expect(snap.lines.map((l) => l.wrapped ?? false)).toEqual([false, true, true, false, false, false]);
    expect(emu.readLines(0, 4).map((l) => l.wrapped ?? false)).toEqual([false, true, true, false]);
    // A row filled exactly to the edge and ended by a newline is not a wrap.
    expect(lineText(snap.lines[3])).toBe('y'.repeat(10));
    expect(logicalLines(snap)).toEqual(['x'.repeat(25), 'y'.repeat(10), 'z', '']);
    emu.dispose();
  });

  test('a reflow on resize keeps the logical lines', async () => {
    const emu = createXtermEmulator({ cols: 40, rows: 6, scrollback: 10 });
    await written(emu, `${'a'.repeat(30)} ${'b'.repeat(30)}\r\nend`);
    const before = logicalLines(emu.snapshot());
    emu.resize(17, 8);
    expect(emu.snapshot().lines.filter((l) => l.wrapped).length).toBe(3);
    expect(logicalLines(emu.snapshot()).filter(Boolean)).toEqual(before.filter(Boolean));
    emu.dispose();
  });

  test('the first visible row may continue a row above the viewport', () => {
    const line = (text: string, wrapped?: true) => (wrapped ? { spans: [{ text }], wrapped } : { spans: [{ text }] });
    const snap = { cols: 3, rows: 3, lines: [line('bcd', true), line('ef', true), line('g')], cursor: { x: 0, y: 0, visible: true }, title: '', bufferLength: 4, viewportY: 1, alternate: false };
    expect(logicalLines(snap)).toEqual(['bcdef', 'g']);
  });
});
