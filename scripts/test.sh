#!/usr/bin/env bash
# Installs what the test suite needs (first run only) and runs the whole suite.
# Any arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh" test
bash "$ROOT/scripts/install-chromium.sh"
cd "$ROOT"
exec "$ROOT/.venv/bin/python" -m pytest "$@"
