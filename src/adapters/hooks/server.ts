// The hook server: one per execution, a Unix socket in a fresh 0700 temp folder (socket 0600), speaking
// newline-delimited JSON, one request per connection (see ./protocol). Each session registers with a random
// token; a request must name a registered session and carry its token. An approval request stays open until
// conductor answers it; a client that disconnects first has withdrawn it. Closing the server answers every
// open request deny and removes the socket and its folder.
//
// createHookLinker turns the server into the HookLinker a SessionRunner takes: per session it installs the
// provider's hooks (./claude, ./codex, ./gemini) and reports what they say as HookEvents.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decision } from '../../core/types';
import type { HookEvent, HookLink, HookLinker } from './link';
import { DENY_MESSAGE, ENV_SESSION, ENV_SOCKET, ENV_TOKEN, type HookBin, type HookRequest, type HookResponse } from './protocol';
import { isProtocol, protocols } from './protocols';

/** The longest request line accepted (a Write tool call carries the whole file). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/** sun_path holds about 107 bytes; the socket path must fit with room to spare. */
const MAX_SOCKET_PATH = 100;

export interface HookConnection {
  /** Answers the request (once) and closes the connection. */
  reply(r: HookResponse): void;
  readonly answered: boolean;
  readonly closed: boolean;
  /** Called once when the connection is gone (answered or not). */
  onClose(cb: () => void): void;
}

export type HookRequestHandler = (req: HookRequest, conn: HookConnection) => void;

export interface HookServer {
  readonly socketPath: string;
  /** Registers a session; its hooks must send the returned token. */
  register(session: string, handler: HookRequestHandler): { token: string; unregister(): void };
  /** Answers open requests deny, stops listening, removes the socket and its folder. */
  close(): Promise<void>;
}

class Connection implements HookConnection {
  answered = false;
  closed = false;
  private readonly closeCbs: (() => void)[] = [];

  constructor(readonly socket: Socket) {
    socket.on('close', () => {
      this.closed = true;
      for (const cb of this.closeCbs.splice(0)) cb();
    });
  }

  reply(r: HookResponse): void {
    if (this.answered || this.closed) return;
    this.answered = true;
    this.socket.end(`${JSON.stringify(r)}\n`);
  }

  onClose(cb: () => void): void {
    if (this.closed) cb();
    else this.closeCbs.push(cb);
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseRequest(line: string): HookRequest | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r.session !== 'string' || typeof r.token !== 'string' || typeof r.event !== 'string' || !isProtocol(r.protocol)) return undefined;
  return { v: 1, session: r.session, token: r.token, protocol: r.protocol, event: r.event, payload: r.payload };
}

/** A folder for the socket: 0700, fresh, with a path short enough for sun_path. */
function socketDir(root: string): string {
  const base = join(root, 'cdh-XXXXXX', 's').length <= MAX_SOCKET_PATH ? root : '/tmp';
  const dir = mkdtempSync(join(base, 'cdh-'));
  chmodSync(dir, 0o700);
  return dir;
}

