// Contract: the claude preset against the real Claude Code CLI, driven offline by a loopback Messages API mock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claude } from '../../../src/adapters/providers/claude';
import { baseEnv, describeLiveContract } from './live-harness';
import { startMockClaudeServer } from './mock-claude-server';

const API_KEY = 'sk-ant-api03-conductor-contract-test-key-0000000000AA';

describeLiveContract({
  def: claude,
  startMock: startMockClaudeServer,
  finalText: 'Done: the command ran.',
  setup(dirs, mock) {
    mkdirSync(join(dirs.home, '.claude'), { recursive: true });
    writeFileSync(
      join(dirs.home, '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        lastOnboardingVersion: '2.1.330',
        theme: 'dark',
        autoUpdates: false,
        customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] },
        projects: { [dirs.ws]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, allowedTools: [] } },
      }),
    );
    return {
      ...baseEnv(dirs),
      ANTHROPIC_BASE_URL: mock.url,
      ANTHROPIC_API_KEY: API_KEY,
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_ERROR_REPORTING: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
  },
});
