#!/usr/bin/env python3
"""Peer comparison: kinsight against DuckDB on the same Parquet files, in one run.

DuckDB computes the unweighted follow-up-domain table (followup_domains.sql) and the
child-level Kaplan-Meier curve by arm (survival_curve.sql); kinsight computes them (and
the rest of its outcome tables) with `kinsight outcomes`. Both are timed wall clock with
the same thread count, the ratio kinsight / DuckDB is printed, and the numbers are
checked against each other: counts (due, observed, doing_well, at_risk, events,
censored) must be equal, shares and survival must agree within TOLERANCE.

Usage:
    compare.py --data DIR [--bin target/release/kinsight] [--threads N] [--repeat R]
               [--markdown]

Needs the `duckdb` package (benches/peer/requirements.txt); see benches/README.md.
"""

import argparse
import csv
import glob
import math
import os
import subprocess
import sys
import tempfile
import time
import tomllib

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-9  # absolute, on shares and survival probabilities

TABLES = ["families", "episodes", "children", "assessments", "care_events",
          "followup_contacts"]


def parquet_glob(data, table):
    """A table is <table>.parquet or a folder <table>/ of Parquet files (any depth)."""
    single = os.path.join(data, table + ".parquet")
    if os.path.isfile(single):
        return single
    folder = os.path.join(data, table)
    if glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True):
        return os.path.join(folder, "**", "*.parquet")
    return None


def cutoff_of(data):
    with open(os.path.join(data, "dataset.toml"), "rb") as f:
        return str(tomllib.load(f)["data_cutoff"])


def run_duckdb(data, threads):
    """Both queries on a fresh in-memory connection; returns (seconds, domains, curve)."""
    cutoff = cutoff_of(data)
    queries = {}
    for name in ["followup_domains", "survival_curve"]:
        with open(os.path.join(HERE, name + ".sql")) as f:
            queries[name] = f.read().replace("{cutoff}", cutoff)
    start = time.perf_counter()
    con = duckdb.connect(config={"threads": threads})
    for t in TABLES:
        path = parquet_glob(data, t)
        if path is None:
            sys.exit(f"compare.py: table {t} is missing from {data}")
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{path}', "
                    "hive_partitioning = true)")
    domains = con.execute(queries["followup_domains"]).fetchall()
    curve = con.execute(queries["survival_curve"]).fetchall()
    seconds = time.perf_counter() - start
    con.close()
    return seconds, domains, curve


def count_rows(data, table):
    con = duckdb.connect()
    path = parquet_glob(data, table)
    n = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
    con.close()
    return n


def has_outcomes(binary):
    return subprocess.run([binary, "help", "outcomes"], capture_output=True).returncode == 0


