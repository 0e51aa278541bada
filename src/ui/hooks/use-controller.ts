// Everything the App shows and does, in one hook: execution state, UI state, the derived view,
// key routing through the keymap, commands to the runtime, the bell, pane sizes.
import { useApp, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { lineText } from '../../core/screen';
import type { ExecState } from '../../core/state';
import { currentSession, isLiveSession } from '../../core/state';
import type { Command, RuntimeApi } from '../../runtime/api';
import type { BufferAccess } from '../handle-command';
import { handleCommand } from '../handle-command';
import type { Keymap } from '../keymap';
import { DEFAULT_KEYMAP } from '../keymap';
import type { Layout } from '../layout';
import { computeLayout } from '../layout';
import { approvalOverlayRows } from '../components/approval-overlay';
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
}

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
  useApprovalBell(exec.queue, ring);

  const view = deriveView(ui, exec);
  const below = view.asking ? approvalOverlayRows(ui.details) : ui.overlay?.kind === 'confirm' ? confirmRows : ui.mode === 'search' ? 1 : 0;
  const layout = computeLayout({ cols, rows, panes: view.panes.length, zoom: ui.zoom, below, banner: view.banner ? 1 : 0 });

  const paneSizes = view.panes.flatMap((unit, i) => {
    const s = currentSession(exec, unit);
    const rect = layout.panes[i];
    if (!s || !rect || !isLiveSession(s) || ui.overlay?.kind === 'help' || ui.overlay?.kind === 'approvals') return [];
    return [{ session: s.id, cols: rect.width - 2, rows: rect.height - 3, current: { cols: s.cols, rows: s.rows } }];
  });
  usePaneResize(paneSizes, send);

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

  const latest = useRef({ layout, view });
  latest.current = { layout, view };

  const onCommand = useCallback(
    (name: string) => {
      const ui = uiRef.current;
      const exec = runtime.getSnapshot();
      const view = deriveView(ui, exec);
      if (ui.notice) dispatch({ type: 'notice', text: undefined });
      const activeIndex = Math.max(0, view.panes.indexOf(view.activeUnit ?? ''));
      const pageRows = Math.max(1, (latest.current.layout.panes[activeIndex]?.height ?? 4) - 3);
      const out = handleCommand(name, { ui, exec, view, pageRows, buffer });
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
      if (!s || !isLiveSession(s)) {
        dispatch({ type: 'leave-input' });
        dispatch({ type: 'notice', text: 'the session ended; left input mode' });
        return;
      }
      void send({ type: 'input', session: s.id, data } satisfies Command);
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
    onPaste: (text) => {
      const scope = scopeNow();
      if (scope === 'input') forward(text.replace(/\r?\n/g, '\r'));
      else if (scope === 'search') dispatch({ type: 'search-edit', text: text.replace(/[\x00-\x1f\x7f]+/g, ' ') });
    },
  });

  return { exec, ui, view, layout, table, cols };
}

