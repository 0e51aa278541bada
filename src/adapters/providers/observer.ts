// What a session adapter reads off its agent's screen, as observations: approval prompts (the detector),
// first-run dialogs (trust this folder, use this API key), the idle input prompt that means the turn is
// over, and the text that explains a failed start. Pure: fed snapshots and the time by the caller.
import { logicalLines, type ScreenSnapshot } from '../../core/screen';
import type { AnswerKeys } from '../../core/events';
import type { Decision, ProviderDef, ProviderDialog } from '../../core/types';
import { createApprovalDetector, type ApprovalDetector, type ApprovalPrompt } from './detector';

export type Observation =
  | { type: 'prompt'; prompt: ApprovalPrompt }
  | { type: 'gone'; prompt: ApprovalPrompt }
  | { type: 'dialog'; dialog: ProviderDialog; key: string; text: string }
  | { type: 'dialog-gone'; key: string }
  /** The CLI's input prompt has sat unchanged on screen for the preset's idle time: the turn is over. */
  | { type: 'idle'; question: boolean };

export interface ScreenObserverOptions {
  /** Read approval prompts from the screen (off when a hook asks for them). */
  approvals: boolean;
  /** Read the end of a turn from the screen (off when a hook reports it). */
  idle: boolean;
  /** Substituted into dialog texts. */
  workspace?: string;
}

export interface ScreenObserver {
  /** Feed the current screen and its version (it changes whenever the screen does); call again as time passes. */
  feed(screen: ScreenSnapshot, version: number): Observation[];
  /** Conductor answered the approval prompt on screen (see ApprovalDetector.answered). */
  answered(): void;
  /** Whether something on screen still needs time to pass (a prompt settling or going, an idle wait). */
  readonly busy: boolean;
}

const text = (snap: ScreenSnapshot): string => logicalLines(snap).join('\n');

/** How long a first-run dialog must be on screen before it is reported (and so answered). */
export const DIALOG_SETTLE_MS = 800;

export function createScreenObserver(def: ProviderDef, now: () => number, opts: ScreenObserverOptions): ScreenObserver {
  const detector: ApprovalDetector | undefined = opts.approvals ? createApprovalDetector(def, now) : undefined;
  const dialogs = (def.dialogs ?? []).map((d) => ({ d, re: new RegExp(d.match, 'm') }));
  const idlePattern = opts.idle && def.done.via === 'idle' && def.done.pattern ? new RegExp(def.done.pattern, 'm') : undefined;
  const idleMs = def.done.idleMs ?? 20_000;
  let dialogShown: string | undefined;
  let dialogSeen: { key: string; since: number } | undefined;
  let lastVersion = -1;
  let unchangedSince = now();
  let idleReported = false;

  return {
    get busy() {
      return detector !== undefined || idlePattern !== undefined || dialogs.length > 0;
    },
    answered() {
      detector?.answered();
    },
    feed(screen, version) {
      const out: Observation[] = [];
      const t = now();
      if (version !== lastVersion) {
        lastVersion = version;
        unchangedSince = t;
        idleReported = false;
      }
      if (detector) for (const e of detector.feed(screen)) out.push(e.type === 'prompt' ? { type: 'prompt', prompt: e.prompt } : { type: 'gone', prompt: e.prompt });
      if (dialogs.length) {
        const body = text(screen);
        const hit = dialogs.find((x) => x.re.test(body));
        const key = hit ? `dialog:${hit.d.kind}` : undefined;
        if (dialogShown && dialogShown !== key) {
          out.push({ type: 'dialog-gone', key: dialogShown });
          dialogShown = undefined;
        }
        // A dialog counts once it has stood still for a moment: a CLI draws its dialog before it listens for
        // keys, and an answer typed into that gap is lost (or, worse, lands on the default choice).
        if (key !== dialogSeen?.key) dialogSeen = key ? { key, since: t } : undefined;
        if (hit && key && dialogShown !== key && t - dialogSeen!.since >= DIALOG_SETTLE_MS && t - unchangedSince >= DIALOG_SETTLE_MS / 2) {
          dialogShown = key;
          out.push({ type: 'dialog', dialog: hit.d, key, text: hit.d.text.replaceAll('{workspace}', opts.workspace ?? 'this folder') });
        }
      }
      if (idlePattern && !idleReported && !detector?.current && !dialogShown && t - unchangedSince >= idleMs) {
        const body = text(screen);
        const m = idlePattern.exec(body);
        if (m) {
          idleReported = true;
          out.push({ type: 'idle', question: asksAbove(body.slice(0, m.index)) });
        }
      }
      return out;
    },
  };
}

/**
 * Whether the last thing said above the CLI's input prompt is a question ("⎿ Interrupted · What should Claude
 * do instead?", an agent's closing question): rules, blank lines and the tree and bullet marks are skipped.
 */
function asksAbove(before: string): boolean {
  const lines = before.split('\n').map((l) => l.replace(/^[\s│┃|⎿●•·>*-]+/u, '').replace(/[\s│┃|]+$/u, ''));
  const last = lines.reverse().find((l) => l !== '' && !/^[─━═—_\s]+$/u.test(l));
  return !!last && /\?$/.test(last);
}

/** The answer keys of a dialog, for a person typing into the pane. */
export const dialogAnswers = (d: ProviderDialog): AnswerKeys => ({ [d.keys.allow]: 'allow', [d.keys.deny]: 'deny' });

export const DIALOG_OPTIONS: Decision[] = ['allow', 'deny'];

/** What the CLI's last screen says went wrong, from the provider's failure patterns. */
export function failureHint(def: ProviderDef, finalText: string): string | undefined {
  for (const f of def.failures ?? []) if (new RegExp(f.match, 'm').test(finalText)) return f.reason;
  return undefined;
}
