// Contract: the codex preset against the real Codex CLI, driven offline by a loopback Responses API mock.
import { describeLiveContract } from './live-harness';
import { codexContract } from './contracts';

describeLiveContract(codexContract);
