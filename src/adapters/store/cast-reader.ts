// A session's .cast recording read for playback: its screen-changing events on a playback clock where idle gaps
// are shortened (as asciinema's idle_time_limit does), its markers on the same clock, and its initial size.
import { existsSync } from 'node:fs';
import { readCast, type CastHeader } from './cast-writer';
import { StoreError } from './errors';

/** Gaps between events longer than this (seconds) are shortened to it. */
export const DEFAULT_IDLE_LIMIT_S = 2;

export interface PlaybackEvent {
  /** Playback seconds (idle gaps shortened). */
  t: number;
  /** Seconds in the recording itself. */
  at: number;
  code: 'o' | 'r';
  data: string;
}

export interface PlaybackMarker {
  t: number;
  at: number;
  label: string;
  kind: 'approval' | 'exit' | 'state' | 'other';
}

export interface Recording {
  path: string;
  header: CastHeader;
  /** Output and resize events, in order. */
  events: PlaybackEvent[];
  markers: PlaybackMarker[];
  /** Playback seconds of the last event. */
  duration: number;
  /** Recording seconds of the last event. */
  recordedDuration: number;
  /** The last line was cut short (the writer was killed) and was left out. */
  torn?: { line: number };
  idleLimit: number;
}

/** Each gap between consecutive times longer than `limit` becomes `limit`: the times on the shortened clock. */
export function compressIdle(times: readonly number[], limit: number): number[] {
  // In whole milliseconds (a recording's resolution), so the sums do not drift.
  const out: number[] = [];
  const cap = Math.round(limit * 1000);
  let prev = 0;
  let acc = 0;
  for (const t of times) {
    const ms = Math.round(t * 1000);
    acc += Math.min(Math.max(0, ms - prev), cap);
    prev = ms;
    out.push(acc / 1000);
  }
  return out;
}

const EXIT_STATES = /^state: (completed|failed|cancelled|interrupted)\b/;

function markerKind(label: string): PlaybackMarker['kind'] {
  if (label.startsWith('approval ')) return 'approval';
  if (EXIT_STATES.test(label) || /^exit\b/.test(label)) return 'exit';
  if (label.startsWith('state: ')) return 'state';
  return 'other';
}

/** Parses a COLSxROWS resize; undefined when it is not one. */
export function parseSize(data: string): { cols: number; rows: number } | undefined {
  const m = /^(\d+)x(\d+)$/.exec(data);
  if (!m) return undefined;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : undefined;
}

/**
 * Reads `path` for playback. A missing or damaged file is a StoreError naming the file (and line); a torn last line
 * is dropped and reported in `torn`, the rest plays.
 */
export function readRecording(path: string, o: { idleLimit?: number } = {}): Recording {
  if (!existsSync(path)) throw new StoreError(`${path}: no recording (the session may not have started)`);
  const file = readCast(path);
  const limit = o.idleLimit ?? DEFAULT_IDLE_LIMIT_S;
  // Every event counts for the gaps (input and markers too): the clock is the recording's, only its pauses shorten.
  const times = compressIdle(
    file.events.map((e) => e[0]),
    limit,
  );
  const events: PlaybackEvent[] = [];
  const markers: PlaybackMarker[] = [];
  file.events.forEach(([at, code, data], i) => {
    const t = times[i];
    if (code === 'o' || (code === 'r' && parseSize(data))) events.push({ t, at, code, data });
    else if (code === 'm') markers.push({ t, at, label: data, kind: markerKind(data) });
  });
  const rec: Recording = {
    path,
    header: file.header,
    events,
    markers,
    duration: times.at(-1) ?? 0,
    recordedDuration: file.events.at(-1)?.[0] ?? 0,
    idleLimit: limit,
  };
  if (file.torn) rec.torn = file.torn;
  return rec;
}
