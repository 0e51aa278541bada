// `conductor providers [--json]` and `conductor providers check NAME`: which agent CLIs are installed, what
// conductor can read them through, and whether one starts and reaches its ready state here.
import { resolveConfig } from '../adapters/input/config';
import { builtinProviders } from '../adapters/providers';
import { checkProvider, type CheckResult } from '../adapters/providers/check';
import { installHint } from '../adapters/providers/install-hints';
import { probeProvider } from '../adapters/providers/probe';
import { redactProviderEnv, storeRedactor } from '../adapters/store/redaction';
import { formatDuration } from '../core/duration';
import { didYouMean } from '../core/suggest';
import type { ProviderDef } from '../core/types';
import { InputError, simPath } from './open-execution';
import { providerRow, renderProvidersTable, type ProviderSource } from './providers-table';

export interface ProvidersIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
}

export interface ProvidersFlags {
  json?: boolean;
  /** The list: how long each `--version` / `--help` may take; `check`: how long to wait for a ready state. */
  timeoutMs?: number;
}

async function known(cwd: string): Promise<Record<string, ProviderDef>> {
  const cfg = await resolveConfig({ cwd });
  if (!cfg.ok) throw InputError.fromDiagnostics(cfg.diagnostics);
  const all = { ...builtinProviders, ...cfg.value.providers };
  redactProviderEnv(all);
  return all;
}

function sourceOf(name: string, def: ProviderDef): ProviderSource {
  if (!(name in builtinProviders)) return 'configured';
  return builtinProviders[name] === def ? 'built-in' : 'built-in, configured';
}

export async function listProviders(flags: ProvidersFlags, io: ProvidersIO): Promise<number> {
  const all = await known(io.cwd);
  const sim = simPath();
  const names = Object.keys(all);
  const probes = await Promise.all(names.map((n) => probeProvider(all[n], { simPath: sim, env: process.env, cwd: io.cwd, ...(flags.timeoutMs ? { timeoutMs: flags.timeoutMs } : {}) })));
  const rows = names.map((n, i) => providerRow(all[n], probes[i], sourceOf(n, all[n]), installHint(all[n].command)));
  const out = flags.json ? `${JSON.stringify(rows, null, 2)}\n` : renderProvidersTable(rows);
  io.stdout.write(storeRedactor().redact(out));
  return 0;
}

/** What the check saw, in plain words; the second value is whether it counts as ready. */
export function describeCheck(name: string, r: CheckResult): { text: string; ready: boolean } {
  const o = r.outcome;
  const after = `after ${formatDuration(r.tookMs)}`;
  const tail = r.lastLines.length ? `\nlast lines on its screen:\n${r.lastLines.map((l) => `  │ ${l}`).join('\n')}` : '';
  switch (o.kind) {
    case 'ready':
      if (o.how === 'prompt') return { ready: true, text: `${name} is ready: its input prompt is on screen (${after}).` };
      if (o.how === 'exited') return { ready: true, text: `${name} is ready: it ran a harmless task and exited 0 (${after}).` };
      return {
        ready: true,
        text: `${name} started and waits for input: its screen has not changed for ${formatDuration(o.settledMs ?? 0)} (${after}). The preset has no idle-prompt pattern, so this is a guess.${tail}`,
      };
    case 'dialog': {
      const how = o.known
        ? 'in a run, conductor asks you (or the approval policy) to answer it'
        : `the preset does not know it, so a run would wait on it: start \`${r.command}\` yourself once and answer it`;
      const what = o.known ? `a ${o.dialog.kind} dialog ("${o.dialog.text}")` : o.dialog.text;
      return { ready: false, text: `${name} shows ${what} (${after}): ${how}.${tail}` };
    }
    case 'failure':
      return { ready: false, text: `${name} cannot work yet: ${o.reason} (${after}).${tail}` };
    case 'exited':
      return { ready: false, text: `${name} exited with code ${o.exitCode} ${after}${o.reason ? `: ${o.reason}` : ''}.${tail}` };
    case 'not-installed': {
      const hint = installHint(o.command);
      return { ready: false, text: `${name} is not installed: \`${o.command}\` is not on PATH${hint ? `; install with \`${hint}\`` : ''}.` };
    }
    case 'timeout':
      return { ready: false, text: `${name} showed no ready state within ${formatDuration(o.timeoutMs)}.${tail}` };
  }
}

export async function checkCommand(name: string, flags: ProvidersFlags, io: ProvidersIO): Promise<number> {
  const all = await known(io.cwd);
  const def = all[name];
  if (!def) {
    const names = Object.keys(all);
    io.stderr.write(`conductor: unknown provider \`${name}\`${didYouMean(name, names)} (known: ${names.join(', ')})\n`);
    return 2;
  }
  io.stderr.write(`starting ${name} in a scratch folder with the prompt "Say hello and wait"…\n`);
  const r = await checkProvider(def, { simPath: simPath(), env: process.env, ...(flags.timeoutMs ? { timeoutMs: flags.timeoutMs } : {}) });
  const { text, ready } = describeCheck(name, r);
  const out = flags.json ? `${JSON.stringify({ name, ready, ...r }, null, 2)}\n` : `${text}\n`;
  io.stdout.write(storeRedactor().redact(out));
  return ready ? 0 : 1;
}
