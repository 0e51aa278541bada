// Contract: the codex preset against the real Codex CLI, driven offline by a loopback Responses API mock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codex } from '../../../src/adapters/providers/codex';
import { baseEnv, describeLiveContract } from './live-harness';
import { startMockCodexServer } from './mock-codex-server';

describeLiveContract({
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
});
