// core/assert: every assertion kind over a trial's events and workspace facts, unknown never a pass, score and passScore.
import { describe, expect, it } from 'vitest';
import { assertionNames, evaluateTrial, trialRecord, type TrialRecord } from '../../../src/core/assert';
import type { ConductorEvent, TrialFacts } from '../../../src/core/events';
import type { Assertion } from '../../../src/core/types';

const A = (a: Partial<Assertion> & { type: Assertion['type'] } & Record<string, unknown>): Assertion => ({ weight: 1, required: false, ...a }) as Assertion;
const NO_FACTS: TrialFacts = { files: {}, commands: {} };
const record = (r: Partial<TrialRecord> = {}): TrialRecord => ({ exitCode: 0, durationMs: 1000, asked: [], ...r });
const one = (a: Assertion, o: { record?: TrialRecord; facts?: TrialFacts; output?: string } = {}) =>
  evaluateTrial({ assertions: [a], passScore: 1, record: o.record ?? record(), facts: o.facts ?? NO_FACTS, output: o.output }).results[0];

let seq = 0;
const ev = (body: Record<string, unknown>, ts: number): ConductorEvent => ({ exec: 'e', seq: ++seq, ts, ...body }) as unknown as ConductorEvent;

describe('trialRecord reads the latest attempt from the trajectory', () => {
  it('exit, duration, cost and the commands asked, with their decisions; a new attempt starts over', () => {
    const events = [
      ev({ type: 'trial.started', unit: 't', session: 't#1', attempt: 1, provider: 'sim', agent: 'a' }, 1000),
      ev({ type: 'approval.requested', id: 'ap-1', session: 't#1', via: 'screen', command: 'rm -rf /', options: ['allow', 'deny'] }, 1100),
      ev({ type: 'approval.decided', id: 'ap-1', decision: 'deny', by: 'policy' }, 1101),
      ev({ type: 'session.exited', session: 't#1', exitCode: 1 }, 2000),
      ev({ type: 'trial.started', unit: 't', session: 't#2', attempt: 2, provider: 'sim', agent: 'a' }, 5000),
      ev({ type: 'approval.requested', id: 'ap-2', session: 't#2', via: 'hook', command: 'npm test', options: ['allow', 'deny'] }, 5100),
      ev({ type: 'approval.decided', id: 'ap-2', decision: 'allow', by: 'user' }, 5200),
      ev({ type: 'approval.requested', id: 'ap-3', session: 't#2', via: 'screen', command: 'trust?', options: ['allow', 'deny'], dialog: 'trust' }, 5300),
      ev({ type: 'usage', session: 't#2', bytes: 10, files: 1, tokens: 1234, cost: 0.02 }, 7000),
      ev({ type: 'session.exited', session: 't#2', exitCode: 0 }, 7000),
      ev({ type: 'session.state', session: 't#2', state: 'completed', exitCode: 0 }, 7500),
    ];
    expect(trialRecord(events, 't')).toEqual({ session: 't#2', exitCode: 0, signal: undefined, durationMs: 2500, cost: 0.02, tokens: 1234, asked: [{ command: 'npm test', decision: 'allow' }] });
  });
});

