// Writes proof/<exec>/report.md when an execution ends: one table of its units and what they did.
import { relative, dirname } from 'node:path';
import { writeTextAtomic } from '../adapters/store/atomic';
import type { ExecState } from '../core/state';
import type { ExecPaths } from './recorder';
import { duration, STATUS_ICON } from './format';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderReport(state: ExecState, paths: ExecPaths): string {
  const rel = (p: string) => relative(dirname(paths.report), p);
  const lines = [
    `# ${state.kind === 'plan' ? 'Plan' : 'Scenario'}: ${state.goal}`,
    '',
    `- execution: \`${state.exec}\``,
    `- file: \`${state.file}\``,
    `- status: **${state.status}**`,
    `- duration: ${duration((state.finishedAt ?? state.lastTs) - (state.startedAt ?? state.createdAt))}`,
    '',
    `| ${state.kind === 'plan' ? 'step' : 'trial'} | role | provider | status | time | attempts | checks | approvals | transcript |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const id of state.order) {
    const u = state.units[id];
    const approvals = u.sessions.flatMap((s) => state.sessions[s].approvals).map((a) => state.approvals[a]);
    const sess = u.sessions.length ? state.sessions[u.sessions[u.sessions.length - 1]] : undefined;
    const files = sess ? paths.sessionFiles(u.id, sess.agent, sess.attempt) : undefined;
    lines.push(
      `| ${cell(id)} | ${cell(u.agent)} | ${cell(u.provider)} | ${STATUS_ICON[u.status]} ${u.status}${u.reason ? ` (${cell(u.reason)})` : ''} | ${duration(u.finishedAt && u.startedAt ? u.finishedAt - u.startedAt : undefined)} | ${u.attempts} | ${u.checks.map((c) => `${c.status === 'passed' ? '✓' : '✗'} \`${cell(c.run)}\``).join('<br>')} | ${approvals.map((a) => `\`${cell(a.command)}\` → ${a.decision ?? a.status} (${a.by ?? '—'})`).join('<br>')} | ${files ? `[md](${rel(files.transcript)}) · [cast](${rel(files.cast)})` : ''} |`,
    );
  }
  if (state.errors.length) lines.push('', '## Errors', '', ...state.errors.map((e) => `- ${e}`));
  return `${lines.join('\n')}\n`;
}

export function writeReport(path: string, state: ExecState, paths: ExecPaths): void {
  writeTextAtomic(path, renderReport(state, paths));
}
