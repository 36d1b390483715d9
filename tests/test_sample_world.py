"""The sample workspace's generated world: same every time, real-shaped, consistent, alive after the anchor."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from ahoy_desktop.clock import parse_iso
from ahoy_desktop.sandbox.sample_world import generate_sample_world
from ahoy_desktop.sandbox.world import World

from .conftest import ROOT

ANCHOR = datetime(2026, 12, 3, 14, 5, 9, 250000, tzinfo=UTC)
TWEPOCH_MS = 1288834974657
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z\Z")
HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}\Z")


# The default world, and another seed at another anchor: the invariants hold for any.
CASES = [(ANCHOR, 20261203), (datetime(2027, 3, 1, 8, 0, 0, 999, tzinfo=UTC), 5)]


@pytest.fixture(scope="module", params=CASES, ids=["default", "seed5-march"])
def case(request):
    return request.param


@pytest.fixture(scope="module")
def anchor(case):
    return case[0]


@pytest.fixture(scope="module")
def world(case):
    return generate_sample_world(*case)


@pytest.fixture(scope="module")
def default_world():
    return generate_sample_world(ANCHOR)


def all_tweets(world):
    """Every tweet object the world holds, with where it sits."""
    for t in world["posts"]:
        yield "posts", t
    for t in world["mentions"]:
        yield "mentions", t
    for quotes in world["quote_tweets"].values():
        for t in quotes:
            yield "quotes", t
    for e in world["events"]:
        if "tweet" in e:
            yield e["type"], e["tweet"]


def users_ever(world):
    """Every user id the world knows at some moment, the account included."""
    ids = {world["me"]["id"], *world["users"]}
    ids |= {e["user"]["id"] for e in world["events"] if e["type"] == "user"}
    return ids


def test_same_anchor_and_seed_give_the_same_world(default_world):
    again = generate_sample_world(ANCHOR)
    assert json.dumps(again, sort_keys=True) == json.dumps(default_world, sort_keys=True)
    other = generate_sample_world(ANCHOR, seed=7)
    assert json.dumps(other, sort_keys=True) != json.dumps(default_world, sort_keys=True)


def test_same_world_in_another_process_whatever_the_hash_seed(default_world):
    """Nothing may depend on set order, which PYTHONHASHSEED changes between runs."""
    code = (
        "import json, sys; from datetime import datetime; "
        "from ahoy_desktop.sandbox.sample_world import generate_sample_world; "
        f"sys.stdout.write(json.dumps(generate_sample_world(datetime.fromisoformat({ANCHOR.isoformat()!r})), "
        "sort_keys=True))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True
    ).stdout
    assert out == json.dumps(default_world, sort_keys=True)


def test_generation_is_fast():
    """Well under 1.5 s; the best of two runs, so a busy machine doesn't fail it."""
    took = []
    for hours in (5, 6):
        start = time.perf_counter()
        generate_sample_world(ANCHOR + timedelta(hours=hours))
        took.append(time.perf_counter() - start)
    assert min(took) < 1.5


def test_counts_fit_a_believable_community(world, anchor):
    assert world["format"] == "ahoy-sandbox-world/1"
    assert 1900 <= len(world["users"]) <= 2100
    assert 120 <= len(world["posts"]) <= 180
    assert 800 < len(world["mentions"]) < 1500
    oldest = anchor - timedelta(days=90)
    for t in world["posts"] + world["mentions"]:
        assert oldest <= parse_iso(t["created_at"]) <= anchor


