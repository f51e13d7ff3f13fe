#!/usr/bin/env python3
"""Prints the SDK/raw-sqlx time ratio of each group of `cargo bench --bench roundtrip`,
from criterion's estimates (target/criterion/<group>/<sdk|raw_sqlx>/new/estimates.json)."""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
failed = False
for group in ("point_select", "fetch_10k"):
    try:
        times = {
            side: json.loads((root / group / side / "new" / "estimates.json").read_text())["median"]["point_estimate"]
            for side in ("sdk", "raw_sqlx")
        }
    except FileNotFoundError:
        print(f"{group}: no results; run `cargo bench --bench roundtrip` first", file=sys.stderr)
        failed = True
        continue
    ratio = times["sdk"] / times["raw_sqlx"]
    print(f"{group}: sdk {times['sdk'] / 1e3:.1f} us, raw sqlx {times['raw_sqlx'] / 1e3:.1f} us, ratio {ratio:.3f}")
sys.exit(1 if failed else 0)
