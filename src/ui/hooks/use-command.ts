// Sends commands to the runtime; a rejected command becomes a notice instead of a crash.
import { useCallback } from 'react';
import type { Command, RuntimeApi } from '../../runtime/api';

export function useCommand(runtime: RuntimeApi, onError: (message: string) => void): (cmd: Command) => Promise<void> {
  return useCallback(
    (cmd: Command) =>
      runtime.command(cmd).catch((err: unknown) => {
        onError(`${cmd.type}: ${err instanceof Error ? err.message : String(err)}`);
      }),
    [runtime, onError],
  );
}
