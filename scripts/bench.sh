#!/usr/bin/env bash
# The benchmarks of issue 11 in one run, on the local MariaDB (127.0.0.1:3306, root, database
# `test`): the SDK against raw sqlx (criterion, benches/roundtrip.rs), against the C client
# (mariadb-slap) and against the Python SDK (scripts/bench_python_sdk.py in a venv under
# target/), then every ratio with a PASS/MISS mark (scripts/bench_ratios.py).
#
# Not part of the tests, and CI does not run it: the figures depend on the machine and its load.
# About 3 minutes once built (the first build takes longer); BENCH_TIME_SCALE=0.2 shortens
# every measurement for a quick check.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/bench
VENV=$ROOT/target/bench-venv
REQUIREMENTS=$ROOT/scripts/bench-python-requirements.txt
SCALE=${BENCH_TIME_SCALE:-1}
export DATABASE_URL=mysql://root@127.0.0.1:3306/test
mysql_cli() { mariadb -uroot -h127.0.0.1 -P3306 test "$@"; }
scaled() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); print (v < 1000 ? 1000 : v) }'; }

scripts/ensure-mariadb.sh
command -v mariadb-slap >/dev/null || { echo "bench.sh: mariadb-slap is missing (apt-get install mariadb-client)" >&2; exit 1; }
mkdir -p "$OUT"

# The Python SDK, pinned; installed again only when the pins change.
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! cmp -s "$REQUIREMENTS" "$VENV/.installed-requirements"; then
    echo "bench.sh: installing the Python SDK into $VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
    cp "$REQUIREMENTS" "$VENV/.installed-requirements"
fi

echo "bench.sh: building the benchmark"
cargo bench --bench roundtrip --no-run --quiet

# The 100,000-row table every client reads (the criterion bench drops it when it ends).
trap 'mysql_cli -e "DROP TABLE IF EXISTS bench_roundtrip, bench_insert, bench_insert_py, bench_insert_floor" || true' EXIT
mysql_cli -e "DROP TABLE IF EXISTS bench_roundtrip;
    CREATE TABLE bench_roundtrip (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL);
    INSERT INTO bench_roundtrip SELECT seq, CONCAT('name-', seq) FROM seq_1_to_100000;"
STARTED=$(date +%s)

echo "bench.sh: the C client (mariadb-slap), sequential and 8-way"
slap() {
    mariadb-slap -h127.0.0.1 -P3306 -uroot --create-schema=test --iterations=3 \
        --query="SELECT id, name FROM bench_roundtrip WHERE id = 4242" "$@"
}
slap --concurrency=1 --number-of-queries="$(scaled 20000)" >"$OUT/slap_1.txt"
slap --concurrency=8 --number-of-queries="$(scaled 80000)" >"$OUT/slap_8.txt"

echo "bench.sh: the floors: the C client's fetch, the server's own insert"
python3 scripts/bench_floors.py --out "$OUT/floors.json"

echo "bench.sh: the Python SDK (AsyncClient)"
"$VENV/bin/python" scripts/bench_python_sdk.py --scale "$SCALE" --out "$OUT/python_sdk.json"

echo "bench.sh: the Rust SDK and raw sqlx (criterion)"
# Criterion's progress lines left out: its results and warnings stay.
cargo bench --bench roundtrip --quiet -- --noplot | grep -Ev '^(Benchmarking|Found [0-9]+ outliers|  [0-9]+ \()'

echo
echo "Load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (a busy machine makes every figure noisy)."
python3 scripts/bench_ratios.py --since "$STARTED"
