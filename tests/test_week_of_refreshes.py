"""A week of scheduled refreshes of the sample workspace, compressed in time.

The sandbox and the app share one frozen clock: the test moves it to the
moment the scheduler says the next sync is due, lets the app's sync
controller run it (on its worker thread, as in the window), and repeats for
seven days. At the end the database holds what the sandbox served, activities
and every member's profile, and the process's memory after day 7 is close to
what it was after day 2.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections import Counter
from datetime import timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.clock import parse_iso
from ahoy_desktop.db.models import Activity, Identity, Member
from ahoy_desktop.settings import SYNC_INTERVAL_HOURS
from ahoy_desktop.sync.posts import LIKE, QUOTE, RETWEET, classify
from ui.sync_controller import SyncController, SyncWorker

DAYS = 7
SYNC_TIMEOUT_MS = 120_000
# Growth from the end of day 2 to the end of day 7, both measured after a full collection.
# Live Python blocks, measured: about 2,050. None of it is the app's: the sandbox's world revealing
# new posts and events as its clock runs, caches filling up to their bounds (URLs split, SQL
# statements, sqlite3's list of its cursors) and the reports this test keeps. Holding on to the
# pages of every sync adds 175,000.
BLOCK_GROWTH_LIMIT = 5_000
# Resident memory (RSS), measured: -0.2 to 1.8 MB over six runs. Holding on to the pages of every
# sync adds 6 MB.
RSS_GROWTH_LIMIT = 4 * 2**20


def run_week(context, qtbot, on_day_end=None) -> list:
    """Sync whenever the scheduler says an account is due, for DAYS days; return the reports."""
    clock = context.clock
    scheduler = SyncController(context)
    context.sync = scheduler
    reports = []
    scheduler.account_finished.connect(reports.append)
    failures = []
    scheduler.account_failed.connect(lambda account_id, message: failures.append(message))
    start = clock.now()
    day = 0
    while clock.now() < start + timedelta(days=DAYS):
        now = clock.now()
        if any(scheduler.next_sync_at(a, now) <= now for a in active_accounts()):
            with qtbot.waitSignal(scheduler.finished, timeout=SYNC_TIMEOUT_MS):
                scheduler.sync_due()
            assert not failures, failures
        if (clock.now() - start) // timedelta(days=1) > day:
            day += 1
            if on_day_end is not None:
                on_day_end(day)
        due = min(scheduler.next_sync_at(a, clock.now()) for a in active_accounts())
        clock.set(max(due, clock.now()))
    if on_day_end is not None and day < DAYS:
        on_day_end(DAYS)
    return reports


def served_truth(world, start, end, interval: timedelta) -> dict:
    """What the sandbox served over the week, by dedup key, from the world itself.

    Mentions: the 800 newest when the week began, and every later one.
    Quotes, likers and retweeters: of the account's own posts, including
    those deleted during the week once they had been up for a sync interval
    (a sync saw them before they went).
    """
    boundary = int(world.state_at(start).visible_mentions()[-1]["id"])
    state = world.state_at(end)
    me = state.me["id"]
    own_ids = {p["id"] for p in state.posts if state.visible(p)}
    created = {t["id"]: parse_iso(t["created_at"]) for t in world.data["posts"]}
    created.update({e["tweet"]["id"]: parse_iso(e["at"]) for e in world.events if e["type"] == "post"})
    for event in world.events:
        if event["type"] == "delete" and parse_iso(event["at"]) <= end:
            if parse_iso(event["at"]) - created[event["tweet_id"]] >= interval:
                own_ids.add(event["tweet_id"])
    keys: dict[str, str] = {}
    for tweet in state.mentions:
        if state.visible(tweet) and tweet["author_id"] != me and int(tweet["id"]) >= boundary:
            kind, target = classify(tweet, me, own_ids)
            keys[f"{kind}:{tweet['author_id']}:{target}" if kind == RETWEET else f"post:{tweet['id']}"] = kind
    for post_id in own_ids:
        for quote in state.quotes.get(post_id, []):
            if quote["id"] not in state.deleted and parse_iso(quote["created_at"]) <= end:
                keys.setdefault(f"post:{quote['id']}", QUOTE)
        for user_id in state.likers(post_id):
            keys[f"{LIKE}:{user_id}:{post_id}"] = LIKE
        for user_id in state.retweeters(post_id):
            keys[f"{RETWEET}:{user_id}:{post_id}"] = RETWEET
    return keys


def resident_bytes() -> int:
    """The process's resident memory (RSS), from /proc: no psutil needed."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory() -> tuple[int, int]:
    """(live Python blocks, resident bytes) after a full collection: what a leak would grow."""
    gc.collect()
    return sys.getallocatedblocks(), resident_bytes()


