// Live contract: conductor run, resume and tui with the real Codex CLI (approvals and turn ends through its hooks).
import { describeConductorLive } from './conductor-live';
import { startMockCodexServer } from './mock-codex-server';
import { codexSetup } from './setups';

describeConductorLive({ name: 'codex', startMock: startMockCodexServer, setup: (dirs, mock) => codexSetup(dirs, mock) });