describe('each assertion kind', () => {
  it('exitCode: equal and not killed by a signal; unknown without an exit', () => {
    expect(one(A({ type: 'exitCode', equals: 0 }))).toMatchObject({ status: 'passed', found: 'exited 0' });
    expect(one(A({ type: 'exitCode', equals: 0 }), { record: record({ exitCode: 2 }) })).toMatchObject({ status: 'failed', expected: 'the agent exits 0', found: 'exited 2' });
    expect(one(A({ type: 'exitCode', equals: 0 }), { record: record({ exitCode: 0, signal: 9 }) }).status).toBe('failed');
    expect(one(A({ type: 'exitCode', equals: 0 }), { record: record({ exitCode: undefined }) }).status).toBe('unknown');
  });

  it('fileExists and fileContains (text and regex) with the line found as evidence; a cut file that lacks it is unknown', () => {
    const facts: TrialFacts = {
      files: {
        'a.js': { exists: true, size: 30, text: 'line one\nreturn `Hello, x`;\n' },
        'big.txt': { exists: true, size: 9_000_000, text: 'head only', truncated: true },
        'bin.dat': { exists: true, size: 4, binary: true },
        'gone.txt': { exists: false },
      },
      commands: {},
    };
    expect(one(A({ type: 'fileExists', path: 'a.js' }), { facts }).status).toBe('passed');
    expect(one(A({ type: 'fileExists', path: 'gone.txt' }), { facts })).toMatchObject({ status: 'failed', found: 'no gone.txt' });
    expect(one(A({ type: 'fileExists', path: 'never-gathered' }), { facts }).status).toBe('unknown');
    expect(one(A({ type: 'fileContains', path: 'a.js', text: 'Hello, ' }), { facts })).toMatchObject({ status: 'passed', found: 'found at line 2: "return `Hello, x`;"' });
    expect(one(A({ type: 'fileContains', path: 'a.js', regex: '^line \\w+$' }), { facts }).status).toBe('passed');
    expect(one(A({ type: 'fileContains', path: 'a.js', text: 'Goodbye' }), { facts }).status).toBe('failed');
    expect(one(A({ type: 'fileContains', path: 'big.txt', text: 'tail' }), { facts }).status).toBe('unknown');
    expect(one(A({ type: 'fileContains', path: 'bin.dat', text: 'x' }), { facts })).toMatchObject({ status: 'failed', found: 'bin.dat is binary (4 bytes)' });
    expect(one(A({ type: 'fileContains', path: 'gone.txt', text: 'x' }), { facts }).status).toBe('failed');
  });

  it('commandPasses: exit 0 within its time; unknown when it was not run', () => {
    const facts: TrialFacts = {
      files: {},
      commands: { 'npm test': { exitCode: 0, durationMs: 5, output: 'ok' }, 'npm run lint': { exitCode: 1, durationMs: 5, output: 'x\n3 problems' }, slow: { exitCode: 124, durationMs: 600000, output: '', timedOut: true } },
    };
    expect(one(A({ type: 'commandPasses', run: 'npm test' }), { facts }).status).toBe('passed');
    expect(one(A({ type: 'commandPasses', run: 'npm run lint' }), { facts })).toMatchObject({ status: 'failed', found: 'exited 1: "3 problems"' });
    expect(one(A({ type: 'commandPasses', run: 'slow' }), { facts })).toMatchObject({ status: 'failed', found: 'timed out after 10m' });
    expect(one(A({ type: 'commandPasses', run: 'other' }), { facts }).status).toBe('unknown');
  });

  it('transcriptMatches over the terminal text; unknown without one', () => {
    expect(one(A({ type: 'transcriptMatches', regex: 'All tests? passed' }), { output: 'x\n  All tests passed\n' })).toMatchObject({ status: 'passed', found: 'found: "All tests passed"' });
    expect(one(A({ type: 'transcriptMatches', regex: 'nope' }), { output: 'x' }).status).toBe('failed');
    expect(one(A({ type: 'transcriptMatches', regex: 'x' })).status).toBe('unknown');
  });

  it('ranCommand: an allowed command matching the glob; a denied one does not count', () => {
    const asked = [
      { command: 'node test/greet.test.js', decision: 'allow' },
      { command: 'npm publish', decision: 'deny' },
    ];
    expect(one(A({ type: 'ranCommand', glob: 'node test/*' }), { record: record({ asked }) })).toMatchObject({ status: 'passed', found: 'ran "node test/greet.test.js"' });
    expect(one(A({ type: 'ranCommand', glob: 'npm publish*' }), { record: record({ asked }) })).toMatchObject({ status: 'failed', found: '"npm publish" was asked and answered deny' });
    expect(one(A({ type: 'ranCommand', glob: 'make *' }), { record: record({ asked: [] }) })).toMatchObject({ status: 'failed', found: 'no command was asked for or run' });
  });

  it('approvalsAtMost, durationAtMost, and costAtMost (unknown without a reported cost, never a silent pass)', () => {
    const asked = [{ command: 'a', decision: 'allow' }, { command: 'b', decision: 'allow' }];
    expect(one(A({ type: 'approvalsAtMost', max: 2 }), { record: record({ asked }) }).status).toBe('passed');
    expect(one(A({ type: 'approvalsAtMost', max: 1 }), { record: record({ asked }) })).toMatchObject({ status: 'failed', found: '2 asked' });
    expect(one(A({ type: 'durationAtMost', max: 60_000 }), { record: record({ durationMs: 61_000 }) })).toMatchObject({ status: 'failed', found: 'took 1m1s' });
    expect(one(A({ type: 'durationAtMost', max: 60_000 }), { record: record({ durationMs: 59_000 }) }).status).toBe('passed');
    expect(one(A({ type: 'costAtMost', max: 0.5 }))).toMatchObject({ status: 'unknown', passed: false, found: 'the provider reported no cost' });
    expect(one(A({ type: 'costAtMost', max: 0.5 }), { record: record({ cost: 0.2 }) }).status).toBe('passed');
    expect(one(A({ type: 'costAtMost', max: 0.1 }), { record: record({ cost: 0.2 }) }).status).toBe('failed');
  });
});

