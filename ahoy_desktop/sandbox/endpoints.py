"""The X API v2 read endpoints the sandbox serves, as pure functions of a WorldState.

Each handler takes the state, the parsed query and the path's ids and returns
a :class:`Reply`; the server adds HTTP, auth, rate limits and stats around it.
Bodies follow X's shapes: ``data`` / ``includes`` / ``errors`` / ``meta``,
partial errors inside a 200, Problem objects for whole-request errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ahoy_desktop.clock import parse_iso
from ahoy_desktop.sandbox.paging import paginate
from ahoy_desktop.sandbox.world import Tweet, User, WorldState

PROBLEMS = "https://api.twitter.com/2/problems/"
ID_RE = re.compile(r"^[0-9]{1,19}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{1,15}$")

DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
DEFAULT_USER_FIELDS = ("id", "name", "username")
# What the live API accepts (tweet.fields / retweet_count naming) plus the spec's newer names.
TWEET_FIELDS = frozenset(
    "article attachments author_id card_uri community_id context_annotations conversation_id created_at "
    "display_text_range edit_controls edit_history_tweet_ids entities geo id in_reply_to_user_id lang "
    "media_metadata non_public_metrics note_tweet organic_metrics possibly_sensitive promoted_metrics "
    "public_metrics referenced_tweets reply_settings scopes source text withheld article_title "
    "matched_media_notes note_post note_request_suggestions paid_partnership suggested_source_links "
    "suggested_source_links_with_counts".split()
)
USER_FIELDS = frozenset(
    "affiliation confirmed_email connection_status created_at description entities id is_identity_verified "
    "location most_recent_tweet_id name parody pinned_tweet_id profile_banner_url profile_image_url "
    "protected public_metrics receives_your_dm subscribes_to_you subscription subscription_type url "
    "username verified verified_followers_count verified_type withheld".split()
)
TWEET_EXPANSIONS = frozenset(
    "attachments.media_keys attachments.media_source_tweet attachments.poll_ids author_id "
    "edit_history_tweet_ids entities.mentions.username geo.place_id in_reply_to_user_id "
    "referenced_tweets.id referenced_tweets.id.author_id referenced_tweets.id.attachments.media_keys "
    "article.cover_media article.media_entities".split()
)
USER_EXPANSIONS = frozenset("pinned_tweet_id most_recent_tweet_id affiliation.user_id".split())
# Asking for an expansion also returns the field it expands, as X does.
IMPLIED_TWEET_FIELDS = {
    "author_id": "author_id",
    "in_reply_to_user_id": "in_reply_to_user_id",
    "referenced_tweets.id": "referenced_tweets",
    "referenced_tweets.id.author_id": "referenced_tweets",
    "attachments.media_keys": "attachments",
    "attachments.poll_ids": "attachments",
    "geo.place_id": "geo",
}
IMPLIED_USER_FIELDS = {"pinned_tweet_id": "pinned_tweet_id", "most_recent_tweet_id": "most_recent_tweet_id"}

FIELD_PARAMS = (
    "tweet.fields",
    "post.fields",
    "user.fields",
    "expansions",
    "media.fields",
    "poll.fields",
    "place.fields",
)
TIMELINE_PARAMS = ("max_results", "pagination_token", "since_id", "until_id", "start_time", "end_time")


class BadRequest(Exception):
    """A 400 Invalid Request, X's shape."""

    def __init__(self, parameter: str, value: str, message: str) -> None:
        super().__init__(message)
        self.body = {
            "errors": [{"parameters": {parameter: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request",
        }


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    tweets: int = 0  # resource objects returned, for stats
    users: int = 0


def problem(status: int, title: str, detail: str | None = None, type_: str = "about:blank") -> dict:
    return {"title": title, "detail": detail or title, "type": type_, "status": status}


def not_found(kind: str, parameter: str, value: str) -> dict:
    """A partial error for a missing resource, as X puts it inside a 200."""
    return {
        "value": value,
        "detail": f"Could not find {kind} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": kind,
        "parameter": parameter,
        "resource_id": value,
        "type": PROBLEMS + "resource-not-found",
    }


class Query:
    """The query string, validated the way X validates it."""

    def __init__(self, params: dict[str, list[str]], allowed: Iterable[str]) -> None:
        self.params = {k: v[-1] for k, v in params.items()}
        allowed = set(allowed)
        for name, value in self.params.items():
            if name not in allowed:
                known = ",".join(sorted(allowed))
                raise BadRequest(name, value, f"The query parameter [{name}] is not one of [{known}]")

    def get(self, name: str) -> str | None:
        return self.params.get(name)

    def csv(self, name: str, allowed: frozenset[str] | None = None) -> list[str]:
        raw = self.params.get(name)
        if raw is None:
            return []
        values = [v for v in raw.split(",") if v]
        if not values:
            raise BadRequest(name, raw, f"The `{name}` query parameter can not be empty")
        for value in values:
            if allowed is not None and value not in allowed:
                raise BadRequest(
                    name,
                    value,
                    f"The `{name}` query parameter value [{value}] is not one of [{','.join(sorted(allowed))}]",
                )
        return list(dict.fromkeys(values))

    def max_results(self, low: int, high: int, default: int) -> int:
        raw = self.params.get("max_results")
        if raw is None:
            return default
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise BadRequest(
                "max_results", raw, f"The `max_results` query parameter value [{raw}] is not between {low} and {high}"
            )
        return int(raw)

    def tweet_id(self, name: str) -> str | None:
        raw = self.params.get(name)
        if raw is not None and not ID_RE.match(raw):
            raise BadRequest(name, raw, f"The `{name}` query parameter value [{raw}] does not match ^[0-9]{{1,19}}$")
        return raw

    def time(self, name: str) -> datetime | None:
        raw = self.params.get(name)
        if raw is None:
            return None
        try:
            return parse_iso(raw)
        except ValueError:
            raise BadRequest(
                name, raw, f"The `{name}` query parameter value [{raw}] is not a valid RFC 3339 date-time"
            ) from None

    def id_list(self, name: str, pattern: re.Pattern[str], shown: str) -> list[str]:
        raw = self.params.get(name)
        values = self.csv(name) if raw is not None else []
        if not values:
            raise BadRequest(name, raw or "", f"The `{name}` query parameter can not be empty")
        if len(values) > 100:
            raise BadRequest(
                name,
                raw or "",
                f"The number of values in the `{name}` query parameter list [{len(values)}] is not between 1 and 100",
            )
        for value in values:
            if not pattern.match(value):
                raise BadRequest(name, value, f"The `{name}` query parameter value [{value}] does not match {shown}")
        return values


def check_path_id(name: str, value: str) -> None:
    if not ID_RE.match(value):
        raise BadRequest(name, value, f"The `{name}` query parameter value [{value}] does not match ^[0-9]{{1,19}}$")


def _select(obj: dict, defaults: tuple[str, ...], wanted: set[str]) -> dict:
    """Only the fields asked for plus the defaults, and only those the world holds."""
    return {k: v for k, v in obj.items() if k in defaults or k in wanted}


class Renderer:
    """Field selection, expansions and partial errors for one request."""

    def __init__(self, state: WorldState, query: Query) -> None:
        self.state = state
        self.expansions = set(query.csv("expansions", TWEET_EXPANSIONS | USER_EXPANSIONS))
        self.tweet_fields = set(query.csv("tweet.fields", TWEET_FIELDS)) | set(query.csv("post.fields", TWEET_FIELDS))
        self.tweet_fields |= {IMPLIED_TWEET_FIELDS[e] for e in self.expansions if e in IMPLIED_TWEET_FIELDS}
        self.user_fields = set(query.csv("user.fields", USER_FIELDS))
        self.user_fields |= {IMPLIED_USER_FIELDS[e] for e in self.expansions if e in IMPLIED_USER_FIELDS}
        for name in ("media.fields", "poll.fields", "place.fields"):
            query.csv(name)  # accepted; the world has no media, polls or places

    def tweet(self, tweet: Tweet) -> dict:
        return _select(tweet, DEFAULT_TWEET_FIELDS, self.tweet_fields)

    def user(self, user: User) -> dict:
        return _select(user, DEFAULT_USER_FIELDS, self.user_fields)

    def tweets(self, tweets: list[Tweet], errors: list[dict] | None = None, single: bool = False) -> Reply:
        """A body whose ``data`` are tweets; ``errors`` are partial errors to put first."""
        state, ex = self.state, self.expansions
        included: dict[str, Tweet] = {}
        users: dict[str, User] = {}

        def add_user(user: User | None) -> None:
            if user is not None:
                users.setdefault(user["id"], user)

        for tweet in tweets:
            if "referenced_tweets.id" in ex or "referenced_tweets.id.author_id" in ex:
                for ref in tweet.get("referenced_tweets") or []:
                    found = state.tweet(ref.get("id", ""))
                    if found is not None and "referenced_tweets.id" in ex:
                        included.setdefault(found["id"], found)
                    if found is not None and "referenced_tweets.id.author_id" in ex:
                        add_user(state.user(found.get("author_id", "")))
            if "edit_history_tweet_ids" in ex:
                for tid in tweet.get("edit_history_tweet_ids") or []:
                    found = state.tweet(tid) if tid != tweet["id"] else None
                    if found is not None:
                        included.setdefault(tid, found)
        for tweet in tweets:
            if "author_id" in ex:
                add_user(state.user(tweet.get("author_id", "")))
            if "in_reply_to_user_id" in ex:
                add_user(state.user(tweet.get("in_reply_to_user_id", "")))
            if "entities.mentions.username" in ex:
                for mention in (tweet.get("entities") or {}).get("mentions") or []:
                    add_user(state.user_by_username(mention.get("username", "")))
        body: dict[str, Any] = {}
        if tweets:
            data = [self.tweet(t) for t in tweets]
            body["data"] = data[0] if single else data
        includes: dict[str, list] = {}
        if users:
            includes["users"] = [self.user(u) for u in users.values()]
        if included:
            includes["tweets"] = [self.tweet(t) for t in included.values()]
        if includes:
            body["includes"] = includes
        all_errors = list(errors or [])
        for tweet in tweets:
            all_errors.extend(state.tweet_errors.get(tweet["id"], []))
        all_errors = _dedupe(all_errors)
        if all_errors:
            body["errors"] = all_errors
        return Reply(200, body, tweets=len(tweets) + len(included), users=len(users))

    def users(self, people: list[User], errors: list[dict] | None = None, single: bool = False) -> Reply:
        """A body whose ``data`` are users (pinned tweets expand into includes.tweets)."""
        included: dict[str, Tweet] = {}
        for user in people:
            for expansion in ("pinned_tweet_id", "most_recent_tweet_id"):
                found = self.state.tweet(user.get(expansion, "")) if expansion in self.expansions else None
                if found is not None:
                    included.setdefault(found["id"], found)
        body: dict[str, Any] = {}
        if people:
            data = [self.user(u) for u in people]
            body["data"] = data[0] if single else data
        if included:
            body["includes"] = {"tweets": [self.tweet(t) for t in included.values()]}
        if errors:
            body["errors"] = _dedupe(errors)
        return Reply(200, body, tweets=len(included), users=len(people))


def _dedupe(errors: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for error in errors:
        seen.setdefault(json.dumps(error, sort_keys=True), error)
    return list(seen.values())


# -- handlers ------------------------------------------------------------------

Handler = Callable[[WorldState, dict[str, list[str]], tuple[str, ...]], Reply]


def users_me(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS)
    return Renderer(state, query).users([state.me], single=True)


def _timeline(
    state: WorldState, query: Query, items: list[Tweet], low: int, high: int, default: int, with_ids: bool = True
) -> Reply:
    size = query.max_results(low, high, default)
    since, until = query.tweet_id("since_id"), query.tweet_id("until_id")
    start, end = query.time("start_time"), query.time("end_time")
    excluded = set(query.csv("exclude", frozenset({"replies", "retweets"})))
    renderer = Renderer(state, query)

    def keep(t: Tweet) -> bool:
        if since is not None and int(t["id"]) <= int(since):
            return False
        if until is not None and int(t["id"]) >= int(until):
            return False
        kinds = {r.get("type") for r in t.get("referenced_tweets") or []}
        if ("replies" in excluded and "replied_to" in kinds) or ("retweets" in excluded and "retweeted" in kinds):
            return False
        created = t.get("created_at")
        if created is not None and (start is not None or end is not None):
            moment = parse_iso(created)
            if (start is not None and moment < start) or (end is not None and moment >= end):
                return False
        return True

    try:
        page = paginate(
            [t for t in items if keep(t)], size, query.get("pagination_token"), lambda t: t["id"], by_id=True
        )
    except ValueError:
        raise BadRequest(
            "pagination_token",
            query.get("pagination_token") or "",
            f"The `pagination_token` query parameter value [{query.get('pagination_token')}] is not valid",
        ) from None
    reply = renderer.tweets(page.items)
    meta: dict[str, Any] = {"result_count": len(page.items)}
    if page.items and with_ids:
        meta["newest_id"], meta["oldest_id"] = page.items[0]["id"], page.items[-1]["id"]
    if page.next_token:
        meta["next_token"] = page.next_token
    if page.previous_token:
        meta["previous_token"] = page.previous_token
    reply.body["meta"] = meta
    return reply


def _user_or_error(state: WorldState, user_id: str) -> Reply | None:
    check_path_id("id", user_id)
    if state.user(user_id) is None:
        return Reply(200, {"errors": [not_found("user", "id", user_id)]})
    return None


def mentions(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS + TIMELINE_PARAMS)
    (user_id,) = args
    missing = _user_or_error(state, user_id)
    if missing:
        return missing
    items = state.visible_mentions() if user_id == state.me["id"] else []
    return _timeline(state, query, items, 5, 100, 10)


def user_tweets(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS + TIMELINE_PARAMS + ("exclude",))
    (user_id,) = args
    missing = _user_or_error(state, user_id)
    if missing:
        return missing
    items = state.visible_posts() if user_id == state.me["id"] else state.tweets_by(user_id)
    return _timeline(state, query, items, 5, 100, 10)


def tweets_lookup(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS + ("ids",))
    ids = query.id_list("ids", ID_RE, "^[0-9]{1,19}$")
    renderer = Renderer(state, query)
    found = [t for t in (state.tweet(i) for i in ids) if t is not None]
    missing = [not_found("tweet", "ids", i) for i in ids if state.tweet(i) is None]
    return renderer.tweets(found, missing)


def tweet_single(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS)
    (tweet_id,) = args
    check_path_id("id", tweet_id)
    renderer = Renderer(state, query)
    tweet = state.tweet(tweet_id)
    if tweet is None:
        return Reply(200, {"errors": [not_found("tweet", "id", tweet_id)]})
    return renderer.tweets([tweet], single=True)


def _people(state: WorldState, params: dict, args: tuple[str, ...], likers: bool) -> Reply:
    query = Query(
        params, ("max_results", "pagination_token", "user.fields", "tweet.fields", "post.fields", "expansions")
    )
    (tweet_id,) = args
    check_path_id("id", tweet_id)
    size = query.max_results(1, 100, 100)
    renderer = Renderer(state, query)
    if state.tweet(tweet_id) is None:
        return Reply(200, {"errors": [not_found("tweet", "id", tweet_id)]})
    ids = state.likers(tweet_id) if likers else state.retweeters(tweet_id)
    people = [u for u in (state.user(i) for i in ids) if u is not None]
    token = query.get("pagination_token")
    try:
        page = paginate(people, size, token, lambda u: u["id"], by_id=False)
    except ValueError:
        raise BadRequest(
            "pagination_token", token or "", f"The `pagination_token` query parameter value [{token}] is not valid"
        ) from None
    reply = renderer.users(page.items)
    meta: dict[str, Any] = {"result_count": len(page.items)}
    if page.next_token:
        meta["next_token"] = page.next_token
    if page.previous_token:
        meta["previous_token"] = page.previous_token
    reply.body["meta"] = meta
    return reply


def liking_users(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    return _people(state, params, args, likers=True)


def retweeted_by(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    return _people(state, params, args, likers=False)


def quote_tweets(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS + ("max_results", "pagination_token", "exclude"))
    (tweet_id,) = args
    check_path_id("id", tweet_id)
    query.max_results(10, 100, 10)
    if state.tweet(tweet_id) is None:
        return Reply(200, {"errors": [not_found("tweet", "id", tweet_id)]})
    return _timeline(state, query, state.visible_quotes(tweet_id), 10, 100, 10, with_ids=False)


def users_lookup(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS + ("ids",))
    ids = query.id_list("ids", ID_RE, "^[0-9]{1,19}$")
    renderer = Renderer(state, query)
    found = [u for u in (state.user(i) for i in ids) if u is not None]
    missing = [not_found("user", "ids", i) for i in ids if state.user(i) is None]
    return renderer.users(found, missing)


def users_by(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS + ("usernames",))
    names = query.id_list("usernames", USERNAME_RE, "^[A-Za-z0-9_]{1,15}$")
    renderer = Renderer(state, query)
    found = [u for u in (state.user_by_username(n) for n in names) if u is not None]
    missing = [not_found("user", "usernames", n) for n in names if state.user_by_username(n) is None]
    return renderer.users(list({u["id"]: u for u in found}.values()), missing)


def user_single(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS)
    (user_id,) = args
    check_path_id("id", user_id)
    renderer = Renderer(state, query)
    user = state.user(user_id)
    if user is None:
        return Reply(200, {"errors": [not_found("user", "id", user_id)]})
    return renderer.users([user], single=True)


def user_by_username(state: WorldState, params: dict, args: tuple[str, ...]) -> Reply:
    query = Query(params, FIELD_PARAMS)
    (username,) = args
    if not USERNAME_RE.match(username):
        raise BadRequest(
            "username",
            username,
            f"The `username` query parameter value [{username}] does not match ^[A-Za-z0-9_]{{1,15}}$",
        )
    renderer = Renderer(state, query)
    user = state.user_by_username(username)
    if user is None:
        return Reply(200, {"errors": [not_found("user", "username", username)]})
    return renderer.users([user], single=True)


# (endpoint key, path pattern, handler): the keys name endpoints in stats, limits and faults.
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    (key, re.compile(f"^{pattern}$"), handler)
    for key, pattern, handler in [
        ("users/me", r"/2/users/me", users_me),
        ("users/by", r"/2/users/by", users_by),
        ("users/by/username/:username", r"/2/users/by/username/([^/]+)", user_by_username),
        ("users/:id/mentions", r"/2/users/([^/]+)/mentions", mentions),
        ("users/:id/tweets", r"/2/users/([^/]+)/tweets", user_tweets),
        ("users/:id", r"/2/users/([^/]+)", user_single),
        ("users", r"/2/users", users_lookup),
        ("tweets/:id/liking_users", r"/2/tweets/([^/]+)/liking_users", liking_users),
        ("tweets/:id/retweeted_by", r"/2/tweets/([^/]+)/retweeted_by", retweeted_by),
        ("tweets/:id/quote_tweets", r"/2/tweets/([^/]+)/quote_tweets", quote_tweets),
        ("tweets/:id", r"/2/tweets/([^/]+)", tweet_single),
        ("tweets", r"/2/tweets", tweets_lookup),
    ]
]

DEFAULT_LIMITS: dict[str, int] = {
    "users/me": 75,
    "users/:id/mentions": 300,
    "users/:id/tweets": 900,
    "tweets": 900,
    "tweets/:id": 900,
    "tweets/:id/liking_users": 75,
    "tweets/:id/retweeted_by": 75,
    "tweets/:id/quote_tweets": 75,
    "users": 900,
    "users/by": 900,
    "users/by/username/:username": 900,
    "users/:id": 900,
}


def route(path: str) -> tuple[str, Handler, tuple[str, ...]] | None:
    """The endpoint key, handler and path ids for a URL path, or None."""
    for key, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match:
            return key, handler, match.groups()
    return None
