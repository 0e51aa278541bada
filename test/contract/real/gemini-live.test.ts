// Contract: the gemini preset against the real Gemini CLI, driven offline by a loopback Gemini API mock.
import { describeLiveContract } from './live-harness';
import { geminiContract } from './contracts';

describeLiveContract(geminiContract);
