// Everything the App shows and does, in one hook: execution state, UI state, the derived view,
// key routing through the keymap, commands to the runtime, the bell, pane sizes.
import { useApp, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { lineText } from '../../core/screen';
import type { ExecState } from '../../core/state';
import { currentSession, isLiveSession } from '../../core/state';
import type { Command, RuntimeApi } from '../../runtime/api';
import type { BufferAccess } from '../handle-command';
import { handleCommand, handlePaste } from '../handle-command';
import { approvalOverlayRows, commandLines, commandWidth, visibleCommandRows } from '../approval-text';
import type { Keymap } from '../keymap';
import { DEFAULT_KEYMAP, SCENARIO_COMMANDS } from '../keymap';
import type { Layout } from '../layout';
import { computeLayout } from '../layout';
import { confirmRows } from '../components/confirm-dialog';
import type { UiAction, UiState } from '../ui-state';
import { initialUiState, uiReduce } from '../ui-state';
import { attentionUnit } from '../view';
import type { View } from '../view';
import { deriveView } from '../view';
import { useApprovalBell } from './use-approval-bell';
import { useCommand } from './use-command';
import { useExecState } from './use-runtime';
import { useKeymapInput } from './use-keymap-input';
import { usePaneResize } from './use-pane-resize';
import { useTerminalSize } from './use-terminal-size';

export interface ControllerOptions {
  runtime: RuntimeApi;
  keymap?: Keymap;
  /** Ring the terminal bell on a new approval: true (default) writes BEL to stdout; a function is called instead. */
  bell?: boolean | (() => void);
  /** Called after `quit` was sent, just before the app exits. */
  onQuit?: (exec: ExecState) => void;
  /** Start with the selection following the step that needs attention (default true). */
  follow?: boolean;
}

export interface Controller {
  exec: ExecState;
  ui: UiState;
  view: View;
  layout: Layout;
  table: Keymap;
  cols: number;
  /** Commands the help bar leaves out because they do nothing now. */
  helpOmit: ReadonlySet<string>;
  /** Command lines the approval overlay shows at once. */
  commandRows: number;
}

const SCROLL_COMMANDS: ReadonlySet<string> = new Set(['approval-scroll-down', 'approval-scroll-up']);
const NO_COMMANDS: ReadonlySet<string> = new Set();

export function useController(o: ControllerOptions): Controller {
  const { runtime } = o;
  const table = o.keymap ?? DEFAULT_KEYMAP;
  const exec = useExecState(runtime);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { cols, rows } = useTerminalSize();

  const uiRef = useRef<UiState>({ ...initialUiState(exec.order[0]), follow: o.follow ?? true });
  const [ui, setUi] = useState(uiRef.current);
  const dispatch = useCallback((a: UiAction) => {
    const next = uiReduce(uiRef.current, a);
    if (next === uiRef.current) return;
    uiRef.current = next;
    setUi(next);
  }, []);
  const notify = useCallback((text: string) => dispatch({ type: 'notice', text }), [dispatch]);
  const send = useCommand(runtime, notify);

  useEffect(() => {
    dispatch({ type: 'sync', order: exec.order, pending: exec.queue, attention: attentionUnit(exec) });
  }, [exec, dispatch]);

  const ring = useMemo(() => (o.bell === false ? undefined : typeof o.bell === 'function' ? o.bell : () => stdout.write('\x07')), [o.bell, stdout]);
  const asking = useMemo(
    () => [...exec.queue, ...Object.values(exec.sessions).flatMap((s) => (s.awaitingInput ? [`input:${s.id}:${s.awaitingInput.since}`] : []))],
    [exec.queue, exec.sessions],
  );
  useApprovalBell(asking, ring);

  const view = deriveView(ui, exec);
  const banner = view.banner || view.inputEnded ? 1 : 0;
  // The pane area before anything is put under it: the overlay fits its width, and leaves the panes 3 rows.
  const open = computeLayout({ cols, rows, panes: view.panes.length, zoom: ui.zoom, below: 0, banner }).paneArea;
  const overlay = view.asking
    ? {
        lines: commandLines(view.asking.command, commandWidth(open.width)).length,
        rows: visibleCommandRows(view.asking, ui.details, open.width, open.height - 3),
        height: approvalOverlayRows(view.asking, ui.details, open.width, open.height - 3),
      }
    : { lines: 0, rows: 0, height: 0 };
  const below = view.asking ? overlay.height : ui.overlay?.kind === 'confirm' ? confirmRows : ui.mode === 'search' ? 1 : 0;
  const layout = computeLayout({ cols, rows, panes: view.panes.length, zoom: ui.zoom, below, banner });
  // The overlay scrolls a command longer than it shows; only then does the help bar offer the keys.
  const scrollOmit = overlay.lines > overlay.rows ? NO_COMMANDS : SCROLL_COMMANDS;
  const helpOmit = useMemo(() => (exec.kind === 'scenario' ? scrollOmit : new Set([...scrollOmit, ...SCENARIO_COMMANDS])), [exec.kind, scrollOmit]);

  // PTYs are sized for the panes the person arranged, with nothing under them: an overlay, a prompt or a
  // banner shortens the drawn pane (it shows the rows nearest the cursor) but never resizes the agent's
  // terminal, so opening an approval does not make the agent redraw the prompt it asks with.
  const sizing = computeLayout({ cols, rows, panes: view.basePanes.length, zoom: ui.zoom, below: 0, banner: 0 });
  const paneSizes = view.basePanes.flatMap((unit, i) => {
    const s = currentSession(exec, unit);
    const rect = sizing.panes[i];
    if (!s || !rect || !isLiveSession(s)) return [];
    return [{ session: s.id, cols: rect.width - 2, rows: rect.height - 3, current: { cols: s.cols, rows: s.rows } }];
  });
  usePaneResize(paneSizes, send);
  // New sessions start at the size of the main pane, not at a default the first resize then changes.
  const main = computeLayout({ cols, rows, panes: 1, zoom: false, below: 0, banner: 0 }).panes[0];
  useEffect(() => {
    if (main) void send({ type: 'pane-size', cols: main.width - 2, rows: main.height - 3 });
  }, [main?.width, main?.height, send]);

  const buffer: BufferAccess = useMemo(
    () => ({
      info: (session) => {
        const snap = runtime.screen(session);
        return snap ? { bufferLength: snap.bufferLength, rows: snap.rows } : undefined;
      },
      lines: (session) => {
        const snap = runtime.screen(session);
        return snap ? runtime.readLines(session, 0, snap.bufferLength).map(lineText) : [];
      },
    }),
    [runtime],
  );

  const latest = useRef({ layout, overlay });
  latest.current = { layout, overlay };

  const onCommand = useCallback(
    (name: string) => {
      const ui = uiRef.current;
      const exec = runtime.getSnapshot();
      const view = deriveView(ui, exec);
      if (ui.notice) dispatch({ type: 'notice', text: undefined });
      const activeIndex = Math.max(0, view.panes.indexOf(view.activeUnit ?? ''));
      const pageRows = Math.max(1, (latest.current.layout.panes[activeIndex]?.height ?? 4) - 3);
      const out = handleCommand(name, { ui, exec, view, pageRows, buffer, commandLines: latest.current.overlay.lines, commandRows: latest.current.overlay.rows });
      for (const a of out.actions) dispatch(a);
      for (const c of out.commands) {
        if (c.type === 'quit') continue;
        void send(c);
      }
      if (out.exit) {
        dispatch({ type: 'notice', text: 'stopping sessions…' });
        void send({ type: 'quit' }).finally(() => {
          o.onQuit?.(runtime.getSnapshot());
          exit();
        });
      }
    },
    [runtime, dispatch, send, buffer, exit, o.onQuit],
  );

  const forward = useCallback(
    (data: string) => {
      const session = uiRef.current.inputSession;
      if (!session) return;
      const s = runtime.getSnapshot().sessions[session];
      // The session ended: input mode stays (the next keys must not become board commands) and the
      // keys go nowhere; the banner says so and names the key that leaves.
      if (!s || !isLiveSession(s)) return;
      void send({ type: 'input', session: s.id, data } satisfies Command);
    },
    [runtime, send],
  );

  const paste = useCallback(
    (text: string) => {
      const ui = uiRef.current;
      const exec = runtime.getSnapshot();
      const out = handlePaste(text, { ui, exec, view: deriveView(ui, exec), bracketedPaste: (s) => runtime.bracketedPaste(s) });
      for (const a of out.actions) dispatch(a);
      for (const c of out.commands) void send(c);
    },
    [runtime, dispatch, send],
  );

  const scopeNow = useCallback(() => deriveView(uiRef.current, runtime.getSnapshot()).scope, [runtime]);
  useKeymapInput({
    scope: scopeNow,
    table,
    onCommand,
    onForward: forward,
    onText: (text, key) => {
      if (key === 'backspace') dispatch({ type: 'search-edit', backspace: true });
      else if (!/[\x00-\x1f\x7f]/.test(text)) dispatch({ type: 'search-edit', text });
    },
    onPaste: paste,
  });

  return { exec, ui, view, layout, table, cols, helpOmit, commandRows: overlay.rows };
}

