// A RuntimeApi for UI tests: state built by folding events through the real reducer, recorded
// commands, and canned screens made of hand-built colored spans.
import type { EventBody } from '../../src/core/events';
import { reduce } from '../../src/core/machine';
import type { ScreenLine, ScreenSnapshot } from '../../src/core/screen';
import type { ExecState } from '../../src/core/state';
import type { Command, RuntimeApi } from '../../src/runtime/api';

export const EXEC = 'exec-20250101-abcd';

export class FakeRuntime implements RuntimeApi {
  state!: ExecState;
  readonly commands: Command[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();
  private readonly buffers = new Map<string, { lines: ScreenLine[]; rows: number; cols: number; cursor?: { x: number; y: number } }>();

  emit(...bodies: (EventBody & { step?: string })[]): this {
    for (const body of bodies) {
      this.seq++;
      const event = { seq: this.seq, ts: 1_000_000 + this.seq * 1000, exec: EXEC, ...body };
      this.state = reduce(this.state, event as never).state;
    }
    for (const l of [...this.listeners]) l();
    return this;
  }

  setScreen(session: string, lines: ScreenLine[], rows = lines.length, cols = 60, cursor?: { x: number; y: number }): this {
    this.buffers.set(session, { lines, rows, cols, cursor });
    return this;
  }

  /** Append output to a session's buffer and bump its version like the pty adapter would. */
  output(session: string, lines: ScreenLine[]): this {
    const b = this.buffers.get(session);
    if (b) b.lines = [...b.lines, ...lines];
    return this.emit({ type: 'session.output', session, bytes: 10 });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getSnapshot(): ExecState {
    return this.state;
  }

  /** Sessions whose agent turned bracketed paste on. */
  readonly pasteMode = new Set<string>();

  bracketedPaste(session: string): boolean {
    return this.pasteMode.has(session);
  }

  async command(cmd: Command): Promise<void> {
    this.commands.push(cmd);
  }

  screen(session: string, scrollback = 0): ScreenSnapshot | undefined {
    const b = this.buffers.get(session);
    if (!b) return undefined;
    const viewportY = Math.max(0, b.lines.length - b.rows - scrollback);
    const lines = b.lines.slice(viewportY, viewportY + b.rows);
    while (lines.length < b.rows) lines.push({ spans: [] });
    const cursor = b.cursor ?? { x: 0, y: Math.min(b.rows - 1, b.lines.length - viewportY - 1) };
    return { cols: b.cols, rows: b.rows, lines, cursor: { ...cursor, visible: true }, title: 'agent', bufferLength: b.lines.length, viewportY, alternate: false };
  }

  readLines(session: string, start: number, end: number): ScreenLine[] {
    return this.buffers.get(session)?.lines.slice(start, end) ?? [];
  }

  artifacts(session: string) {
    return { transcript: `proof/${EXEC}/${session}.md`, cast: `proof/${EXEC}/${session}.cast` };
  }

  /** Commands of one type, for assertions. */
  sent<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
    return this.commands.filter((c): c is Extract<Command, { type: T }> => c.type === type);
  }
}

const unit = (id: string, agent: string, provider: string, dependsOn: string[] = []) => ({
  id, kind: 'step' as const, agent, provider, dependsOn, expectedOutputs: [],
});

export const plain = (text: string): ScreenLine => ({ spans: [{ text }] });

/** A plan of 4 steps: db passed; api and docs running, each waiting on an approval (opt.); web pending. */
export function planRuntime(opts: { approvals?: number } = {}): FakeRuntime {
  const rt = new FakeRuntime();
  rt.emit(
    {
      type: 'execution.created', kind: 'plan', file: 'plans/demo.plan.yaml', goal: 'Ship the todo API', concurrency: 2,
      units: [unit('web', 'frontend', 'codex', ['api', 'docs']), unit('db', 'dba', 'sim'), unit('api', 'backend', 'claude', ['db']), unit('docs', 'writer', 'gemini')],
    },
    { type: 'execution.started' },
    { type: 'step.started', unit: 'db', session: 's-db', attempt: 1, provider: 'sim', agent: 'dba' },
    { type: 'session.state', session: 's-db', state: 'running' },
    { type: 'session.state', session: 's-db', state: 'completed', exitCode: 0 },
    { type: 'step.finished', unit: 'db', status: 'passed' },
    { type: 'step.started', unit: 'api', session: 's-api', attempt: 1, provider: 'claude', agent: 'backend' },
    { type: 'session.state', session: 's-api', state: 'running' },
    { type: 'step.started', unit: 'docs', session: 's-docs', attempt: 1, provider: 'gemini', agent: 'writer' },
    { type: 'session.state', session: 's-docs', state: 'running' },
  );
  const n = opts.approvals ?? 0;
  if (n >= 1) rt.emit({ type: 'approval.requested', id: 'ap-1', session: 's-api', via: 'screen', command: 'rm -rf build', options: ['allow', 'always', 'deny'], detector: 'claude-prompt', cliVersion: '1.0.3' });
  if (n >= 2) rt.emit({ type: 'approval.requested', id: 'ap-2', session: 's-docs', via: 'hook', command: 'npm publish', options: ['allow', 'deny'], detector: 'gemini-hook', cliVersion: '0.9.0' });
  rt.setScreen('s-api', apiScreen(), 8, 60);
  rt.setScreen('s-docs', [plain('writing README.md'), plain('docs done?')], 4, 60);
  rt.setScreen('s-db', [plain('migrated 3 tables')], 4, 60);
  return rt;
}

/** 30 lines of history with colors, and two lines carrying OSC sequences an agent might print. */
export function apiScreen(): ScreenLine[] {
  const lines: ScreenLine[] = [];
  for (let i = 0; i < 26; i++) lines.push({ spans: [{ text: `history ${i} `, fg: 2 }, { text: i % 5 === 0 ? 'needle' : 'hay', fg: '#ff8800', bold: true }] });
  lines.push({ spans: [{ text: 'clip:', fg: 3 }, { text: '\x1b]52;c;SGVsbG8=\x07copied' }] });
  lines.push({ spans: [{ text: '\x1b]0;evil title\x07titled', bg: 4, fg: 15 }] });
  lines.push({ spans: [{ text: 'ctrl\u0007\u0090chars', fg: 196, underline: true }] });
  lines.push({ spans: [{ text: '> ', fg: 6 }, { text: 'ready for input', italic: true }] });
  return lines;
}

/** A scenario with 3 trials of one provider. */
export function scenarioRuntime(): FakeRuntime {
  const rt = new FakeRuntime();
  const trial = (i: number) => ({ id: `claude-${i}`, kind: 'trial' as const, agent: 'solver', provider: 'claude', dependsOn: [], expectedOutputs: [], index: i });
  rt.emit(
    { type: 'execution.created', kind: 'scenario', file: 'plans/fix.scenario.yaml', goal: 'Fix the failing test', concurrency: 2, units: [trial(1), trial(2), trial(3)] },
    { type: 'execution.started' },
    { type: 'trial.started', unit: 'claude-1', session: 't1', attempt: 1, provider: 'claude', agent: 'solver' },
    { type: 'session.state', session: 't1', state: 'running' },
  );
  return rt;
}