export async function createHookServer(o: { tmpRoot?: string } = {}): Promise<HookServer> {
  const dir = socketDir(o.tmpRoot ?? tmpdir());
  const socketPath = join(dir, 's');
  const sessions = new Map<string, { token: string; handler: HookRequestHandler }>();
  const open = new Set<Connection>();
  let closing = false;

  const server: Server = createServer((socket) => {
    const conn = new Connection(socket);
    open.add(conn);
    conn.onClose(() => open.delete(conn));
    socket.on('error', () => socket.destroy());
    if (closing) {
      conn.reply({ decision: 'deny', message: 'conductor is shutting down' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      if (done) return;
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        size += chunk.length;
        chunks.push(chunk);
        if (size > MAX_REQUEST_BYTES) {
          done = true;
          conn.reply({ error: 'request too large' });
        }
        return;
      }
      done = true;
      socket.off('data', onData);
      chunks.push(chunk.subarray(0, nl));
      const req = parseRequest(Buffer.concat(chunks).toString('utf8'));
      if (!req) return conn.reply({ error: 'malformed request' });
      const reg = sessions.get(req.session);
      if (!reg || !sameToken(req.token, reg.token)) return conn.reply({ error: 'unknown session or wrong token' });
      try {
        reg.handler(req, conn);
      } catch (err) {
        conn.reply({ error: `conductor could not handle it: ${err instanceof Error ? err.message : String(err)}` });
      }
    };
    socket.on('data', onData);
    socket.on('end', () => {
      if (!done) socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The folder is 0700 already; the socket itself is the owner's only too.
  chmodSync(socketPath, 0o600);

  return {
    socketPath,
    register(session, handler) {
      const token = randomBytes(24).toString('base64url');
      sessions.set(session, { token, handler });
      return {
        token,
        unregister: () => {
          if (sessions.get(session)?.token === token) sessions.delete(session);
        },
      };
    },
    async close() {
      if (closing) return;
      closing = true;
      sessions.clear();
      for (const c of open) c.reply({ decision: 'deny', message: 'conductor is shutting down' });
      const stopped = new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
      // A client that does not hang up after its answer is not waited for.
      const late = setTimeout(() => {
        for (const c of open) c.socket.destroy();
      }, 500);
      await stopped;
      clearTimeout(late);
    },
  };
}

/** Options every approval through a hook offers: "always" is answered allow, and conductor remembers it. */
const HOOK_OPTIONS: Decision[] = ['allow', 'always', 'deny'];

class SessionLink implements HookLink {
  private cb?: (e: HookEvent) => void;
  private readonly queued: HookEvent[] = [];
  private readonly pending = new Map<string, HookConnection>();
  private closed = false;
  private n = 0;
  private registration?: { token: string; unregister(): void };

  constructor(
    readonly args: string[],
    readonly env: Record<string, string>,
    private readonly protocol: (typeof protocols)[keyof typeof protocols],
    private readonly cleanup?: () => void,
  ) {}

  attach(reg: { token: string; unregister(): void }): void {
    this.registration = reg;
  }

  onEvent(cb: (e: HookEvent) => void): void {
    this.cb = cb;
    for (const e of this.queued.splice(0)) cb(e);
  }

  private emit(e: HookEvent): void {
    if (this.closed) return;
    if (this.cb) this.cb(e);
    else this.queued.push(e);
  }

  handle(req: HookRequest, conn: HookConnection): void {
    const p = this.protocol;
    if (req.protocol !== p.name) return conn.reply({ error: `this session's hooks speak ${p.name}, not ${req.protocol}` });
    if (this.closed) return conn.reply(p.approvalEvents.includes(req.event) ? { decision: 'deny', message: 'the session has ended' } : { ok: true });
    const meaning = p.read(req.event, req.payload);
    if (meaning.kind === 'events') {
      conn.reply({ ok: true });
      for (const e of meaning.events) this.emit(e);
      return;
    }
    const key = `hook-${++this.n}`;
    this.pending.set(key, conn);
    // Answered or not, a request whose connection is gone is over: resolved if answered, else withdrawn.
    conn.onClose(() => {
      this.pending.delete(key);
      this.emit({ type: 'approval-closed', key });
    });
    if (conn.closed) return;
    this.emit({ type: 'approval', key, command: meaning.command, tool: meaning.tool, options: HOOK_OPTIONS });
  }

  answer(key: string, decision: Decision): void {
    const conn = this.pending.get(key);
    if (!conn) return;
    this.pending.delete(key);
    conn.reply(decision === 'deny' ? { decision: 'deny', message: DENY_MESSAGE } : { decision: 'allow', ...(decision === 'always' ? { always: true } : {}) });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const conn of this.pending.values()) conn.reply({ decision: 'deny', message: 'the session has ended' });
    this.pending.clear();
    this.registration?.unregister();
    try {
      this.cleanup?.();
    } catch {
      /* best effort: a private temp folder */
    }
  }
}

export interface HookLinkerOptions extends HookBin {
  /** The environment the CLI's own settings are looked up in (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** The HookLinker over one server: installs each session's hooks for its provider's protocol. */
export function createHookLinker(server: HookServer, o: HookLinkerOptions): HookLinker {
  return async ({ session, provider, workspace }) => {
    const hooks = provider.hooks;
    if (!hooks || !isProtocol(hooks.protocol)) return undefined;
    const protocol = protocols[hooks.protocol];
    const installed = protocol.install({ node: o.node, bin: o.bin, session, workspace, env: o.env ?? process.env }, hooks);
    if (!installed) return undefined;
    const link = new SessionLink(installed.args, {}, protocol, installed.cleanup);
    const reg = server.register(session, (req, conn) => link.handle(req, conn));
    link.attach(reg);
    Object.assign(link.env, installed.env, { [ENV_SOCKET]: server.socketPath, [ENV_SESSION]: session, [ENV_TOKEN]: reg.token });
    return link;
  };
}
