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

/** What a mock hands out: its commands in order, one per turn of the model; then a final text. */
export interface MockOptions {
  /** Hold the first answer to a request whose history already has this many tool results, until `release()`. */
  holdAfter?: number;
}

/** A request of the main conversation as the mock saw it: how many tool results its history had, the last user text. */
export interface MockTurn {
  toolResults: number;
  lastUser: string;
}

/**
 * The conversation logic the three mocks share: given how many tool results the history already holds, the
 * next command (or undefined: the final text), after any hold. The history, not a counter, decides, so a
 * resumed conversation goes on where it was and never gets a command it already ran.
 */
export class MockScript {
  readonly turns: MockTurn[] = [];
  private heldOnce = false;
  private gate?: () => void;
  readonly commands: string[];

  constructor(
    command: string | string[],
    private readonly o: MockOptions = {},
  ) {
    this.commands = Array.isArray(command) ? command : [command];
  }

  get held(): boolean {
    return this.gate !== undefined;
  }

  async next(toolResults: number, lastUser: string): Promise<string | undefined> {
    this.turns.push({ toolResults, lastUser });
    if (this.o.holdAfter !== undefined && toolResults === this.o.holdAfter && !this.heldOnce) {
      this.heldOnce = true;
      await new Promise<void>((r) => (this.gate = r));
    }
    // Like a model that reads conductor's continue message: a command it lists as run before is not asked for again.
    let i = toolResults;
    while (i < this.commands.length && /before the interruption/.test(lastUser) && lastUser.includes(`\`${this.commands[i]}\``)) i++;
    return this.commands[i];
  }

  release(): void {
    const g = this.gate;
    this.gate = undefined;
    g?.();
  }
}

export async function serveMock(server: Server, requests: string[], counts: MockCounts, script: MockScript = new MockScript([])): Promise<LiveMock> {
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
    turns: script.turns,
    get held() {
      return script.held;
    },
    release: () => script.release(),
    close: () =>
      new Promise<void>((r) => {
        script.release();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
