// Chaos in sim trials: the faults drawn from a trial's seed, and the sim injecting exactly those.
import { describe, expect, it } from 'vitest';
import type { ProviderDef, SimScript } from '../../src/core/types';
import { drawFaults, garbageBytes, withFaults, type InjectedFault } from '../../src/sim/chaos';
import { createRng } from '../../src/sim/random';
import { runScript, type RunContext } from '../../src/sim/run';
import { simFaults, simScript } from '../../src/runtime/session-prompt';
import { sim } from '../../src/adapters/providers/sim';
import { shell } from '../../src/adapters/providers/shell';

const actions: SimScript['actions'] = Array.from({ length: 10 }, (_, i) => ({ say: `line ${i}` }));
const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

/** A terminal-less context that records what the sim wrote and which faults it carried out. */
function fakeContext(inject: InjectedFault[], seed?: number, failRate?: number) {
  const log: string[] = [];
  const ctx: RunContext = {
    cwd: '/nonexistent',
    name: 't',
    seed,
    failRate,
    inject,
    write: (s) => log.push(s),
    writeBytes: (b) => log.push(`<garbage ${b.length}>`),
    columns: () => 80,
    onKeys: () => () => {},
    sleep: () => Promise.resolve(),
    track: () => {},
    crash: () => {
      log.push('<crash>');
      return Promise.reject(new Error('crashed'));
    },
    hang: () => {
      log.push('<hang>');
      return Promise.reject(new Error('hung'));
    },
  };
  return { ctx, log, text: () => log.join('') };
}

describe('drawFaults', () => {
  it('is deterministic: the same seed gives the same faults', () => {
    const script: SimScript = { actions, chaos: { crash: 0.3, hang: 0.3, garbage: 0.5 } };
    for (const seed of SEEDS) expect(drawFaults(script, seed)).toEqual(drawFaults(script, seed));
    const all = SEEDS.map((seed) => JSON.stringify(drawFaults(script, seed)));
    expect(new Set(all).size).toBeGreaterThan(10);
  });

  it('probability 0 never injects, and no chaos draws nothing', () => {
    for (const seed of SEEDS) {
      expect(drawFaults({ actions, chaos: { crash: 0, hang: 0, garbage: 0 } }, seed)).toEqual([]);
      expect(drawFaults({ actions }, seed)).toEqual([]);
    }
  });

  it('probability 1 always injects, at an action index of the script', () => {
    for (const seed of SEEDS) {
      for (const fault of ['crash', 'hang', 'garbage'] as const) {
        const f = drawFaults({ actions, chaos: { [fault]: 1 } }, seed);
        expect(f).toHaveLength(1);
        expect(f[0].fault).toBe(fault);
        expect(f[0].at).toBeGreaterThanOrEqual(0);
        expect(f[0].at).toBeLessThan(actions.length);
      }
    }
  });

  it('rates come out near their probabilities', () => {
    const seeds = Array.from({ length: 2000 }, (_, i) => i + 1);
    const hits = seeds.filter((seed) => drawFaults({ actions, chaos: { garbage: 0.2 } }, seed).length > 0).length;
    expect(hits / seeds.length).toBeGreaterThan(0.16);
    expect(hits / seeds.length).toBeLessThan(0.24);
  });

  it('one kind’s probability does not move another kind’s faults', () => {
    for (const seed of SEEDS) {
      const alone = drawFaults({ actions, chaos: { garbage: 1 } }, seed);
      const withHang = drawFaults({ actions, chaos: { garbage: 1, hang: 0.5 } }, seed).filter((f) => f.fault === 'garbage');
      // The garbage fault stays where it was, unless a hang before it ends the session first.
      if (withHang.length) expect(withHang).toEqual(alone);
    }
  });

  it('keeps nothing past the first crash or hang: what is recorded is what happens', () => {
    for (const seed of SEEDS) {
      const f = drawFaults({ actions, chaos: { crash: 1, hang: 1, garbage: 1 } }, seed);
      const terminal = f.filter((x) => x.fault !== 'garbage');
      expect(terminal).toHaveLength(1);
      expect(f.at(-1)).toBe(terminal[0]);
      expect(f.map((x) => x.at)).toEqual([...f.map((x) => x.at)].sort((a, b) => a - b));
    }
  });

  it('is independent of failRate: faults up to the simulated failure are unchanged, none after it', () => {
    for (const seed of SEEDS) {
      const chaos = { crash: 0.4, garbage: 0.6 };
      const without = drawFaults({ actions, chaos }, seed);
      const withFail = drawFaults({ actions, chaos, failRate: 1 }, seed);
      // The failure point as the sim draws it: first from the seed's own stream.
      const rng = createRng(seed);
      rng();
      const failAt = Math.floor(rng() * actions.length);
      expect(withFail).toEqual(without.filter((f) => f.at <= failAt));
    }
  });

  it('stops at a fail action', () => {
    const script: SimScript = { actions: [{ say: 'a' }, { fail: 'no' }, { say: 'b' }, { say: 'c' }], chaos: { garbage: 1 } };
    for (const seed of SEEDS) for (const f of drawFaults(script, seed)) expect(f.at).toBeLessThanOrEqual(1);
  });
});

