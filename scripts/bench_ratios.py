#!/usr/bin/env python3
"""Prints the figures of one benchmark run and the ratio of each goal of issue 11 with a PASS or
MISS mark: criterion's medians from `cargo bench --bench roundtrip`
(<target>/criterion/<group>/<function>/new/estimates.json), mariadb-slap's output for the C
client, scripts/bench_python_sdk.py's JSON for the Python SDK and scripts/bench_floors.py's for
the floors (what no client can go below). scripts/bench.sh runs all of
them and then this; alone, it reprints the last run's figures.

<target> is $CARGO_TARGET_DIR, or target/ in the repository; the slap and Python results are read
from <target>/bench/ unless given.
"""
import argparse
import json
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TASKS = 8  # queries per iteration of criterion's concurrent_8 group


def target_dir():
    return pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")


class Figures:
    def __init__(self, args):
        self.criterion = args.criterion
        self.since = args.since
        self.problems = []
        self.python = self.load_json(args.python)
        self.floors = self.load_json(args.floors)

    def load_json(self, path):
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            self.problems.append(f"no Python SDK results at {path}")
            return {}

    def rust(self, group, function, per=1):
        """criterion's median time of one iteration, in ns, divided by `per`."""
        path = self.criterion / group / function / "new" / "estimates.json"
        try:
            estimates = json.loads(path.read_text())
        except FileNotFoundError:
            self.problems.append(f"no criterion results for {group}/{function} (run `cargo bench --bench roundtrip`)")
            return None
        if self.since is not None and path.stat().st_mtime < self.since:
            self.problems.append(f"criterion's {group}/{function} is from an earlier run")
        return estimates["median"]["point_estimate"] / per

    def slap(self, path):
        """mariadb-slap's average time of one query, in ns, from its output."""
        try:
            text = path.read_text()
        except FileNotFoundError:
            self.problems.append(f"no mariadb-slap output at {path}")
            return None
        seconds = re.search(r"Average number of seconds to run all queries: ([\d.]+)", text)
        clients = re.search(r"Number of clients running queries: (\d+)", text)
        per_client = re.search(r"Average number of queries per client: (\d+)", text)
        if not (seconds and clients and per_client):
            self.problems.append(f"cannot read mariadb-slap's output in {path}")
            return None
        queries = int(clients.group(1)) * int(per_client.group(1))
        return float(seconds.group(1)) * 1e9 / queries


