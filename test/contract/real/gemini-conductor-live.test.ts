// Live contract: conductor run, resume and tui with the real Gemini CLI (approvals on the screen, turn ends
// through its AfterAgent hook where it can run hooks).
import { describeConductorLive } from './conductor-live';
import { startMockGeminiServer } from './mock-gemini-server';
import { geminiSetup } from './setups';

describeConductorLive({ name: 'gemini', startMock: startMockGeminiServer, setup: (dirs, mock) => geminiSetup(dirs, mock) });
