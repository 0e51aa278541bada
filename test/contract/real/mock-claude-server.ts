// Loopback stand-in for the Anthropic Messages API: its commands as Bash tool_use, one per turn, then a short final text.
import { createServer, type Server } from 'node:http';
import type { LiveMock } from './live-harness';
import { MockScript, readJson, serveMock, sse, type MockCounts, type MockOptions } from './mock-http';


interface Block {
  type: string;
  [k: string]: unknown;
}
interface Message {
  role: string;
  content: string | Block[];
}

/** Tool results anywhere in the history (2.1 also interleaves `system` messages). */
const toolResultsIn = (messages: Message[]): number =>
  messages.reduce((n, m) => n + (m.role === 'user' && Array.isArray(m.content) ? m.content.filter((b) => b.type === 'tool_result').length : 0), 0);

/** Whether the last user/assistant turn carries a tool result. */
const hasToolResult = (messages: Message[]): boolean => {
  const last = messages.filter((m) => m.role !== 'system').at(-1);
  return !!last && last.role === 'user' && Array.isArray(last.content) && last.content.some((b) => b.type === 'tool_result');
};

const lastUserText = (messages: Message[]): string => {
  const last = messages.filter((m) => m.role === 'user').at(-1);
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : '')).filter(Boolean).join('\n');
};

export async function startMockClaudeServer(command: string | string[], o: MockOptions = {}): Promise<LiveMock> {
  const requests: string[] = [];
  const counts: MockCounts = { toolCalls: 0, toolResults: 0 };
  const script = new MockScript(command, o);
  let n = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}`);
      const body = await readJson(req);
      if (req.method !== 'POST' || !url.pathname.endsWith('/v1/messages')) {
        if (url.pathname.endsWith('/count_tokens')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 10 }));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'mock' } }));
        return;
      }
      const messages = (body.messages ?? []) as Message[];
      const tools = (body.tools ?? []) as { name?: string }[];
      const model = typeof body.model === 'string' ? body.model : 'claude-mock';
      const id = `msg_mock_${++n}`;
      let content: Block[];
      let stop: string;
      if (tools.some((t) => t.name === 'Bash')) {
        if (hasToolResult(messages)) counts.toolResults++;
        const next = await script.next(toolResultsIn(messages), lastUserText(messages));
        if (next !== undefined) {
          counts.toolCalls++;
          content = [{ type: 'tool_use', id: `toolu_mock_${n}`, name: 'Bash', input: { command: next, description: 'Create the marker file' } }];
          stop = 'tool_use';
        } else {
          content = [{ type: 'text', text: 'Done: the command ran.' }];
          stop = 'end_turn';
        }
      } else {
        content = [{ type: 'text', text: 'Contract test' }];
        stop = 'end_turn';
      }
      const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model, content, stop_reason: stop, stop_sequence: null, usage }));
        return;
      }
      const events: Record<string, unknown>[] = [
        { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } },
      ];
      content.forEach((block, index) => {
        if (block.type === 'text') {
          events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
          events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
        } else {
          events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
          events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
        }
        events.push({ type: 'content_block_stop', index });
      });
      events.push({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } });
      events.push({ type: 'message_stop' });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.end(sse(events));
    })();
  });
  return serveMock(server, requests, counts, script);
}
