#!/usr/bin/env bash
# The test command: a MariaDB for the integration tests, then every test of the workspace
# (unit, integration, doc and compile-fail tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-mariadb.sh
cargo test --workspace --all-features "$@"
