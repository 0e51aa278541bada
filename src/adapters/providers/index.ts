// Built-in provider presets and the provider adapter's public surface.
import type { ProviderDef } from '../../core/types';
import { aider } from './aider';
import { claude } from './claude';
import { codex } from './codex';
import { copilot } from './copilot';
import { gemini } from './gemini';
import { shell } from './shell';
import { sim } from './sim';

export const builtinProviders: Record<string, ProviderDef> = { sim, shell, claude, codex, gemini, copilot, aider };

export { sim, shell, claude, codex, gemini, copilot, aider };
export { resolveArgv } from './argv';
export type { ArgvContext, ResolvedArgv } from './argv';
export { createApprovalDetector, matchPrompt, cleanCommand, extractOptions, promptKey } from './detector';
export type { ApprovalDetector, ApprovalPrompt, CommandLayout, DetectorEvent, DetectorOptions } from './detector';
export { joinWrappedRows } from './rejoin';
export { probeProvider } from './probe';
export type { ProbeResult, ProbeOptions } from './probe';
