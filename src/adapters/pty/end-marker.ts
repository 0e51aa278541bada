// Exit wrapper for PTY sessions: a shell stays the PTY's direct child, runs the agent, then prints an
// end marker carrying the agent's status and holds the PTY open until the reader acknowledges it.
// This is what makes "no lost output" hold: node-pty can drop the unread tail when the child exits.

export const END_OSC = 6973;

/**
 * The `/bin/sh -c` script. Positional args are the agent command and its args.
 * - INT/QUIT/TERM are caught (not ignored) so the agent gets default dispositions and the shell outlives it.
 * - After the agent ends: USR1 is trapped first, then the marker printed; the reader sends USR1 once it
 *   has read the marker, and only then does the shell exit and the PTY close.
 */
export function wrapperScript(token: string, holdSeconds = 600): string {
  return [
    'trap : INT QUIT TERM',
    '"$@"',
    's=$?',
    `sleep ${holdSeconds} </dev/null >/dev/null 2>&1 & w=$!`,
    `trap 'kill $w 2>/dev/null; exit $s' USR1`,
    `printf '\\033]${END_OSC};${token};%d\\007' "$s"`,
    'wait $w',
    'exit $s',
  ].join('\n');
}

export interface ScanResult {
  /** Output that precedes the marker (or that cannot be part of it), in order. */
  out: string;
  /** The agent's exit status once the marker has been read. */
  status?: number;
}

/** Finds the end marker in a chunked stream, holding back only a possible partial marker. */
export class EndMarkerScanner {
  private readonly prefix: string;
  private held = '';
  private done = false;

  constructor(token: string) {
    this.prefix = `\x1b]${END_OSC};${token};`;
  }

  get finished(): boolean {
    return this.done;
  }

  push(chunk: string): ScanResult {
    if (this.done) return { out: '' };
    const buf = this.held + chunk;
    this.held = '';
    const at = buf.indexOf(this.prefix);
    if (at >= 0) {
      const bel = buf.indexOf('\x07', at + this.prefix.length);
      if (bel < 0) {
        this.held = buf.slice(at);
        return { out: buf.slice(0, at) };
      }
      this.done = true;
      const status = Number.parseInt(buf.slice(at + this.prefix.length, bel), 10);
      return { out: buf.slice(0, at), status: Number.isFinite(status) ? status : 1 };
    }
    const keep = this.partialSuffix(buf);
    this.held = buf.slice(buf.length - keep);
    return { out: buf.slice(0, buf.length - keep) };
  }

  /** Whatever is held back, when the stream ends without a marker. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  private partialSuffix(buf: string): number {
    const from = Math.max(0, buf.length - this.prefix.length + 1);
    const esc = buf.indexOf('\x1b', from);
    if (esc < 0) return 0;
    for (let i = esc; i < buf.length; i++) {
      if (buf.charCodeAt(i) === 0x1b && this.prefix.startsWith(buf.slice(i))) return buf.length - i;
    }
    return 0;
  }
}

/** Shell convention: a status above 128 means the agent died of signal status-128. */
export function statusToExit(status: number): { exitCode: number; signal?: number } {
  if (status > 128 && status <= 128 + 64) return { exitCode: status, signal: status - 128 };
  return { exitCode: status };
}
