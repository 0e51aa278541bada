// Sim agent inputs: command-line flags, the SimScript file, and a default session derived from the prompt.
import type { SimAction, SimScript } from '../core/types';

export interface SimArgs {
  promptFile?: string;
  prompt?: string;
  script?: string;
  seed?: number;
  failRate?: number;
  name: string;
}

export function parseArgs(argv: string[]): SimArgs {
  const out: SimArgs = { name: 'agent' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const take = (): string => {
      i++;
      return value ?? '';
    };
    switch (flag) {
      case '--prompt-file':
        out.promptFile = take() || undefined;
        break;
      case '--prompt':
        out.prompt = take() || undefined;
        break;
      case '--script':
        out.script = take() || undefined;
        break;
      case '--seed': {
        const v = take();
        if (v !== '' && Number.isFinite(Number(v))) out.seed = Number(v);
        break;
      }
      case '--fail-rate': {
        const v = take();
        if (v !== '' && Number.isFinite(Number(v))) out.failRate = Math.min(1, Math.max(0, Number(v)));
        break;
      }
      case '--name':
        out.name = take() || out.name;
        break;
      default:
        break;
    }
  }
  return out;
}

/** Accepts a SimScript, `{sim: SimScript}` or a bare action list. */
export function parseScript(json: unknown): SimScript {
  const v = json && typeof json === 'object' && 'sim' in json ? (json as { sim: unknown }).sim : json;
  if (Array.isArray(v)) return { actions: v as SimAction[] };
  if (v && typeof v === 'object' && Array.isArray((v as SimScript).actions)) return v as SimScript;
  throw new Error('script must be {actions: [...]} or a list of actions');
}

/** The task in a generated prompt: its "Task" section, else a leading `task:` line, else the first non-empty line. */
export function taskOf(prompt: string): string {
  const lines = prompt.split('\n').map((l) => l.trim());
  const heading = lines.findIndex((l) => /^#+\s*task\b/i.test(l));
  if (heading >= 0) {
    const next = lines.slice(heading + 1).find((l) => l !== '');
    if (next && !next.startsWith('#')) return next;
  }
  const inline = prompt.split('\n').find((l) => /^(\*\*)?task(\*\*)?\s*:/i.test(l));
  if (inline) {
    const rest = inline.replace(/^(\*\*)?task(\*\*)?\s*:\s*/i, '').trim();
    if (rest) return rest;
  }
  return lines.find((l) => l !== '' && !l.startsWith('#')) ?? lines.find((l) => l !== '') ?? '';
}

/** Relative file paths listed under an "expected outputs" heading or label in the prompt. */
export function expectedOutputsOf(prompt: string): string[] {
  const lines = prompt.split('\n');
  const start = lines.findIndex((l) => /expected outputs?/i.test(l));
  if (start < 0) return [];
  const out: string[] = [];
  const sameLine = lines[start].split(/expected outputs?\s*:?/i)[1] ?? '';
  for (const tok of sameLine.split(/[,\s]+/)) if (isRelPath(clean(tok))) out.push(clean(tok));
  for (const l of lines.slice(start + 1)) {
    const m = /^\s*(?:[-*]|\d+\.)\s+(.+)$/.exec(l);
    if (!m) {
      if (l.trim() === '' && out.length === 0) continue;
      break;
    }
    const p = clean(m[1].split(/\s+[-–—:(]\s*|\s+/)[0]);
    if (isRelPath(p)) out.push(p);
  }
  return [...new Set(out)];
}

const clean = (s: string): string => s.replace(/^[`'"*]+|[`'"*,.;:]+$/g, '');
const isRelPath = (p: string): boolean =>
  /^[\w.@-][\w./@-]*$/.test(p) && !p.startsWith('/') && !p.split('/').includes('..') && /[./]/.test(p);

/** A short plausible session for a prompt when no script is given. */
export function defaultScript(prompt: string): SimScript {
  const task = taskOf(prompt) || 'the task';
  const short = task.length > 100 ? `${task.slice(0, 97)}...` : task;
  const outputs = expectedOutputsOf(prompt);
  const files = outputs.length ? outputs : ['NOTES.md'];
  const actions: SimAction[] = [
    { say: `I'll work on: ${short}` },
    { think: 'Reading the workspace', ms: 400 },
    { run: 'ls', ask: false },
    { think: 'Planning the change', ms: 300 },
    ...files.map((path) => ({ write: { path, content: fileContent(path, task) } })),
    { say: `Done. ${files.length === 1 ? `Wrote ${files[0]}.` : `Wrote ${files.length} files.`}` },
  ];
  return { actions };
}

function fileContent(path: string, task: string): string {
  if (/\.json$/i.test(path)) return `${JSON.stringify({ task, by: 'sim' }, null, 2)}\n`;
  if (/\.(md|txt)$/i.test(path) || !/\.\w+$/.test(path)) return `# Notes\n\nTask: ${task}\n\nWritten by the sim agent.\n`;
  return `// Written by the sim agent for: ${task.replace(/\n/g, ' ')}\n`;
}
