// Fault injection (issue 11, "durable under faults"): `conductor run` of a plan with concurrent steps,
// approvals and checks is killed with SIGKILL at seeded random points, each resume may be killed again, and a
// final resume must finish it. Afterwards: one agent session per completed step, valid JSON everywhere,
// strictly increasing seq, the right final status, no agent or check left running.
//
// Knobs (env):
//   CONDUCTOR_FAULT_SEED   replay a run of the suite (every failure message prints the seed in use): the same seed
//                          gives the same kill points as fractions of the undisturbed run, which the suite measures
//                          first (event lines and delays are scaled to it, so a loaded box shifts them a little)
//   CONDUCTOR_FAULT_KILLS  how many kill points in all (default 32; CI needs ≥ 30)
//   CONDUCTOR_FAULT_CHAIN  kills per execution before the final resume (default 8: a process start costs more than a
//                          kill, so few executions with long chains keep the suite short)
//   CONDUCTOR_FAULT_PAR    executions run at once (default 2)
// Tests run against dist/: `npm run build` first.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../../src/sim/random';
import { BIN, tempProject } from '../run/helpers';

const PLAN = 'test/fixtures/plans/faults.plan.yaml';
const STEPS = ['setup', 'left', 'right', 'side', 'join'];
const SEED = process.env.CONDUCTOR_FAULT_SEED ? Number(process.env.CONDUCTOR_FAULT_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const KILLS = Number(process.env.CONDUCTOR_FAULT_KILLS ?? 32);
const CHAIN = Math.max(1, Number(process.env.CONDUCTOR_FAULT_CHAIN ?? 8));
const PAR = Math.max(1, Number(process.env.CONDUCTOR_FAULT_PAR ?? 2));
const EXECUTIONS = Math.ceil(KILLS / CHAIN);
/** No single process of this small plan should take longer; a hang is a finding, not a wait. */
const PROCESS_LIMIT_MS = 90_000;

interface Line {
  file: string;
  line: number;
  text: string;
}
interface Ev {
  seq: number;
  ts: number;
  type: string;
  unit?: string;
  session?: string;
  state?: string;
  status?: string;
  pid?: number;
  attempt?: number;
  [k: string]: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lines(path: string): Line[] {
  const text = readFileSync(path, 'utf8');
  const parts = text.split('\n');
  // A file ending in '\n' leaves one empty tail; anything else in the tail is a partial (torn) line.
  if (parts.at(-1) === '') parts.pop();
  return parts.map((t, i) => ({ file: path, line: i + 1, text: t }));
}

const lineCount = (path: string): number => {
  try {
    const text = readFileSync(path, 'utf8');
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    return n;
  } catch {
    return 0;
  }
};

function filesUnder(dir: string, skip: (p: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (skip(p)) return [];
    return statSync(p).isDirectory() ? filesUnder(p, skip) : [p];
  });
}

function conductor(cwd: string, args: string[]): ResultPromise<{ cwd: string; reject: false; all: true; env: Record<string, string> }> {
  return execa('node', [BIN, ...args], { cwd, reject: false, all: true, env: { CI: 'true' } }) as never;
}

/** Processes whose working directory or command line is inside `dir` (agents, their commands, checks). */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (cwd.startsWith(dir) || cmd.includes(dir)) found.push(`pid ${pid} (cwd ${relative(dir, cwd) || '.'}): ${cmd.slice(0, 160)}`);
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

/** Waits (polling, bounded) until nothing runs under `dir`; returns what is still there. */
async function strays(dir: string, withinMs: number): Promise<string[]> {
  const until = Date.now() + withinMs;
  let left = processesUnder(dir);
  while (left.length && Date.now() < until) {
    await sleep(100);
    left = processesUnder(dir);
  }
  return left;
}

/** One runner slot per PAR: rounds share a 2-core box with the agents they start. */
function semaphore(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return async <T>(f: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((r) => waiting.push(r));
    else free--;
    try {
      return await f();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}
const slot = semaphore(PAR);

interface Baseline {
  events: number;
  ms: number;
}
let baseline: Baseline | undefined;

type KillPoint = { kind: 'event'; line: number } | { kind: 'delay'; ms: number };
const describePoint = (p: KillPoint) => (p.kind === 'event' ? `at event line ${p.line}` : `${p.ms} ms after start`);

interface Step {
  args: string[];
  point?: KillPoint;
  /** What happened: killed at the point, or the process ended first. */
  killed: boolean;
  linesAtKill?: number;
  exitCode?: number;
  output: string;
  ms: number;
}

interface Round {
  index: number;
  seed: number;
  cwd: string;
  exec?: string;
  steps: Step[];
  problems: string[];
  /** Files whose last line was torn right after a kill (tolerated then; the final state is judged apart). */
  torn: string[];
}

/** After a kill: which .jsonl files of the execution end in a partial line. */
function tornAfterKill(round: Round): string[] {
  if (!round.exec) return [];
  const traceDir = join(round.cwd, 'out', 'trace', round.exec);
  return [join(traceDir, 'events.jsonl'), ...filesUnder(join(traceDir, 'trajectories'), () => false)]
    .filter((f) => {
      const text = existsSync(f) ? readFileSync(f, 'utf8') : '';
      return text.length > 0 && !text.endsWith('\n');
    })
    .map((f) => relative(traceDir, f));
}

/**
 * Kill points of one execution: CHAIN points, each a condition on the log (the k-th event line: k sorted and
 * spread uniformly over the undisturbed run's lines, later processes carrying on from where the log is) or, half
 * the time, a delay since the process started (uniform over what the undisturbed run took for the part of the
 * log still to come). Lines land right after a write; delays land anywhere, between writes and in start-up
 * (lock, replay) too.
 */
function killPoints(rng: Rng, base: Baseline): KillPoint[] {
  const lastUseful = Math.max(3, Math.floor(base.events * 0.95));
  const lines = Array.from({ length: CHAIN }, () => 2 + Math.floor(rng() * (lastUseful - 2))).sort((a, b) => a - b);
  return lines.map((line, i): KillPoint => {
    if (rng() >= 0.5) return { kind: 'event', line };
    const before = i === 0 ? 0 : lines[i - 1];
    return { kind: 'delay', ms: Math.floor(rng() * base.ms * Math.max(0.1, 1 - before / base.events)) };
  });
}

async function findExec(out: string, child: { exitCode?: number | null }, until: number): Promise<string | undefined> {
  while (Date.now() < until) {
    const trace = join(out, 'trace');
    const execs = existsSync(trace) ? readdirSync(trace).filter((d) => d.startsWith('exec-')) : [];
    if (execs.length === 1 && existsSync(join(trace, execs[0], 'events.jsonl'))) return execs[0];
    if (child.exitCode !== null && child.exitCode !== undefined) return undefined;
    await sleep(20);
  }
  return undefined;
}

/** Runs one process of the chain and SIGKILLs it at `point` (a condition on the log, or a delay), unless it ends first. */
async function runUntil(round: Round, args: string[], point: KillPoint | undefined): Promise<Step> {
  const started = Date.now();
  const child = conductor(round.cwd, args);
  let ended = false;
  void child.then(() => (ended = true));
  const step: Step = { args, point, killed: false, output: '', ms: 0 };
  const limit = started + PROCESS_LIMIT_MS;
  if (point) {
    round.exec ??= await findExec(join(round.cwd, 'out'), child, limit);
    const events = round.exec ? join(round.cwd, 'out', 'trace', round.exec, 'events.jsonl') : '';
    const at = lineCount(events);
    const target = point.kind === 'event' ? Math.max(point.line, at + 1) : 0;
    const deadline = point.kind === 'delay' ? started + point.ms : limit;
    // The run is killed only once its log holds execution.created: before that there is nothing to resume.
    const floor = round.steps.length === 0 ? 1 : 0;
    while (!ended && Date.now() < limit) {
      const n = lineCount(events);
      if (n >= floor && (point.kind === 'event' ? n >= target : Date.now() >= deadline)) {
        step.linesAtKill = lineCount(events);
        child.kill('SIGKILL');
        step.killed = true;
        break;
      }
      await sleep(point.kind === 'event' ? 10 : Math.max(1, Math.min(20, deadline - Date.now())));
    }
    if (!ended && !step.killed) {
      child.kill('SIGKILL');
      round.problems.push(`\`${args.join(' ')}\` still running after ${PROCESS_LIMIT_MS} ms; killed`);
    }
  } else {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      round.problems.push(`\`${args.join(' ')}\` still running after ${PROCESS_LIMIT_MS} ms; killed`);
    }, PROCESS_LIMIT_MS);
    await child;
    clearTimeout(timer);
  }
  const r = await child;
  step.exitCode = r.exitCode ?? undefined;
  step.output = String(r.all ?? '');
  step.ms = Date.now() - started;
  // A kill that lands just as the process exits on its own is not a kill.
  if (step.killed && r.signal !== 'SIGKILL') step.killed = false;
  if (step.killed) round.torn.push(...tornAfterKill(round).map((f) => `${f} (kill ${round.steps.length + 1})`));
  round.steps.push(step);
  return step;
}

const parse = (l: Line): { ok: true; value: unknown } | { ok: false; error: string } => {
  try {
    return { ok: true, value: JSON.parse(l.text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
};

/** Everything the suite asserts about a finished execution, as a list of findings with file:line. */
async function inspect(round: Round): Promise<void> {
  const p = round.problems;
  const out = join(round.cwd, 'out');
  const exec = round.exec!;
  const traceDir = join(out, 'trace', exec);
  const rel = (f: string) => relative(out, f);
  const eventsPath = join(traceDir, 'events.jsonl');

  // The event log: every line parses (after a successful final resume, a torn line anywhere is a finding),
  // seq strictly increasing.
  const events: Ev[] = [];
  const lineOfSeq = new Map<number, Ev>();
  for (const l of lines(eventsPath)) {
    const r = parse(l);
    if (!r.ok) {
      p.push(`${rel(l.file)}:${l.line}: not JSON (${r.error}): ${l.text.slice(0, 120)}`);
      continue;
    }
    const e = r.value as Ev;
    const prev = events.at(-1);
    if (prev && !(e.seq > prev.seq)) p.push(`${rel(l.file)}:${l.line}: seq ${e.seq} after ${prev.seq} (${e.type} after ${prev.type})`);
    if (typeof e.seq !== 'number') p.push(`${rel(l.file)}:${l.line}: no seq`);
    events.push(e);
    lineOfSeq.set(e.seq, { ...e, line: l.line });
  }

  // Final status: the log's execution.finished, conductor status, the outputs in the workspace.
  const finished = events.filter((e) => e.type === 'execution.finished');
  if (finished.length !== 1) p.push(`${rel(eventsPath)}: ${finished.length} execution.finished events, expected 1`);
  if (finished[0]?.status !== 'passed') p.push(`${rel(eventsPath)}: execution.finished ${JSON.stringify(finished[0] ?? null)}, expected status passed`);
  if (events.at(-1)?.type !== 'execution.finished') p.push(`${rel(eventsPath)}: last event is ${events.at(-1)?.type}, expected execution.finished`);
  const status = await execa('node', [BIN, 'status', exec, '--out', 'out'], { cwd: round.cwd, reject: false, all: true, env: { CI: 'true' } });
  if (status.exitCode !== 0 || !new RegExp(`^${exec}  passed `).test(String(status.stdout))) {
    p.push(`conductor status ${exec} (exit ${status.exitCode}): ${String(status.all).split('\n').slice(0, 3).join(' | ')}`);
  }
  const both = join(traceDir, 'workspace', 'out', 'both.txt');
  if (!existsSync(both) || readFileSync(both, 'utf8') !== 'left right\n') p.push(`workspace out/both.txt: ${existsSync(both) ? JSON.stringify(readFileSync(both, 'utf8')) : 'missing'}`);

  // One agent session per completed step: once a unit's session completed (the agent's work is done) or the
  // unit finished, nothing starts that unit again; each unit finishes once, passed.
  for (const unit of STEPS) {
    const done = events.find((e) => (e.type === 'session.state' && e.state === 'completed' && e.session?.startsWith(`${unit}#`)) || (e.type === 'step.finished' && e.unit === unit));
    const after = done ? events.filter((e) => e.type === 'step.started' && e.unit === unit && e.seq > done.seq) : [];
    for (const again of after) {
      p.push(`${rel(eventsPath)}:${lineOfSeq.get(again.seq)?.line}: step.started ${again.session} (attempt ${again.attempt}) after ${done!.type}${done!.state ? ` ${done!.state}` : ''} of ${done!.session ?? unit} at line ${lineOfSeq.get(done!.seq)?.line}`);
    }
    const completed = events.filter((e) => e.type === 'session.state' && e.state === 'completed' && e.session?.startsWith(`${unit}#`));
    if (completed.length > 1) p.push(`${rel(eventsPath)}: unit ${unit} has ${completed.length} completed sessions (${completed.map((e) => e.session).join(', ')})`);
    const fin = events.filter((e) => e.type === 'step.finished' && e.unit === unit);
    if (fin.length !== 1 || fin[0].status !== 'passed') p.push(`${rel(eventsPath)}: unit ${unit} finished ${fin.length}× (${fin.map((e) => `${e.status}${e.reason ? `: ${e.reason}` : ''}`).join('; ') || 'never'}), expected once, passed`);
  }

  // Trajectories are derived from the log: each line parses, its seq increases, and it is the log's event with that seq.
  for (const f of filesUnder(join(traceDir, 'trajectories'), () => false)) {
    let last = -Infinity;
    for (const l of lines(f)) {
      const r = parse(l);
      if (!r.ok) {
        p.push(`${rel(f)}:${l.line}: not JSON (${r.error}): ${l.text.slice(0, 120)}`);
        continue;
      }
      const e = r.value as Ev;
      if (!(e.seq > last)) p.push(`${rel(f)}:${l.line}: seq ${e.seq} after ${last} (${e.type})`);
      last = e.seq;
      const inLog = lineOfSeq.get(e.seq);
      // (A trajectory stamps its session onto events that carry none in the log; the type must agree.)
      if (!inLog || inLog.type !== e.type || (inLog.session !== undefined && inLog.session !== e.session)) {
        p.push(`${rel(f)}:${l.line}: seq ${e.seq} is ${e.type} ${e.session ?? ''} here but ${inLog ? `${inLog.type} ${inLog.session ?? ''} at events.jsonl:${inLog.line}` : 'absent from events.jsonl'}`);
      }
    }
  }

  // Every .json parses; every .jsonl line parses (events and trajectories are checked above); .cast is JSON lines
  // too: a torn last line is tolerated only in the recording of an attempt that was interrupted (its writer was killed).
  const interrupted = new Set(events.filter((e) => e.type === 'session.state' && e.state === 'interrupted').map((e) => e.session));
  const attemptOf = new Map(events.filter((e) => e.type === 'step.started').map((e) => [e.session, e] as const));
  const killedCasts = new Set(
    [...interrupted].map((s) => {
      const st = attemptOf.get(s);
      return st ? `step-${st.unit}-${String(st.agent)}${st.attempt && st.attempt > 1 ? `.${st.attempt}` : ''}.cast` : '';
    }),
  );
  const skip = (f: string) => f === join(traceDir, 'workspace');
  const all = [...filesUnder(join(out, 'proof'), skip), ...filesUnder(join(out, 'trace'), skip)];
  for (const f of all) {
    const name = f.split('/').at(-1)!;
    if (/\.tmp$/.test(name)) p.push(`${rel(f)}: a temporary file left behind`);
    if (name.endsWith('.json')) {
      const r = parse({ file: f, line: 1, text: readFileSync(f, 'utf8') });
      if (!r.ok) p.push(`${rel(f)}: not JSON (${r.error})`);
    } else if (name.endsWith('.cast')) {
      const ls = lines(f);
      for (const l of ls) {
        const r = parse(l);
        if (r.ok) continue;
        const tolerated = l.line === ls.length && killedCasts.has(name);
        if (!tolerated) p.push(`${rel(f)}:${l.line}: not JSON (${r.error}): ${l.text.slice(0, 80)}`);
      }
    } else if (name.endsWith('.jsonl') && !f.startsWith(join(traceDir, 'trajectories')) && f !== eventsPath) {
      for (const l of lines(f)) {
        const r = parse(l);
        if (!r.ok) p.push(`${rel(f)}:${l.line}: not JSON (${r.error})`);
      }
    }
  }

  // Nothing left running: no agent, no agent's command, no check (the killed processes' included). Agents run in
  // the execution's workspace, so a scan of working directories finds them without trusting recycled pids.
  const agents = new Set(events.filter((e) => e.type === 'session.spawned').map((e) => String(e.pid)));
  for (const s of await strays(round.cwd, 5_000)) {
    const pid = /^pid (\d+)/.exec(s)?.[1] ?? '';
    p.push(`still running after the execution finished${agents.has(pid) ? ' (an agent from session.spawned)' : ''}: ${s}`);
  }
}

/**
 * One slot of the suite: executions until CHAIN kills were delivered (at most 4). On a machine busier or idler than
 * during the undisturbed run a process can finish before its kill point; the next execution makes up for it.
 */
async function playRound(index: number): Promise<Round[]> {
  const played: Round[] = [];
  const kills = () => played.reduce((n, r) => n + r.steps.filter((s) => s.killed).length, 0);
  while (kills() < CHAIN && played.length < 4) played.push(await playExecution(index, played.length));
  return played;
}

async function playExecution(index: number, attempt: number): Promise<Round> {
  const seed = (SEED + Math.imul(index + 1, 0x9e3779b1) + Math.imul(attempt, 0x85ebca6b)) >>> 0;
  const rng = createRng(seed);
  const round: Round = { index, seed, cwd: tempProject(), steps: [], problems: [], torn: [] };
  const points = killPoints(rng, baseline!);
  let step = await runUntil(round, ['run', PLAN, '--out', 'out', '--approve', 'all'], points[0]);
  if (!round.exec) {
    round.problems.push(`no execution appeared under out/trace (exit ${step.exitCode}): ${step.output.slice(0, 300)}`);
    return round;
  }
  for (let i = 1; i <= points.length; i++) {
    // Ended by itself (finished, or failed to resume): the chain stops there and the final state is judged.
    if (!step.killed) break;
    // Some resumes say --approve all again, some rely on the plan's policy: both must go on.
    const approve = rng() < 0.5 ? ['--approve', 'all'] : [];
    step = await runUntil(round, ['resume', round.exec, '--out', 'out', ...approve], points[i]);
  }
  const last = round.steps.at(-1)!;
  if (last.killed) round.problems.push('the last process was killed: no final resume ran');
  else if (last.exitCode !== 0) {
    round.problems.push(`\`conductor ${last.args.join(' ')}\` exited ${last.exitCode}: ${last.output.split('\n').filter(Boolean).slice(-4).join(' | ')}`);
  }
  await inspect(round);
  return round;
}

const rounds: Round[] = [];

describe(`kill -9 at ${KILLS} seeded points of ${PLAN}, then resume (seed ${SEED})`, () => {
  beforeAll(async () => {
    // The undisturbed run: it must pass as the plan says, and it measures the life the kill points spread over.
    const cwd = tempProject();
    const started = Date.now();
    const r = await execa('node', [BIN, 'run', PLAN, '--out', 'out', '--approve', 'all'], { cwd, reject: false, all: true, env: { CI: 'true' } });
    const ms = Date.now() - started;
    if (r.exitCode !== 0) throw new Error(`undisturbed run of ${PLAN} exited ${r.exitCode}:\n${String(r.all)}`);
    const exec = readdirSync(join(cwd, 'out', 'trace')).find((d) => d.startsWith('exec-'))!;
    const round: Round = { index: -1, seed: SEED, cwd, exec, steps: [], problems: [], torn: [] };
    await inspect(round);
    if (round.problems.length) throw new Error(`undisturbed run of ${PLAN} (${exec}):\n${round.problems.join('\n')}`);
    baseline = { events: lineCount(join(cwd, 'out', 'trace', exec, 'events.jsonl')), ms };
  }, 120_000);

  afterAll(() => {
    const killed = rounds.flatMap((r) => r.steps.filter((s) => s.killed));
    process.stdout.write(
      `fault suite seed ${SEED}: ${killed.length} kills in ${rounds.length} executions; baseline ${baseline?.events} events in ${baseline?.ms} ms; ` +
        `${rounds.filter((r) => r.problems.length).length} executions with findings (replay: CONDUCTOR_FAULT_SEED=${SEED})\n` +
        `torn last lines seen right after a kill: ${rounds.flatMap((r) => r.torn.map((t) => `#${r.index + 1} ${t}`)).join(', ') || 'none'}\n`,
    );
  });

  for (let i = 0; i < EXECUTIONS; i++) {
    it.concurrent(`chain ${i + 1}/${EXECUTIONS}: executions until ${CHAIN} kills landed`, async () => {
      const played = await slot(() => playRound(i));
      rounds.push(...played);
      for (const round of played) {
        const story = round.steps
          .map((s) => `  conductor ${s.args.join(' ')}: ${s.killed ? `killed ${describePoint(s.point!)} (log had ${s.linesAtKill} lines)` : `exit ${s.exitCode}`} after ${s.ms} ms`)
          .join('\n');
        expect(round.problems, `CONDUCTOR_FAULT_SEED=${SEED}, execution ${i + 1} (seed ${round.seed}), ${round.exec} in ${round.cwd}:\n${story}`).toEqual([]);
      }
    }, 600_000);
  }

  it('delivered the kill points it promised', () => {
    const killed = rounds.flatMap((r) => r.steps.filter((s) => s.killed));
    // An execution whose processes finished before their points deliver fewer; the count is what CI is owed.
    expect(killed.length, `CONDUCTOR_FAULT_SEED=${SEED}: kills per execution ${rounds.map((r) => r.steps.filter((s) => s.killed).length).join(', ')}`).toBeGreaterThanOrEqual(Math.min(KILLS, 30));
  });
});
