#!/usr/bin/env bash
# Installs what the test suite needs (first run only) and runs the whole suite.
# Any arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh" test
bash "$ROOT/scripts/install-chromium.sh"
cd "$ROOT"
# The web editor's unit tests (Vitest); its end-to-end tests run in pytest below.
(cd "$ROOT/frontend/editor" && npm ci --no-audit --no-fund --loglevel=error && npx vitest run)
exec "$ROOT/.venv/bin/python" -m pytest "$@"
