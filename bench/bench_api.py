"""API-use benchmark: requests the sync makes against the fewest X's API needs.

    python bench/bench_api.py [--refreshes 24] [--hours 3]

1. First import of the real recorded world: requests for the 800 newest
   mentions (target: 8, the API's page size being 100).
2. The sample workspace: a first import, then a refresh every ``--hours``
   on the shared clock. For each refresh, the fewest requests the API needs
   for the same new data is computed from the sandbox world itself, not
   from the sync: one users/me, ceil(new / 100) mention pages (at least
   one, to learn there are none), one page of own posts, ceil(tracked / 100)
   metrics lookups (the only way to learn which posts got new likes,
   retweets or quotes), and for each post with new likers, retweeters or
   quotes, ceil(new / 100) pages of each. Target: within 10% of it.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ahoy_desktop.clock import Clock, parse_iso  # noqa: E402
from ahoy_desktop.db import close_db, init_db  # noqa: E402
from ahoy_desktop.sandbox.sample_world import generate_sample_world  # noqa: E402
from ahoy_desktop.sandbox.server import SandboxServer  # noqa: E402
from ahoy_desktop.sandbox.world import World  # noqa: E402
from ahoy_desktop.sync.engine import SyncOptions  # noqa: E402
from ahoy_desktop.workspace import connect_sandbox_account, sync_account  # noqa: E402

REAL_WORLD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-world.json"
ANCHOR = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
OWN_POSTS_DAYS = 90


class OneServer:
    def __init__(self, server):
        self.server = server

    def base_url(self, _key):
        return self.server.base_url


def first_import_mentions(tmp: Path) -> int:
    clock = Clock(datetime(2026, 12, 1, tzinfo=UTC), frozen=True)
    with SandboxServer(World.load(REAL_WORLD), clock) as server:
        init_db(tmp / "real.sqlite")
        host = OneServer(server)
        account = connect_sandbox_account(host, "real", clock)
        report = sync_account(account, host, clock)
        close_db()
    return report.requests["users/:id/mentions"]


def minimum_requests(before, after, now: datetime) -> int:
    """Fewest API requests that bring everything new between two world states."""
    seen = {t["id"] for t in before.visible_mentions()[:800]}
    new_mentions = [t for t in after.visible_mentions()[:800] if t["id"] not in seen]
    old_posts = {t["id"] for t in before.visible_posts()}
    tracked = [t for t in after.visible_posts() if t["id"] in old_posts
               and parse_iso(t["created_at"]) >= now - timedelta(days=OWN_POSTS_DAYS)]
    new_posts = [t for t in after.visible_posts() if t["id"] not in old_posts]
    total = 1 + max(1, math.ceil(len(new_mentions) / 100)) + max(1, math.ceil(len(new_posts) / 100))
    total += math.ceil(len(tracked) / 100)
    for post in after.visible_posts():
        pid = post["id"]
        if parse_iso(post["created_at"]) < now - timedelta(days=OWN_POSTS_DAYS):
            continue
        for kind in ("likers", "retweeters"):
            fresh = set(getattr(after, kind)(pid)) - set(getattr(before, kind)(pid) if pid in old_posts else [])
            total += math.ceil(len(fresh) / 100)
        fresh = {q["id"] for q in after.visible_quotes(pid)} - (
            {q["id"] for q in before.visible_quotes(pid)} if pid in old_posts else set())
        total += math.ceil(len(fresh) / 100)
    return total


def sample_refreshes(tmp: Path, refreshes: int, hours: float) -> list[tuple[datetime, int, int, int]]:
    clock = Clock(ANCHOR, frozen=True)
    world = World(generate_sample_world(ANCHOR))
    rows = []
    with SandboxServer(world, clock, window_seconds=15) as server:
        init_db(tmp / "sample.sqlite")
        host = OneServer(server)
        account = connect_sandbox_account(host, "sample", clock)
        options = SyncOptions(own_posts_days=OWN_POSTS_DAYS)
        report = sync_account(account, host, clock, options=options)
        rows.append((clock.now(), sum(report.requests.values()), 0, sum(report.activities_added.values())))
        for _ in range(refreshes):
            before = world.state_at(clock.now())
            clock.advance(timedelta(hours=hours))
            minimum = minimum_requests(before, world.state_at(clock.now()), clock.now())
            report = sync_account(account, host, clock, options=options)
            rows.append((clock.now(), sum(report.requests.values()), minimum, sum(report.activities_added.values())))
        close_db()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=24)
    parser.add_argument("--hours", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        mention_requests = first_import_mentions(Path(tmp))
        print(f"First import of the real world: {mention_requests} mention requests for the 800 newest "
              f"(target 8)")
        rows = sample_refreshes(Path(tmp), args.refreshes, args.hours)
    first = rows[0]
    print(f"Sample first import: {first[1]} requests, {first[3]} activities")
    print("refresh at (UTC)    requests  minimum  ratio  new activities")
    for at, made, minimum, added in rows[1:]:
        print(f"{at:%Y-%m-%d %H:%M}    {made:>8}  {minimum:>7}  {made / minimum:>5.2f}  {added:>14}")
    made = sum(r[1] for r in rows[1:])
    minimum = sum(r[2] for r in rows[1:])
    print(f"All refreshes: {made} requests, minimum {minimum}, ratio {made / minimum:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
