// Contract: the claude preset against the real Claude Code CLI, driven offline by a loopback Messages API mock.
import { describeLiveContract } from './live-harness';
import { claudeContract } from './contracts';

describeLiveContract(claudeContract);
