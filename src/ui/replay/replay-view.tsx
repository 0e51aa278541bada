// `conductor replay`: one recorded session played back in a pane drawn like the live one (from emulator cells),
// with a progress bar of its markers, play/pause, seek and speed. The playback clock and its timer are
// injected, so tests move time by hand.
import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { PlaybackMarker, Recording } from '../../adapters/store/cast-reader';
import { PaneLine, visibleRows } from '../components/pty-pane';
import { useTerminalSize } from '../hooks/use-terminal-size';
import { plainLine } from '../sanitize';
import { clipPieces } from '../spans';
import { DEFAULT_THEME, type Theme } from '../theme';
import { RecordingScreen, type ReplayScreen } from './player';

export interface ReplayClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

export const realClock: ReplayClock = {
  now: () => performance.now(),
  every: (ms, fn) => {
    const h = setInterval(fn, ms);
    return () => clearInterval(h);
  },
};

export interface ReplayInfo {
  exec: string;
  unit: string;
  kind: 'step' | 'trial';
  agent: string;
  provider: string;
  attempt: number;
  attempts: number;
}

export interface ReplayViewProps {
  recording: Recording;
  info: ReplayInfo;
  onQuit: () => void;
  clock?: ReplayClock;
  /** Starting speed (clamped to SPEEDS' range). */
  speed?: number;
  /** Start playing at once (default true). */
  autoplay?: boolean;
  theme?: Theme;
  /** The screen behind the pane (default: the recording fed through a headless terminal). */
  screen?: ReplayScreen;
}

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;
export const SEEK_STEP_S = 5;
/** Playback frames while playing (ms); nothing is drawn while paused. */
const FRAME_MS = 33;

export const clampSpeed = (s: number): number => Math.min(SPEEDS[SPEEDS.length - 1], Math.max(SPEEDS[0], s));
const faster = (s: number): number => SPEEDS.find((x) => x > s) ?? SPEEDS[SPEEDS.length - 1];
const slower = (s: number): number => [...SPEEDS].reverse().find((x) => x < s) ?? SPEEDS[0];

