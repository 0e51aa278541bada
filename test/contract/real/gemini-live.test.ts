// Contract: the gemini preset against the real Gemini CLI, driven offline by a loopback Gemini API mock.
import { gemini } from '../../../src/adapters/providers/gemini';
import { describeLiveContract } from './live-harness';
import { startMockGeminiServer } from './mock-gemini-server';
import { geminiSetup } from './setups';

describeLiveContract({ def: gemini, startMock: startMockGeminiServer, finalText: 'Done: the command ran.', setup: geminiSetup });
