// The part every mock model server shares: listen on a random loopback port, count the tool calls
// handed out and the tool results received, close every connection when done.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveMock } from './live-harness';

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
