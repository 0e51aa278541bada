// Durations in input files (`90s`, `10m`, `1h`, `500ms`, or a number of seconds) to milliseconds.
import type { Millis } from './types';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;

export const DURATION_HINT = 'a duration like `500ms`, `90s`, `10m`, `1h` or a number of seconds';

export type DurationResult = { ok: true; ms: Millis } | { ok: false; message: string };

export function parseDuration(input: unknown): DurationResult {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return { ok: true, ms: Math.round(input * 1000) };
    return { ok: false, message: `found ${input}, expected ${DURATION_HINT} (not negative)` };
  }
  if (typeof input === 'string') {
    const text = input.trim();
    if (/^\d+(?:\.\d+)?$/.test(text)) return { ok: true, ms: Math.round(Number(text) * 1000) };
    const m = PATTERN.exec(text);
    if (m) return { ok: true, ms: Math.round(Number(m[1]) * UNITS[m[2]]) };
    return { ok: false, message: `found "${input}", expected ${DURATION_HINT}` };
  }
  return { ok: false, message: `found ${describeValue(input)}, expected ${DURATION_HINT}` };
}

/** Throws an Error with a readable message on a bad value. */
export function toMillis(input: unknown): Millis {
  const r = parseDuration(input);
  if (!r.ok) throw new Error(`bad duration: ${r.message}`);
  return r.ms;
}

export function formatDuration(ms: Millis): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s ? `${m}m${s}s` : `${m}m`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return m ? `${h}h${m}m` : `${h}h`;
}

export function describeValue(v: unknown): string {
  if (v === null) return 'an empty value';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 37)}...` : v}"`;
  return `${typeof v} ${String(v)}`;
}
