// Judging a trial: its scenario's assertions evaluated over the trial's trajectory (its events) and the facts an
// adapter gathered from its workspace after the agent finished (file contents, command results, the agent's
// terminal text). Pure: the same trajectory, facts and assertions always give the same results, so a stored trial
// can be judged again (`conductor reeval`) without running anything.
//
// The rules:
// - Each assertion is `passed`, `failed` or `unknown` (the facts cannot tell: no cost reported, a fact not
//   gathered). Unknown is never a pass.
// - A trial's score is the weighted share of its assertions that passed (unknown ones count as not passed).
// - A trial passes when every `required` assertion passed and its score reaches the scenario's `passScore`
//   (default 1: every assertion must pass, as promptfoo does without a threshold).
import type { AssertionStatus, CommandFact, ConductorEvent, FileFact, TrialFacts } from './events';
import { commandMatches } from './schema/policy';
import { formatDuration } from './duration';
import type { Assertion } from './types';

export interface AssertionOutcome {
  name: string;
  kind: Assertion['type'];
  status: AssertionStatus;
  passed: boolean;
  weight: number;
  required: boolean;
  expected: string;
  found: string;
}

export interface TrialVerdict {
  results: AssertionOutcome[];
  score: number;
  passed: boolean;
  /** Why it did not pass, for people (the first required assertion that did not pass, or the score). */
  reason?: string;
}

/** What the trajectory says about a trial's (latest) agent session. */
export interface TrialRecord {
  session?: string;
  exitCode?: number;
  signal?: number;
  /** From the trial's start to its agent session's end. */
  durationMs?: number;
  cost?: number;
  tokens?: number;
  /** Commands the agent asked to run (approval prompts and hook requests), with what was decided. */
  asked: { command: string; decision?: string }[];
}

/** The default `name` of an assertion: its kind and argument, as a person would read it. */
export function assertionName(a: Assertion): string {
  if (a.name) return a.name;
  switch (a.type) {
    case 'exitCode':
      return `exitCode ${a.equals}`;
    case 'fileExists':
      return `fileExists ${a.path}`;
    case 'fileContains':
      return a.text !== undefined ? `fileContains ${a.path} "${a.text}"` : `fileContains ${a.path} /${a.regex}/`;
    case 'commandPasses':
      return `commandPasses ${a.run}`;
    case 'transcriptMatches':
      return `transcriptMatches /${a.regex}/`;
    case 'ranCommand':
      return `ranCommand ${a.glob}`;
    case 'approvalsAtMost':
      return `approvalsAtMost ${a.max}`;
    case 'durationAtMost':
      return `durationAtMost ${formatDuration(a.max)}`;
    case 'costAtMost':
      return `costAtMost $${a.max}`;
  }
}

/**
 * Names made unique within a scenario (a second `fileExists out.txt` becomes `fileExists out.txt (2)`), so each
 * result, breakdown row and report line names one assertion.
 */
