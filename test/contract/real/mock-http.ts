// The part every mock model server shares: read JSON bodies, write server-sent events, listen on a
// random loopback port, count the tool calls handed out and the tool results received, close every
// connection when done.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveMock } from './live-harness';

/** The request body as JSON; an empty object when there is none or it does not parse. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Server-sent events named by each event's `type`. */
export const sse = (events: Record<string, unknown>[]): string =>
  events.map((e) => `event: ${e.type as string}\ndata: ${JSON.stringify(e)}\n\n`).join('');

export interface MockCounts {
  toolCalls: number;
  toolResults: number;
}

export async function serveMock(server: Server, requests: string[], counts: MockCounts): Promise<LiveMock> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get toolCalls() {
      return counts.toolCalls;
    },
    get toolResults() {
      return counts.toolResults;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
