// `conductor tui [FILE] [--resume ID]`: opens (or picks) an execution and runs the full-screen UI on it.
// ci-env must be evaluated before anything loads ink or chalk (see src/ui/ci-env.ts).
import '../ui/ci-env';
import { readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import { resolveConfig } from '../adapters/input/config';
import { listExecutions } from '../adapters/store/paths';
import { runPicker, runTui, type PickerItem } from '../ui/run-tui';
import { applyKeymapOverrides, DEFAULT_KEYMAP } from '../ui/keymap';
import { themeNamed } from '../ui/theme';
import { UNFINISHED_EXEC_STATUSES } from '../core/state';
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
    items.push({ kind: /\.scenario\./.test(f) ? 'scenario' : 'plan', file: join('plans', f), label: join('plans', f) });
  }
  for (const e of listExecutions(roots)) {
    if (!UNFINISHED_EXEC_STATUSES.includes(e.status)) continue;
    items.push({ kind: 'execution', exec: e.exec, file: e.file, label: e.exec, detail: e.goal, status: e.status });
  }
  return items;
}

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
  try {
    if (UNFINISHED_EXEC_STATUSES.includes(runtime.getSnapshot().status)) runtime.start();
    const end = await runTui({ runtime, bell: cfg.value.bell, keymap: keymap.table, theme: themeNamed(cfg.value.theme), resumeHint: false });
    for (const n of opened.notices) process.stderr.write(`conductor: ${n}\n`);
    await runtime.quit(end.signal ? `${end.signal} received` : 'quit by user');
    const final = await runtime.done();
    const rel = relative(o.cwd, opened.paths.proofDir) || '.';
    process.stdout.write(`${final.exec}: ${final.status}  (proof: ${rel})\n`);
    if (final.status === 'interrupted') process.stdout.write(`continue with: conductor tui --resume ${final.exec}\n`);
    if (end.signal) return 128 + constants.signals[end.signal];
    return final.status === 'passed' ? 0 : final.status === 'interrupted' ? 0 : 1;
  } finally {
    opened.release();
  }
}