class ServedProfiles:
    """Every user object the sandbox serves, as sent: the newest value of each field per user.

    Wraps the running server's request handler; nothing it answers changes.
    """

    def __init__(self, server):
        self.users: dict[str, dict] = {}
        self._lock = threading.Lock()
        handle = server.handle

        def recording(method, target, headers, body=b""):
            key, outcome = handle(method, target, headers, body)
            body_json = outcome.body if outcome.status == 200 and isinstance(outcome.body, dict) else {}
            users = list((body_json.get("includes") or {}).get("users") or [])
            users += [item for item in body_json.get("data") or [] if isinstance(item, dict) and "username" in item]
            with self._lock:
                for user in users:
                    self.users.setdefault(user["id"], {}).update(user)
            return key, outcome

        server.handle = recording


def expected_profile(user: dict) -> dict:
    """The member fields the default mapping fills from what X sent (a field X left out is not there)."""
    fields = {"name": user.get("name"), "x_handle": user.get("username")}
    for member_field, x_field in (("bio", "description"), ("location", "location"), ("avatar", "profile_image_url")):
        if x_field in user:
            fields[member_field] = user[x_field]
    if "followers_count" in (user.get("public_metrics") or {}):
        fields["followers"] = user["public_metrics"]["followers_count"]
    urls = ((user.get("entities") or {}).get("url") or {}).get("urls") or []
    if urls:
        fields["website"] = urls[0].get("expanded_url") or urls[0].get("url")
    return {k: v for k, v in fields.items() if v is not None}


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="resident memory is read from /proc")
def test_a_week_of_refreshes_ends_with_what_the_sandbox_served_and_memory_stays_flat(synced_sample_context, qtbot):
    context = synced_sample_context
    interval = timedelta(hours=3)
    context.settings.set(SYNC_INTERVAL_HOURS, interval / timedelta(hours=1))
    server = context.session.host.server("sample")
    world = server.world
    served = ServedProfiles(server)
    start = context.clock.now()
    measured: dict[int, tuple[int, int]] = {}

    reports = run_week(context, qtbot, lambda day: measured.__setitem__(day, memory()))

    assert len(reports) >= DAYS * 24 / 3 - 1
    assert all(r.outcome == "ok" for r in reports), [r.message for r in reports if r.outcome != "ok"]
    assert sum(sum(r.activities_added.values()) for r in reports) > 100  # the world went on happening
    truth = served_truth(world, start, context.clock.now(), interval)
    stored = {a.dedup_key: a.kind for a in Activity.select(Activity.dedup_key, Activity.kind)}
    assert set(stored) == set(truth)
    assert stored == truth
    assert Counter(stored.values()) == Counter(truth.values())
    members = {i.x_user_id for i in Identity.select(Identity.x_user_id)}
    assert members == {a.x_user_id for a in Activity.select(Activity.x_user_id)}

    # Every member the sandbox served this week has the profile it served last: names, handles,
    # bios (one rewritten during the week), places, avatars, websites and follower counts.
    profiles = {i.x_user_id: i.member_id for i in Identity.select(Identity.x_user_id, Identity.member)}
    compared = 0
    for x_user_id, user in served.users.items():
        if x_user_id not in profiles:
            continue  # the account itself
        expected = expected_profile(user)
        member = Member.get_by_id(profiles[x_user_id])
        assert {k: getattr(member, k) for k in expected} == expected, x_user_id
        compared += 1
    assert compared > 100
    before = world.state_at(start)
    rewritten = [uid for uid, user in served.users.items() if uid in profiles and before.user(uid) is not None
                 and before.user(uid).get("description") != user.get("description")]
    assert rewritten  # the week held a new bio, compared above

    blocks = measured[DAYS][0] - measured[2][0]
    rss = measured[DAYS][1] - measured[2][1]
    print(f"after day 2: {measured[2][0]:,} blocks, {measured[2][1] / 2**20:.1f} MB resident; day {DAYS}: "
          f"{measured[DAYS][0]:,} blocks, {measured[DAYS][1] / 2**20:.1f} MB; growth {blocks:,} blocks, "
          f"{rss / 2**20:.1f} MB")
    assert blocks < BLOCK_GROWTH_LIMIT
    assert rss < RSS_GROWTH_LIMIT
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the event loop would, after the last
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, SyncWorker)] == []  # each sync's worker was freed
