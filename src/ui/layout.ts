// Screen geometry from the terminal size: board width, pane rectangles, what fits at small sizes.

export interface Rect {
  width: number;
  height: number;
}

export interface LayoutInput {
  cols: number;
  rows: number;
  panes: number;
  zoom: boolean;
  /** Rows taken under the panes by the approval overlay, a prompt or a dialog. */
  below: number;
  /** Rows taken by a banner above the footer. */
  banner: number;
  /** A comparison's lanes: panes go side by side as long as each keeps 40 columns. */
  lanes?: boolean;
}

/** The narrowest a lane's pane gets before lanes stack. */
const LANE_MIN_WIDTH = 40;

export interface Layout {
  /** Ink re-clears the whole terminal when a frame is as tall as the screen, so frames stay one row short. */
  height: number;
  headerRows: number;
  board: Rect | undefined;
  paneArea: Rect;
  /** Panes per row of the grid. */
  gridCols: number;
  panes: Rect[];
}

export function computeLayout(i: LayoutInput): Layout {
  const cols = Math.max(20, i.cols);
  const height = Math.max(6, i.rows - 1);
  const headerRows = height >= 30 ? 2 : 1;
  const footerRows = 1;
  const bodyRows = Math.max(3, height - headerRows - footerRows - i.banner);
  const boardWidth = i.zoom || cols < 60 ? 0 : cols >= 160 ? 40 : cols >= 110 ? 36 : 30;
  const board = boardWidth ? { width: boardWidth, height: bodyRows } : undefined;
  const paneArea = { width: cols - boardWidth, height: Math.max(3, bodyRows - i.below) };
  const n = Math.max(1, i.zoom ? 1 : i.panes);
  const sideBySide = n === 2 && paneArea.width >= 120;
  const gridCols = i.lanes && n >= 2 ? Math.max(1, Math.min(n === 4 ? 2 : n, Math.floor(paneArea.width / LANE_MIN_WIDTH))) : n === 1 ? 1 : n === 2 ? (sideBySide ? 2 : 1) : 2;
  const gridRows = Math.ceil(n / gridCols);
  const panes: Rect[] = [];
  for (let k = 0; k < n; k++) {
    const row = Math.floor(k / gridCols);
    const inRow = row === gridRows - 1 ? n - row * gridCols : gridCols;
    const col = k % gridCols;
    const w = Math.floor(paneArea.width / inRow) + (col === inRow - 1 ? paneArea.width % inRow : 0);
    const h = Math.floor(paneArea.height / gridRows) + (row === gridRows - 1 ? paneArea.height % gridRows : 0);
    panes.push({ width: w, height: h });
  }
  return { height, headerRows, board, paneArea, gridCols, panes };
}
