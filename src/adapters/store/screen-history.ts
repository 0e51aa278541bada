// What the person saw in a session's terminal, rebuilt from the screens it showed ("frames": the visible text at
// moments the screen was still, and whether a full-screen app had the alternate screen). The normal buffer's
// scrollback is the record of what scrolled by; frames add what it cannot keep: everything a full-screen app drew
// on the alternate screen, and what an inline app drew in the normal buffer and erased later (an approval box
// redrawn away). Pure: no terminal, no clock, no files.

export interface ScreenHistoryOptions {
  /** A screen counts as seen once it stayed this long (ms); the last screen before a buffer switch or the end always counts. */
  quietMs?: number;
  /** Epoch ms the session started: screen times are shown relative to it. */
  origin?: number;
  /** Screens kept at most; older ones are dropped (and counted) beyond it. */
  maxFrames?: number;
}

interface Frame {
  /** When this screen was first shown, and when it was last seen unchanged. */
  ts: number;
  lines: string[];
  keys: string[];
  alternate: boolean;
}

const QUIET_MS = 300;
const MAX_FRAMES = 3000;

/** Runs of block elements or braille dots (with the spaces between them): logos and bars that animate. */
const ART = /[\u2580-\u259f\u2800-\u28ff](?:[\s\u2580-\u259f\u2800-\u28ff]*[\u2580-\u259f\u2800-\u28ff])?/gu;
/** Spinner glyphs agent CLIs cycle at the start of a status line (Claude's stars, dots and circles). */
const SPINNER = /^(\s*)[✻✽✶✳✢✺✹✷✸❋✦✧◐◓◑◒◴◵◶◷●○◉·*]/u;

/**
 * A line as compared (never as shown): digits stand for any number, so timers, token counts and progress do not make
 * a screen new; spinner glyphs stand for any spinner glyph, block and braille art for any art; runs of spaces are one space.
 */
export function lineKey(line: string): string {
  return line.replace(SPINNER, '$1*').replace(/\d+/g, '#').replace(ART, '▒').replace(/\s+/g, ' ').trim();
}

const splitLines = (text: string): string[] => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  while (lines.length && lines[0] === '') lines.shift();
  return lines;
};

/** `b` shows what `a` showed, maybe more of it: the same line, or one that grew at its end (typing, streaming). */
const covers = (a: string, b: string): boolean => a === b || (a.length > 0 && b.startsWith(a));

/** Indices of the non-blank lines. */
const content = (keys: string[]): number[] => keys.flatMap((k, i) => (k ? [i] : []));

/** Whether the non-blank lines `a[from..]` appear in order in `b`, each covered by its line there. */
function within(a: string[], ia: number[], from: number, b: string[], ib: number[]): boolean {
  let j = 0;
  for (let i = from; i < ia.length; i++) {
    while (j < ib.length && !covers(a[ia[i]], b[ib[j]])) j++;
    if (j === ib.length) return false;
    j++;
  }
  return true;
}

/**
 * `next` as a continuation of `prev`: `prev`'s lines are all still there (lines were added, or grew), or the top of
 * `prev` scrolled away and the rest is still there. Returns the merged lines, or undefined when `next` is a new screen.
 */
export function continuation(prev: { lines: string[]; keys: string[] }, next: { lines: string[]; keys: string[] }): string[] | undefined {
  const ip = content(prev.keys);
  const iN = content(next.keys);
  if (within(prev.keys, ip, 0, next.keys, iN)) return next.lines;
  const need = Math.max(3, Math.ceil(ip.length / 2));
  // Scrolled: the new screen starts with a line the old one showed further down, and the rest follows in order.
  for (let k = 1; ip.length - k >= need; k++) {
    if (iN.length && covers(prev.keys[ip[k]], next.keys[iN[0]]) && within(prev.keys, ip, k, next.keys, iN)) return [...prev.lines.slice(0, ip[k]), ...next.lines];
  }
  return undefined;
}

/** A line of the document (`added`: put back from a screen), or a stretch on the alternate screen. */
type Entry = { line: string; key: string; added?: true } | { screens: Frame[] };

