// `conductor tui [FILE] [--resume ID]`: opens (or picks) an execution and runs the full-screen UI on it.
// ci-env must be evaluated before anything loads ink or chalk (see src/ui/ci-env.ts).
import '../ui/ci-env';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import { resolveConfig } from '../adapters/input/config';
import { listExecutions } from '../adapters/store/paths';
import { runPicker, runTui, type PickerItem } from '../ui/run-tui';
import { applyKeymapOverrides, DEFAULT_KEYMAP } from '../ui/keymap';
import { themeNamed } from '../ui/theme';
import { UNFINISHED_EXEC_STATUSES } from '../core/state';
import { parse as parseYaml } from 'yaml';
import { readLanesChanges } from '../adapters/workspace/lanes';
import { InputError, openNew, openResume, outputRoots, type OpenFlags } from './open-execution';


/** Plans and scenarios under plans/, then executions that can be resumed. */
export function pickerItems(cwd: string, roots: { proof: string; trace: string }): PickerItem[] {
  const items: PickerItem[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(join(cwd, 'plans')).filter((f) => /\.(plan|scenario)\.(ya?ml|json)$/.test(f) || /\.json$/.test(f));
  } catch {
    files = [];
  }
  for (const f of files.sort()) {
    const compared = comparedProviders(join(cwd, 'plans', f));
    items.push({ kind: /\.scenario\./.test(f) ? 'scenario' : 'plan', file: join('plans', f), label: join('plans', f), ...(compared ? { detail: `compare: ${compared.join(', ')}` } : {}) });
  }
  for (const e of listExecutions(roots)) {
    if (!UNFINISHED_EXEC_STATUSES.includes(e.status)) continue;
    items.push({ kind: 'execution', exec: e.exec, file: e.file, label: e.exec, detail: e.goal, status: e.status });
  }
  return items;
}

/** The providers a plan compares (its top-level `providers:` of two or more), for the picker; nothing when unreadable. */
function comparedProviders(file: string): string[] | undefined {
  try {
    const doc: unknown = parseYaml(readFileSync(file, 'utf8'));
    const list = doc && typeof doc === 'object' ? (doc as { providers?: unknown }).providers : undefined;
    return Array.isArray(list) && list.length >= 2 && list.every((p) => typeof p === 'string') ? (list as string[]) : undefined;
  } catch {
    return undefined;
  }
}

const FINISHED_EXEC_STATUSES: readonly string[] = ['passed', 'failed', 'cancelled'];

export async function tuiCommand(o: { file?: string; resume?: string; flags: OpenFlags; cwd: string }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new InputError('conductor tui needs a terminal: stdin and stdout must be a TTY (in CI or a pipe, use `conductor run FILE`)');
  }
  const cfg = await resolveConfig({ cwd: o.cwd });
  if (!cfg.ok) throw InputError.fromDiagnostics(cfg.diagnostics);
  const keymap = applyKeymapOverrides(DEFAULT_KEYMAP, cfg.value.keymap);
  if ('errors' in keymap) throw new InputError(keymap.errors[0], keymap.errors);

  let file = o.file;
  let resume = o.resume;
  if (!file && !resume) {
    const picked = await runPicker({ items: pickerItems(o.cwd, outputRoots(cfg.value, o.cwd, o.flags.out)) });
    if (!picked) return 0;
    if (picked.kind === 'execution') resume = picked.exec;
    else file = picked.file;
  }
  const opened = resume ? await openResume(resume, { cwd: o.cwd, flags: o.flags, interactive: true }) : await openNew(file!, { cwd: o.cwd, flags: o.flags, interactive: true });
  const { runtime } = opened;
  // A comparison is settled (each lane's changes recorded, report rewritten) each time the execution finishes
  // while the UI is open; the comparison view reads the changes once that is done. Its git worktrees stay
  // while a person may still retry a step in them, and go when the UI quits.
  let settled: { at: number | undefined; done: Promise<void> } | undefined;
  const settleIfFinished = (): Promise<void> | undefined => {
    const state = runtime.getSnapshot();
    if (!state.lanes?.length || !FINISHED_EXEC_STATUSES.includes(state.status)) return undefined;
    if (!settled || settled.at !== state.finishedAt) {
      const done = opened.settle(state, { keepWorktrees: true }).catch((err: unknown) => {
        opened.notices.push(`the lanes' changes were not recorded: ${err instanceof Error ? err.message : String(err)}`);
      });
      settled = { at: state.finishedAt, done };
    }
    return settled.done;
  };
  const unsubscribe = runtime.subscribe(() => void settleIfFinished());
  const loadCompare = async () => {
    const lanes = runtime.getSnapshot().lanes ?? [];
    const pending = settleIfFinished();
    // Before the execution finishes nothing is recorded for this run: the view shows the figures so far.
    if (!pending) return {};
    await pending;
    return readLanesChanges(lanes, opened.paths.laneChanges);
  };
  try {
    if (UNFINISHED_EXEC_STATUSES.includes(runtime.getSnapshot().status)) runtime.start();
    const end = await runTui({ runtime, bell: cfg.value.bell, keymap: keymap.table, theme: themeNamed(cfg.value.theme), resumeHint: false, loadCompare });
    unsubscribe();
    await settled?.done;
    for (const n of opened.notices) process.stderr.write(`conductor: ${n}\n`);
    await runtime.quit(end.signal ? `${end.signal} received` : 'quit by user');
    const final = await runtime.done();
    if (final.lanes?.length && FINISHED_EXEC_STATUSES.includes(final.status)) {
      await opened.settle(final).catch((err: unknown) => process.stderr.write(`conductor: the lanes' worktrees were not removed: ${err instanceof Error ? err.message : String(err)}\n`));
    }
    const rel = relative(o.cwd, opened.paths.proofDir) || '.';
    process.stdout.write(`${final.exec}: ${final.status}  (proof: ${rel})\n`);
    if (final.status === 'interrupted') process.stdout.write(`continue with: conductor tui --resume ${final.exec}\n`);
    if (end.signal) return 128 + constants.signals[end.signal];
    return final.status === 'passed' ? 0 : final.status === 'interrupted' ? 0 : 1;
  } finally {
    unsubscribe();
    opened.release();
  }
}
