#!/usr/bin/env bash
# The test command: a MariaDB for the integration tests, the Python / Node.js / mariadb clients
# mosim's conformance test drives, then every test of the workspace (unit, integration, doc and
# compile-fail tests, mosim's own, the seed end to end on mosim).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-mariadb.sh
scripts/ensure-clients.sh
# Where mosim/tests/clients.rs finds them (it also looks there by default).
export MOSIM_CLIENTS_PYTHON="$PWD/.ci/venv/bin/python"
export MOSIM_CLIENTS_NODE_DIR="$PWD/mosim/conformance/node"
if [ -z "${MATRIXONE_URL:-}" ]; then
    # The only skip in the project, said out loud: tests/live_matrixone.rs needs a real server.
    echo "test.sh: MATRIXONE_URL is not set, so the live MatrixOne suite (tests/live_matrixone.rs) skips;"
    echo "test.sh: everything MatrixOne-specific still runs against mosim on MariaDB."
fi
cargo test --workspace --all-features "$@"
