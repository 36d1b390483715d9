"""Data-safety benchmark: what checking, backing up and forgetting cost on a big workspace.

    python bench/bench_backups.py [--members 50000] [--activities 500000]

1. Opening: the check a workspace gets before it opens, as a ratio to reading
   the whole file once (a plain file copy) in the same run: the one a big file
   closed cleanly gets (SQLite's quick check, the full check of all but the
   activity tables, the members' search index and their texts decoded), and the
   full one a small file or one left by a crash gets.
2. Backup: SQLite's online backup, as a ratio to that plain copy.
3. Forget in backups: removing the busiest member from seven daily backups (secure delete
   and a merge of the members search index), in seconds and per backup as a ratio to the copy.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_members import NOW, fill  # noqa: E402

from ahoy_desktop import backups  # noqa: E402
from ahoy_desktop.db import close_db, init_db  # noqa: E402
from ahoy_desktop.db.file_check import inspect_workspace_file, needs_full_check  # noqa: E402


def best(runs: int, measure) -> float:
    return min(measure() for _ in range(runs))


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--activities", type=int, default=500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.ahoy.sqlite"
        db = init_db(path)
        fill(db, args.members, args.activities, random.Random(7))
        db.execute_sql('INSERT INTO "member_note" ("member_id", "text", "updated_at") VALUES (1, ?, ?)',
                       ("a note to forget", str(NOW)))
        close_db()
        size = path.stat().st_size / 1e6
        print(f"{args.members:,} members, {args.activities:,} activities: {size:.0f} MB")

        copy = best(3, lambda: timed(lambda: shutil.copyfile(path, Path(tmp) / "plain-copy")))
        check = best(3, lambda: timed(lambda: inspect_workspace_file(path, full=False)))
        full = best(1, lambda: timed(lambda: inspect_workspace_file(path, full=True)))
        online = best(3, lambda: timed(lambda: backups.back_up_now(path)))
        print(f"  plain file copy (baseline): {copy * 1000:8.0f} ms")
        print(f"  check of a big file:        {check * 1000:8.0f} ms, ratio {check / copy:.2f}"
              f"{'  (this file gets it)' if not needs_full_check(path) else ''}")
        print(f"  full check (after a crash): {full * 1000:8.0f} ms, ratio {full / copy:.2f}")
        print(f"  online backup:              {online * 1000:8.0f} ms, ratio {online / copy:.2f}")

        for old in backups.list_backups(path):
            old.path.unlink()
        for day in range(7):
            backups.run_daily_backup(path, NOW + timedelta(days=day))
        first_seen = init_db(path).execute_sql('SELECT "first_seen_at" FROM "member" WHERE "id" = 1').fetchone()[0]
        close_db()
        person = backups.PersonToForget(("no-such-x-id",), ((1, first_seen),), str(NOW))
        forget = timed(lambda: backups.apply_forget_to_backups(path, person))
        print(f"  forget in 7 backups:        {forget:8.1f} s, per backup ratio {forget / 7 / copy:.2f}")


if __name__ == "__main__":
    main()
