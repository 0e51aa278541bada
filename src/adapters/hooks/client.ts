// `conductor hook <protocol> <event>`: what an agent CLI's hook runs. It reads the CLI's JSON payload from
// stdin and the session's socket, id and token from the environment, asks the running conductor, and prints
// the CLI-specific answer. An approval it cannot get answered (conductor unreachable, a refusal, a bad reply)
// is denied. Other events are fire-and-forget: delivered if conductor is there, and the hook exits 0 quickly.
import { createConnection } from 'node:net';
import type { Decision } from '../../core/types';
import { ENV_SESSION, ENV_SOCKET, ENV_TOKEN, type HookRequest, type HookResponse } from './protocol';
import { isProtocol, protocols } from './protocols';

export interface HookClientIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(s: string, cb?: () => void): unknown };
  stderr: { write(s: string): unknown };
  env: Record<string, string | undefined>;
}

/** How long a fire-and-forget event waits for conductor to take it. */
const ACK_TIMEOUT_MS = 5_000;
/** How long the payload may take to arrive on stdin (the CLIs write it at once and close). */
const STDIN_TIMEOUT_MS = 10_000;

function readStdin(stdin: HookClientIO['stdin']): Promise<string> {
  if (stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      stdin.removeListener('data', onData);
      resolve(Buffer.concat(chunks).toString('utf8'));
      stdin.pause?.();
    };
    const onData = (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    const timer = setTimeout(done, STDIN_TIMEOUT_MS);
    stdin.on('data', onData);
    stdin.once('end', done);
    stdin.once('error', done);
  });
}

/** Sends one request; resolves with the reply, or a reason it could not get one. */
function ask(socketPath: string, req: HookRequest, timeoutMs?: number): Promise<{ reply?: HookResponse; why?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    let buf = '';
    const finish = (r: { reply?: HookResponse; why?: string }) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const sock = createConnection(socketPath);
    const timer = timeoutMs ? setTimeout(() => finish({ why: `no answer within ${timeoutMs} ms` }), timeoutMs) : undefined;
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        finish({ reply: JSON.parse(buf.slice(0, nl)) as HookResponse });
      } catch {
        finish({ why: 'conductor sent a reply that is not JSON' });
      }
    });
    sock.on('error', (err: NodeJS.ErrnoException) => finish({ why: `cannot reach conductor at ${socketPath}: ${err.code ?? err.message}` }));
    sock.on('close', () => finish({ why: 'conductor closed the connection without an answer' }));
  });
}

const write = (out: HookClientIO['stdout'], s: string): Promise<void> => (s ? new Promise((r) => out.write(s.endsWith('\n') ? s : `${s}\n`, () => r())) : Promise.resolve());

export async function runHookClient(argv: string[], io: HookClientIO): Promise<number> {
  const [protocolName, event] = argv;
  if (!isProtocol(protocolName) || !event) {
    io.stderr.write(`conductor hook: usage: conductor hook claude|codex|gemini EVENT (got: ${argv.join(' ') || 'nothing'})\n`);
    // A blocking error where the CLI knows the convention (Claude, Codex: exit 2 blocks the call).
    return 2;
  }
  const protocol = protocols[protocolName];
  const approval = protocol.approvalEvents.includes(event);
  const deny = async (why: string): Promise<number> => {
    io.stderr.write(`conductor hook: ${why}; denying\n`);
    await write(io.stdout, protocol.reply(event, undefined, why));
    return 0;
  };
  const raw = await readStdin(io.stdin);
  const socketPath = io.env[ENV_SOCKET];
  const session = io.env[ENV_SESSION];
  const token = io.env[ENV_TOKEN];
  if (!socketPath || !session || !token) {
    const why = `${[!socketPath && ENV_SOCKET, !session && ENV_SESSION, !token && ENV_TOKEN].filter(Boolean).join(', ')} not set (not started by conductor?)`;
    return approval ? deny(why) : 0;
  }
  let payload: unknown;
  try {
    payload = raw.trim() ? JSON.parse(raw) : {};
  } catch {
    if (approval) return deny('the hook payload on stdin is not JSON');
    payload = {};
  }
  const { reply, why } = await ask(socketPath, { v: 1, session, token, protocol: protocolName, event, payload }, approval ? undefined : ACK_TIMEOUT_MS);
  if (!approval) return 0;
  if (!reply) return deny(why ?? 'no answer');
  if ('error' in reply) return deny(`conductor refused: ${reply.error}`);
  if (!('decision' in reply) || (reply.decision !== 'allow' && reply.decision !== 'deny')) return deny('conductor sent no decision');
  const decision: Decision = reply.decision === 'deny' ? 'deny' : reply.always ? 'always' : 'allow';
  await write(io.stdout, protocol.reply(event, decision));
  return 0;
}
