// The host terminal's size, following resizes.
import { useStdout } from 'ink';
import { useLayoutEffect, useState } from 'react';

export interface Size {
  cols: number;
  rows: number;
}

export function useTerminalSize(fallback: Size = { cols: 80, rows: 24 }): Size {
  const { stdout } = useStdout();
  const read = (): Size => ({ cols: stdout.columns || fallback.cols, rows: stdout.rows || fallback.rows });
  const [size, setSize] = useState(read);
  useLayoutEffect(() => {
    const onResize = () => setSize((prev) => {
      const next = read();
      return next.cols === prev.cols && next.rows === prev.rows ? prev : next;
    });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