export function assertionNames(assertions: readonly Assertion[]): string[] {
  const seen = new Map<string, number>();
  return assertions.map((a) => {
    const base = assertionName(a);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** Reads a trial's record from its events (the trajectory): its latest session's exit, duration, usage and prompts. */
export function trialRecord(events: readonly ConductorEvent[], unit: string): TrialRecord {
  let started: number | undefined;
  let session: string | undefined;
  const record: TrialRecord = { asked: [] };
  const asked = new Map<string, { command: string; decision?: string }>();
  for (const e of events) {
    if (e.type === 'trial.started' && e.unit === unit) {
      // A new attempt starts the record over: only the latest attempt is judged.
      started = e.ts;
      session = e.session;
      record.session = session;
      record.exitCode = record.signal = record.durationMs = record.cost = record.tokens = undefined;
      asked.clear();
      continue;
    }
    if (session === undefined) continue;
    switch (e.type) {
      case 'session.exited':
        if (e.session === session) {
          record.exitCode = e.exitCode;
          record.signal = e.signal;
        }
        break;
      case 'session.state':
        if (e.session === session && ['completed', 'failed', 'cancelled', 'interrupted'].includes(e.state)) {
          if (started !== undefined) record.durationMs = e.ts - started;
          if (record.exitCode === undefined && e.exitCode !== undefined) record.exitCode = e.exitCode;
        }
        break;
      case 'usage':
        if (e.session === session) {
          record.cost = e.cost;
          record.tokens = e.tokens;
        }
        break;
      case 'approval.requested':
        if (e.session === session && !e.dialog) asked.set(e.id, { command: e.command });
        break;
      case 'approval.decided': {
        const a = asked.get(e.id);
        if (a) a.decision = e.decision;
        break;
      }
    }
  }
  record.asked = [...asked.values()];
  return record;
}

const quote = (s: string, max = 120): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

/** The line of `text` around `index`, for evidence. */
function around(text: string, index: number, length: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index + length);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

function fileFact(facts: TrialFacts, path: string): FileFact | undefined {
  return Object.hasOwn(facts.files, path) ? facts.files[path] : undefined;
}

function commandFact(facts: TrialFacts, run: string): CommandFact | undefined {
  return Object.hasOwn(facts.commands, run) ? facts.commands[run] : undefined;
}

type Judged = Pick<AssertionOutcome, 'status' | 'expected' | 'found'>;

const verdict = (ok: boolean, expected: string, found: string): Judged => ({ status: ok ? 'passed' : 'failed', expected, found });
const unknown = (expected: string, found: string): Judged => ({ status: 'unknown', expected, found });

function judgeOne(a: Assertion, record: TrialRecord, facts: TrialFacts, output: string | undefined): Judged {
  switch (a.type) {
    case 'exitCode': {
      const expected = `the agent exits ${a.equals}`;
      if (record.exitCode === undefined) return unknown(expected, 'no exit recorded');
      const found = `exited ${record.exitCode}${record.signal ? ` (signal ${record.signal})` : ''}`;
      return verdict(record.exitCode === a.equals && !record.signal, expected, found);
    }
    case 'fileExists': {
      const expected = `${a.path} exists`;
      const f = fileFact(facts, a.path);
      if (!f) return unknown(expected, 'not gathered');
      return verdict(f.exists, expected, f.exists ? `${a.path} exists (${f.size ?? '?'} bytes)` : `no ${a.path}`);
    }
    case 'fileContains': {
      const expected = a.text !== undefined ? `${a.path} contains ${quote(a.text)}` : `${a.path} matches /${a.regex}/`;
      const f = fileFact(facts, a.path);
      if (!f) return unknown(expected, 'not gathered');
      if (!f.exists) return verdict(false, expected, `no ${a.path}`);
      if (f.error) return unknown(expected, `${a.path} could not be read: ${f.error}`);
      if (f.text === undefined) return verdict(false, expected, `${a.path} is binary (${f.size ?? '?'} bytes)`);
      const text = f.text;
      let index = -1;
      let length = 0;
      if (a.text !== undefined) {
        index = text.indexOf(a.text);
        length = a.text.length;
      } else {
        const m = new RegExp(a.regex!, 'm').exec(text);
        if (m) {
          index = m.index;
          length = m[0].length;
        }
      }
      if (index >= 0) return verdict(true, expected, `found at line ${text.slice(0, index).split('\n').length}: ${quote(around(text, index, length))}`);
      const found = `not in its ${f.size ?? text.length} bytes${f.truncated ? ' (only the first part was read)' : ''}`;
      return f.truncated ? unknown(expected, found) : verdict(false, expected, found);
    }
    case 'commandPasses': {
      const expected = `\`${a.run}\` exits 0`;
      const c = commandFact(facts, a.run);
      if (!c) return unknown(expected, 'not run');
      const last = c.output.trim().split('\n').at(-1) ?? '';
      const found = c.timedOut ? `timed out after ${formatDuration(c.durationMs)}` : `exited ${c.exitCode}${last ? `: ${quote(last)}` : ''}`;
      return verdict(c.exitCode === 0 && !c.timedOut, expected, found);
    }
    case 'transcriptMatches': {
      const expected = `the agent's terminal shows /${a.regex}/`;
      if (output === undefined) return unknown(expected, 'no terminal text recorded');
      const m = new RegExp(a.regex, 'm').exec(output);
      return verdict(!!m, expected, m ? `found: ${quote(around(output, m.index, m[0].length))}` : `not in its ${output.split('\n').length} lines`);
    }
    case 'ranCommand': {
      const expected = `a command matching "${a.glob}" ran`;
      const ran = record.asked.filter((c) => c.decision === 'allow' || c.decision === 'always');
      const hit = ran.find((c) => commandMatches(a.glob, c.command));
      if (hit) return verdict(true, expected, `ran ${quote(hit.command)}`);
      const denied = record.asked.find((c) => commandMatches(a.glob, c.command));
      if (denied) return verdict(false, expected, `${quote(denied.command)} was asked and ${denied.decision ? `answered ${denied.decision}` : 'never answered'}`);
      return verdict(false, expected, ran.length ? `ran ${ran.map((c) => quote(c.command, 40)).join(', ')}` : 'no command was asked for or run');
    }
    case 'approvalsAtMost': {
      const n = record.asked.length;
      return verdict(n <= a.max, `at most ${a.max} approval${a.max === 1 ? '' : 's'} asked`, `${n} asked`);
    }
    case 'durationAtMost': {
      const expected = `the agent finishes within ${formatDuration(a.max)}`;
      if (record.durationMs === undefined) return unknown(expected, 'no end recorded');
      return verdict(record.durationMs <= a.max, expected, `took ${formatDuration(record.durationMs)}`);
    }
    case 'costAtMost': {
      const expected = `costs at most $${a.max}`;
      if (record.cost === undefined) return unknown(expected, 'the provider reported no cost');
      return verdict(record.cost <= a.max, expected, `cost $${record.cost}`);
    }
  }
}

/**
 * Judges one trial. `output`: the agent's terminal text (undefined when none was recorded); `passScore`: the
 * score a trial must reach (0..1).
 */
export function evaluateTrial(o: {
  assertions: readonly Assertion[];
  passScore: number;
  record: TrialRecord;
  facts: TrialFacts;
  output?: string;
}): TrialVerdict {
  const names = assertionNames(o.assertions);
  const results = o.assertions.map((a, i): AssertionOutcome => {
    const j = judgeOne(a, o.record, o.facts, o.output);
    return { name: names[i], kind: a.type, weight: a.weight, required: a.required, passed: j.status === 'passed', ...j };
  });
  const total = results.reduce((n, r) => n + r.weight, 0);
  const got = results.reduce((n, r) => n + (r.passed ? r.weight : 0), 0);
  const score = total > 0 ? got / total : 0;
  const missed = results.find((r) => r.required && !r.passed);
  // A float's last bit must not fail a trial that passed every assertion it had to.
  const reaches = score + 1e-9 >= o.passScore;
  const passed = !missed && reaches;
  let reason: string | undefined;
  if (missed) reason = `required assertion ${missed.status === 'unknown' ? 'could not be judged' : 'failed'}: ${missed.name} (${missed.found})`;
  else if (!reaches) {
    const failed = results.filter((r) => !r.passed).map((r) => r.name);
    reason = `score ${score.toFixed(2)} below ${o.passScore} (${failed.join(', ')})`;
  }
  return { results, score, passed, ...(reason ? { reason } : {}) };
}

/** The one-line `detail` of a result, as older logs and short displays show it. */
export const detailOf = (r: Pick<AssertionOutcome, 'status' | 'expected' | 'found'>): string =>
  `${r.status === 'unknown' ? 'unknown: ' : ''}expected ${r.expected}; ${r.found}`;
