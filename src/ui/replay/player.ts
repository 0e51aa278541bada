// The screen of a recording at a playback time: its output fed through a headless terminal up to that time.
// Forward moves feed only what is new; a move backwards feeds a fresh terminal from the start (exact, and
// the output between resizes goes in as one write: a few MB take a fraction of a second, measured in test/unit/store).
import { createXtermEmulator, type Emulator } from '../../adapters/pty/emulator';
import { parseSize, type Recording } from '../../adapters/store/cast-reader';
import type { ScreenSnapshot } from '../../core/screen';

export interface ReplayScreen {
  /** Where the recording is, in playback seconds. */
  readonly time: number;
  seek(t: number): Promise<void>;
  snapshot(): ScreenSnapshot;
  dispose(): void;
}

export class RecordingScreen implements ReplayScreen {
  private emu: Emulator;
  /** Events [0, applied) are on the screen. */
  private applied = 0;
  private target = 0;
  private chain: Promise<void> = Promise.resolve();
  private disposed = false;
  time = 0;

  constructor(private readonly rec: Recording) {
    this.emu = this.fresh();
  }

  private fresh(): Emulator {
    return createXtermEmulator({ cols: this.rec.header.width, rows: this.rec.header.height, scrollback: 0 });
  }

  /** Brings the screen to playback time `t`; calls made while one runs are folded into the latest. */
  seek(t: number): Promise<void> {
    this.target = Math.max(0, Math.min(t, this.rec.duration));
    this.chain = this.chain.then(() => this.apply(this.target));
    return this.chain;
  }

  private async apply(t: number): Promise<void> {
    if (this.disposed) return;
    const ev = this.rec.events;
    // How many events are at or before t.
    let end = this.applied;
    while (end < ev.length && ev[end].t <= t) end++;
    while (end > 0 && ev[end - 1].t > t) end--;
    if (end < this.applied) this.rewind();
    await this.feed(end);
    this.time = t;
  }

  private rewind(): void {
    this.emu.dispose();
    this.emu = this.fresh();
    this.applied = 0;
  }

  private async feed(end: number): Promise<void> {
    const ev = this.rec.events;
    let batch = '';
    const flush = async () => {
      if (!batch) return;
      const data = batch;
      batch = '';
      await new Promise<void>((r) => this.emu.write(data, r));
    };
    for (let i = this.applied; i < end; i++) {
      const e = ev[i];
      if (e.code === 'o') batch += e.data;
      else {
        await flush();
        const size = parseSize(e.data);
        if (size) this.emu.resize(size.cols, size.rows);
      }
    }
    await flush();
    this.applied = end;
  }

  snapshot(): ScreenSnapshot {
    return this.emu.snapshot();
  }

  dispose(): void {
    this.disposed = true;
    this.emu.dispose();
  }
}
