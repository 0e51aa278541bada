// A coarse clock for elapsed times: re-renders its user once a second while `running`.
import { useEffect, useState } from 'react';

export function useClock(running: boolean, now: () => number = Date.now, intervalMs = 1000): number {
  const [t, setT] = useState(now);
  useEffect(() => {
    if (!running) return;
    setT(now());
    const timer = setInterval(() => setT(now()), intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [running, now, intervalMs]);
  return running ? t : now();
}