describe('simFaults', () => {
  it('draws from each trial’s own seed (seed + index)', () => {
    const scenario = { kind: 'scenario', sim: { seed: 5, actions, chaos: { garbage: 0.5, crash: 0.3 } } } as unknown as Parameters<typeof simScript>[0];
    const per = [1, 2, 3, 4, 5, 6].map((i) => simFaults(sim, simScript(scenario, 't', i)));
    expect(per).toEqual([5, 6, 7, 8, 9, 10].map((seed) => drawFaults({ actions, chaos: { garbage: 0.5, crash: 0.3 } }, seed)));
  });

  it('is empty for a provider that is never handed the script', () => {
    expect(simFaults(shell as ProviderDef, { actions, chaos: { crash: 1 } })).toEqual([]);
    expect(simFaults(sim, { actions, chaos: { crash: 1 } })).toHaveLength(1);
  });

  it('hands the sim the faults, not the probabilities', () => {
    expect(withFaults({ seed: 3, actions, chaos: { crash: 1 } }, [{ fault: 'crash', at: 2 }])).toEqual({ seed: 3, actions, inject: [{ fault: 'crash', at: 2 }] });
    expect(withFaults({ seed: 3, actions, chaos: { crash: 0 } }, [])).toEqual({ seed: 3, actions });
  });
});

describe('garbageBytes', () => {
  it('is seeded, invalid UTF-8, with escapes left open, and ends with a newline', () => {
    const a = garbageBytes(7, 2);
    expect(garbageBytes(7, 2).equals(a)).toBe(true);
    expect(garbageBytes(8, 2).equals(a)).toBe(false);
    expect(Buffer.from(a.toString('utf8'), 'utf8').equals(a)).toBe(false);
    const text = a.toString('latin1');
    expect(text).toContain('\x1b]0;');
    expect(text).toMatch(/\x1b\[9{4096}m/);
    expect(text.endsWith('\x1b[38;5;\r\n')).toBe(true);
  });
});

describe('runScript with injected faults', () => {
  it('garbage is printed before its action, and the session carries on', async () => {
    const { ctx, log } = fakeContext([{ fault: 'garbage', at: 2 }], 4);
    const s = await runScript({ actions: actions.slice(0, 4) }, ctx);
    expect(s).toMatchObject({ actions: 4, exitCode: 0 });
    const at = log.findIndex((l) => l.startsWith('<garbage'));
    expect(log.slice(0, at).join('')).toContain('line 1');
    expect(log.slice(0, at).join('')).not.toContain('line 2');
    expect(log.slice(at).join('')).toContain('line 3');
  });

  it('a crash or hang stops the script at its action', async () => {
    for (const fault of ['crash', 'hang'] as const) {
      const { ctx, text } = fakeContext([{ fault, at: 1 }], 4);
      await expect(runScript({ actions: actions.slice(0, 4) }, ctx)).rejects.toThrow();
      expect(text()).toContain('line 0');
      expect(text()).toContain(`<${fault}>`);
      expect(text()).not.toContain('line 1');
    }
  });

  it('faults do not change the seeded failure point', async () => {
    for (const seed of [1, 2, 3, 9, 11]) {
      const plain = fakeContext([], seed, 1);
      const noisy = fakeContext([{ fault: 'garbage', at: 0 }], seed, 1);
      await runScript({ actions }, plain.ctx);
      await runScript({ actions }, noisy.ctx);
      const failure = (t: string) => /Simulated failure at step \d+/.exec(t)?.[0];
      expect(failure(noisy.text())).toBe(failure(plain.text()));
      expect(failure(plain.text())).toBeDefined();
    }
  });
});
