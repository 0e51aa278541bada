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
import { COMPARE_COMMANDS, DEFAULT_KEYMAP, SCENARIO_COMMANDS } from '../keymap';
import type { Layout } from '../layout';
import { computeLayout } from '../layout';
import { confirmRows } from '../components/confirm-dialog';
import type { UiAction, UiState } from '../ui-state';
import { initialUiState, uiReduce } from '../ui-state';
import type { View } from '../view';
import { deriveView, MAX_LANE_PANES, syncAction } from '../view';
import { compareRows, diffOfDiffs, type LaneChangesLike } from '../../core/compare';
import { compareViewLines, type CompareLine } from '../compare-lines';
import { compareViewRows } from '../components/compare-view';
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
  /** A comparison: what each lane changed, once recorded (read after the execution finished). */
  loadCompare?: CompareLoader;
}

/** Reads the lanes' recorded changes; the UI itself reads no files. */
export type CompareLoader = () => Promise<Record<string, LaneChangesLike | undefined>>;

/** Execution statuses that end it (a retry can start it again): the comparison view opens on them. */
const FINISHED: readonly string[] = ['passed', 'failed', 'cancelled'];

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
  /** The comparison view's lines, while it is open. */
  compare: CompareLine[];
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
    dispatch(syncAction(exec));
  }, [exec, dispatch]);

  // A comparison opens its view when the execution finishes (again, after a retry).
  const lastStatus = useRef(exec.status);
  useEffect(() => {
    const was = lastStatus.current;
    lastStatus.current = exec.status;
    if (exec.lanes?.length && FINISHED.includes(exec.status) && !FINISHED.includes(was)) dispatch({ type: 'overlay', overlay: { kind: 'compare', scroll: 0 } });
  }, [exec.status, exec.lanes, dispatch]);
  const comparing = ui.overlay?.kind === 'compare';
  const [changes, setChanges] = useState<Record<string, LaneChangesLike | undefined>>({});
  const loadCompare = o.loadCompare;
  useEffect(() => {
    if (!comparing || !loadCompare) return;
    let current = true;
    loadCompare().then(
      (c) => current && setChanges(c),
      (err: unknown) => current && dispatch({ type: 'notice', text: `the lanes' changes could not be read: ${err instanceof Error ? err.message : String(err)}` }),
    );
    return () => {
      current = false;
    };
  }, [comparing, loadCompare, exec.status, exec.finishedAt, dispatch]);
  const compare = useMemo(
    () => (comparing && exec.lanes ? compareViewLines(compareRows(exec, changes), diffOfDiffs(exec.lanes, changes)) : []),
    [comparing, exec, changes],
  );

  const ring = useMemo(() => (o.bell === false ? undefined : typeof o.bell === 'function' ? o.bell : () => stdout.write('\x07')), [o.bell, stdout]);
  const asking = useMemo(
    () => [...exec.queue, ...Object.values(exec.sessions).flatMap((s) => (s.awaitingInput ? [`input:${s.id}:${s.awaitingInput.since}`] : []))],
    [exec.queue, exec.sessions],
  );
  useApprovalBell(asking, ring);

  const view = deriveView(ui, exec);
  // A comparison's split puts its panes side by side while they keep a useful width.
  const lanes = Boolean(exec.lanes?.length);
  const banner = view.banner || view.inputEnded ? 1 : 0;
  // The pane area before anything is put under it: the overlay fits its width, and leaves the panes 3 rows.
  const open = computeLayout({ cols, rows, panes: view.panes.length, zoom: ui.zoom, below: 0, banner, lanes }).paneArea;
  const overlay = view.asking
    ? {
        lines: commandLines(view.asking.command, commandWidth(open.width)).length,
        rows: visibleCommandRows(view.asking, ui.details, open.width, open.height - 3),
        height: approvalOverlayRows(view.asking, ui.details, open.width, open.height - 3),
      }
    : { lines: 0, rows: 0, height: 0 };
  const below = view.asking ? overlay.height : ui.overlay?.kind === 'confirm' ? confirmRows : ui.mode === 'search' ? 1 : 0;
  const layout = computeLayout({ cols, rows, panes: view.panes.length, zoom: ui.zoom, below, banner, lanes });
  // The overlay scrolls a command longer than it shows; only then does the help bar offer the keys.
  const scrollOmit = overlay.lines > overlay.rows ? NO_COMMANDS : SCROLL_COMMANDS;
  const helpOmit = useMemo(
    () => new Set([...scrollOmit, ...(exec.kind === 'scenario' ? [] : SCENARIO_COMMANDS), ...(lanes ? [] : COMPARE_COMMANDS)]),
    [exec.kind, scrollOmit, lanes],
  );

  // PTYs are sized for the panes the person arranged, with nothing under them: an overlay, a prompt or a
  // banner shortens the drawn pane (it shows the rows nearest the cursor) but never resizes the agent's
  // terminal, so opening an approval does not make the agent redraw the prompt it asks with.
  const sizing = computeLayout({ cols, rows, panes: view.basePanes.length, zoom: ui.zoom, below: 0, banner: 0, lanes });
  const paneSizes = view.basePanes.flatMap((unit, i) => {
    const s = currentSession(exec, unit);
    const rect = sizing.panes[i];
    if (!s || !rect || !isLiveSession(s)) return [];
    return [{ session: s.id, cols: rect.width - 2, rows: rect.height - 3, current: { cols: s.cols, rows: s.rows } }];
  });
  usePaneResize(paneSizes, send);
  // New sessions start at the size of the main pane, not at a default the first resize then changes.
  // (A comparison's sessions start at the size of a lane's pane.)
  const laneCount = Math.min(MAX_LANE_PANES, exec.lanes?.length ?? 0);
  const main = computeLayout({ cols, rows, panes: laneCount >= 2 ? laneCount : 1, zoom: false, below: 0, banner: 0, lanes }).panes[0];
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

  const latest = useRef({ layout, overlay, compare: compare.length });
  latest.current = { layout, overlay, compare: compare.length };

  const onCommand = useCallback(
    (name: string) => {
      const ui = uiRef.current;
      const exec = runtime.getSnapshot();
      const view = deriveView(ui, exec);
      if (ui.notice) dispatch({ type: 'notice', text: undefined });
      const activeIndex = Math.max(0, view.panes.indexOf(view.activeUnit ?? ''));
      const pageRows = Math.max(1, (latest.current.layout.panes[activeIndex]?.height ?? 4) - 3);
      const out = handleCommand(name, {
        ui,
        exec,
        view,
        pageRows,
        buffer,
        commandLines: latest.current.overlay.lines,
        commandRows: latest.current.overlay.rows,
        compareLines: latest.current.compare,
        compareRows: compareViewRows(latest.current.layout.paneArea.height),
      });
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

  return { exec, ui, view, layout, table, cols, helpOmit, commandRows: overlay.rows, compare };
}

