#!/usr/bin/env bash
# Installs code-server 4.100.3 (a real VS Code 1.100.3) into .e2e/ from the npm registry,
# with the offline-safe script in ../shared/e2e/. Needs (Debian): chromium build-essential
# pkg-config python3 libkrb5-dev ripgrep neovim (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED_DIR:-$(cd .. && pwd)/shared}"
TARGET="$PWD/.e2e/code-server"
if [ ! -x "$TARGET/node_modules/.bin/code-server" ]; then
  mkdir -p "$TARGET"
  sh "$SHARED/e2e/install-code-server.sh" "$TARGET" > .e2e/install.log 2>&1 || { tail -30 .e2e/install.log; exit 1; }
fi
"$TARGET/node_modules/.bin/code-server" --version | head -1