def test_tweets_have_x_shapes_and_snowflake_ids(world):
    ids = Counter()
    for where, t in all_tweets(world):
        for key in ("id", "text", "author_id", "created_at", "conversation_id", "lang", "edit_history_tweet_ids"):
            assert key in t, (where, key, t)
        assert t["id"].isdigit() and t["author_id"].isdigit() and ISO.match(t["created_at"])
        assert t["id"] == t["edit_history_tweet_ids"][-1]
        # The id carries the time, as X's snowflakes do: newest first by id is newest first by time.
        ms = (int(t["id"]) >> 22) + TWEPOCH_MS
        assert ms // 1000 == int(parse_iso(t["created_at"]).timestamp())
        for ref in t.get("referenced_tweets", []):
            assert ref["type"] in ("replied_to", "quoted", "retweeted") and ref["id"].isdigit()
        if where in ("posts", "mentions", "quotes"):
            assert set(t["public_metrics"]) >= {"retweet_count", "reply_count", "like_count", "quote_count"}
        for m in t.get("entities", {}).get("mentions", []):
            assert t["text"][m["start"] : m["end"]] == "@" + m["username"]
        for h in t.get("entities", {}).get("hashtags", []):
            assert t["text"][h["start"] : h["end"]] == "#" + h["tag"]
        for u in t.get("entities", {}).get("urls", []):
            assert t["text"][u["start"] : u["end"]] == u["url"] and u["expanded_url"].startswith("http")
        if where in ("posts", "mentions"):
            ids[(where, t["id"])] += 1
    assert max(ids.values()) == 1
    for timeline in ("posts", "mentions"):
        order = [int(t["id"]) for t in world[timeline]]
        assert order == sorted(order, reverse=True)


def test_mentions_mix_replies_quotes_retweets_long_posts_and_languages(world):
    me = world["me"]["id"]
    kinds = Counter()
    for t in world["mentions"]:
        refs = {r["type"] for r in t.get("referenced_tweets", [])}
        kinds["own" if t["author_id"] == me else next(iter(refs), "plain")] += 1
        if t["text"].startswith("RT @"):
            assert refs == {"retweeted"}
    assert kinds["replied_to"] > 400 and kinds["quoted"] > 20 and kinds["plain"] > 200
    assert 3 <= kinds["retweeted"] <= 60 and 1 <= kinds["own"] <= 3
    replies = [t for t in world["mentions"] if t.get("in_reply_to_user_id") == me]
    assert all(t["conversation_id"] != t["id"] for t in replies)
    long_posts = [t for t in world["mentions"] + world["posts"] if "note_tweet" in t]
    assert len(long_posts) >= 3
    assert all(len(t["note_tweet"]["text"]) > len(t["text"]) and t["text"].endswith("…") for t in long_posts)
    assert any("&amp;" in t["text"] for t in world["mentions"] + world["posts"])
    langs = Counter(t["lang"] for t in world["mentions"])
    assert {"en", "ja", "es", "pt", "ko", "zh", "ar", "ru"} <= set(langs)
    assert langs["en"] < 0.8 * len(world["mentions"])


def test_activity_is_concentrated_with_a_long_tail(world):
    authors = Counter(t["author_id"] for t in world["mentions"])
    top = sum(n for _, n in authors.most_common(100))
    assert top > 0.45 * len(world["mentions"])
    assert sum(1 for n in authors.values() if n == 1) > 150
    likes = sorted((len(v) for v in world["liking_users"].values()), reverse=True)
    assert likes[2] >= 200 and statistics.median(likes) < 40


def test_public_metrics_match_the_lists(world):
    replies = Counter(
        r["id"] for t in world["mentions"] for r in t.get("referenced_tweets", []) if r["type"] == "replied_to"
    )
    for post in world["posts"]:
        pm, pid = post["public_metrics"], post["id"]
        assert pm["like_count"] == len(world["liking_users"].get(pid, []))
        assert pm["retweet_count"] == len(world["retweeted_by"].get(pid, []))
        assert pm["quote_count"] == len(world["quote_tweets"].get(pid, []))
        assert pm["reply_count"] == replies[pid]
    for pid, quotes in world["quote_tweets"].items():
        assert all(any(r == {"type": "quoted", "id": pid} for r in q["referenced_tweets"]) for q in quotes)
    for lists in (world["liking_users"], world["retweeted_by"]):
        for people in lists.values():
            assert len(people) == len(set(people))


