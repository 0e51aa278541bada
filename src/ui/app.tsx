// The full-screen layout: header, board beside the panes, overlays under the panes, help bar.
// Layout only; behaviour lives in hooks/use-controller.
import { Box } from 'ink';
import { countUnits } from '../core/state';
import type { ApprovalState, ExecState } from '../core/state';
import type { RuntimeApi } from '../runtime/api';
import { ApprovalOverlay } from './components/approval-overlay';
import { ApprovalsList } from './components/approvals-list';
import { ApprovalBanner, InputEndedBanner } from './components/banner';
import { CompareView } from './components/compare-view';
import { ConfirmDialog } from './components/confirm-dialog';
import { Header } from './components/header';
import { HelpBar } from './components/help-bar';
import { HelpOverlay } from './components/help-overlay';
import { PaneArea } from './components/pane-area';
import { SearchPrompt } from './components/search-prompt';
import { StepBoard } from './components/step-board';
import { TrialBoard } from './components/trial-board';
import { TrialBreakdown } from './components/trial-breakdown';
import { useController, type CompareLoader } from './hooks/use-controller';
import { displayKey } from './key-names';
import type { Keymap } from './keymap';
import { COMPARE_COMMANDS, keysOf, SCENARIO_COMMANDS } from './keymap';
import type { Theme } from './theme';
import { DEFAULT_THEME } from './theme';
import { approvalList, identicalPending } from './view';

const PLAN_OMIT: ReadonlySet<string> = new Set(SCENARIO_COMMANDS);
const COMPARE_OMIT: ReadonlySet<string> = new Set(COMPARE_COMMANDS);
const PLAN_COMPARE_OMIT: ReadonlySet<string> = new Set([...SCENARIO_COMMANDS, ...COMPARE_COMMANDS]);

export interface AppProps {
  runtime: RuntimeApi;
  keymap?: Keymap;
  theme?: Theme;
  bell?: boolean | (() => void);
  onQuit?: (exec: ExecState) => void;
  now?: () => number;
  follow?: boolean;
  /** A comparison: reads what each lane changed (see ControllerOptions.loadCompare). */
  loadCompare?: CompareLoader;
}

export function App(props: AppProps) {
  const theme = props.theme ?? DEFAULT_THEME;
  const { exec, ui, view, layout, table, cols, helpOmit, commandRows, compare } = useController(props);
  const Board = exec.kind === 'scenario' ? TrialBoard : StepBoard;
  const area = layout.paneArea;
  const sameOf = (a: ApprovalState) => {
    const same = identicalPending(view, a);
    return { count: same.length, providers: same.map((x) => exec.units[x.unit]?.lane).filter((l): l is string => Boolean(l)) };
  };
  return (
    <Box flexDirection="column" width={cols} height={layout.height}>
      <Header
        kind={exec.kind}
        goal={exec.goal}
        exec={exec.exec}
        status={exec.status}
        held={exec.held && (exec.status === 'running' || exec.status === 'created')}
        startedAt={exec.startedAt}
        finishedAt={exec.finishedAt}
        counts={countUnits(exec)}
        width={cols}
        rows={layout.headerRows}
        theme={theme}
        now={props.now}
      />
      <Box flexDirection="row" flexGrow={1}>
        {layout.board ? (
          <Board exec={exec} selected={ui.selected} focused={ui.focus === 'board' && ui.mode === 'normal'} width={layout.board.width} height={layout.board.height} theme={theme} now={props.now} />
        ) : null}
        <Box flexDirection="column" width={area.width}>
          {ui.overlay?.kind === 'help' ? (
            <HelpOverlay table={table} width={area.width} height={area.height} theme={theme} omit={exec.kind === 'scenario' ? (exec.lanes?.length ? undefined : COMPARE_OMIT) : exec.lanes?.length ? PLAN_OMIT : PLAN_COMPARE_OMIT} />
          ) : ui.overlay?.kind === 'compare' ? (
            <CompareView
              lines={compare}
              scroll={ui.overlay.scroll}
              live={!['passed', 'failed', 'cancelled'].includes(exec.status)}
              closeKey={displayKey(keysOf(table, 'compare-close')[0] ?? 'esc')}
              width={area.width}
              height={area.height}
              theme={theme}
            />
          ) : ui.overlay?.kind === 'approvals' ? (
            <ApprovalsList laneOf={(u) => exec.units[u]?.lane} items={approvalList(exec, ui.decided)} decidedHere={ui.decided} index={ui.overlay.index} width={area.width} height={area.height} theme={theme} />
          ) : ui.breakdown && exec.kind === 'scenario' && !view.asking ? (
            <TrialBreakdown exec={exec} selected={ui.selected} width={area.width} height={area.height} theme={theme} />
          ) : (
            <PaneArea runtime={props.runtime} exec={exec} ui={ui} panes={view.panes} highlighted={view.highlighted} rects={layout.panes} gridCols={layout.gridCols} theme={theme} />
          )}
          {view.asking ? (
            <ApprovalOverlay
              approval={view.asking}
              exec={exec}
              position={view.askable.indexOf(view.asking) + 1}
              total={view.askable.length}
              details={ui.details}
              scroll={view.askingScroll}
              commandRows={commandRows}
              width={area.width}
              table={table}
              theme={theme}
              now={props.now}
              same={sameOf(view.asking)}
              allMode={ui.allFor === view.asking.id}
            />
          ) : ui.overlay?.kind === 'confirm' ? (
            <ConfirmDialog confirm={ui.overlay.confirm} exec={exec.exec} width={area.width} theme={theme} />
          ) : ui.mode === 'search' && ui.search ? (
            <SearchPrompt draft={ui.search.draft} width={area.width} theme={theme} />
          ) : null}
        </Box>
      </Box>
      {view.banner ? (
        <ApprovalBanner approval={view.banner} lane={exec.units[view.banner.unit]?.lane} waiting={view.pending.length} leaveKey={displayKey(keysOf(table, 'leave-input')[0] ?? '')} width={cols} theme={theme} />
      ) : view.inputEnded ? (
        <InputEndedBanner unit={view.inputEnded.unit} leaveKey={displayKey(keysOf(table, 'leave-input')[0] ?? '')} width={cols} theme={theme} />
      ) : null}
      <HelpBar table={table} scope={view.scope} omit={helpOmit} pending={view.pending.length} notice={ui.notice} mode={ui.mode} width={cols} theme={theme} />
    </Box>
  );
}
