#!/usr/bin/env bash
# Installs what Cairn needs (first run only) and serves it on the embedded store.
# Any arguments go to `cairn serve` (see `cairn serve --help`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh" embedded
exec "$ROOT/.venv/bin/cairn" serve "$@"