def test_sandbox_serves_the_world_with_the_same_metrics(world, anchor):
    state = World(world).state_at(anchor)
    assert len(state.visible_mentions()) == 800
    served = {t["id"]: t["public_metrics"] for t in state.visible_posts()}
    assert served == {t["id"]: t["public_metrics"] for t in world["posts"]}
    later = World(world).state_at(anchor + timedelta(days=30))
    newest = later.visible_posts()[0]
    assert newest["public_metrics"]["like_count"] == len(later.likers(newest["id"]))


def test_everything_resolves_except_the_deliberate_errors(world):
    users, me = world["users"], world["me"]["id"]
    tweet_ids = {t["id"] for _, t in all_tweets(world)}
    errors = world["tweet_errors"]
    for where, t in all_tweets(world):
        if where in ("posts", "mentions", "quotes"):
            assert t["author_id"] in users or t["author_id"] == me
        flagged = {e["value"] for e in errors.get(t["id"], [])}
        for m in t.get("entities", {}).get("mentions", []):
            assert m.get("id") in users_ever(world) or m["username"] in flagged
        for ref in t.get("referenced_tweets", []):
            assert ref["id"] in tweet_ids or ref["id"] in flagged
    for lists in (world["liking_users"], world["retweeted_by"]):
        for pid, people in lists.items():
            assert pid in {p["id"] for p in world["posts"]}
            assert all(uid in users for uid in people)
    titles = sorted(e["title"] for errs in errors.values() for e in errs)
    assert titles == ["Authorization Error", "Forbidden", "Not Found Error"]
    for errs in errors.values():
        for e in errs:
            assert {"detail", "parameter", "resource_id", "resource_type", "title", "type", "value"} <= set(e)


def test_users_look_like_x_users(world, anchor):
    users = list(world["users"].values()) + [world["me"]]
    handles = [u["username"].lower() for u in users]
    assert len(handles) == len(set(handles))
    full = [u for u in users if "public_metrics" in u]
    assert len(full) > 0.85 * len(users)
    assert sum(1 for u in users if set(u) == {"id", "name", "username"}) > 40
    for u in users:
        assert u["id"].isdigit() and 6 <= len(u["id"]) <= 19 and HANDLE.match(u["username"]) and u["name"]
        if "created_at" in u:
            assert datetime(2007, 1, 1, tzinfo=UTC) < parse_iso(u["created_at"]) < anchor
        if u.get("url"):
            link = u["entities"]["url"]["urls"][0]
            assert link["url"] == u["url"] and link["expanded_url"].startswith("http") and link["display_url"]
        for h in u.get("entities", {}).get("description", {}).get("hashtags", []):
            assert u["description"][h["start"] : h["end"]] == "#" + h["tag"]
    for u in full:
        assert re.match(r"https://(pbs|abs)\.twimg\.com/.+_normal\.(jpg|jpeg|png)\Z", u["profile_image_url"])
        assert u["verified_type"] in ("none", "blue", "business", "government")
        assert u["verified"] == (u["verified_type"] != "none")
        assert set(u["public_metrics"]) == {
            "followers_count",
            "following_count",
            "tweet_count",
            "listed_count",
            "like_count",
        }
    lengths = Counter(len(u["id"]) for u in users)
    assert sum(n for k, n in lengths.items() if k <= 10) > 300 and sum(n for k, n in lengths.items() if k >= 18) > 300
    followers = [u["public_metrics"]["followers_count"] for u in full]
    assert sum(f < 500 for f in followers) > 0.6 * len(followers) and sum(f > 50000 for f in followers) >= 3
    assert 0.3 < sum(1 for u in users if u.get("url")) / len(users) < 0.5
    assert 5 <= sum(1 for u in full if u["protected"]) <= 60
    assert {"blue", "business", "government"} <= {u["verified_type"] for u in full}
    assert world["me"]["public_metrics"]["followers_count"] in range(5000, 6001)


