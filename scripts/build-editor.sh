#!/usr/bin/env bash
# Builds the web editor (frontend/editor) into frontend/editor/dist, which is committed so
# that serving Cairn needs no npm. Needs Node 20.19+ and npm. Run it after changing the
# editor's sources, then commit dist/. `--test` also runs the editor's unit tests (vitest).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/frontend/editor"
command -v npm >/dev/null 2>&1 || { echo "npm is needed to build the editor (install Node.js 20.19 or newer)" >&2; exit 1; }
npm ci --no-audit --no-fund
if [ "${1:-}" = "--test" ]; then
  npx vitest run
fi
npm run build
