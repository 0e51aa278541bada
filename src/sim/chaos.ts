// Chaos for sim trials: which faults a trial injects (drawn in the conductor, recorded, handed to the sim)
// and the garbage a `garbage` fault prints. Pure: the same seed gives the same faults and the same bytes.
import type { FaultKind, SimAction, SimScript } from '../core/types';
import { createRng, type Rng } from './random';

export const FAULT_KINDS: readonly FaultKind[] = ['crash', 'hang', 'garbage'];

/** One fault the sim injects before action `at` (at = the number of actions, past the last: before its summary). */
export interface InjectedFault {
  fault: FaultKind;
  at: number;
}

/** The script the sim agent reads: a SimScript plus the faults conductor drew and recorded for this session. */
export interface SimRunScript extends SimScript {
  inject?: InjectedFault[];
}

/** Seed of a stream derived from `seed` (murmur3's finalizer over seed and salt), unrelated to `seed`'s own stream. */
export function deriveSeed(seed: number, salt: number): number {
  let h = (Math.imul(seed | 0, 0xcc9e2d51) ^ Math.imul(salt | 0, 0x1b873593)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const CHAOS_SALT = 0x43484153; // "CHAS"
const GARBAGE_SALT = 0x47415242; // "GARB"

/**
 * The simulated failure a seeded script hits (the action index it fails at, or -1). The sim draws it first
 * from its own stream; conductor replays the same draw to know where the session ends.
 */
export function drawFailAt(rng: Rng | undefined, failRate: number, actions: number): number {
  return rng && failRate > 0 && rng() < failRate ? Math.floor(rng() * actions) : -1;
}

/** Where a session of this script stops by itself, as an action index: a simulated failure or the first `fail` action. */
function endOf(script: SimScript, seed: number): number {
  const failAt = drawFailAt(createRng(seed), script.failRate ?? 0, script.actions.length);
  const failAction = script.actions.findIndex((a: SimAction) => 'fail' in a);
  return Math.min(...[script.actions.length, failAt, failAction].filter((i) => i >= 0));
}

/**
 * The faults of one session of `script`, drawn from `seed` on a stream of their own (so the failRate draw and
 * every seed without chaos behave as before). Each kind takes two draws whatever its probability (a roll
 * against it, then the action index), so one kind's probability never moves another kind's faults. Only what
 * will happen is returned, in order: nothing past the first crash or hang (the session ends there) or past the
 * point where the script stops by itself.
 */
export function drawFaults(script: SimScript, seed: number): InjectedFault[] {
  const chaos = script.chaos;
  if (!chaos) return [];
  const rng = createRng(deriveSeed(seed, CHAOS_SALT));
  const n = script.actions.length;
  const drawn: InjectedFault[] = [];
  for (const fault of FAULT_KINDS) {
    const hit = rng() < (chaos[fault] ?? 0);
    const at = Math.floor(rng() * Math.max(1, n));
    if (hit) drawn.push({ fault, at });
  }
  const end = endOf(script, seed);
  // A garbage fault at the same index as a crash or hang is printed first (faults at one index run in this order).
  const order = (f: InjectedFault): number => f.at * 4 + (f.fault === 'garbage' ? 0 : f.fault === 'crash' ? 1 : 2);
  const out: InjectedFault[] = [];
  for (const f of drawn.filter((f) => f.at <= end).sort((a, b) => order(a) - order(b))) {
    out.push(f);
    if (f.fault !== 'garbage') break;
  }
  return out;
}

/** The script handed to the sim: the faults drawn for this session in `inject` (the chaos probabilities stay behind). */
export function withFaults(script: SimScript, faults: InjectedFault[]): SimRunScript {
  const { chaos: _chaos, ...rest } = script;
  return faults.length ? { ...rest, inject: faults } : rest;
}

/** Faults from a script file (as `inject`); anything malformed is dropped, never guessed at. */
export function faultsOf(script: unknown): InjectedFault[] {
  const list = script && typeof script === 'object' ? (script as { inject?: unknown }).inject : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (f): f is InjectedFault =>
      !!f && typeof f === 'object' && FAULT_KINDS.includes((f as InjectedFault).fault) && Number.isInteger((f as InjectedFault).at) && (f as InjectedFault).at >= 0,
  );
}

/**
 * What a `garbage` fault prints (seeded by the session's seed and the action index): random bytes, invalid
 * UTF-8, and escape sequences left broken (a CSI without its final byte, an OSC and a DCS without their
 * terminator, huge and countless parameters), then a newline. The sim carries on after it.
 */
export function garbageBytes(seed: number, at: number): Buffer {
  const rng = createRng(deriveSeed(deriveSeed(seed, GARBAGE_SALT), at));
  const random = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
  const parts: Buffer[] = [
    random(64 + Math.floor(rng() * 128)),
    // Invalid UTF-8: a lone continuation byte, a truncated 4-byte sequence, an overlong '/', an encoded surrogate, 0xFF/0xFE.
    Buffer.from([0x80, 0x20, 0xf0, 0x9f, 0x98, 0x20, 0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xff, 0xfe, 0xc3, 0x28]),
    Buffer.from(`\x1b[${'9'.repeat(4096)}m`, 'latin1'),
    Buffer.from(`\x1b[${Array.from({ length: 2048 }, (_, i) => i).join(';')}H`, 'latin1'),
    Buffer.from('\x1b[99999999;99999999H\x1b[4294967296A', 'latin1'),
    random(32 + Math.floor(rng() * 64)),
    Buffer.from('\x1bP1$r', 'latin1'),
    random(16),
    Buffer.from('\x1b]0;chaos title without a terminator ', 'latin1'),
    Buffer.from('\x1b]8;;https://example.invalid/unterminated-link ', 'latin1'),
    Buffer.from('\x1b[38;5;', 'latin1'),
  ];
  // The order of the broken pieces varies with the seed; the CSI left without its final byte stays last.
  const last = parts.pop()!;
  for (let i = parts.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [parts[i], parts[j]] = [parts[j], parts[i]];
  }
  return Buffer.concat([...parts, last, Buffer.from('\r\n')]);
}
