#!/usr/bin/env python3
"""Split a kinsight dataset into one dataset per country, for `kinsight partial` + `merge`.

Every case table is cut by the country of its family (children, episodes, assessments,
follow-up contacts and income through `family_id`; services through their episode; care
events through their child; programme costs through their programme), so each
partition holds whole families with all their rows. Each partition folder gets its own
copy of `dataset.toml` and `reference/`. This is how a caseload too large for one
process is run: `kinsight partial` on each partition (one at a time, or on separate
machines), then `kinsight merge` of the state files (benches/README.md, "10M families").

Usage:
    partitions.py --data DIR --out DIR [--threads N]

Needs the `duckdb` package (benches/peer/requirements.txt).
"""

import argparse
import os
import shutil
import sys
import time

import duckdb

from compare import parquet_glob  # same table layout rules as the peer comparison

# table -> SQL giving (row, its country) from the view of that table; `fam` maps
# family_id to country.
KEYED = {
    "families": "SELECT t.*, t.country AS kinsight_part FROM families t",
    "children": "SELECT t.*, fam.country AS kinsight_part FROM children t JOIN fam USING (family_id)",
    "episodes": "SELECT t.*, fam.country AS kinsight_part FROM episodes t JOIN fam USING (family_id)",
    "services": ("SELECT t.*, ep.country AS kinsight_part FROM services t JOIN "
                 "(SELECT episode_id, fam.country FROM episodes JOIN fam USING (family_id)) ep "
                 "USING (episode_id)"),
    "assessments": "SELECT t.*, fam.country AS kinsight_part FROM assessments t JOIN fam USING (family_id)",
    "followup_contacts": ("SELECT t.*, fam.country AS kinsight_part FROM followup_contacts t "
                          "JOIN fam USING (family_id)"),
    "care_events": ("SELECT t.*, ch.country AS kinsight_part FROM care_events t JOIN "
                    "(SELECT child_id, fam.country FROM children JOIN fam USING (family_id)) ch "
                    "USING (child_id)"),
    "income": "SELECT t.*, fam.country AS kinsight_part FROM income t JOIN fam USING (family_id)",
    "programme_costs": ("SELECT t.*, p.country AS kinsight_part FROM programme_costs t JOIN "
                        "(SELECT DISTINCT programme_id, country FROM families) p USING (programme_id)"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="dataset folder")
    ap.add_argument("--out", required=True, help="folder for the partitions (created)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    if os.path.exists(a.out):
        sys.exit(f"partitions.py: {a.out} exists; give a new folder")
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {a.threads}")
    con.execute("SET preserve_insertion_order = false")
    present = {}
    for table in KEYED:
        path = parquet_glob(a.data, table)
        if path is not None:
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
            present[table] = path
    if "families" not in present:
        sys.exit(f"partitions.py: no families table in {a.data}")
    con.execute("CREATE TABLE fam AS SELECT family_id, country FROM families")
    staging = os.path.join(a.out, ".staging")
    os.makedirs(staging)
    countries = [r[0] for r in con.execute("SELECT DISTINCT country FROM fam ORDER BY 1").fetchall()]
    for table in present:
        t0 = time.perf_counter()
        target = os.path.join(staging, table)
        con.execute(f"COPY ({KEYED[table]}) TO '{target}' "
                    "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 131072, "
                    "PARTITION_BY (kinsight_part))")
        print(f"{table}: {time.perf_counter() - t0:.1f} s", flush=True)
    for c in countries:
        part = os.path.join(a.out, c)
        os.makedirs(part)
        shutil.copy(os.path.join(a.data, "dataset.toml"), part)
        if os.path.isdir(os.path.join(a.data, "reference")):
            shutil.copytree(os.path.join(a.data, "reference"), os.path.join(part, "reference"))
        for table in present:
            src = os.path.join(staging, table, f"kinsight_part={c}")
            if os.path.isdir(src):
                shutil.move(src, os.path.join(part, table))
    shutil.rmtree(staging)
    print(f"{len(countries)} partitions ({', '.join(countries)}) in {a.out}: "
          f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
