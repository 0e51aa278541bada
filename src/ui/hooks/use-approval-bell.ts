// Rings once for each approval that newly enters the queue, and for each agent that starts waiting for the person.
import { useEffect, useRef } from 'react';

export function useApprovalBell(queue: readonly string[], ring: (() => void) | undefined): void {
  const seen = useRef<Set<string> | undefined>(undefined);
  useEffect(() => {
    const before = seen.current;
    seen.current = new Set(queue);
    if (!ring || !before) {
      if (ring && !before && queue.length) ring();
      return;
    }
    if (queue.some((id) => !before.has(id))) ring();
  }, [queue, ring]);
}
