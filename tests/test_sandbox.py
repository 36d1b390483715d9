"""The X API v2 sandbox over real loopback HTTP, with requests and an unmodified tweepy.Client."""

from __future__ import annotations

import copy
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import tweepy

from ahoy_desktop.clock import Clock, to_iso
from ahoy_desktop.sandbox import SandboxServer, World

REAL_WORLD = Path("/work/shared/corpus/real-world.json")
START = datetime(2026, 12, 1, tzinfo=UTC)
ME = "2244994945"
LIKED_POST = "1293593516040269825"  # 43 recorded likers
RETWEETED_POST = "1415348607813832708"  # 38 recorded retweeters


@pytest.fixture(scope="module")
def real_data() -> dict:
    return json.loads(REAL_WORLD.read_text(encoding="utf-8"))


@pytest.fixture
def data(real_data: dict) -> dict:
    return copy.deepcopy(real_data)


@pytest.fixture
def clock() -> Clock:
    return Clock(START, frozen=True)


class RewritingSession(requests.Session):
    """tweepy hard-codes https://api.twitter.com; point it at the sandbox instead."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        return super().request(method, url.replace("https://api.twitter.com", self.base_url, 1), *args, **kwargs)


class Sandbox:
    """A running server plus an authorised requests session and a tweepy client."""

    def __init__(self, world: World, clock: Clock, **kwargs) -> None:
        self.clock = clock
        self.server = SandboxServer(world, clock, **kwargs)
        self.url = self.server.start()
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer test-token"
        self.client = tweepy.Client(bearer_token="x", return_type=requests.Response)
        self.client.session.close()
        self.client.session = RewritingSession(self.url)

    def get(self, path: str, **params) -> requests.Response:
        return self.http.get(self.url + path, params=params)

    def close(self) -> None:
        self.http.close()
        self.client.session.close()
        self.server.stop()


@pytest.fixture
def make_sandbox(clock: Clock):
    made: list[Sandbox] = []

    def make(world_data: dict, **kwargs) -> Sandbox:
        box = Sandbox(World(world_data), clock, **kwargs)
        made.append(box)
        return box

    yield make
    for box in made:
        box.close()


@pytest.fixture
def box(make_sandbox, data: dict) -> Sandbox:
    return make_sandbox(data)


def at(hours: float) -> str:
    return to_iso(START + timedelta(hours=hours))


# -- mentions timeline ------------------------------------------------------------


def test_real_mentions_page_through_800_newest_with_tweepy(box: Sandbox, real_data: dict) -> None:
    pages = list(
        tweepy.Paginator(
            box.client.get_users_mentions,
            ME,
            max_results=100,
            expansions="author_id",
            tweet_fields="created_at,author_id",
        )
    )
    assert len(pages) == 8
    bodies = [p.json() for p in pages]
    ids = [t["id"] for b in bodies for t in b["data"]]
    assert len(ids) == 800 and all(isinstance(i, str) for i in ids)
    assert [int(i) for i in ids] == sorted((int(i) for i in ids), reverse=True)
    assert ids == [t["id"] for t in real_data["mentions"][:800]]
    assert "next_token" not in bodies[-1]["meta"]
    for body in bodies:
        meta = body["meta"]
        assert meta["result_count"] == len(body["data"]) == 100
        assert meta["newest_id"] == body["data"][0]["id"] and meta["oldest_id"] == body["data"][-1]["id"]
    # includes.users: every author the world knows, once; withheld authors simply absent
    users = real_data["users"]
    absent = 0
    for body in bodies:
        included = [u["id"] for u in body["includes"]["users"]]
        assert len(included) == len(set(included))
        for tweet in body["data"]:
            known = tweet["author_id"] in users or tweet["author_id"] == ME
            assert (tweet["author_id"] in included) == known
            absent += not known
    assert absent == 6
    # partial errors ride on the pages of the tweets they concern
    served_errors = [e for b in bodies for e in b.get("errors", [])]
    expected = {json.dumps(e, sort_keys=True) for i in ids for e in real_data["tweet_errors"].get(i, [])}
    assert {json.dumps(e, sort_keys=True) for e in served_errors} == expected
    assert len(served_errors) == len(expected) > 0
    assert pages[0].headers["content-type"] == "application/json; charset=utf-8"


def test_since_id_and_until_id(box: Sandbox, real_data: dict) -> None:
    newest = [t["id"] for t in real_data["mentions"]]
    body = box.get(f"/2/users/{ME}/mentions", max_results=100, since_id=newest[50]).json()
    assert [t["id"] for t in body["data"]] == newest[:50]
    assert "next_token" not in body["meta"]
    # the 800 cap holds whatever since_id asks for
    total, token = 0, None
    while True:
        params = {"max_results": 100, "since_id": newest[-1], **({"pagination_token": token} if token else {})}
        body = box.get(f"/2/users/{ME}/mentions", **params).json()
        total += body["meta"]["result_count"]
        token = body["meta"].get("next_token")
        if not token:
            break
    assert total == 800
    body = box.get(f"/2/users/{ME}/mentions", max_results=5, until_id=newest[10]).json()
    assert [t["id"] for t in body["data"]] == newest[11:16]
    empty = box.get(f"/2/users/{ME}/mentions", since_id=newest[0]).json()
    assert empty == {"meta": {"result_count": 0}}


def test_field_selection_returns_only_asked_fields_the_world_has(box: Sandbox, real_data: dict) -> None:
    older = real_data["mentions"][450]["id"]  # older posts predate edit history
    body = box.get(f"/2/users/{ME}/mentions", max_results=100, until_id=older, **{"tweet.fields": "created_at"}).json()
    for tweet in body["data"]:
        assert set(tweet) <= {"id", "text", "edit_history_tweet_ids", "created_at"}
        assert {"id", "text", "created_at"} <= set(tweet)
    world = {t["id"]: t for t in real_data["mentions"]}
    assert any("edit_history_tweet_ids" not in world[t["id"]] for t in body["data"])
    for tweet in body["data"]:
        assert ("edit_history_tweet_ids" in tweet) == ("edit_history_tweet_ids" in world[tweet["id"]])
    body = box.get(
        f"/2/users/{ME}/mentions",
        max_results=100,
        expansions="author_id",
        **{"user.fields": "description,public_metrics"},
    ).json()
    assert all("author_id" in t and "created_at" not in t for t in body["data"])
    for user in body["includes"]["users"]:
        source = real_data["users"].get(user["id"]) or real_data["me"]
        assert set(user) == {"id", "name", "username", "description", "public_metrics"} & set(source)
    bad = box.get(f"/2/users/{ME}/mentions", **{"tweet.fields": "colour"})
    assert bad.status_code == 400 and bad.json()["title"] == "Invalid Request"


def test_referenced_tweets_expansion(make_sandbox, data: dict) -> None:
    own = data["posts"][1]
    reply = {
        "id": "1900000000000000000",
        "text": "@TwitterDev yes",
        "author_id": "783214",
        "created_at": at(-1),
        "referenced_tweets": [{"type": "replied_to", "id": own["id"]}],
    }
    data["events"] = [{"at": at(-1), "type": "mention", "tweet": reply}]
    data["users"]["783214"] = {"id": "783214", "name": "Twitter", "username": "Twitter"}
    box = make_sandbox(data)
    body = box.get(
        f"/2/users/{ME}/mentions",
        max_results=5,
        expansions="referenced_tweets.id,referenced_tweets.id.author_id,author_id",
    ).json()
    assert body["data"][0]["referenced_tweets"] == reply["referenced_tweets"]
    assert [t["id"] for t in body["includes"]["tweets"]] == [own["id"]]
    assert {"783214", ME} <= {u["id"] for u in body["includes"]["users"]}
    # a reply that arrived by event counts on the post it answers
    post = box.get(f"/2/tweets/{own['id']}", **{"tweet.fields": "public_metrics"}).json()["data"]
    assert post["public_metrics"]["reply_count"] == 1


# -- lookups ----------------------------------------------------------------------


def test_tweets_lookup_finds_posts_and_mentions_and_reports_missing(box: Sandbox, real_data: dict) -> None:
    mention = real_data["mentions"][3]["id"]
    response = box.client.get_tweets([LIKED_POST, mention, "1"], tweet_fields="public_metrics")
    body = response.json()
    assert [t["id"] for t in body["data"]] == [LIKED_POST, mention]
    assert body["data"][0]["public_metrics"]["like_count"] == 43
    assert body["errors"] == [
        {
            "value": "1",
            "detail": "Could not find tweet with ids: [1].",
            "title": "Not Found Error",
            "resource_type": "tweet",
            "parameter": "ids",
            "resource_id": "1",
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
    ]
    too_many = box.get("/2/tweets", ids=",".join(str(i) for i in range(1, 102)))
    assert too_many.status_code == 400 and too_many.json()["type"].endswith("invalid-request")
    me = box.client.get_me(user_auth=False).json()
    assert me == {"data": real_data["me"]}
    users = box.get("/2/users/by", usernames="TwitterDev,nobody_here_x").json()
    assert users["data"][0]["id"] == ME and users["errors"][0]["parameter"] == "usernames"


def test_liking_users_page_most_recent_first(box: Sandbox, real_data: dict) -> None:
    pages = list(tweepy.Paginator(box.client.get_liking_users, LIKED_POST, max_results=10))
    ids = [u["id"] for p in pages for u in p.json().get("data", [])]
    known = [i for i in real_data["liking_users"][LIKED_POST] if i in real_data["users"]]
    assert ids == known and len(pages) == -(-len(known) // 10)
    retweeters = box.client.get_retweeters(RETWEETED_POST).json()
    assert retweeters["meta"]["result_count"] == len(retweeters["data"])
    assert box.get(f"/2/tweets/{LIKED_POST}/quote_tweets").json() == {"meta": {"result_count": 0}}
    assert box.get(f"/2/tweets/{LIKED_POST}/quote_tweets", max_results=5).status_code == 400


# -- events -----------------------------------------------------------------------


def test_events_revealed_as_the_clock_advances(make_sandbox, data: dict, clock: Clock) -> None:
    new = {"id": "1990000000000000000", "text": "@TwitterDev hello", "author_id": "783214", "created_at": at(1)}
    data["events"] = [
        {"at": at(2), "type": "like", "post_id": RETWEETED_POST, "user_id": "783214"},
        {"at": at(1), "type": "mention", "tweet": new},
        {"at": at(3), "type": "retweet", "post_id": RETWEETED_POST, "user_id": "783214"},
        {"at": at(4), "type": "user", "user": {"id": ME, "name": "X Dev", "username": "XDevelopers"}},
    ]
    box = make_sandbox(data)
    first = box.get(f"/2/users/{ME}/mentions", max_results=5).json()
    assert new["id"] not in [t["id"] for t in first["data"]]
    clock.advance(timedelta(hours=1))
    top = box.get(f"/2/users/{ME}/mentions", max_results=5).json()
    assert top["data"][0]["id"] == new["id"]
    # a token fetched before the event still continues right after its page
    after = box.get(f"/2/users/{ME}/mentions", max_results=5, pagination_token=first["meta"]["next_token"]).json()
    assert int(after["data"][0]["id"]) < int(first["data"][-1]["id"])
    assert after["data"][0]["id"] == data["mentions"][5]["id"]

    def metrics() -> dict:
        return box.get(f"/2/tweets/{RETWEETED_POST}", **{"tweet.fields": "public_metrics"}).json()["data"][
            "public_metrics"
        ]

    assert metrics() == {"like_count": 0, "quote_count": 0, "reply_count": 0, "retweet_count": 38}
    clock.advance(timedelta(hours=1))
    assert metrics()["like_count"] == 1
    assert box.get(f"/2/tweets/{RETWEETED_POST}/liking_users").json()["data"][0]["username"] == "Twitter"
    clock.advance(timedelta(hours=1))
    assert metrics()["retweet_count"] == 39
    assert box.get(f"/2/tweets/{RETWEETED_POST}/retweeted_by").json()["data"][0]["id"] == "783214"
    clock.advance(timedelta(hours=1))
    assert box.get("/2/users/me").json()["data"]["username"] == "XDevelopers"


def test_quote_and_post_events(make_sandbox, data: dict, clock: Clock) -> None:
    quote = {
        "id": "1991000000000000000",
        "text": "look",
        "author_id": "783214",
        "created_at": at(1),
        "referenced_tweets": [{"type": "quoted", "id": LIKED_POST}],
    }
    post = {
        "id": "1992000000000000000",
        "text": "new post",
        "author_id": ME,
        "created_at": at(2),
        "public_metrics": {"like_count": 0, "quote_count": 0, "reply_count": 0, "retweet_count": 0},
    }
    data["events"] = [
        {"at": at(1), "type": "quote", "post_id": LIKED_POST, "tweet": quote},
        {"at": at(2), "type": "post", "tweet": post},
    ]
    box = make_sandbox(data)
    clock.advance(timedelta(hours=2))
    quotes = box.client.get_quote_tweets(LIKED_POST).json()
    assert [t["id"] for t in quotes["data"]] == [quote["id"]]
    metrics = box.get(f"/2/tweets/{LIKED_POST}", **{"tweet.fields": "public_metrics"}).json()["data"]
    assert metrics["public_metrics"]["quote_count"] == 1
    timeline = box.client.get_users_tweets(ME, expansions="author_id").json()
    assert timeline["data"][0]["id"] == post["id"] and timeline["includes"]["users"][0]["id"] == ME


def test_delete_event_makes_lookups_answer_not_found(make_sandbox, data: dict, clock: Clock) -> None:
    data["events"] = [{"at": at(1), "type": "delete", "tweet_id": LIKED_POST}]
    box = make_sandbox(data)
    assert LIKED_POST in [t["id"] for t in box.get(f"/2/users/{ME}/tweets").json()["data"]]
    clock.advance(timedelta(hours=1, seconds=1))
    body = box.get("/2/tweets", ids=LIKED_POST).json()
    assert "data" not in body
    assert body["errors"][0]["resource_id"] == LIKED_POST and body["errors"][0]["title"] == "Not Found Error"
    single = box.get(f"/2/tweets/{LIKED_POST}").json()
    assert single["errors"][0]["detail"] == f"Could not find tweet with id: [{LIKED_POST}]."
    assert LIKED_POST not in [t["id"] for t in box.get(f"/2/users/{ME}/tweets").json()["data"]]


def test_state_cache_and_clock_going_back(data: dict) -> None:
    data["events"] = [{"at": at(1), "type": "like", "post_id": RETWEETED_POST, "user_id": "783214"}]
    world = World(data)
    before = world.state_at(START)
    assert world.state_at(START + timedelta(minutes=5)).mentions is before.mentions  # nothing new: no rebuild
    later = world.state_at(START + timedelta(hours=2))
    assert later.likers(RETWEETED_POST) == ["783214"] and before.likers(RETWEETED_POST) == []
    assert world.state_at(START).likers(RETWEETED_POST) == []


def test_world_load_rejects_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a JSON"):
        World.load(bad)
    bad.write_text(json.dumps({"format": "other/2", "me": {"id": "1"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="ahoy-sandbox-world/1"):
        World.load(bad)
    assert World.load(REAL_WORLD).me["username"] == "TwitterDev"


# -- rate limits, errors, faults, stats -------------------------------------------------


def test_rate_limit_window_on_the_injected_clock(make_sandbox, data: dict, clock: Clock) -> None:
    box = make_sandbox(data, limits={"users/:id/mentions": 2})
    first = box.get(f"/2/users/{ME}/mentions")
    assert first.headers["x-rate-limit-limit"] == "2" and first.headers["x-rate-limit-remaining"] == "1"
    reset = int(first.headers["x-rate-limit-reset"])
    assert reset == math.ceil(clock.timestamp() + 900)  # epoch seconds, never before the window ends
    box.get(f"/2/users/{ME}/mentions")
    with pytest.raises(tweepy.TooManyRequests) as caught:
        box.client.get_users_mentions(ME)
    third = caught.value.response
    assert third.status_code == 429 and caught.value.reset_time == reset
    assert third.headers["x-rate-limit-remaining"] == "0"
    assert third.json() == {
        "title": "Too Many Requests",
        "detail": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
    }
    assert box.get("/2/users/me").status_code == 200  # windows are per endpoint
    clock.set(datetime.fromtimestamp(reset, UTC))
    again = box.get(f"/2/users/{ME}/mentions")
    assert again.status_code == 200 and again.headers["x-rate-limit-remaining"] == "1"
    assert int(again.headers["x-rate-limit-reset"]) == math.ceil(clock.timestamp() + 900)


def test_whole_request_errors(box: Sandbox) -> None:
    assert requests.get(box.url + "/2/users/me").json() == {
        "title": "Unauthorized",
        "detail": "Unauthorized",
        "type": "about:blank",
        "status": 401,
    }
    assert box.get("/2/nothing/here").status_code == 404
    bad = box.get(f"/2/users/{ME}/mentions", pagination_token="garbage!")
    assert bad.status_code == 400 and "pagination_token" in bad.json()["errors"][0]["parameters"]
    assert box.get(f"/2/users/{ME}/mentions", colour="red").status_code == 400


def test_inject_fault(box: Sandbox, clock: Clock) -> None:
    box.server.inject_fault("users/me")
    throttled = box.get("/2/users/me")
    assert throttled.status_code == 429 and throttled.json()["title"] == "Too Many Requests"
    assert int(throttled.headers["x-rate-limit-reset"]) > clock.timestamp()
    assert box.get("/2/users/me").status_code == 200
    box.server.inject_fault("users/me", headers={"x-rate-limit-reset": None}, after=1, times=2)
    assert box.get("/2/users/me").status_code == 200
    for _ in range(2):
        bare = box.get("/2/users/me")
        assert bare.status_code == 429 and "x-rate-limit-reset" not in bare.headers
    assert box.get("/2/users/me").status_code == 200
    box.server.inject_fault(
        "tweets", status=503, raw_body=b"<html><body>Over capacity</body></html>", headers={"content-type": "text/html"}
    )
    page = box.get("/2/tweets", ids=LIKED_POST)
    assert page.status_code == 503 and page.text.startswith("<html>")
    box.server.inject_fault("tweets", status=200, raw_body=b'{"data": [{"id": "12')
    with pytest.raises(requests.JSONDecodeError):
        box.get("/2/tweets", ids=LIKED_POST).json()
    with pytest.raises(tweepy.TwitterServerError):
        box.server.inject_fault("tweets/:id", status=500)
        box.client.get_tweet(LIKED_POST)


def test_stats_count_requests_statuses_and_resources(box: Sandbox) -> None:
    box.server.reset_stats()
    box.get(f"/2/users/{ME}/mentions", max_results=10, expansions="author_id")
    box.get(f"/2/users/{ME}/mentions", max_results=1000)
    box.get("/2/tweets", ids=f"{LIKED_POST},{RETWEETED_POST},1")
    stats = box.server.stats()
    mentions = stats["users/:id/mentions"]
    assert mentions["requests"] == 2 and mentions["statuses"] == {200: 1, 400: 1}
    assert mentions["resources"]["tweets"] == 10 and 0 < mentions["resources"]["users"] <= 10
    assert stats["tweets"] == {"requests": 1, "statuses": {200: 1}, "resources": {"tweets": 2, "users": 0}}
    box.server.reset_stats()
    assert box.server.stats() == {}


def test_previous_token_goes_back_one_page(box: Sandbox) -> None:
    first = box.get(f"/2/users/{ME}/mentions", max_results=7).json()
    second = box.get(f"/2/users/{ME}/mentions", max_results=7, pagination_token=first["meta"]["next_token"]).json()
    assert "previous_token" not in first["meta"]
    back = box.get(f"/2/users/{ME}/mentions", max_results=7, pagination_token=second["meta"]["previous_token"]).json()
    assert back["data"] == first["data"]


def test_concurrent_clients(box: Sandbox) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def fetch(i: int) -> int:
        with requests.Session() as session:
            session.headers["Authorization"] = "Bearer t"
            return sum(
                session.get(f"{box.url}/2/users/{ME}/mentions", params={"max_results": 5}).status_code == 200
                for _ in range(10)
            )

    box.server.reset_stats()
    with ThreadPoolExecutor(4) as pool:
        assert sum(pool.map(fetch, range(4))) == 40
    assert box.server.stats()["users/:id/mentions"]["requests"] == 40
