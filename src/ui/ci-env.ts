// Keeps the TUI live when `CI` is set but stdout is a terminal. Ink (through `is-in-ci`) and chalk
// (through supports-color) read `CI` once, when they are first evaluated: Ink then renders only the
// final frame and chalk drops colors. This module must be evaluated before either, so it is the
// first import of run-tui.tsx (and the CLI imports run-tui, or this module, before anything that
// imports ink). It hides the variables while they load; run-tui puts them back right after, so
// child processes still see the caller's environment.
const VARS = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
const hidden = new Map<string, string>();

if (process.stdout.isTTY && process.env.CONDUCTOR_TUI_HONOR_CI !== '1') {
  for (const name of VARS) {
    const value = process.env[name];
    if (value !== undefined) {
      hidden.set(name, value);
      delete process.env[name];
    }
  }
}

/** Put back what was hidden (once Ink and chalk are loaded). */
export function restoreCiEnv(): void {
  for (const [name, value] of hidden) process.env[name] = value;
  hidden.clear();
}

