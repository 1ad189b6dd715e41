#!/usr/bin/env bash
# The end-to-end suite on its own: a real VS Code (code-server, set up once and cached), the
# packaged VSIX installed into a fresh profile, driven through Chromium. Screenshots, the
# extension's log and the measured numbers (metrics.json) land in test-output/vscode/.
# Usage: scripts/test-vscode.sh        (npm test runs the same suite as part of the whole run)
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
bash scripts/setup-code-server.sh >/dev/null
echo "== code-server ready in $(( $(date +%s) - started )) s"

[ -d node_modules ] || npm ci
npm run package --silent
echo "== VSIX: $(stat -c %s dist/nanguard.vsix) bytes"

NANGUARD_VSIX="$PWD/dist/nanguard.vsix" node --import tsx --test --test-concurrency=1 test/vscode/e2e.test.ts
