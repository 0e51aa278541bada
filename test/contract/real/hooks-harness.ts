// Drives a real agent CLI through conductor's real runtime, reducer and session adapter with its preset's
// hooks installed (the real hook server, and the hook client built as dist/hook.js is): what arrives through
// the hooks, what the policy or a person decides, and what the CLI then does.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHookLinker, createHookServer } from '../../../src/adapters/hooks/server';
import type { ConductorEvent } from '../../../src/core/events';
import { screenText } from '../../../src/core/screen';
import type { ExecState } from '../../../src/core/state';
import type { ApprovalPolicy, Decision, Plan, ProviderDef } from '../../../src/core/types';
import { runPaths } from '../../../src/runtime/recorder';
import { realTimers, Runtime } from '../../../src/runtime/runtime';
import { SessionRunner } from '../../../src/runtime/session-runner';
import { MemoryRecorder } from '../../runtime/harness';
import type { LiveDirs } from './live-harness';

let built: Promise<string> | undefined;
/** A private build of the hook client (immune to a concurrent `npm run build`). */
export function hookClientPath(): Promise<string> {
  built ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'conductor-hookbin-')), 'hook.js');
    await build({
      entryPoints: [fileURLToPath(new URL('../../../src/cli/hook.ts', import.meta.url))],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    return out;
  })();
  return built;
}

export interface HookedRun {
  state: ExecState;
  events: ConductorEvent[];
  of<T extends ConductorEvent['type']>(t: T): Extract<ConductorEvent, { type: T }>[];
  screen: string;
}

export const EXEC = 'exec-20260101-000000-live';

/**
 * Runs one step with `def` in `dirs.ws` until it passes or fails. `person` answers what the policy leaves
 * to a person; `resume` starts the attempt as a resume of that agent session.
 */
export async function runHooked(o: {
  def: ProviderDef;
  dirs: LiveDirs;
  env: Record<string, string>;
  policy: ApprovalPolicy;
  person?: (command: string) => Decision;
  timeoutMs?: number;
  /** Where conductor's own user cache is (Gemini's settings file goes there; it must be outside /tmp). */
  cacheHome?: string;
}): Promise<HookedRun> {
  const server = await createHookServer();
  const bin = await hookClientPath();
  const plan: Plan = {
    kind: 'plan',
    file: join(o.dirs.root, 'live.plan.yaml'),
    format: 'conductor',
    goal: 'live hooks',
    provider: o.def.name,
    concurrency: 1,
    roles: {},
    steps: [{ id: 'a', agent: 'backend', provider: o.def.name, task: 'Create the marker file', dependsOn: [], expectedOutputs: [], checks: [] }],
  };
  const paths = runPaths({ proof: join(o.dirs.root, 'proof'), trace: join(o.dirs.root, 'trace') }, EXEC);
  const recorder = new MemoryRecorder();
  let runner: SessionRunner | undefined;
  const runtime = new Runtime(EXEC, {
    input: plan,
    settings: { approve: 'policy', interactive: true },
    recorder,
    paths,
    clock: Date.now,
    timers: realTimers,
    sessions: (ctx) =>
      (runner = new SessionRunner({
        ...ctx,
        provider: o.def,
        input: plan,
        workspace: o.dirs.ws,
        paths,
        recorder,
        clock: Date.now,
        timers: realTimers,
        env: o.env,
        nodePath: process.execPath,
        simPath: '',
        watch: null,
        hooks: createHookLinker(server, { node: process.execPath, bin, env: { ...o.env, XDG_CACHE_HOME: o.cacheHome ?? join(homedir(), '.cache') } }),
      })),
    verify: async () => ({ passed: true }),
  });
  runtime.create([{ id: 'a', kind: 'step', agent: 'backend', provider: o.def.name, dependsOn: [], expectedOutputs: [], approval: o.policy }]);
  const asked = new Set<string>();
  runtime.subscribe(() => {
    for (const id of runtime.getSnapshot().queue) {
      if (!o.person || asked.has(id)) continue;
      setTimeout(() => {
        const a = runtime.getSnapshot().approvals[id];
        if (asked.has(id) || a.status !== 'pending') return;
        asked.add(id);
        void runtime.command({ type: 'approve', id, decision: o.person!(a.command) });
      }, 20);
    }
  });
  const screen = () => {
    const snap = runner?.snapshot(0);
    return snap ? screenText(snap) : '';
  };
  runtime.start();
  const end = Date.now() + (o.timeoutMs ?? 90_000);
  let state: ExecState;
  try {
    for (;;) {
      state = runtime.getSnapshot();
      if (['passed', 'failed', 'cancelled'].includes(state.units.a.status)) break;
      if (Date.now() > end) throw new Error(`timed out; unit ${state.units.a.status}; events: ${recorder.events.map((e) => e.type).filter((t) => t !== 'session.output').join(', ')}\nscreen:\n${screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    const text = screen();
    await Promise.race([runtime.quit('test over'), new Promise((r) => setTimeout(r, 10_000))]);
    await server.close();
    lastScreen = text;
  }
  const events = recorder.events;
  return {
    state,
    events,
    of: <T extends ConductorEvent['type']>(t: T) => events.filter((e): e is Extract<ConductorEvent, { type: T }> => e.type === t),
    screen: lastScreen,
  };
}

let lastScreen = '';
