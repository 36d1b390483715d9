"""Storage benchmark: activities through the sync's storage path vs plain sqlite3.

    python bench/bench_storage.py [--sizes 10000 100000]

Both sides write the same activity rows into a workspace file with the same
pragmas, one transaction per API page of 100. The sync path does what a real
sync does per page: resolve the authors to members (creating new ones), skip
rows already stored, insert the new ones, save the cursor. The baseline is a
bare ``executemany`` of the same rows into the same activity table.

Two workloads, printed separately:
- first import: one author in five is someone new, who becomes a member
  (member, identity and handle rows written besides the activity);
- refresh: the same number of new posts by people already in the workspace
  (both sides start from a table holding an equal earlier import, untimed).
Printed: rows per second of each side and their ratio (target: at least 0.5).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ahoy_desktop.clock import Clock, to_iso  # noqa: E402
from ahoy_desktop.db import close_db, init_db  # noqa: E402
from ahoy_desktop.db.models import Account  # noqa: E402
from ahoy_desktop.db.sqlite import PRAGMAS, write_transaction  # noqa: E402
from ahoy_desktop.sync.engine import SyncEngine  # noqa: E402
from ahoy_desktop.xapi.client import Page, XClient  # noqa: E402

PAGE = 100
START = datetime(2026, 6, 1, tzinfo=UTC)


def make_pages(count: int, seed: int = 1, first: int = 0) -> list[Page]:
    """Mention pages as X sends them: posts ``first``.. by ``count // 5`` people, authors in includes."""
    rng = random.Random(seed)
    people = max(10, count // 5)
    pages = []
    for start in range(first, first + count, PAGE):
        tweets, users = [], {}
        for i in range(start, min(start + PAGE, first + count)):
            uid = str(10**17 + rng.randrange(people))
            tweets.append({
                "id": str(1_600_000_000_000_000_000 + i), "author_id": uid,
                "created_at": to_iso(START + timedelta(seconds=37 * i)),
                "text": f"@ahoyhq thanks for the release notes, post {i} ✨",
                "edit_history_tweet_ids": [str(1_600_000_000_000_000_000 + i)],
            })
            users[uid] = {"id": uid, "name": f"Person {uid[-5:]}", "username": f"person_{uid[-6:]}",
                          "description": "builder of things", "public_metrics": {"followers_count": 10}}
        pages.append(Page(endpoint="users/:id/mentions", status=200, data=tweets,
                          includes={"users": list(users.values())}))
    return pages


def run_sync_path(path: Path, pages: list[Page], earlier: list[Page] = ()) -> float:
    db = init_db(path)
    clock = Clock(START + timedelta(days=200), frozen=True)
    account = Account.create(x_user_id="1", username="ahoyhq", credential_kind="sandbox", sandbox_world="bench",
                             connected_at=clock.now())
    engine = SyncEngine(account, XClient("http://127.0.0.1:9", "unused"), clock)
    from ahoy_desktop.sync import store

    for page in earlier:
        with write_transaction(db):
            engine._store_posts_as_activity(page, set())
    started = time.perf_counter()
    for number, page in enumerate(pages):
        with write_transaction(db):
            engine._store_posts_as_activity(page, set())
            store.set_cursor(account.id, "mentions_token", str(number))
    elapsed = time.perf_counter() - started
    close_db()
    return elapsed


def run_baseline(path: Path, pages: list[Page], earlier: list[Page] = ()) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    for name, value in PRAGMAS.items():
        con.execute(f"PRAGMA {name} = {value}")
    con.execute(
        "CREATE TABLE activity (id INTEGER PRIMARY KEY, account_id INTEGER, member_id INTEGER, x_user_id TEXT,"
        " kind TEXT, post_id TEXT, target_post_id TEXT, occurred_at TEXT, estimated INTEGER, text TEXT,"
        " dedup_key TEXT)")
    con.execute("CREATE UNIQUE INDEX a1 ON activity (account_id, dedup_key)")
    con.execute("CREATE INDEX a2 ON activity (member_id, occurred_at)")
    con.execute("CREATE INDEX a3 ON activity (account_id, occurred_at)")
    con.execute("CREATE INDEX a4 ON activity (kind, occurred_at)")
    insert(con, earlier)
    started = time.perf_counter()
    insert(con, pages)
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def insert(con: sqlite3.Connection, pages: list[Page]) -> None:
    for page in pages:
        rows = [(1, int(t["author_id"]) % 100000, t["author_id"], "mention", t["id"], None,
                 t["created_at"], 0, t["text"], "post:" + t["id"]) for t in page.data]
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO activity (account_id, member_id, x_user_id, kind, post_id, target_post_id, occurred_at,"
            " estimated, text, dedup_key) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        con.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print("workload      activities  sync path rows/s  sqlite3 executemany rows/s  ratio (target >= 0.5)")
    for size in args.sizes:
        for workload in ("first import", "refresh"):
            earlier = make_pages(size) if workload == "refresh" else []
            pages = make_pages(size, first=size if earlier else 0)
            with tempfile.TemporaryDirectory() as tmp:
                base = run_baseline(Path(tmp) / "baseline.sqlite", pages, earlier)
                ours = run_sync_path(Path(tmp) / "sync.sqlite", pages, earlier)
            print(f"{workload:<12}  {size:>10}  {size / ours:>16,.0f}  {size / base:>26,.0f}  {base / ours:.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