export class ScreenHistory {
  private readonly quietMs: number;
  private readonly maxFrames: number;
  private readonly origin?: number;
  private pending?: Frame;
  private readonly frames: Frame[] = [];
  private dropped = 0;
  private last = -Infinity;
  private done = false;

  constructor(opts: ScreenHistoryOptions = {}) {
    this.quietMs = opts.quietMs ?? QUIET_MS;
    this.maxFrames = opts.maxFrames ?? MAX_FRAMES;
    this.origin = opts.origin;
  }

  /** The visible screen at `ts` (epoch ms), and whether it is the alternate screen. Call it whenever the screen may have changed. */
  frame(ts: number, text: string, alternate: boolean): void {
    if (this.done) return;
    this.last = Math.max(this.last, ts);
    const lines = splitLines(text);
    const p = this.pending;
    if (p && p.alternate === alternate && p.lines.length === lines.length && p.lines.every((l, i) => l === lines[i])) return;
    // The screen changed: what was there counts if it stayed long enough to read, or was the last screen of its buffer.
    if (p && (ts - p.ts >= this.quietMs || p.alternate !== alternate)) this.commit(p);
    this.pending = { ts, lines, keys: lines.map(lineKey), alternate };
  }

  /** The session ended (or the recording did): the screen on show counts. Later frames are ignored. */
  finish(ts?: number): void {
    if (this.done) return;
    if (ts !== undefined) this.last = Math.max(this.last, ts);
    if (this.pending) this.commit(this.pending);
    this.pending = undefined;
    this.done = true;
  }

  /** Whether any full-screen (alternate screen) frame was kept. */
  get sawAlternate(): boolean {
    return this.frames.some((f) => f.alternate) || !!this.pending?.alternate;
  }

  /** The kept screens so far (after dedupe and merging), oldest first. */
  screens(): { ts: number; text: string; alternate: boolean }[] {
    return this.frames.map((f) => ({ ts: f.ts, text: f.lines.join('\n'), alternate: f.alternate }));
  }

  private commit(f: Frame): void {
    if (f.keys.every((k) => !k)) return;
    const prev = this.frames[this.frames.length - 1];
    if (prev && prev.alternate === f.alternate) {
      const merged = continuation(prev, f);
      if (merged) {
        this.frames[this.frames.length - 1] = { ts: prev.ts, lines: merged, keys: merged.map(lineKey), alternate: f.alternate };
        return;
      }
    }
    this.frames.push(f);
    if (this.frames.length > this.maxFrames) {
      this.frames.shift();
      this.dropped++;
    }
  }

  /**
   * The session as the person saw it: the normal buffer's final text (`normalText`, scrollback included) with the
   * lines it lost put back where they were shown, and each stretch on the alternate screen as the screens it showed,
   * in order. Without any full-screen screen or lost line this is `normalText` itself.
   */
  render(normalText: string): string {
    this.finish();
    const doc: Entry[] = this.withoutLiveAlternate(normalText).map((line) => ({ line, key: lineKey(line) }));
    let cursor = 0;
    let stretch: Frame[] | undefined;
    for (const f of this.frames) {
      if (f.alternate) {
        if (!stretch) {
          stretch = [];
          doc.splice(cursor, 0, { screens: stretch });
          cursor++;
        }
        stretch.push(f);
        continue;
      }
      stretch = undefined;
      cursor = this.mergeNormal(doc, f, cursor);
    }
    const out: string[] = [];
    if (this.dropped > 0) out.push(`[${this.dropped} earlier screens were not kept]`);
    for (const e of doc) {
      if ('line' in e) out.push(e.line);
      else out.push(...this.renderStretch(e.screens));
    }
    return out.join('\n');
  }

  /** A session that ended on the alternate screen: the emulator's text ends with that screen, which the frames already hold. */
  private withoutLiveAlternate(text: string): string[] {
    const lines = splitLines(text);
    const lastFrame = this.frames[this.frames.length - 1];
    if (!lastFrame?.alternate) return lines;
    const screen = lastFrame.lines;
    const from = lines.length - screen.length;
    if (from < 0 || !screen.every((l, i) => l === lines[from + i])) return lines;
    const rest = lines.slice(0, from);
    while (rest.length && rest[rest.length - 1] === '') rest.pop();
    return rest;
  }

