// The live contracts of the three real agent CLIs: each preset with its loopback mock and its offline set-up.
import { claude } from '../../../src/adapters/providers/claude';
import { codex } from '../../../src/adapters/providers/codex';
import { gemini } from '../../../src/adapters/providers/gemini';
import type { LiveContract, LiveMock } from './live-harness';
import { startMockClaudeServer } from './mock-claude-server';
import { startMockCodexServer } from './mock-codex-server';
import { startMockGeminiServer } from './mock-gemini-server';
import { claudeSetup, codexSetup, geminiSetup } from './setups';

const finalText = 'Done: the command ran.';
export const claudeContract: LiveContract<LiveMock> = { def: claude, startMock: startMockClaudeServer, finalText, setup: (dirs, mock) => claudeSetup(dirs, mock) };
export const codexContract: LiveContract<LiveMock> = { def: codex, startMock: startMockCodexServer, finalText, setup: (dirs, mock) => codexSetup(dirs, mock) };
export const geminiContract: LiveContract<LiveMock> = { def: gemini, startMock: startMockGeminiServer, finalText, setup: (dirs, mock) => geminiSetup(dirs, mock) };
