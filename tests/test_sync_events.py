"""A world that moves between two syncs: handle changes, a late like, a deleted post."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from ahoy_desktop.clock import to_iso
from ahoy_desktop.db.models import Activity, HandleHistory, Identity, Member, OwnPost
from ahoy_desktop.workspace import sync_account

from .conftest import BUILD_WORLD, CORPUS


@pytest.fixture
def kpop_world(tmp_path, clock) -> dict:
    """A world built by the corpus tool from one real search page and the real recordings."""
    out = tmp_path / "kpop-world.json"
    subprocess.run(
        [sys.executable, str(BUILD_WORLD), str(out), "--pages", str(CORPUS / "x-api-pages" / "kpop.jsonl"),
         "--recordings", str(CORPUS / "x-api-recordings")],
        check=True, capture_output=True,
    )
    world = json.loads(out.read_text(encoding="utf-8"))
    for post in world["posts"]:
        post["created_at"] = to_iso(clock.now() - timedelta(days=5))
    return world


def test_events_across_two_syncs(db_path, clock, sandbox, connect, kpop_world):
    world = kpop_world
    mentions = sorted(world["mentions"], key=lambda t: int(t["id"]), reverse=True)
    authors = []
    for tweet in mentions:
        if tweet["author_id"] in world["users"] and tweet["author_id"] not in authors:
            authors.append(tweet["author_id"])
    renamed, recased, liker = authors[0], authors[1], authors[2]
    assert liker not in world["liking_users"]["1293593516040269825"]
    deleted_post = "1415348607813832708"
    at = to_iso(clock.now() + timedelta(hours=1))
    old_handle = world["users"][renamed]["username"]
    world["events"] = [
        {"at": at, "type": "user", "user": {**world["users"][renamed], "username": "brand_new_handle"}},
        {"at": at, "type": "user", "user": {**world["users"][recased],
                                            "username": world["users"][recased]["username"].swapcase()}},
        {"at": at, "type": "like", "post_id": "1293593516040269825", "user_id": liker},
        {"at": at, "type": "delete", "tweet_id": deleted_post},
        {"at": at, "type": "mention", "tweet": {
            "id": str(int(mentions[0]["id"]) + 10), "text": "@TwitterDev hello again", "author_id": renamed,
            "created_at": at, "edit_history_tweet_ids": [str(int(mentions[0]["id"]) + 10)]}},
    ]
    server = sandbox(world)
    account, host = connect(server)
    first = sync_account(account, host, clock)
    assert first.outcome == "ok", first.message
    members_after_first = Member.select().count()
    retweets_of_deleted = Activity.select().where(Activity.post_id == deleted_post).count()
    assert retweets_of_deleted == 38

    clock.advance(timedelta(hours=2))
    second_at = clock.now()
    server.reset_stats()
    second = sync_account(account, host, clock)
    assert second.outcome == "ok", second.message

    # A handle change and a case-only change update history; neither makes a second member.
    assert Member.select().count() == members_after_first
    identity = Identity.get(Identity.x_user_id == renamed)
    assert identity.handle == "brand_new_handle"
    assert {h.handle for h in identity.handles} == {old_handle, "brand_new_handle"}
    assert Activity.get(Activity.post_id == str(int(mentions[0]["id"]) + 10)).member_id == identity.member_id
    recased_identity = Identity.get(Identity.x_user_id == recased)
    assert recased_identity.handle == world["users"][recased]["username"].swapcase()
    assert HandleHistory.select().where(HandleHistory.identity == recased_identity).count() == 2

    # The like found after connecting is dated to the sync that saw it, and marked estimated.
    like = Activity.get(Activity.kind == "like", Activity.x_user_id == liker)
    assert like.estimated and like.occurred_at == second_at
    assert dict(second.activities_added) == {"like": 1, "mention": 1}

    # The deleted own post is marked, its text gone, its activities kept.
    post = OwnPost.get(OwnPost.post_id == deleted_post)
    assert post.deleted and post.text == ""
    assert Activity.select().where(Activity.post_id == deleted_post).count() == retweets_of_deleted

    # The refresh asked only what it had to: who am I, new mentions, new posts,
    # one metrics lookup, and the likers of the one post whose count moved.
    requests = {k: v["requests"] for k, v in server.stats().items() if v["requests"]}
    assert requests == {"users/me": 1, "users/:id/mentions": 1, "users/:id/tweets": 1, "tweets": 1,
                        "tweets/:id/liking_users": 1}
