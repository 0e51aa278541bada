// The execution state as a React value: a useSyncExternalStore subscription to the runtime.
import { useCallback, useSyncExternalStore } from 'react';
import type { ExecState } from '../../core/state';
import type { RuntimeApi } from '../../runtime/api';

export function useExecState(runtime: RuntimeApi): ExecState {
  const subscribe = useCallback((listener: () => void) => runtime.subscribe(listener), [runtime]);
  const get = useCallback(() => runtime.getSnapshot(), [runtime]);
  return useSyncExternalStore(subscribe, get, get);
}
