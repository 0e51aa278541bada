// Public surface of the PTY adapter.
export { spawnPtySession, HIGH_WATER, LOW_WATER } from './session';
export type { PtySession, PtySpawnOptions, PtyExit } from './session';
export { createXtermEmulator } from './emulator';
export type { Emulator, EmulatorOptions, Disposable } from './emulator';
export { EndMarkerScanner, wrapperScript, statusToExit } from './end-marker';
