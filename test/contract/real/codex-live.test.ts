// Contract: the codex preset against the real Codex CLI, driven offline by a loopback Responses API mock.
import { codex } from '../../../src/adapters/providers/codex';
import { describeLiveContract } from './live-harness';
import { startMockCodexServer } from './mock-codex-server';
import { codexSetup } from './setups';

describeLiveContract({ def: codex, startMock: startMockCodexServer, finalText: 'Done: the command ran.', setup: codexSetup });
