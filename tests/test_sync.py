"""The sync against the sandbox over real HTTP, with an unmodified tweepy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ahoy_desktop.db.models import Account, Activity, Identity, Member, OwnPost, RequestLog, SyncCursor
from ahoy_desktop.sync.engine import SyncOptions
from ahoy_desktop.workspace import sync_account

ME = "2244994945"


def activity_set():
    return {
        (a.dedup_key, a.kind, a.x_user_id, a.post_id, a.text, a.estimated)
        for a in Activity.select()
    }


def expected_mentions(world):
    newest = sorted(world["mentions"], key=lambda t: int(t["id"]), reverse=True)[:800]
    return [t for t in newest if t["author_id"] != world["me"]["id"]]


def test_real_world_sync_lands_everything_once(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    report = sync_account(account, host, clock)
    assert report.outcome == "ok", report.message

    mentions = expected_mentions(real_world)
    assert len(mentions) == 799
    stored = {a.post_id: a for a in Activity.select().where(Activity.dedup_key.startswith("post:"))}
    assert set(stored) == {t["id"] for t in mentions}
    for tweet in mentions:
        activity = stored[tweet["id"]]
        assert activity.text == (tweet.get("note_tweet") or {}).get("text", tweet["text"])
        assert activity.x_user_id == tweet["author_id"]
        assert not activity.estimated
        assert activity.occurred_at.isoformat().startswith(tweet["created_at"][:19])

    likes = {(a.x_user_id, a.post_id) for a in Activity.select().where(Activity.kind == "like")}
    retweets = {(a.x_user_id, a.post_id) for a in Activity.select().where(Activity.kind == "retweet")}
    assert likes == {(u, p) for p, users in real_world["liking_users"].items() for u in users}
    assert retweets == {(u, p) for p, users in real_world["retweeted_by"].items() for u in users}
    assert len(likes) == 43 and len(retweets) == 38
    for a in Activity.select().where(Activity.kind.in_(["like", "retweet"])):
        assert a.estimated and a.occurred_at == account.connected_at

    # Every author has exactly one member, withheld authors (no user object) included.
    authors = {t["author_id"] for t in mentions} | {u for u, _ in likes | retweets}
    assert {i.x_user_id for i in Identity.select()} == authors
    assert Member.select().count() == len(authors)
    # Mention pages: 8 requests for the 800 newest.
    assert report.requests["users/:id/mentions"] == 8
    assert server.stats()["users/:id/mentions"]["requests"] == 8

    before = activity_set()
    members_before = Member.select().count()
    again = sync_account(account, host, clock)
    assert again.outcome == "ok"
    assert sum(again.activities_added.values()) == 0
    assert activity_set() == before
    assert Member.select().count() == members_before


def test_partial_errors_keep_their_page(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    sync_account(account, host, clock)
    newest = {t["id"] for t in expected_mentions(real_world)}
    with_errors = [tid for tid in real_world["tweet_errors"] if tid in newest]
    assert with_errors, "the real world has partial errors among the newest 800"
    stored = {pid for (pid,) in Activity.select(Activity.post_id).tuples()}
    assert set(with_errors) <= stored


def test_text_is_stored_as_sent_and_long_posts_use_note_tweet(db_path, clock, sandbox, connect, real_world):
    tweet = dict(real_world["mentions"][0])
    tweet.update(id=str(int(tweet["id"]) + 1), text="Q&amp;A soon… https://t.co/x",
                 note_tweet={"text": "Q&amp;A soon, and a very long text " + "x" * 400})
    real_world["mentions"].insert(0, tweet)
    server = sandbox(real_world)
    account, host = connect(server)
    sync_account(account, host, clock)
    stored = Activity.get(Activity.post_id == tweet["id"])
    assert stored.text == tweet["note_tweet"]["text"]
    from ahoy_desktop.sync.posts import unescape_for_display

    assert unescape_for_display(stored.text).startswith("Q&A soon")


def test_rate_limit_mid_paging_resumes_from_cursor(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world, window_seconds=3600)
    account, host = connect(server)
    # The fourth mentions page answers 429 with a reset an hour away: past the wait limit.
    server.inject_fault("users/:id/mentions", after=3)
    report = sync_account(account, host, clock, options=SyncOptions(wait_limit_seconds=60))
    assert report.outcome == "rate_limited"
    assert report.resume_after is not None
    partial = Activity.select().where(Activity.dedup_key.startswith("post:")).count()
    assert 0 < partial < 799
    assert SyncCursor.get(SyncCursor.name == "mentions_token").value

    clock.advance(timedelta(hours=1, seconds=5))
    report = sync_account(account, host, clock)
    assert report.outcome == "ok", report.message
    assert report.requests["users/:id/mentions"] == 5  # the pages not read yet, nothing read twice
    assert Activity.select().where(Activity.dedup_key.startswith("post:")).count() == 799


def test_short_rate_limit_wait_is_waited_and_reported(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world, window_seconds=30, limits={"users/:id/mentions": 3})
    account, host = connect(server)
    start = clock.now()
    report = sync_account(account, host, clock)
    assert report.outcome == "ok", report.message
    assert report.waits and report.waits[0][0] == "users/:id/mentions"
    assert clock.now() - start >= timedelta(seconds=30)
    # Paced by the headers: no request was spent on a 429.
    assert server.stats()["users/:id/mentions"].get("statuses", {}).get(429, 0) == 0
    assert Activity.select().where(Activity.dedup_key.startswith("post:")).count() == 799


def test_429_without_reset_header_backs_off(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    server.inject_fault("users/:id/mentions", after=1, headers={"x-rate-limit-reset": None}, times=2)
    start = clock.now()
    report = sync_account(account, host, clock)
    assert report.outcome == "ok", report.message
    assert len(report.waits) == 2
    assert clock.now() - start >= timedelta(seconds=2 + 4)


@pytest.mark.parametrize("raw_body", [b'{"data": [{"id": "1", "te', b"<html><body>Over capacity</body></html>"])
def test_malformed_page_is_retried_and_loses_nothing(db_path, clock, sandbox, connect, real_world, raw_body):
    server = sandbox(real_world)
    account, host = connect(server)
    server.inject_fault("users/:id/mentions", status=200, raw_body=raw_body, after=2)
    report = sync_account(account, host, clock)
    assert report.outcome == "ok", report.message
    assert Activity.select().where(Activity.dedup_key.startswith("post:")).count() == 799
    errors = [r.error for r in RequestLog.select().where(RequestLog.error != "")]
    assert "malformed page" in errors


def test_persistent_server_errors_stop_with_a_message_and_keep_data(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    # Five 503s in a row: the first try and four retries with backoff.
    server.inject_fault("users/:id/mentions", status=503, body={"title": "Service Unavailable"}, after=2, times=5)
    report = sync_account(account, host, clock)
    assert report.outcome == "failed"
    assert "503" in report.message and "resumes" in report.message
    kept = Activity.select().where(Activity.dedup_key.startswith("post:")).count()
    first_two_pages = sorted(real_world["mentions"], key=lambda t: int(t["id"]), reverse=True)[:200]
    assert kept == sum(1 for t in first_two_pages if t["author_id"] != ME)
    report = sync_account(account, host, clock)
    assert report.outcome == "ok"
    assert Activity.select().where(Activity.dedup_key.startswith("post:")).count() == 799
    assert Account.get_by_id(account.id).last_sync_outcome == "ok"


def test_member_attaches_to_handle_only_member_ignoring_case(db_path, clock, sandbox, connect, real_world):
    tweet = expected_mentions(real_world)[0]
    author = real_world["users"][tweet["author_id"]]
    waiting = Member.create(name="Imported", x_handle=author["username"].upper(), first_seen_at=clock.now())
    Identity.create(member=waiting, x_user_id=None, handle=author["username"].upper(),
                    handle_lower=author["username"].lower(), first_seen_at=clock.now())
    server = sandbox(real_world)
    account, host = connect(server)
    sync_account(account, host, clock)
    identity = Identity.get(Identity.x_user_id == author["id"])
    assert identity.member_id == waiting.id
    assert Activity.get(Activity.post_id == tweet["id"]).member_id == waiting.id


def test_cancel_between_requests_then_resume(db_path, clock, sandbox, connect, real_world):
    import threading

    server = sandbox(real_world)
    account, host = connect(server)
    cancel = threading.Event()

    def progress(p):
        if p.stage == "mentions" and p.done >= 300:
            cancel.set()

    report = sync_account(account, host, clock, progress=progress, cancel=cancel)
    assert report.outcome == "cancelled"
    report = sync_account(account, host, clock)
    assert report.outcome == "ok"
    assert Activity.select().where(Activity.dedup_key.startswith("post:")).count() == 799


def test_own_post_deleted_is_marked_and_keeps_activities(db_path, clock, sandbox, connect, real_world):
    from ahoy_desktop.clock import to_iso

    post_id = "1293593516040269825"
    for post in real_world["posts"]:
        post["created_at"] = to_iso(clock.now() - timedelta(days=3))
    real_world["events"] = [{"at": to_iso(clock.now() + timedelta(hours=1)), "type": "delete", "tweet_id": post_id}]
    server = sandbox(real_world)
    account, host = connect(server)
    sync_account(account, host, clock)
    likes = Activity.select().where(Activity.post_id == post_id, Activity.kind == "like").count()
    assert likes == 43
    clock.advance(timedelta(hours=2))
    report = sync_account(account, host, clock)
    assert report.posts_deleted == 1
    post = OwnPost.get(OwnPost.post_id == post_id)
    assert post.deleted and post.text == ""
    assert Activity.select().where(Activity.post_id == post_id, Activity.kind == "like").count() == likes


def test_plain_retweet_in_mentions_is_the_same_retweet_with_its_real_time(db_path, clock, sandbox, connect,
                                                                         real_world):
    """X files a plain retweet of your post under your mentions; retweeted_by lists the person too."""
    post_id = "1415348607813832708"
    retweeter = real_world["retweeted_by"][post_id][0]
    newest = max(int(t["id"]) for t in real_world["mentions"])
    rt = {"id": str(newest + 1), "author_id": retweeter, "created_at": "2023-01-06T10:00:00.000Z",
          "text": "RT @TwitterDev: (text not recorded)", "referenced_tweets": [{"type": "retweeted", "id": post_id}],
          "edit_history_tweet_ids": [str(newest + 1)]}
    real_world["mentions"].insert(0, rt)
    server = sandbox(real_world)
    account, host = connect(server)
    report = sync_account(account, host, clock)
    assert report.activities_added["retweet"] == 38
    retweet = Activity.get(Activity.kind == "retweet", Activity.x_user_id == retweeter)
    assert not retweet.estimated
    assert retweet.occurred_at.isoformat().startswith("2023-01-06T10:00:00")
    assert not Activity.select().where(Activity.post_id == rt["id"], Activity.kind == "mention").exists()
