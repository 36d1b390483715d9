"""Mapping benchmark: re-applying a changed mapping to 100k members.

    python bench/bench_mapping.py [--members 100000]

1. ``reapply_all`` of the changed mapping entry (chunks of 5,000 ids, one
   short transaction each, with progress) after mapping X's location onto
   City, as a ratio to one bulk SQL UPDATE of the same column in the same
   run (target: at most 3).
2. Responsiveness: the longest gap between ticks of a 5 ms Qt timer on the
   main thread while the re-apply runs on a worker thread, as a ratio to the
   same measure with the app idle (target: at most 3).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer  # noqa: E402

from ahoy_desktop.db import close_db, init_db  # noqa: E402
from ahoy_desktop.db.models import database_proxy  # noqa: E402
from ahoy_desktop.mapping import (  # noqa: E402
    FieldMapping,
    changed_entries,
    load_mapping,
    reapply_all,
    save_mapping,
)

NOW = datetime(2026, 12, 1, tzinfo=UTC)
CITIES = ["Lisbon", "Berlin", "東京", "القاهرة", "São Paulo", "Nairobi", "Toronto", None]


def fill(db, count: int) -> None:
    rng = random.Random(3)
    rows = []
    for i in range(count):
        user = {"id": str(10**17 + i), "name": f"Person {i}", "username": f"person{i}",
                "description": "builder", "public_metrics": {"followers_count": rng.randrange(5000)}}
        city = rng.choice(CITIES)
        if city:
            user["location"] = city
        rows.append((NOW.isoformat(" "), json.dumps(user), "[]", user["name"], user["username"], city,
                     user["description"], user["public_metrics"]["followers_count"]))
    db.execute_sql("BEGIN")
    db.cursor().executemany(
        'INSERT INTO "member" ("first_seen_at", "raw_x_user", "manual_fields", "name", "x_handle", "location",'
        ' "bio", "followers", "activity_count") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)', rows)
    db.execute_sql("COMMIT")


def longest_tick_gap(app: QCoreApplication, work, seconds: float) -> float:
    """Run ``work`` on a thread (or idle for ``seconds``) and measure the main loop's worst 5 ms tick gap."""
    gaps, clock = [0.0], QElapsedTimer()
    clock.start()

    def tick():
        gaps[0] = max(gaps[0], clock.restart())

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    done = threading.Event()
    if work is None:
        QTimer.singleShot(int(seconds * 1000), done.set)
    else:
        threading.Thread(target=lambda: (work(), done.set()), daemon=True).start()
    while not done.is_set():
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return gaps[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        db = init_db(Path(tmp) / "mapping.sqlite")
        fill(db, args.members)
        started = time.perf_counter()
        db.execute_sql('UPDATE "member" SET "city" = json_extract("raw_x_user", \'$.location\')')
        bulk = time.perf_counter() - started
        db.execute_sql('UPDATE "member" SET "city" = NULL')

        before = load_mapping()
        save_mapping([*before, FieldMapping("location", "city")])
        changes = changed_entries(before, load_mapping())
        started = time.perf_counter()
        changed = reapply_all(changes, NOW)
        ours = time.perf_counter() - started
        print(f"{args.members:,} members: re-apply {ours:.2f} s ({changed:,} values), one bulk UPDATE {bulk:.2f} s, "
              f"ratio {ours / bulk:.2f} (target <= 3)")

        database_proxy.obj.execute_sql('UPDATE "member" SET "city" = NULL')
        idle = longest_tick_gap(app, None, ours)
        busy = longest_tick_gap(app, lambda: reapply_all(changes, NOW), 0)
        print(f"longest 5 ms timer gap: idle {idle:.0f} ms, during re-apply {busy:.0f} ms, "
              f"ratio {busy / max(idle, 1):.2f} (target <= 3)")
        close_db()


if __name__ == "__main__":
    main()
