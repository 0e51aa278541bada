// `conductor providers`: one row per provider from its definition and its probe — installed, version, the
// channels conductor can read it through, and what is missing — as a table for people or JSON for tools.
import type { ProviderDef } from '../core/types';
import type { ProbeResult } from '../adapters/providers/probe';

export type ProviderSource = 'built-in' | 'built-in, configured' | 'configured';

export interface ProviderChannels {
  /** Approvals asked through a hook (exact command) and/or read off the screen (approval patterns). */
  approvals: { hook: boolean; screen: boolean; asks: boolean };
  /** How conductor learns that a turn is over: a hook, the idle prompt on screen, the process exiting, or not at all. */
  turnEnd: 'hook' | 'screen' | 'exit' | null;
  /** The CLI can resume its own session (preset resume args, and --help lists them where it was read). */
  resume: boolean;
  /** How conductor learns the CLI's session id: a hook, a flag that sets it, or not at all. */
  sessionId: 'hook' | 'flag' | null;
  /** --help lists a JSON output mode (null: --help was not read). */
  json: boolean | null;
}

export interface ProviderRow {
  name: string;
  source: ProviderSource;
  command: string;
  installed: boolean;
  path: string | null;
  version: string | null;
  channels: ProviderChannels;
  /** What is missing or wrong, in plain words, each with what to do where conductor knows. */
  missing: string[];
}

/**
 * The argument that names a template's feature: the one just before `{agentSession}` (`--resume {agentSession}`,
 * `resume {agentSession}`), else the first that is not a placeholder.
 */
function keyArg(args: string[]): string | undefined {
  const at = args.indexOf('{agentSession}');
  if (at > 0 && !/^\{\w+\}$/.test(args[at - 1])) return args[at - 1];
  return args.find((a) => !/^\{\w+\}$/.test(a));
}

/** Whether --help lists a template's key argument (`--resume`, or a subcommand like `resume`); undefined when unknown. */
function listed(args: string[], probe: ProbeResult): boolean | undefined {
  if (!probe.helpRead) return undefined;
  const first = keyArg(args);
  if (first === undefined) return true;
  const word = first.split('=')[0];
  if (word.startsWith('--')) return probe.flags.includes(word);
  if (word.startsWith('-')) return true;
  return probe.words.includes(word);
}

const firstArg = (args: string[]): string => keyArg(args) ?? args[0] ?? '';

export function providerRow(def: ProviderDef, probe: ProbeResult, source: ProviderSource, installHint?: string): ProviderRow {
  const missing: string[] = [];
  const command = def.command;
  if (!probe.installed) {
    if (probe.error === 'sim agent bundle not found') missing.push('the sim agent bundle is missing: run `npm run build`');
    else missing.push(installHint ? `not installed: install with \`${installHint}\`` : `not installed: \`${command}\` is not on PATH`);
  } else {
    if (probe.error) missing.push(probe.error);
    if (probe.helpError) missing.push(probe.helpError);
  }

  const hooks = def.hooks;
  const approvals = { hook: !!hooks?.approvals, screen: def.approval.patterns.length > 0, asks: def.asksApproval };
  if (approvals.asks && !approvals.hook && !approvals.screen) missing.push('no way to see its approval prompts: no hook and no `approval.patterns`');

  const turnEnd: ProviderChannels['turnEnd'] = hooks?.turnEnd ? 'hook' : def.done.via === 'exit' ? 'exit' : def.done.pattern ? 'screen' : null;
  if (!turnEnd) missing.push('no turn-end signal: no hook and no `done.pattern`, so a session ends only when the CLI exits');

  let resume = false;
  if (def.resume) {
    const found = listed(def.resume.args, probe);
    resume = found !== false;
    if (found === false) missing.push(`no resume flag in this version: its --help does not list \`${firstArg(def.resume.args)}\``);
  } else if (def.done.via === 'idle') missing.push('no native resume: an interrupted session starts over');

  // A flag that sets the id up front beats a hook that reports it: conductor knows the id before the CLI starts.
  let sessionId: ProviderChannels['sessionId'] = null;
  if (def.session) {
    const found = listed(def.session.args, probe);
    if (found !== false) sessionId = 'flag';
    else if (!hooks?.sessionStart) missing.push(`no session id flag in this version: its --help does not list \`${firstArg(def.session.args)}\``);
  }
  if (!sessionId && hooks?.sessionStart) sessionId = 'hook';

  const json = probe.helpRead ? probe.capabilities.includes('json') : null;
  return {
    name: def.name,
    source,
    command,
    installed: probe.installed,
    path: probe.path ?? null,
    version: probe.version ?? null,
    channels: { approvals, turnEnd, resume, sessionId, json },
    missing,
  };
}

function approvalsText(a: ProviderChannels['approvals']): string {
  if (!a.asks) return 'never asks';
  if (a.hook && a.screen) return 'hook+screen';
  return a.hook ? 'hook' : a.screen ? 'screen' : 'none';
}

const HEAD = ['provider', 'from', 'installed', 'version', 'approvals', 'turn end', 'resume', 'session id', 'json', 'path'];

function cells(r: ProviderRow): string[] {
  const c = r.channels;
  return [
    r.name,
    r.source,
    r.installed ? 'yes' : 'no',
    r.version ?? '—',
    approvalsText(c.approvals),
    c.turnEnd ?? 'none',
    c.resume ? 'yes' : 'no',
    c.sessionId ?? '—',
    c.json === null ? '?' : c.json ? 'yes' : 'no',
    r.path ?? '—',
  ];
}

/** The table and, below it, what each provider is missing. */
export function renderProvidersTable(rows: ProviderRow[]): string {
  const table = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...table.map((row) => [...row[i]].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length)))
      .join('  ')
      .trimEnd();
  const out = table.map(line);
  const notes = rows.filter((r) => r.missing.length);
  if (notes.length) {
    out.push('', 'missing:');
    for (const r of notes) for (const m of r.missing) out.push(`  ${r.name}: ${m}`);
  }
  out.push(
    '',
    'approvals: hook = asked through the CLI\'s hook (exact command), screen = read off its screen; turn end: how conductor knows a turn is over;',
    'json: --help lists a JSON output mode (? = --help not read). `conductor providers check NAME` starts one and says whether it is ready.',
  );
  return `${out.join('\n')}\n`;
}
