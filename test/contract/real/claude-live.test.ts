// Contract: the claude preset against the real Claude Code CLI, driven offline by a loopback Messages API mock.
import { claude } from '../../../src/adapters/providers/claude';
import { describeLiveContract } from './live-harness';
import { startMockClaudeServer } from './mock-claude-server';
import { claudeSetup } from './setups';

describeLiveContract({ def: claude, startMock: startMockClaudeServer, finalText: 'Done: the command ran.', setup: (dirs, mock) => claudeSetup(dirs, mock) });
