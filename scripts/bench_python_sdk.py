#!/usr/bin/env python3
"""Times the MatrixOne Python SDK's AsyncClient (matrixone-python-sdk, see
scripts/bench-python-requirements.txt) on the operations of benches/roundtrip.rs, against the
same MariaDB and the same 100,000-row table `bench_roundtrip` (which must exist), and writes
the results as JSON (nanoseconds per operation, the median of the rounds).

- point_select: `execute(sql, (id,))`, one call after the other;
- concurrent_8: the same from 8 asyncio tasks at once (time per query);
- fetch_100k: `execute("SELECT id, name FROM bench_roundtrip")`, all rows fetched;
- insert_100k: `batch_insert` of 100,000 dicts into an empty table (one multi-row INSERT, the
  SDK's bulk API for rows in memory).

Fair to the Python SDK: its SQL logging is off (`sql_log_mode="off"`), and its connection hook
is off (`on_connect=[]`): on MariaDB the hook's `SET experimental_*` fail, so it would retry them
before every statement, which it does not on MatrixOne.

Run by scripts/bench.sh in its venv; alone:
    target/bench-venv/bin/python scripts/bench_python_sdk.py --out python_sdk.json
"""
import argparse
import asyncio
import json
import logging
import statistics
import sys
import time
import warnings

from matrixone import AsyncClient
from matrixone.logger import create_default_logger

POINT_SQL = "SELECT id, name FROM bench_roundtrip WHERE id = ?"
ALL_SQL = "SELECT id, name FROM bench_roundtrip"
ROWS = 100_000
ID = 4242
TASKS = 8


async def timed_rounds(rounds, once):
    """Runs `once` (an async function returning (elapsed seconds, operations)) `rounds` times;
    returns the median nanoseconds per operation."""
    per_op = []
    for _ in range(rounds):
        elapsed, ops = await once()
        per_op.append(elapsed / ops * 1e9)
    return statistics.median(per_op)


async def point_once(client, seconds):
    async def once():
        ops = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            rs = await client.execute(POINT_SQL, (ID,))
            assert rs.fetchone()[0] == ID
            ops += 1
        return time.perf_counter() - start, ops

    return once


async def concurrent_once(client, seconds):
    async def task(deadline):
        ops = 0
        while time.perf_counter() < deadline:
            rs = await client.execute(POINT_SQL, (ID,))
            assert rs.fetchone()[0] == ID
            ops += 1
        return ops

    async def once():
        start = time.perf_counter()
        counts = await asyncio.gather(*(task(start + seconds) for _ in range(TASKS)))
        return time.perf_counter() - start, sum(counts)

    return once


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3306)
    parser.add_argument("--user", default="root")
    parser.add_argument("--password", default="")
    parser.add_argument("--database", default="test")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every measurement time")
    parser.add_argument("--out", required=True, help="where to write the JSON results")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    # No SQL log; its connect and disconnect lines are INFO, noise in the benchmark's output.
    client = AsyncClient(logger=create_default_logger(level=logging.ERROR, sql_log_mode="off"))
    await client.connect(
        host=args.host,
        port=args.port,
        user=args.user,
        password=args.password,
        database=args.database,
        on_connect=[],
    )
    results = {}
    try:
        count = (await client.execute("SELECT COUNT(*) FROM bench_roundtrip")).scalar()
        if count != ROWS:
            sys.exit(f"bench_python_sdk: bench_roundtrip has {count} rows, not {ROWS}")
        # Warm-up: the pool's connections opened, the code paths taken once.
        await (await concurrent_once(client, 0.5 * args.scale))()

        results["point_select"] = await timed_rounds(5, await point_once(client, 1.0 * args.scale))
        print(f"python point_select: {results['point_select'] / 1e3:.1f} us", file=sys.stderr)
        results["concurrent_8"] = await timed_rounds(5, await concurrent_once(client, 1.0 * args.scale))
        print(f"python concurrent_8: {results['concurrent_8'] / 1e3:.1f} us per query", file=sys.stderr)

        async def fetch_once():
            start = time.perf_counter()
            rs = await client.execute(ALL_SQL)
            rows = rs.fetchall()
            assert len(rows) == ROWS
            return time.perf_counter() - start, 1

        results["fetch_100k"] = await timed_rounds(5, fetch_once)
        print(f"python fetch_100k: {results['fetch_100k'] / 1e6:.1f} ms", file=sys.stderr)

        await client.execute("DROP TABLE IF EXISTS bench_insert_py")
        await client.execute(
            "CREATE TABLE bench_insert_py (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL)"
        )
        data = [{"id": i, "name": f"name-{i}"} for i in range(1, ROWS + 1)]

        async def insert_once():
            await client.execute("TRUNCATE TABLE bench_insert_py")
            start = time.perf_counter()
            await client.batch_insert("bench_insert_py", data)
            elapsed = time.perf_counter() - start
            written = (await client.execute("SELECT COUNT(*) FROM bench_insert_py")).scalar()
            assert written == ROWS, written
            return elapsed, 1

        results["insert_100k"] = await timed_rounds(3, insert_once)
        print(f"python insert_100k: {results['insert_100k'] / 1e6:.1f} ms", file=sys.stderr)
        await client.execute("DROP TABLE IF EXISTS bench_insert_py")
    finally:
        await client.disconnect()
    with open(args.out, "w") as f:
        json.dump({"unit": "ns", "sdk": "matrixone-python-sdk AsyncClient", **results}, f, indent=1)


if __name__ == "__main__":
    asyncio.run(main())
