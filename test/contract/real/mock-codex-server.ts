// Loopback stand-in for the OpenAI Responses API as codex streams it: its commands as shell function_calls, one per turn, then a final message.
import { createServer, type Server } from 'node:http';
import type { LiveMock } from './live-harness';
import { MockScript, readJson, serveMock, sse, type MockCounts, type MockOptions } from './mock-http';

interface Item {
  type?: string;
  [k: string]: unknown;
}

/** Arguments for whichever shell tool this codex version offers; escalation makes `on-request` ask. */
function shellCall(tools: Item[], command: string): { name: string; arguments: string } | undefined {
  const names = new Set(tools.map((t) => (t.name ?? '') as string));
  const escalate = { sandbox_permissions: 'require_escalated', justification: 'Create the marker file' };
  if (names.has('exec_command')) return { name: 'exec_command', arguments: JSON.stringify({ cmd: command, ...escalate }) };
  if (names.has('shell_command')) return { name: 'shell_command', arguments: JSON.stringify({ command, ...escalate }) };
  if (names.has('shell')) return { name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command], ...escalate }) };
  return undefined;
}

const textOf = (item: Item): string =>
  (Array.isArray(item.content) ? (item.content as Item[]) : []).map((c) => (typeof c.text === 'string' ? c.text : '')).join('\n');

export async function startMockCodexServer(command: string | string[], o: MockOptions = {}): Promise<LiveMock> {
  const requests: string[] = [];
  const counts: MockCounts = { toolCalls: 0, toolResults: 0 };
  const script = new MockScript(command, o);
  let n = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}`);
      const body = await readJson(req);
      if (req.method === 'GET' && url.pathname.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [], models: [] }));
        return;
      }
      if (req.method !== 'POST' || !url.pathname.endsWith('/responses')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'mock: not found' } }));
        return;
      }
      const input = (Array.isArray(body.input) ? body.input : []) as Item[];
      const tools = (Array.isArray(body.tools) ? body.tools : []) as Item[];
      const id = `resp_mock_${++n}`;
      const events: Record<string, unknown>[] = [{ type: 'response.created', response: { id } }];
      const results = input.filter((i) => i.type === 'function_call_output').length;
      const main = tools.length > 0 && input.some((i) => i.type === 'message' && i.role === 'user');
      if (input.at(-1)?.type === 'function_call_output') counts.toolResults++;
      const next = main ? await script.next(results, textOf(input.filter((i) => i.type === 'message' && i.role === 'user').at(-1) ?? {})) : undefined;
      const call = next !== undefined ? shellCall(tools, next) : undefined;
      if (call) {
        counts.toolCalls++;
        events.push({ type: 'response.output_item.done', item: { type: 'function_call', id: `fc_mock_${n}`, call_id: `call_mock_${n}`, ...call } });
      } else {
        events.push({
          type: 'response.output_item.done',
          item: { type: 'message', role: 'assistant', id: `msg_mock_${n}`, content: [{ type: 'output_text', text: main ? 'Done: the command ran.' : 'Contract test' }] },
        });
      }
      events.push({
        type: 'response.completed',
        response: { id, usage: { input_tokens: 10, input_tokens_details: null, output_tokens: 5, output_tokens_details: null, total_tokens: 15 } },
      });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(sse(events));
    })();
  });
  return serveMock(server, requests, counts, script);
}
