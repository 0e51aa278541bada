// The seam between a session adapter and an agent CLI's structured channel: the CLI runs `conductor hook`
// (installed for one session through argv and env), which asks the running conductor over a local
// socket; the session adapter sees what the hooks report as HookEvents and answers approval requests.
import type { Decision, ProviderDef } from '../../core/types';

export type HookEvent =
  /** The CLI asks to run a tool (exact command from the hook payload); answer with `answer(key, …)`. */
  | { type: 'approval'; key: string; command: string; tool: string; options: Decision[] }
  /** The request closed without an answer (the CLI gave up on it or was stopped). */
  | { type: 'approval-closed'; key: string }
  /** The agent's turn ended; `message` is its last message when the hook gives it. */
  | { type: 'turn-ended'; message?: string }
  /** The CLI's own session id. */
  | { type: 'session'; id: string }
  /** The CLI's own transcript file (e.g. Claude's transcript_path), to render the session's transcript from. */
  | { type: 'transcript'; path: string }
  /** Token usage and cost so far, when the CLI reports them. */
  | { type: 'usage'; tokens?: number; cost?: number };

export interface HookLink {
  /** Arguments put before the provider's own (hook settings, config overrides). */
  readonly args: string[];
  /** Environment for the CLI (and so for the hooks it runs): the socket, the session, a token. */
  readonly env: Record<string, string>;
  onEvent(cb: (e: HookEvent) => void): void;
  /** Answer a pending approval request (an unknown or closed key is ignored). */
  answer(key: string, decision: Decision): void;
  /** Stop listening for this session; pending requests are answered deny. */
  close(): void;
}

/** Makes the link for one session, or undefined when the provider has no hooks (or they are turned off). */
export type HookLinker = (o: { session: string; provider: ProviderDef; workspace: string; agentSession?: string }) => Promise<HookLink | undefined>;