describe('score, required and passScore', () => {
  const facts: TrialFacts = { files: { 'a.txt': { exists: true, size: 1, text: 'a' } }, commands: {} };
  const assertions = [
    A({ type: 'exitCode', equals: 0, required: true }),
    A({ type: 'fileExists', path: 'a.txt', weight: 2 }),
    A({ type: 'fileExists', path: 'b.txt' }),
    A({ type: 'costAtMost', max: 1 }),
  ];
  it('the score is the weighted share passed; unknown counts as not passed', () => {
    const facts2 = { ...facts, files: { ...facts.files, 'b.txt': { exists: false } } };
    const v = evaluateTrial({ assertions, passScore: 0.6, record: record(), facts: facts2 });
    expect(v.score).toBeCloseTo(3 / 5);
    expect(v.passed).toBe(true);
    expect(evaluateTrial({ assertions, passScore: 0.61, record: record(), facts: facts2 })).toMatchObject({ passed: false, reason: 'score 0.60 below 0.61 (fileExists b.txt, costAtMost $1)' });
  });
  it('a required assertion that fails (or cannot be judged) fails the trial whatever its score', () => {
    const v = evaluateTrial({ assertions, passScore: 0, record: record({ exitCode: 3 }), facts });
    expect(v).toMatchObject({ passed: false, reason: 'required assertion failed: exitCode 0 (exited 3)' });
    const u = evaluateTrial({ assertions: [A({ type: 'costAtMost', max: 1, required: true })], passScore: 0, record: record(), facts });
    expect(u).toMatchObject({ passed: false, reason: 'required assertion could not be judged: costAtMost $1 (the provider reported no cost)' });
  });
  it('passScore 1 (the default) needs every assertion', () => {
    const all = [A({ type: 'exitCode', equals: 0 }), A({ type: 'fileExists', path: 'a.txt' })];
    expect(evaluateTrial({ assertions: all, passScore: 1, record: record(), facts }).passed).toBe(true);
    expect(evaluateTrial({ assertions: all, passScore: 1, record: record({ exitCode: 1 }), facts }).passed).toBe(false);
  });
  it('names: the given name, else kind and argument, made unique', () => {
    expect(assertionNames([A({ type: 'fileExists', path: 'x' }), A({ type: 'fileExists', path: 'x' }), A({ type: 'exitCode', equals: 0, name: 'clean exit' })])).toEqual([
      'fileExists x',
      'fileExists x (2)',
      'clean exit',
    ]);
  });
});