def show(ns):
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns / 1e3:.1f} us"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    results = target_dir() / "bench"
    parser.add_argument("--criterion", type=pathlib.Path, default=target_dir() / "criterion")
    parser.add_argument("--slap-sequential", type=pathlib.Path, default=results / "slap_1.txt")
    parser.add_argument("--slap-concurrent", type=pathlib.Path, default=results / "slap_8.txt")
    parser.add_argument("--python", type=pathlib.Path, default=results / "python_sdk.json")
    parser.add_argument("--floors", type=pathlib.Path, default=results / "floors.json")
    parser.add_argument("--since", type=float, help="results older than this Unix time are flagged as stale")
    args = parser.parse_args()
    f = Figures(args)

    sdk = {
        "point_select": f.rust("point_select", "sdk"),
        "concurrent_8": f.rust("concurrent_8", "sdk", TASKS),
        "fetch_100k": f.rust("fetch_100k", "sdk"),
        "insert_100k": f.rust("insert_100k", "sdk_insert_many"),
    }
    raw_pool = {
        "point_select": f.rust("point_select", "raw_sqlx_pool"),
        "concurrent_8": f.rust("concurrent_8", "raw_sqlx_pool", TASKS),
        "fetch_100k": f.rust("fetch_100k", "raw_sqlx"),
        "insert_100k": f.rust("insert_100k", "raw_push_values_1000"),
    }
    bare = {"point_select": f.rust("point_select", "bare_sqlx_conn")}
    raw_insert_tx = f.rust("insert_100k", "raw_push_values_1000_tx")
    c_client = {
        "point_select": f.slap(args.slap_sequential),
        "concurrent_8": f.slap(args.slap_concurrent),
        "insert_100k": f.floors.get("insert_100k_c_client"),
    }
    python = {k: f.python.get(k) for k in sdk}
    # What no client goes below: the C client for the point selects and the fetch, the server's
    # own INSERT .. SELECT for the insert.
    floor = {
        "point_select": c_client["point_select"],
        "concurrent_8": c_client["concurrent_8"],
        "fetch_100k": f.floors.get("fetch_100k"),
        "insert_100k": f.floors.get("insert_100k"),
    }

    rows = [
        ("point_select", "point select, sequential"),
        ("concurrent_8", "point select, 8 tasks (per query)"),
        ("fetch_100k", "fetch 100k rows"),
        ("insert_100k", "insert 100k rows"),
    ]
    print("Times (medians) from one run:")
    print(f"  {'':36}{'SDK':>11}{'raw sqlx':>11}{'bare sqlx':>11}{'C client':>11}{'Python SDK':>12}{'floor':>11}")
    for key, label in rows:
        print(
            f"  {label:36}{show(sdk[key]):>11}{show(raw_pool[key]):>11}{show(bare.get(key)):>11}"
            f"{show(c_client.get(key)):>11}{show(python[key]):>12}{show(floor[key]):>11}"
        )
    print("  raw sqlx: its pool (default options) for the point selects, fetch_all for the fetch,")
    print("  QueryBuilder::push_values in 1000-row statements, each committed, for the insert")
    print(f"  ({show(raw_insert_tx)} with all of them in one transaction, as insert_many runs them).")
    print("  C client for the insert: insert_many's statements (5,000 rows) as text, in one transaction.")
    print("  floor: what no client goes below (the C client; for the insert, the server's own")
    print("  INSERT .. SELECT of the same rows): Python SDK / floor is the most any client can gain.")

    def ratio(num, den):
        return None if num is None or den is None else num / den

    # (what, ratio, comparison, target); a ratio of times except where it says "speed-up".
    goals = [
        ("point select: SDK time / bare sqlx connection", ratio(sdk["point_select"], bare["point_select"]), "<=", 1.1),
        ("8 tasks: SDK time per query / C client", ratio(sdk["concurrent_8"], c_client["concurrent_8"]), "<=", 1.2),
        ("fetch 100k: SDK time / raw sqlx fetch_all", ratio(sdk["fetch_100k"], raw_pool["fetch_100k"]), "<=", 1.0),
        (
            "insert 100k: speed-up of insert_many over push_values",
            ratio(raw_pool["insert_100k"], sdk["insert_100k"]),
            ">=",
            1.2,
        ),
    ]
    for key, label in rows:
        goals.append((f"Python SDK speed-up ({label})", ratio(python[key], sdk[key]), ">=", 10.0))
    # Where the floor itself is within 10x of the Python SDK, no client can meet the goal.
    out_of_reach = {
        f"Python SDK speed-up ({label})": ratio(python[key], floor[key])
        for key, label in rows
        if ratio(python[key], floor[key]) is not None and ratio(python[key], floor[key]) < 10.0
    }
    print("\nGoals:")
    for what, value, cmp, target in goals:
        if value is None:
            mark, shown = "n/a ", "-"
        else:
            ok = value <= target if cmp == "<=" else value >= target
            mark, shown = ("PASS" if ok else "MISS"), f"{value:.2f}x"
        reach = out_of_reach.get(what) if mark == "MISS" else None
        note = "" if reach is None else f"; out of any client's reach: the floor gives {reach:.2f}x"
        print(f"  {mark}  {what:60}{shown:>9}  (goal {cmp} {target:g}x{note})")

    print("\nFor reference:")
    for what, value in [
        ("point select: SDK / raw sqlx pool", ratio(sdk["point_select"], raw_pool["point_select"])),
        ("point select: SDK / C client", ratio(sdk["point_select"], c_client["point_select"])),
        ("point select: bare sqlx connection / C client", ratio(bare["point_select"], c_client["point_select"])),
        ("8 tasks: SDK / raw sqlx pool", ratio(sdk["concurrent_8"], raw_pool["concurrent_8"])),
        ("8 tasks: raw sqlx pool / C client", ratio(raw_pool["concurrent_8"], c_client["concurrent_8"])),
        ("insert 100k: speed-up over push_values in one transaction", ratio(raw_insert_tx, sdk["insert_100k"])),
        ("insert 100k: SDK / C client (same statements, as text)", ratio(sdk["insert_100k"], c_client["insert_100k"])),
        ("insert 100k: push_values / floor (the most any client gains)",
         ratio(raw_pool["insert_100k"], floor["insert_100k"])),
    ] + [(f"Python SDK / floor ({label})", ratio(python[key], floor[key])) for key, label in rows]:
        print(f"        {what:60}{'-' if value is None else f'{value:.2f}x':>9}")

    for problem in f.problems:
        print(f"bench_ratios: {problem}", file=sys.stderr)
    sys.exit(1 if f.problems else 0)


if __name__ == "__main__":
    main()
