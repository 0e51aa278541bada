// The whole process tree of a session or a check, so a stop ends all of it: children that ignore TERM,
// that left the process group (`set -m`) or the session (`setsid`), and ones reparented to init once
// their parent died. Signalling the group alone misses all of these.
//
// A process belongs to the tree when any of these holds (Linux, read from /proc):
//  - it descends from the leader now (ppid chain);
//  - it is in the leader's session (sid = leader pid: `set -m` jobs keep the session);
//  - its environment carries the tree's marker (inherited by everything it started, setsid or not);
//  - it was seen descending from the leader by an earlier snapshot and has the same start time (pid not reused).
// What escapes: a process that both cleared its environment (`env -i`) and was reparented before any
// snapshot saw it. Elsewhere than Linux (no /proc) only the process group is signalled.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const TREE_MARKER_ENV = 'CONDUCTOR_TREE';

interface Stat {
  ppid: number;
  pgrp: number;
  sid: number;
  state: string;
  start: string;
}

const hasProc = existsSync('/proc/self/stat');

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields start after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), sid: Number(f[3]), start: f[19] };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    return [];
  }
}

/** Alive: exists and is not a zombie (a zombie is dead; only its parent's wait is missing). */
export function alive(pid: number): boolean {
  if (hasProc) {
    const s = readStat(pid);
    return !!s && s.state !== 'Z' && s.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function send(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone, or not ours */
  }
}

/** Every process, keyed by pid, with its stat (one pass over /proc). */
function table(): Map<number, Stat> {
  const out = new Map<number, Stat>();
  for (const pid of allPids()) {
    const s = readStat(pid);
    if (s) out.set(pid, s);
  }
  return out;
}

function hasMarker(pid: number, marker: Buffer): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(marker);
  } catch {
    return false;
  }
}

/**
 * Kills every process whose environment holds `name=value` (what a conductor killed with -9 left running: the
 * check commands of its execution carry such an entry). Returns how many were signalled.
 */
export function killMarked(name: string, value: string): number {
  if (!hasProc) return 0;
  const entry = Buffer.from(`${name}=${value}\0`);
  let n = 0;
  for (const pid of allPids()) {
    if (pid === process.pid || !hasMarker(pid, entry)) continue;
    send(pid, 'SIGKILL');
    n++;
  }
  return n;
}

const live: Set<ProcessTree> = new Set();
let exitHook = false;

export class ProcessTree {
  /** The env entry that marks every process started under the leader. */
  readonly env: Record<string, string>;
  private readonly marker: Buffer;
  private leader = 0;
  /** The leader was reaped: its pid may be reused, so it is never signalled again. */
  private leaderGone = false;
  private readonly seen = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    const token = randomBytes(9).toString('hex');
    this.env = { [TREE_MARKER_ENV]: token };
    this.marker = Buffer.from(`${TREE_MARKER_ENV}=${token}\0`);
  }

  /** Starts watching the tree under `pid`: remembered every `intervalMs` while it runs, killed when conductor exits. */
  attach(pid: number, intervalMs = 1000): this {
    this.leader = pid;
    live.add(this);
    if (!exitHook) {
      exitHook = true;
      // The last resort: a conductor that exits (crash, process.exit, a second signal) takes its agents with it.
      process.on('exit', () => {
        for (const t of live) t.signal('SIGKILL');
      });
    }
    if (hasProc && intervalMs > 0) {
      this.timer = setInterval(() => this.remember(), intervalMs);
      this.timer.unref();
    }
    return this;
  }

  /** Notes the processes under the leader now, so they can be found after they are reparented. */
  remember(): void {
    if (!hasProc || !this.leader) return;
    const procs = table();
    for (const pid of this.descendants(procs)) {
      const s = procs.get(pid);
      if (s) this.seen.set(pid, s.start);
    }
  }

  private descendants(procs: Map<number, Stat>): Set<number> {
    const kids = new Map<number, number[]>();
    for (const [pid, s] of procs) {
      const list = kids.get(s.ppid);
      if (list) list.push(pid);
      else kids.set(s.ppid, [pid]);
    }
    const out = new Set<number>();
    const queue = [this.leader];
    while (queue.length) {
      const p = queue.pop()!;
      for (const c of kids.get(p) ?? []) {
        if (out.has(c)) continue;
        out.add(c);
        queue.push(c);
      }
    }
    return out;
  }

  /** Live members of the tree other than the leader. */
  members(): number[] {
    if (!hasProc || !this.leader) return [];
    const procs = table();
    const out = new Set<number>(this.descendants(procs));
    for (const [pid, s] of procs) {
      if (pid === this.leader || pid === process.pid) continue;
      if (s.sid === this.leader || s.pgrp === this.leader || this.seen.get(pid) === s.start) out.add(pid);
      else if (hasMarker(pid, this.marker)) out.add(pid);
    }
    for (const pid of out) {
      const s = procs.get(pid);
      if (!s || s.state === 'Z' || s.state === 'X') out.delete(pid);
      else this.seen.set(pid, s.start);
    }
    out.delete(process.pid);
    return [...out];
  }

  /** Signals the leader's group and every member, wherever it went. Returns the members signalled. */
  signal(sig: NodeJS.Signals): number[] {
    if (!this.leader) return [];
    if (!this.leaderGone) send(-this.leader, sig);
    const members = this.members();
    for (const pid of members) send(pid, sig);
    if (!this.leaderGone) send(this.leader, sig);
    return members;
  }

  /** The leader exited and was reaped. */
  leaderExited(): void {
    this.leaderGone = true;
  }

  private leaderAlive(): boolean {
    return !this.leaderGone && alive(this.leader);
  }

  /**
   * Ends what is left of the tree: TERM, then KILL after `graceMs` for whatever still lives.
   * Resolves once nothing of it is alive (or after the KILL, which cannot be ignored).
   */
  async end(graceMs: number): Promise<void> {
    let left = this.signal('SIGTERM');
    if (left.length || this.leaderAlive()) {
      const until = Date.now() + graceMs;
      while (Date.now() < until && (left.length || this.leaderAlive())) {
        await new Promise((r) => setTimeout(r, 50));
        left = left.filter(alive);
      }
      this.signal('SIGKILL');
    }
    this.detach();
  }

  /** Stops watching (the tree is gone, or handed back). */
  detach(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    live.delete(this);
  }
}
