// The hook protocols conductor speaks, by name (ProviderDef.hooks.protocol).
import { claudeHooks } from './claude';
import { codexHooks } from './codex';
import { geminiHooks } from './gemini';
import type { HookProtocol, ProtocolName } from './protocol';

export const protocols: Record<ProtocolName, HookProtocol> = { claude: claudeHooks, codex: codexHooks, gemini: geminiHooks };

export const isProtocol = (name: unknown): name is ProtocolName => typeof name === 'string' && Object.hasOwn(protocols, name);