/** 75.25 → "1:15.2". */
export function clockText(seconds: number): string {
  const tenths = Math.floor(Math.max(0, seconds) * 10 + 1e-6);
  const m = Math.floor(tenths / 600);
  const s = (tenths % 600) / 10;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

const speedText = (s: number): string => `${s}×`;

const MARK_CHAR: Record<PlaybackMarker['kind'], string | undefined> = { approval: '◆', exit: '■', state: undefined, other: undefined };

/** The bar: played part, the position, markers at their times. */
export function progressBar(pos: number, duration: number, width: number, markers: readonly PlaybackMarker[]): { played: string; head: string; rest: string } {
  const w = Math.max(3, width);
  const at = (t: number) => (duration > 0 ? Math.min(w - 1, Math.floor((t / duration) * (w - 1) + 1e-9)) : 0);
  const cells: string[] = Array.from({ length: w }, () => '─');
  const head = duration > 0 ? at(pos) : 0;
  for (let i = 0; i < head; i++) cells[i] = '━';
  for (const m of markers) {
    const ch = MARK_CHAR[m.kind];
    if (ch) cells[at(m.t)] = ch;
  }
  return { played: cells.slice(0, head).join(''), head: '●', rest: cells.slice(head + 1).join('') };
}

interface Playback {
  playing: boolean;
  speed: number;
  /** Playback seconds at `anchorMs`. */
  anchorPos: number;
  anchorMs: number;
}

export function ReplayView(p: ReplayViewProps) {
  const clock = p.clock ?? realClock;
  const theme = p.theme ?? DEFAULT_THEME;
  const rec = p.recording;
  const size = useTerminalSize();
  const owned = useRef<ReplayScreen | undefined>(undefined);
  const screen = useMemo(() => {
    if (p.screen) return p.screen;
    owned.current = new RecordingScreen(rec);
    return owned.current;
  }, [p.screen, rec]);
  useEffect(() => () => owned.current?.dispose(), [screen]);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [pb, setPb] = useState<Playback>(() => ({ playing: p.autoplay !== false && rec.duration > 0, speed: clampSpeed(p.speed ?? 1), anchorPos: 0, anchorMs: clock.now() }));
  const pbRef = useRef(pb);
  pbRef.current = pb;

  const positionAt = (b: Playback, ms: number): number =>
    Math.min(rec.duration, b.playing ? b.anchorPos + ((ms - b.anchorMs) / 1000) * b.speed : b.anchorPos);

  /** Shows time `t` once the screen has caught up with it. */
  const show = (t: number) => {
    void screen.seek(t).then(redraw);
  };

  const update = (f: (b: Playback, pos: number) => Partial<Playback>) => {
    const now = clock.now();
    const b = pbRef.current;
    const pos = positionAt(b, now);
    const next: Playback = { ...b, anchorPos: pos, anchorMs: now, ...f(b, pos) };
    next.anchorPos = Math.max(0, Math.min(rec.duration, next.anchorPos));
    if (next.playing && next.anchorPos >= rec.duration) next.playing = false;
    pbRef.current = next;
    setPb(next);
    show(next.anchorPos);
  };

  useEffect(() => {
    show(pb.anchorPos);
  }, [screen]);

  useEffect(() => {
    if (!pb.playing) return undefined;
    return clock.every(FRAME_MS, () => {
      const b = pbRef.current;
      const pos = positionAt(b, clock.now());
      if (pos >= rec.duration) update(() => ({ playing: false, anchorPos: rec.duration }));
      else show(pos);
    });
  }, [pb.playing, clock]);

  useInput((input, key) => {
    // Ctrl-C arrives as a key in raw mode: it quits too.
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
      p.onQuit();
      return;
    }
    if (input === ' ') update((b, pos) => ({ playing: !b.playing, anchorPos: !b.playing && pos >= rec.duration ? 0 : pos }));
    else if (key.rightArrow) update((_b, pos) => ({ anchorPos: pos + SEEK_STEP_S }));
    else if (key.leftArrow) update((_b, pos) => ({ anchorPos: pos - SEEK_STEP_S }));
    else if (key.home || input === 'g') update(() => ({ anchorPos: 0 }));
    else if (key.end || input === 'G') update(() => ({ anchorPos: rec.duration }));
    else if (input === ']' || input === '+' || input === '=') update((b) => ({ speed: faster(b.speed) }));
    else if (input === '[' || input === '-') update((b) => ({ speed: slower(b.speed) }));
  });

  const pos = screen.time;
  const snap = screen.snapshot();
  const cols = size.cols;
  const paneH = Math.max(3, size.rows - 4);
  const innerW = Math.max(1, cols - 2);
  const innerH = Math.max(1, paneH - 2);
  const { first, lines } = visibleRows(snap, innerH, false);
  const i = p.info;
  const header = `replay ${i.exec} · ${i.kind} ${i.unit} · ${i.agent}/${i.provider} · attempt ${i.attempt}${i.attempts > 1 ? ` of ${i.attempts}` : ''}`;
  const clipped = snap.cols > innerW || snap.rows > innerH;
  // The recording keeps its own size: a smaller pane shows its left columns and the rows nearest its cursor.
  const fit = `${snap.cols}×${snap.rows}${clipped ? ` clipped to ${Math.min(snap.cols, innerW)}×${Math.min(snap.rows, innerH)}` : snap.cols < innerW || snap.rows < innerH ? ' padded' : ''}`;
  const status = pb.playing ? '▶' : pos >= rec.duration ? '■' : '‖';
  const left = `${status} ${clockText(pos)} / ${clockText(rec.duration)} `;
  const right = ` ${speedText(pb.speed)}`;
  const bar = progressBar(pos, rec.duration, cols - left.length - right.length - 1, rec.markers);
  const passed = [...rec.markers].reverse().find((m) => m.t <= pos && m.kind !== 'other');
  const note = rec.torn
    ? `the recording's last line (${rec.torn.line}) was cut short; it plays up to there`
    : passed
      ? `${MARK_CHAR[passed.kind] ?? '·'} ${clockText(passed.t)} ${passed.label}`
      : '';
  const help = `space play/pause  ←/→ ${SEEK_STEP_S} s  g/G start/end  [/] speed  q quit · pauses over ${rec.idleLimit} s play as ${rec.idleLimit} s`;
  return (
    <Box flexDirection="column" width={cols} height={size.rows}>
      <Box height={1} width={cols}>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="truncate" bold color={theme.accent}>
            {plainLine(header)}
          </Text>
        </Box>
        <Box flexShrink={0}>
          <Text color={theme.muted}>{` ${fit}`}</Text>
        </Box>
      </Box>
      <Box flexDirection="column" width={cols} height={paneH} borderStyle="round" borderColor={theme.border} overflow="hidden">
        {lines.map((line, row) => (
          <Box key={first + row} height={1} width={innerW} overflow="hidden">
            <PaneLine pieces={clipPieces(line.spans, innerW)} theme={theme} />
          </Box>
        ))}
      </Box>
      <Box height={1} width={cols}>
        <Text wrap="truncate">
          {left}
          <Text color={theme.accent}>{bar.played}</Text>
          <Text color={theme.accent} bold>
            {bar.head}
          </Text>
          <Text color={theme.muted}>{bar.rest}</Text>
          {right}
        </Text>
      </Box>
      <Box height={1} width={cols}>
        <Text wrap="truncate" color={rec.torn ? theme.warn : theme.muted}>
          {plainLine(note) || ' '}
        </Text>
      </Box>
      <Box height={1} width={cols}>
        <Text wrap="truncate" color={theme.muted}>
          {help}
        </Text>
      </Box>
    </Box>
  );
}
