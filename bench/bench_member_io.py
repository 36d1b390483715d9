"""Member import and export benchmark: CSV in, CSV and Excel out.

    python bench/bench_member_io.py [--rows 20000]

1. Import: reading, checking and writing a CSV of new members (name,
   handle, X user id, followers, bio, one custom number field), as a ratio
   to plain ``csv.reader`` + ``sqlite3.executemany`` of the same rows into
   the member and identity tables, in the same run.
2. CSV export of those members (every column) as a ratio to plain
   ``csv.writer`` over one SELECT of the member table.
3. Excel export of the same, as a ratio to the CSV export.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ahoy_desktop.custom_fields import create_custom_field  # noqa: E402
from ahoy_desktop.db import close_db, init_db  # noqa: E402
from ahoy_desktop.member_io.csv_read import read_csv  # noqa: E402
from ahoy_desktop.member_io.import_plan import guess_mapping, import_targets, plan_import  # noqa: E402
from ahoy_desktop.member_io.import_write import write_import  # noqa: E402
from ahoy_desktop.member_io.member_export import export_members  # noqa: E402

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def make_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Name", "X handle", "X user id", "Followers", "Bio", "Balance"])
        for i in range(rows):
            writer.writerow([f"Person {i} Ł", f"person_{i}", str(1456789012345678901 - i), i % 5000,
                             f"builder, maker; #{i}", f"-{i}.5"])


def baseline_import(csv_path: Path, db_path: Path) -> float:
    start = time.perf_counter()
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[1:]
    con = sqlite3.connect(db_path)
    now = NOW.replace(tzinfo=None).isoformat(" ")
    con.execute("BEGIN IMMEDIATE")
    start_id = (con.execute('SELECT MAX("id") FROM "member"').fetchone()[0] or 0) + 1
    con.executemany('INSERT INTO "member" ("id", "first_seen_at", "manual_fields", "name", "x_handle", "followers",'
                    ' "bio", "activity_count") VALUES (?, ?, \'[]\', ?, ?, ?, ?, 0)',
                    [(start_id + i, now, r[0], r[1], int(r[3]), r[4]) for i, r in enumerate(rows)])
    con.executemany('INSERT INTO "identity" ("member_id", "x_user_id", "handle", "handle_lower", "first_seen_at")'
                    ' VALUES (?, ?, ?, ?, ?)',
                    [(start_id + i, r[2], r[1], r[1].lower(), now) for i, r in enumerate(rows)])
    con.commit()
    con.close()
    return time.perf_counter() - start


def app_import(csv_path: Path) -> float:
    start = time.perf_counter()
    table = read_csv(csv_path)
    targets = import_targets()
    plan = plan_import(table, guess_mapping(table.headers, targets), targets)
    assert not plan.bad, plan.bad[:3]
    write_import(plan, NOW)
    return time.perf_counter() - start


def baseline_export(db_path: Path, out: Path) -> float:
    start = time.perf_counter()
    con = sqlite3.connect(db_path)
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        cursor = con.execute('SELECT * FROM "member" ORDER BY "id"')
        writer.writerow([d[0] for d in cursor.description])
        writer.writerows(cursor)
    con.close()
    return time.perf_counter() - start


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "members.csv"
        make_csv(csv_path, args.rows)

        base_db = tmp / "baseline.sqlite"
        init_db(base_db)
        close_db()
        base = baseline_import(csv_path, base_db)

        db = tmp / "app.sqlite"
        init_db(db)
        create_custom_field("Balance", "number", NOW)
        ours = app_import(csv_path)
        print(f"import {args.rows} rows: {ours:.2f} s vs baseline {base:.2f} s -> ratio {ours / base:.1f}")

        base_out = timed(lambda: baseline_export(db, tmp / "baseline.csv"))
        csv_out = timed(lambda: export_members(tmp / "out.csv"))
        xlsx_out = timed(lambda: export_members(tmp / "out.xlsx"))
        close_db()
        print(f"CSV export: {csv_out:.2f} s vs baseline {base_out:.2f} s -> ratio {csv_out / base_out:.1f}")
        print(f"Excel export: {xlsx_out:.2f} s -> {xlsx_out / csv_out:.1f} x the CSV export")


if __name__ == "__main__":
    main()
