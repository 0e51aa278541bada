// Loopback stand-in for the Gemini API (streamGenerateContent SSE): its commands as run_shell_command functionCalls, one per turn, then a final text.
import { createServer, type Server } from 'node:http';
import type { LiveMock } from './live-harness';
import { MockScript, readJson, serveMock, type MockCounts, type MockOptions } from './mock-http';

interface Part {
  text?: string;
  functionCall?: unknown;
  functionResponse?: unknown;
}
interface Content {
  role?: string;
  parts?: Part[];
}

const toolNames = (body: Record<string, unknown>): string[] =>
  ((body.tools ?? []) as { functionDeclarations?: { name: string }[] }[]).flatMap((t) => (t.functionDeclarations ?? []).map((f) => f.name));

/** Side queries (next-speaker check, model routing) parse a JSON answer; this one satisfies both. */
const SIDE_ANSWER = JSON.stringify({ reasoning: 'mock', next_speaker: 'user', model_choice: 'flash' });

export async function startMockGeminiServer(command: string | string[], o: MockOptions = {}): Promise<LiveMock> {
  const requests: string[] = [];
  const counts: MockCounts = { toolCalls: 0, toolResults: 0 };
  const script = new MockScript(command, o);

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}`);
      const body = await readJson(req);
      const [, action] = /:(\w+)$/.exec(url.pathname) ?? [];
      if (req.method !== 'POST' || !action) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 404, message: 'mock: not found', status: 'NOT_FOUND' } }));
        return;
      }
      if (action === 'countTokens') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ totalTokens: 10 }));
        return;
      }
      const contents = (body.contents ?? []) as Content[];
      const lastParts = contents.at(-1)?.parts ?? [];
      let parts: Part[];
      const main = action === 'streamGenerateContent' && toolNames(body).includes('run_shell_command');
      if (main) {
        if (lastParts.some((p) => p.functionResponse)) counts.toolResults++;
        const results = contents.reduce((k, c) => k + (c.parts ?? []).filter((p) => p.functionResponse).length, 0);
        const lastUser = contents.filter((c) => c.role === 'user' && (c.parts ?? []).some((p) => typeof p.text === 'string')).at(-1);
        const next = await script.next(results, (lastUser?.parts ?? []).map((p) => (typeof p.text === 'string' ? p.text : '')).join('\n'));
        if (next !== undefined) {
          counts.toolCalls++;
          parts = [{ functionCall: { name: 'run_shell_command', args: { command: next, description: 'Create the marker file' } } }];
        } else parts = [{ text: 'Done: the command ran.' }];
      } else {
        parts = [{ text: action === 'streamGenerateContent' ? 'Contract test' : SIDE_ANSWER }];
      }
      const chunk = {
        candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
        modelVersion: 'gemini-mock',
      };
      if (action === 'streamGenerateContent') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(chunk));
      }
    })();
  });
  return serveMock(server, requests, counts, script);
}
