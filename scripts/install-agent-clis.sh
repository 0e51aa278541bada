#!/usr/bin/env bash
# Installs the pinned real agent CLIs (claude, codex, gemini) into .cache/agent-clis for the live contract tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${CONDUCTOR_AGENT_CLIS:-.cache/agent-clis}"
mkdir -p "$dest"
npm install --prefix "$dest" --no-audit --no-fund --save-exact --loglevel=error \
  @anthropic-ai/claude-code@2.1.330 \
  @openai/codex@0.169.0 \
  @google/gemini-cli@0.61.0
ls "$dest/node_modules/.bin"