def test_names_come_from_many_scripts_and_some_have_emoji(world):
    names = [u["name"] for u in world["users"].values()]
    scripts = Counter()
    for name in names:
        for ch in set(name):
            if ch.isalpha():
                scripts[unicodedata.name(ch, "?").split()[0]] += 1
    assert {"CJK", "HIRAGANA", "HANGUL", "ARABIC", "HEBREW", "CYRILLIC", "DEVANAGARI", "THAI"} <= set(scripts)
    assert any(re.search(r"[éüñçøłãő]", n) for n in names)
    assert sum(1 for n in names if any(unicodedata.category(c) == "So" for c in n)) > 50


def test_events_are_after_the_anchor_sorted_and_every_day_has_some(world, anchor):
    events = world["events"]
    times = [parse_iso(e["at"]) for e in events]
    assert times == sorted(times)
    assert anchor < times[0] and times[-1] <= anchor + timedelta(days=30)
    days = Counter((t - anchor) // timedelta(days=1) for t in times)
    assert all(days[d] >= 1 for d in range(30))
    kinds = Counter(e["type"] for e in events)
    assert {"mention", "like", "retweet", "quote", "post", "user", "delete"} <= set(kinds)
    for e in events:
        if "tweet" in e:
            assert e["tweet"]["created_at"] == e["at"]


def test_events_refer_only_to_what_exists_by_then(world):
    """Replay the events: every user and post they name exists, nobody likes twice, deletes are final."""
    users = {world["me"]["id"], *world["users"]}
    posts = {p["id"] for p in world["posts"]}
    likers = {k: set(v) for k, v in world["liking_users"].items()}
    retweeters = {k: set(v) for k, v in world["retweeted_by"].items()}
    deleted = set()
    known = {t["id"] for _, t in all_tweets(world)}
    flagged = {e["value"] for errs in world["tweet_errors"].values() for e in errs}
    for e in world["events"]:
        if e["type"] == "user":
            users.add(e["user"]["id"])
        elif e["type"] in ("like", "retweet"):
            lists = likers if e["type"] == "like" else retweeters
            assert e["post_id"] in posts and e["user_id"] in users
            assert e["user_id"] not in lists.setdefault(e["post_id"], set())
            lists[e["post_id"]].add(e["user_id"])
        elif e["type"] == "delete":
            assert e["tweet_id"] in posts
            posts.discard(e["tweet_id"])
            deleted.add(e["tweet_id"])
        else:
            tweet = e["tweet"]
            assert tweet["author_id"] in users
            for m in tweet.get("entities", {}).get("mentions", []):
                assert m.get("id") in users or m["username"] in flagged
            for ref in tweet.get("referenced_tweets", []):
                assert ref["id"] in known and ref["id"] not in deleted
            if e["type"] == "quote":
                assert e["post_id"] in posts
            if e["type"] == "post":
                assert tweet["author_id"] == world["me"]["id"]
                posts.add(tweet["id"])
    assert deleted


def test_people_change_over_time(world):
    changes = [e["user"] for e in world["events"] if e["type"] == "user"]
    before = {**world["users"]}
    renamed = [
        (before[u["id"]]["username"], u["username"])
        for u in changes
        if u["id"] in before and before[u["id"]]["username"] != u["username"]
    ]
    assert any(old.lower() != new.lower() for old, new in renamed)
    assert any(old.lower() == new.lower() for old, new in renamed)
    newcomers = [u for u in changes if u["id"] not in before]
    assert len(newcomers) >= 1
    first_act = {}
    for e in world["events"]:
        who = e.get("user_id") or e.get("tweet", {}).get("author_id")
        first_act.setdefault(who, e["at"])
    for u in newcomers:
        joined = next(e["at"] for e in world["events"] if e["type"] == "user" and e["user"]["id"] == u["id"])
        assert u["id"] in first_act and joined < first_act[u["id"]]
    # A renamed member's later mentions by others use the new handle.
    old, new = next((o, n) for o, n in renamed if o.lower() != n.lower())
    when = next(e["at"] for e in world["events"] if e["type"] == "user" and e["user"]["username"] == new)
    later = [e["tweet"]["text"] for e in world["events"] if "tweet" in e and e["at"] > when]
    assert not any(re.search(rf"@{old}\b", text) for text in later)
