#!/usr/bin/env bash
# The main job: the tour of the SDK. Against MATRIXONE_URL when it is set; otherwise against
# mosim (the MatrixOne simulator) started in-process on the local MariaDB.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MATRIXONE_URL:-}" ]; then
    scripts/ensure-mariadb.sh
fi
cargo run --example tour "$@"