def run_kinsight(binary, data, threads, out, reps=None):
    """`kinsight outcomes`, timed; returns (seconds, domains, curve) read from its CSVs.

    `reps` sets `--bootstrap-reps` (default: the method's 2000)."""
    cmd = [binary, "outcomes", "--data", data, "--out", out, "--threads", str(threads), "--quiet",
           "--format", "csv"]
    if reps is not None:
        cmd += ["--bootstrap-reps", str(reps)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"compare.py: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    tables = os.path.join(out, "tables")
    with open(os.path.join(tables, "followup_domains.csv"), newline="") as f:
        domains = [r for r in csv.DictReader(f) if r["group"] == "all"]
    with open(os.path.join(tables, "survival_curve.csv"), newline="") as f:
        curve = [r for r in csv.DictReader(f)
                 if r["level"] == "child" and r["group"].startswith("arm=")]
    return seconds, domains, curve


def number(s):
    return float(s) if s not in ("", None) else math.nan


def check(duck_domains, duck_curve, ks_domains, ks_curve):
    """Compare cell by cell; returns (cells checked, list of differences)."""
    diffs = []
    checked = 0

    def same(what, a, b, exact):
        nonlocal checked
        checked += 1
        if exact:
            ok = a == b
        else:
            ok = (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOLERANCE
        if not ok:
            diffs.append(f"{what}: duckdb {a} kinsight {b}")

    ks = {(r["domain"], int(r["year"])): r for r in ks_domains}
    for group, domain, year, due, observed, well, share in duck_domains:
        r = ks.pop((domain, year), None)
        if r is None:
            diffs.append(f"followup_domains {domain} year {year}: missing in kinsight")
            continue
        key = f"followup_domains {domain} year {year}"
        same(key + " due", due, int(r["due"]), True)
        same(key + " observed", observed, int(r["observed"]), True)
        if r.get("suppressed", "false").lower() == "true" or r["doing_well"] == "":
            continue
        same(key + " doing_well", well, int(r["doing_well"]), True)
        same(key + " share", share, number(r["share"]), False)
    for (domain, year), r in ks.items():
        if int(r["observed"] or 0) > 0:
            diffs.append(f"followup_domains {domain} year {year}: missing in duckdb")

    ks = {(r["group"], int(r["day"])): r for r in ks_curve}
    for group, _level, day, at_risk, events, censored, survival in duck_curve:
        r = ks.pop((group, day), None)
        if r is None:
            # kinsight may stop the published curve where too few remain at risk.
            continue
        key = f"survival_curve {group} day {day}"
        same(key + " at_risk", at_risk, int(r["at_risk"]), True)
        same(key + " events", events, int(r["events"]), True)
        same(key + " censored", censored, int(r["censored"]), True)
        same(key + " survival", survival, number(r["survival"]), False)
    for (group, day) in ks:
        diffs.append(f"survival_curve {group} day {day}: missing in duckdb")
    return checked, diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="dataset folder")
    ap.add_argument("--bin", default="target/release/kinsight", help="kinsight binary")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest counts")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table row")
    a = ap.parse_args()

    duck = [run_duckdb(a.data, a.threads) for _ in range(a.repeat)]
    duck_s = min(d[0] for d in duck)
    _, duck_domains, duck_curve = duck[0]
    rows = sum(count_rows(a.data, t) for t in TABLES)
    families = count_rows(a.data, "families")
    print(f"dataset {a.data}: {families} families, {rows} rows in the tables both read; "
          f"threads {a.threads}; duckdb {duckdb.__version__}")
    print(f"duckdb   followup_domains + survival_curve: {duck_s:.2f} s "
          f"({len(duck_domains)} + {len(duck_curve)} rows)")
    if not has_outcomes(a.bin):
        print("kinsight outcomes: not available in this build (no ratio, no check)")
        if a.markdown:
            print(f"\n| peer | families | threads | duckdb s | kinsight s | ratio | check |\n"
                  f"|---|---:|---:|---:|---:|---:|---|\n"
                  f"| duckdb {duckdb.__version__} | {families} | {a.threads} | {duck_s:.2f} "
                  f"| not available | | |")
        return 0

    # Two kinsight timings: the whole outcome stage as users run it (every table, income
    # interval from 2000 bootstrap replicates), and the same with 2 replicates, which is
    # the closest to the peer's work that the command can do (it still computes every
    # other table: IPW fits, change, income, family-level survival, log-rank).
    with tempfile.TemporaryDirectory() as tmp:
        runs = [run_kinsight(a.bin, a.data, a.threads, os.path.join(tmp, f"out{i}"))
                for i in range(a.repeat)]
        lean = [run_kinsight(a.bin, a.data, a.threads, os.path.join(tmp, f"lean{i}"), 2)
                for i in range(a.repeat)]
    ks_s = min(r[0] for r in runs)
    lean_s = min(r[0] for r in lean)
    _, ks_domains, ks_curve = runs[0]
    print(f"kinsight outcomes (all outcome tables, 2000 bootstrap replicates): {ks_s:.2f} s")
    print(f"kinsight outcomes (all outcome tables, 2 bootstrap replicates):    {lean_s:.2f} s")
    ratio = ks_s / duck_s
    lean_ratio = lean_s / duck_s
    print(f"ratio kinsight / duckdb: {ratio:.2f} (2 replicates: {lean_ratio:.2f})")
    checked, diffs = check(duck_domains, duck_curve, ks_domains, ks_curve)
    verdict = "same numbers" if not diffs else f"{len(diffs)} differences"
    print(f"check: {checked} cells compared (counts exact, shares and survival within "
          f"{TOLERANCE:g}): {verdict}")
    for d in diffs[:20]:
        print("  " + d)
    if a.markdown:
        print(f"\n| peer | families | threads | duckdb s | kinsight s (2000 / 2 reps) "
              f"| ratio (2000 / 2 reps) | check |\n"
              f"|---|---:|---:|---:|---:|---:|---|\n"
              f"| duckdb {duckdb.__version__} | {families} | {a.threads} | {duck_s:.2f} "
              f"| {ks_s:.2f} / {lean_s:.2f} | {ratio:.2f} / {lean_ratio:.2f} "
              f"| {checked} cells, {verdict} |")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
