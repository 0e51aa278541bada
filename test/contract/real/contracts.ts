// The live contracts of the three real agent CLIs: how to configure each one offline against its loopback mock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claude } from '../../../src/adapters/providers/claude';
import { codex } from '../../../src/adapters/providers/codex';
import { gemini } from '../../../src/adapters/providers/gemini';
import { baseEnv, type LiveContract, type LiveMock } from './live-harness';
import { startMockClaudeServer } from './mock-claude-server';
import { startMockCodexServer } from './mock-codex-server';
import { startMockGeminiServer } from './mock-gemini-server';

const API_KEY = 'sk-ant-api03-conductor-contract-test-key-0000000000AA';
export const claudeContract: LiveContract<LiveMock> = {
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
};

export const codexContract: LiveContract<LiveMock> = {
  def: codex,
  startMock: startMockCodexServer,
  finalText: 'Done: the command ran.',
  setup(dirs, mock) {
    const codexHome = join(dirs.home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(
      join(codexHome, 'config.toml'),
      [
        'model = "mock-model"',
        'model_provider = "mock"',
        'approval_policy = "on-request"',
        'sandbox_mode = "workspace-write"',
        'check_for_update_on_startup = false',
        '[model_providers.mock]',
        'name = "mock"',
        `base_url = "${mock.url}/v1"`,
        'wire_api = "responses"',
        'env_key = "CONDUCTOR_MOCK_API_KEY"',
        'request_max_retries = 0',
        'stream_max_retries = 0',
        // 0.169 otherwise starts an app-server daemon that leaves the process group and outlives the session.
        '[features]',
        'daemon_auto_start = false',
        'in_app_updates = false',
        '[analytics]',
        'enabled = false',
        '[feedback]',
        'enabled = false',
        `[projects.${JSON.stringify(dirs.ws)}]`,
        'trust_level = "trusted"',
        '',
      ].join('\n'),
    );
    return { ...baseEnv(dirs), CODEX_HOME: codexHome, CONDUCTOR_MOCK_API_KEY: 'sk-conductor-contract' };
  },
};

export const geminiContract: LiveContract<LiveMock> = {
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
};
