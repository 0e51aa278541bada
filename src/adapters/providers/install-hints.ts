// How to install each known agent CLI, by the executable's name (a variant that runs `claude` gets claude's hint).

const HINTS: Record<string, string> = {
  claude: 'npm i -g @anthropic-ai/claude-code',
  codex: 'npm i -g @openai/codex',
  gemini: 'npm i -g @google/gemini-cli',
  copilot: 'npm i -g @github/copilot',
  aider: 'python -m pip install aider-install && aider-install',
};

/** The install command for an executable, if conductor knows one. */
export function installHint(command: string): string | undefined {
  const base = command.split(/[\\/]/).pop() ?? command;
  return HINTS[base];
}
