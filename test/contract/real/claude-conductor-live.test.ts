// Live contract: conductor run, resume and tui with the real Claude Code CLI. The run tests turn the screen
// patterns off, so every approval must come through the PermissionRequest hook; the TUI test turns the
// approval hook off, so approvals must come through the screen.
import { describeConductorLive } from './conductor-live';
import { startMockClaudeServer } from './mock-claude-server';
import { claudeSetup } from './setups';

describeConductorLive({
  name: 'claude',
  startMock: startMockClaudeServer,
  setup: (dirs, mock) => claudeSetup(dirs, mock),
  runConfig: ['approval:', '  patterns: []'],
  // After the person's denial Claude asks what to do instead; a shorter idle time brings that turn end sooner.
  tuiConfig: ['hooks:', '  approvals: false', 'done:', '  idle: 6s'],
});
