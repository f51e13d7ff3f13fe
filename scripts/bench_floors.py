#!/usr/bin/env python3
"""Measures what no client can go below on this machine, for the rows of issue 11's goals where
the server does most of the work, and writes them as JSON (nanoseconds per operation, medians):

- fetch_100k: the C client (`mariadb --quick`, rows written to /dev/null) reading the
  100,000-row table `bench_roundtrip`, less the same client's time for `SELECT 1` (its start-up);
- insert_100k: the server alone writing the same 100,000 rows (`INSERT .. SELECT` from the
  SEQUENCE engine into an empty table: no client, no values on the wire), less `SELECT 1`;
- insert_100k_c_client (not a floor; the C client's figure for the insert): the C client
  (`mariadb`, statements read from a file) writing the same rows as insert_many sends them,
  in 5,000-row INSERTs (10,000 values each) in one transaction, with the values as text, less
  `SELECT 1`. It tells how much of the gap to the floor is the server reading values.

The point selects' floor is mariadb-slap's time, measured by scripts/bench.sh. A speed-up over
the Python SDK larger than (Python SDK time / floor) is out of any client's reach.

Run by scripts/bench.sh; alone: python3 scripts/bench_floors.py --out floors.json
"""
import argparse
import json
import statistics
import subprocess
import tempfile
import time

CLI = ["mariadb", "-uroot", "-h127.0.0.1", "-P3306", "--quick", "-B", "-N", "test"]
TABLE = "bench_insert_floor"


def timed(sql):
    start = time.perf_counter()
    if isinstance(sql, str):
        subprocess.run(CLI + ["-e", sql], check=True, stdout=subprocess.DEVNULL)
    else:
        subprocess.run(CLI, stdin=sql, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_ns(rounds, sql, before=None):
    """`sql`: a statement, or an open file of statements (read from the start each round)."""
    times = []
    for _ in range(rounds):
        if before:
            subprocess.run(CLI + ["-e", before], check=True)
        if not isinstance(sql, str):
            sql.seek(0)
        times.append(timed(sql))
    return statistics.median(times) * 1e9


def insert_script(rows=100_000, per_statement=5_000):
    """The rows of the insert bench as text INSERTs of `per_statement` rows in one transaction."""
    script = tempfile.TemporaryFile("w+b")
    script.write(b"BEGIN;\n")
    for first in range(1, rows + 1, per_statement):
        values = ", ".join(f"({i}, 'name-{i}')" for i in range(first, min(first + per_statement, rows + 1)))
        script.write(f"INSERT INTO {TABLE} (id, name) VALUES {values};\n".encode())
    script.write(b"COMMIT;\n")
    script.flush()
    return script


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    start_up = median_ns(args.rounds, "SELECT 1")
    fetch = median_ns(args.rounds, "SELECT id, name FROM bench_roundtrip") - start_up
    subprocess.run(
        CLI + ["-e", f"DROP TABLE IF EXISTS {TABLE}; "
               f"CREATE TABLE {TABLE} (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL)"],
        check=True,
    )
    try:
        insert = median_ns(
            args.rounds,
            f"INSERT INTO {TABLE} SELECT seq, CONCAT('name-', seq) FROM seq_1_to_100000",
            before=f"TRUNCATE TABLE {TABLE}",
        ) - start_up
        with insert_script() as script:
            insert_c = median_ns(args.rounds, script, before=f"TRUNCATE TABLE {TABLE}") - start_up
    finally:
        subprocess.run(CLI + ["-e", f"DROP TABLE IF EXISTS {TABLE}"], check=True)
    with open(args.out, "w") as out:
        json.dump(
            {
                "fetch_100k": fetch,
                "insert_100k": insert,
                "insert_100k_c_client": insert_c,
                "client_start_up": start_up,
            },
            out,
        )


if __name__ == "__main__":
    main()
