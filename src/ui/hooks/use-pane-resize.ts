// Keeps each visible session's PTY the size of its pane: sends `resize` when the pane changes.
import { useEffect, useRef } from 'react';
import type { Command } from '../../runtime/api';

export interface PaneSize {
  session: string;
  cols: number;
  rows: number;
  /** The size the session last reported, if any. */
  current?: { cols?: number; rows?: number };
}

export function usePaneResize(sizes: PaneSize[], send: (cmd: Command) => unknown): void {
  const sent = useRef(new Map<string, string>());
  const key = sizes.map((s) => `${s.session}:${s.cols}x${s.rows}:${s.current?.cols}x${s.current?.rows}`).join('|');
  useEffect(() => {
    for (const s of sizes) {
      if (s.cols < 2 || s.rows < 1) continue;
      if (s.current?.cols === s.cols && s.current?.rows === s.rows) continue;
      const want = `${s.cols}x${s.rows}`;
      if (sent.current.get(s.session) === want) continue;
      sent.current.set(s.session, want);
      void send({ type: 'resize', session: s.session, cols: s.cols, rows: s.rows });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
