// Contract: the gemini preset against the real Gemini CLI, driven offline by a loopback Gemini API mock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gemini } from '../../../src/adapters/providers/gemini';
import { baseEnv, describeLiveContract } from './live-harness';
import { startMockGeminiServer } from './mock-gemini-server';

describeLiveContract({
  def: gemini,
  startMock: startMockGeminiServer,
  finalText: 'Done: the command ran.',
  setup(dirs, mock) {
    const config = join(dirs.home, '.gemini');
    mkdirSync(config, { recursive: true });
    writeFileSync(
      join(config, 'settings.json'),
      JSON.stringify({
        security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
        privacy: { usageStatisticsEnabled: false },
        telemetry: { enabled: false },
        general: { disableAutoUpdate: true, disableUpdateNag: true },
        ide: { enabled: false, hasSeenNudge: true },
      }),
    );
    return {
      ...baseEnv(dirs),
      GOOGLE_GEMINI_BASE_URL: mock.url,
      GEMINI_API_KEY: 'conductor-contract-test-key',
      GEMINI_CLI_NO_RELAUNCH: 'true',
    };
  },
});