  /**
   * Puts the lines of a normal-buffer screen that the final text no longer has back into it, after the line the
   * screen showed above them. A line is lost when the document has it nowhere (and no longer line starting with it:
   * it was being typed); lines the document has are never added twice. The screen is placed by the lines it shares
   * with the document that occur once in both (patience alignment), then line by line between those. Returns the
   * new cursor: just after the screen's last line in `doc`.
   */
  private mergeNormal(doc: Entry[], f: Frame, cursor: number): number {
    const keyAt = (i: number): string | undefined => {
      const e = doc[i];
      return 'line' in e ? e.key : undefined;
    };
    const where = new Map<string, number[]>();
    for (let i = 0; i < doc.length; i++) {
      const k = keyAt(i);
      if (!k) continue;
      const list = where.get(k);
      if (list) list.push(i);
      else where.set(k, [i]);
    }
    const rows = content(f.keys);
    const lost = new Set(rows.filter((i) => !where.has(f.keys[i]) && !this.completedLater(doc, f.lines[i])));
    if (lost.size === 0) {
      // Nothing lost: only move the cursor past where this screen ends.
      const last = rows.length ? where.get(f.keys[rows[rows.length - 1]]) : undefined;
      const after = last?.find((p) => p >= cursor) ?? last?.[last.length - 1];
      return after === undefined ? cursor : Math.max(cursor, after + 1);
    }

    // Anchors: lines once on the screen and once in the document, kept in an order both agree on.
    const onScreen = new Map<string, number>();
    for (const i of rows) onScreen.set(f.keys[i], (onScreen.get(f.keys[i]) ?? 0) + 1);
    // Lines of the final text weigh more than lines put back from screens: those may have moved since (a footer).
    const candidates = rows
      .filter((i) => distinctive(f.lines[i]) && onScreen.get(f.keys[i]) === 1 && where.get(f.keys[i])?.length === 1)
      .map((i) => {
        const at = where.get(f.keys[i])![0];
        return { row: i, at, weight: isAdded(doc[at]) ? 1 : 8 };
      });
    const aligned = new Map<number, number>();
    for (const a of heaviestIncreasing(candidates)) aligned.set(a.row, a.at);

    // Runs of lines between anchors that hold a lost line: the lines the document has at the run's edges stay out
    // (they are placed already), except the rules of a box around the lost lines.
    const inserts: { after: number; lines: string[]; ts: number }[] = [];
    let prevAt: number | undefined;
    let run: number[] = [];
    const flush = (nextAt: number | undefined) => {
      let from = run.findIndex((i) => lost.has(i));
      if (from >= 0) {
        let to = run.length - 1;
        while (!lost.has(run[to])) to--;
        let after = prevAt ?? (nextAt !== undefined ? nextAt - 1 : cursor - 1);
        // The shared lines before the lost ones that follow the anchor in the document too: insert after them.
        for (const i of run.slice(0, from)) {
          const k = keyAt(after + 1);
          if (f.keys[i] && k && covers(f.keys[i], k)) after++;
        }
        if (from > 0 && isRule(f.lines[run[from - 1]])) from--;
        if (to < run.length - 1 && isRule(f.lines[run[to + 1]])) to++;
        inserts.push({ after, lines: run.slice(from, to + 1).map((i) => f.lines[i]), ts: f.ts });
      }
      run = [];
    };
    for (let row = 0; row < f.lines.length; row++) {
      const at = aligned.get(row);
      if (at === undefined) {
        run.push(row);
        continue;
      }
      flush(at);
      prevAt = at;
    }
    flush(undefined);

    // Insert from the last to the first, so the positions found above stay right; then shift the cursor past them.
    let next = Math.max(cursor, prevAt === undefined ? cursor : prevAt + 1);
    let reach = 0;
    for (const ins of inserts.sort((a, b) => a.after - b.after).reverse()) {
      // After what earlier screens put back at the same place, so they stay in order.
      let pos = Math.max(0, ins.after + 1);
      while (pos < doc.length && isAdded(doc[pos])) pos++;
      const lines: Entry[] = [
        { line: `┄┄┄┄ on screen${this.at(ins.ts)}, redrawn later ┄┄┄┄`, key: '', added: true },
        ...ins.lines.map((line) => ({ line, key: lineKey(line), added: true as const })),
        { line: '┄┄┄┄', key: '', added: true },
      ];
      doc.splice(pos, 0, ...lines);
      if (pos < next) next += lines.length;
      reach = Math.max(reach + (pos <= reach ? lines.length : 0), pos + lines.length);
    }
    return Math.max(next, reach);
  }

