"""Scoring benchmark: 100k members, 1M activities.

    python bench/bench_scores.py [--members 100000] [--activities 1000000]

1. Full recompute (scores, stages and stage history of everyone) as a ratio
   to one plain SQL GROUP BY of points per member over the same window in the
   same run (target: at most 3).
2. The incremental update after a sync adding 1k activities, as a share of
   the full recompute (target: under 5%).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ahoy_desktop import scores  # noqa: E402
from ahoy_desktop.db import close_db, init_db  # noqa: E402
from ahoy_desktop.db.models import Activity  # noqa: E402
from ahoy_desktop.scores import ScoringSetup, StageDef  # noqa: E402

NOW = datetime(2026, 12, 1, tzinfo=UTC)
KINDS = ["like"] * 50 + ["retweet"] * 20 + ["mention"] * 15 + ["reply"] * 10 + ["quote"] * 5


def fill(db, members: int, activities: int, rng: random.Random) -> None:
    db.execute_sql("BEGIN")
    db.execute_sql("INSERT INTO account (x_user_id, username, name, profile_image_url, credential_kind, api_base_url,"
                   " sandbox_world, connected_at, first_import_done, last_sync_outcome, last_sync_message)"
                   " VALUES ('1', 'ahoyhq', '', '', 'sandbox', '', 'bench', ?, 1, '', '')", (str(NOW),))
    db.cursor().executemany(
        'INSERT INTO "member" ("first_seen_at", "manual_fields", "name", "x_handle", "activity_count") '
        "VALUES (?, '[]', ?, ?, 0)", [(str(NOW), f"P{i}", f"p{i}") for i in range(members)])
    add_activities(db, activities, members, rng, 0)
    db.execute_sql("COMMIT")


def add_activities(db, count: int, members: int, rng: random.Random, first: int, recent: bool = False) -> None:
    rows = []
    for i in range(first, first + count):
        age = timedelta(seconds=rng.randrange(3600 if recent else 90 * 86400))
        member = 1 + int(members * rng.random() ** 2.5)  # a few very active members, a long tail
        rows.append((1, member, rng.choice(KINDS), str(i), Activity.occurred_at.db_value(NOW - age), 0, "",
                     f"k{i}"))
    db.cursor().executemany(
        'INSERT INTO "activity" ("account_id", "member_id", "kind", "post_id", "occurred_at", "estimated", "text",'
        ' "dedup_key") VALUES (?, ?, ?, ?, ?, ?, ?, ?)', rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        db = init_db(Path(tmp) / "scores.sqlite")
        fill(db, args.members, args.activities, rng)
        scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS),
                                       [StageDef("Newcomer", 1, 4), StageDef("Regular", 5, 19),
                                        StageDef("Champion", 20, None)]))
        start, end = (Activity.occurred_at.db_value(NOW - scores.WINDOW), Activity.occurred_at.db_value(NOW))
        case = "CASE kind WHEN 'mention' THEN 3 WHEN 'reply' THEN 4 WHEN 'quote' THEN 5 WHEN 'like' THEN 1 " \
               "WHEN 'retweet' THEN 2 ELSE 0 END"
        started = time.perf_counter()
        rows = db.execute_sql(f"SELECT member_id, SUM({case}) FROM activity WHERE occurred_at > ? AND "
                              "occurred_at <= ? GROUP BY member_id", (start, end)).fetchall()
        plain = time.perf_counter() - started
        started = time.perf_counter()
        changed = scores.recompute_all(NOW)
        full = time.perf_counter() - started
        print(f"{args.members:,} members, {args.activities:,} activities ({len(rows):,} members active in 30 days)")
        print(f"full recompute {full:.2f} s ({changed:,} stage changes), plain GROUP BY {plain:.2f} s, "
              f"ratio {full / plain:.2f} (target <= 3)")

        db.execute_sql("BEGIN")
        add_activities(db, 1000, args.members, rng, args.activities, recent=True)
        db.execute_sql("COMMIT")
        fresh = {m for (m,) in db.execute_sql("SELECT DISTINCT member_id FROM activity WHERE id > ?",
                                              (args.activities,))}
        started = time.perf_counter()
        scores.update_scores(NOW)
        incremental = time.perf_counter() - started
        print(f"incremental update after 1,000 new activities ({len(fresh):,} members): {incremental:.3f} s, "
              f"{100 * incremental / full:.1f}% of the full recompute (target < 5%)")
        close_db()


if __name__ == "__main__":
    main()