  /** A line the document has in a longer form (it was being typed or streamed when shown). */
  private completedLater(doc: Entry[], line: string): boolean {
    const t = line.trim();
    return doc.some((e) => 'line' in e && e.line.length > line.length && e.line.trim().startsWith(t));
  }

  private at(ts: number): string {
    if (this.origin === undefined) return '';
    const s = Math.max(0, ts - this.origin) / 1000;
    return ` +${s.toFixed(1)}s`;
  }

  /** One stretch on the alternate screen: each screen in turn, lines shared with the screen before it elided. */
  private renderStretch(screens: Frame[]): string[] {
    const out: string[] = [];
    let prev: string[] | undefined;
    screens.forEach((f, n) => {
      const lines = collapseBlanks(f.lines);
      const label = n === 0 ? `full screen, screen 1 of ${screens.length}` : `screen ${n + 1} of ${screens.length}`;
      out.push(`┄┄┄┄ ${label}${this.at(f.ts)} ┄┄┄┄`);
      if (!prev) out.push(...lines);
      else out.push(...elideShared(prev, lines));
      prev = lines;
    });
    out.push('┄┄┄┄ end of full screen ┄┄┄┄');
    return out;
  }
}

const isAdded = (e: Entry): boolean => 'added' in e && e.added === true;

/** A line of box-drawing or block characters only: the edge of a box or panel. */
const isRule = (line: string): boolean => /^[\s\u2500-\u257f]+$/u.test(line) && line.trim() !== "";

/** A line that can place a screen: some words, not just the edge of a box (whose only identity is its width). */
const distinctive = (line: string): boolean => (line.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 4;

/** The heaviest run of `items` whose `at` increases (their order in the document agrees with the screen's). */
function heaviestIncreasing<T extends { at: number; weight: number }>(items: T[]): T[] {
  const best = items.map((it) => it.weight);
  const prev = items.map(() => -1);
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < i; j++) {
      if (items[j].at < items[i].at && best[j] + items[i].weight > best[i]) {
        best[i] = best[j] + items[i].weight;
        prev[i] = j;
      }
    }
  }
  let top = -1;
  for (let i = 0; i < items.length; i++) if (top < 0 || best[i] > best[top]) top = i;
  const out: T[] = [];
  for (let i = top; i >= 0; i = prev[i]) out.push(items[i]);
  return out.reverse();
}

function collapseBlanks(lines: string[]): string[] {
  return lines.filter((l, i) => l.trim() !== '' || (i > 0 && lines[i - 1].trim() !== ''));
}

/** `lines` with the leading and trailing lines it shares with `prev` (compared as keys) replaced by a note. */
function elideShared(prev: string[], lines: string[]): string[] {
  const pk = prev.map(lineKey);
  const lk = lines.map(lineKey);
  let head = 0;
  while (head < lk.length && head < pk.length && lk[head] === pk[head]) head++;
  let tail = 0;
  while (tail < lk.length - head && tail < pk.length - head && lk[lk.length - 1 - tail] === pk[pk.length - 1 - tail]) tail++;
  const note = (n: number) => `  ⋮ ${n} line${n === 1 ? '' : 's'} as on the screen before`;
  const MIN = 2;
  const h = head >= MIN ? head : 0;
  const t = tail >= MIN ? tail : 0;
  const middle = lines.slice(h, lines.length - t);
  if (h === lines.length) return [note(h)];
  return [...(h ? [note(h)] : []), ...middle, ...(t ? [note(t)] : [])];
}
