"""Sandbox worlds (``ahoy-sandbox-world/1``) and their state at a moment.

A :class:`World` is the JSON world plus its timed events; :meth:`World.state_at`
replays the events revealed by a clock into an immutable-ish
:class:`WorldState` that the server reads without locks. Format and serving
rules: ``corpus/WORLD-FORMAT.md``.
"""

from __future__ import annotations

import bisect
import copy
import json
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ahoy_desktop.clock import parse_iso, utc

FORMAT = "ahoy-sandbox-world/1"
MENTIONS_CAP = 800  # X serves only the 800 newest mentions
USER_TWEETS_CAP = 3200  # and the 3,200 newest posts of a user

EVENT_KEYS: dict[str, tuple[str, ...]] = {
    "mention": ("tweet",),
    "like": ("post_id", "user_id"),
    "retweet": ("post_id", "user_id"),
    "quote": ("post_id", "tweet"),
    "post": ("tweet",),
    "user": ("user",),
    "delete": ("tweet_id",),
}

Tweet = dict[str, Any]
User = dict[str, Any]


def id_key(tweet: Tweet) -> int:
    """Numeric sort key: ids are 64-bit strings, newest is largest."""
    return int(tweet["id"])


def _newest_first(tweets: list[Tweet]) -> list[Tweet]:
    return sorted(tweets, key=id_key, reverse=True)


@lru_cache(maxsize=65536)
def _parse_time(text: str) -> datetime:
    return parse_iso(text)


def _replied_to(tweet: Tweet) -> list[str]:
    return [r["id"] for r in tweet.get("referenced_tweets") or [] if r.get("type") == "replied_to"]


@dataclass
class _Content:
    """The mutable world content that events are applied to (never shared)."""

    me: User
    users: dict[str, User]
    posts: dict[str, Tweet]
    mentions: dict[str, Tweet]
    quotes: dict[str, dict[str, Tweet]]
    liking_users: dict[str, list[str]]
    retweeted_by: dict[str, list[str]]
    tweet_errors: dict[str, list[dict]]
    deleted: set[str] = field(default_factory=set)

    @classmethod
    def from_data(cls, data: dict) -> _Content:
        d = copy.deepcopy(data)
        return cls(
            me=d["me"],
            users=dict(d.get("users") or {}),
            posts={t["id"]: t for t in d.get("posts") or []},
            mentions={t["id"]: t for t in d.get("mentions") or []},
            quotes={pid: {t["id"]: t for t in ts} for pid, ts in (d.get("quote_tweets") or {}).items()},
            liking_users={k: list(v) for k, v in (d.get("liking_users") or {}).items()},
            retweeted_by={k: list(v) for k, v in (d.get("retweeted_by") or {}).items()},
            tweet_errors=dict(d.get("tweet_errors") or {}),
        )

    def apply(self, event: dict) -> None:
        kind = event["type"]
        if kind == "mention":
            self._undelete(event["tweet"]["id"])
            self.mentions[event["tweet"]["id"]] = event["tweet"]
        elif kind == "post":
            self._undelete(event["tweet"]["id"])
            self.posts[event["tweet"]["id"]] = event["tweet"]
        elif kind == "quote":
            self._undelete(event["tweet"]["id"])
            self.quotes.setdefault(event["post_id"], {})[event["tweet"]["id"]] = event["tweet"]
        elif kind in ("like", "retweet"):
            people = (self.liking_users if kind == "like" else self.retweeted_by).setdefault(event["post_id"], [])
            if event["user_id"] not in people:
                people.insert(0, event["user_id"])
        elif kind == "user":
            user = event["user"]
            if user["id"] == self.me["id"]:
                self.me = user
            else:
                self.users[user["id"]] = user
        elif kind == "delete":
            tid = event["tweet_id"]
            self.deleted.add(tid)
            self.posts.pop(tid, None)
            self.mentions.pop(tid, None)
            for quotes in self.quotes.values():
                quotes.pop(tid, None)

    def _undelete(self, tweet_id: str) -> None:
        self.deleted.discard(tweet_id)


@dataclass(frozen=True)
class _Baseline:
    """How many likers, retweeters, quotes and replies the world file itself lists
    per post: its ``public_metrics`` already count them, so served metrics are
    ``world value - world list + list visible now``."""

    likers: dict[str, int]
    retweeters: dict[str, int]
    quotes: dict[str, int]
    replies: dict[str, int]

    @classmethod
    def of(cls, content: _Content) -> _Baseline:
        replies: dict[str, int] = {}
        for tweet in _all_tweets(content):
            for target in _replied_to(tweet):
                replies[target] = replies.get(target, 0) + 1
        return cls(
            likers={k: len(v) for k, v in content.liking_users.items()},
            retweeters={k: len(v) for k, v in content.retweeted_by.items()},
            quotes={k: len(v) for k, v in content.quotes.items()},
            replies=replies,
        )


def _all_tweets(content: _Content) -> list[Tweet]:
    """Every tweet of the content, own posts winning over mentions over quotes."""
    seen: dict[str, Tweet] = {}
    for quotes in content.quotes.values():
        seen.update(quotes)
    seen.update(content.mentions)
    seen.update(content.posts)
    return list(seen.values())


@dataclass(frozen=True)
class WorldState:
    """The world as it stands at ``now``: events up to ``now`` applied.

    Treat it as read-only; it is shared between request threads. A tweet is
    visible when it is not deleted and its ``created_at`` (if any) is not after
    ``now``. Served tweets carry ``public_metrics`` consistent with the likers,
    retweeters, quotes and replies visible now.
    """

    now: datetime
    me: User
    users: dict[str, User]
    posts: list[Tweet]  # newest first, deleted removed, future ones included
    mentions: list[Tweet]
    quotes: dict[str, list[Tweet]]
    liking_users: dict[str, list[str]]
    retweeted_by: dict[str, list[str]]
    tweet_errors: dict[str, list[dict]]
    deleted: frozenset[str]
    _tweets: dict[str, Tweet]
    _replies: dict[str, list[Tweet]]
    _by_username: dict[str, User]
    _baseline: _Baseline

    @classmethod
    def build(cls, content: _Content, baseline: _Baseline, now: datetime) -> WorldState:
        tweets = {t["id"]: t for t in _all_tweets(content)}
        replies: dict[str, list[Tweet]] = {}
        for tweet in tweets.values():
            for target in _replied_to(tweet):
                replies.setdefault(target, []).append(tweet)
        users = dict(content.users)
        by_username = {u["username"].lower(): u for u in users.values() if u.get("username")}
        if content.me.get("username"):
            by_username[content.me["username"].lower()] = content.me
        return cls(
            now=now,
            me=content.me,
            users=users,
            posts=_newest_first(list(content.posts.values())),
            mentions=_newest_first(list(content.mentions.values())),
            quotes={pid: _newest_first(list(q.values())) for pid, q in content.quotes.items()},
            liking_users={k: list(v) for k, v in content.liking_users.items()},
            retweeted_by={k: list(v) for k, v in content.retweeted_by.items()},
            tweet_errors=dict(content.tweet_errors),
            deleted=frozenset(content.deleted),
            _tweets=tweets,
            _replies=replies,
            _by_username=by_username,
            _baseline=baseline,
        )

    # -- visibility -------------------------------------------------------
    def visible(self, tweet: Tweet) -> bool:
        if tweet["id"] in self.deleted:
            return False
        created = tweet.get("created_at")
        return created is None or _parse_time(created) <= self.now

    def _served(self, tweets: list[Tweet]) -> list[Tweet]:
        return [self.served(t) for t in tweets if self.visible(t)]

    # -- tweets -----------------------------------------------------------
    def visible_mentions(self) -> list[Tweet]:
        """The reachable mentions timeline: the 800 newest visible, newest first."""
        return self._served(self.mentions)[:MENTIONS_CAP]

    def visible_posts(self) -> list[Tweet]:
        return self._served(self.posts)[:USER_TWEETS_CAP]

    def tweets_by(self, user_id: str) -> list[Tweet]:
        """Posts of someone other than the account that the world happens to hold."""
        mine = [t for t in self._tweets.values() if t.get("author_id") == user_id]
        return self._served(_newest_first(mine))[:USER_TWEETS_CAP]

    def visible_quotes(self, post_id: str) -> list[Tweet]:
        return self._served(self.quotes.get(post_id, []))

    def tweet(self, tweet_id: str) -> Tweet | None:
        """A visible tweet by id (own post, mention or quote), as served."""
        found = self._tweets.get(tweet_id)
        if found is None or not self.visible(found):
            return None
        return self.served(found)

    def served(self, tweet: Tweet) -> Tweet:
        """The tweet with ``public_metrics`` adjusted to what is visible now."""
        metrics = tweet.get("public_metrics")
        tid = tweet["id"]
        base = self._baseline
        if not isinstance(metrics, dict) or not any(
            tid in m
            for m in (
                base.likers,
                base.retweeters,
                base.quotes,
                base.replies,
                self.liking_users,
                self.retweeted_by,
                self.quotes,
                self._replies,
            )
        ):
            return tweet
        adjusted = dict(metrics)
        deltas = {
            "like_count": len(self.liking_users.get(tid, ())) - base.likers.get(tid, 0),
            "retweet_count": len(self.retweeted_by.get(tid, ())) - base.retweeters.get(tid, 0),
            "quote_count": sum(map(self.visible, self.quotes.get(tid, ()))) - base.quotes.get(tid, 0),
            "reply_count": sum(map(self.visible, self._replies.get(tid, ()))) - base.replies.get(tid, 0),
        }
        for name, delta in deltas.items():
            if delta and isinstance(adjusted.get(name), int):
                adjusted[name] = max(0, adjusted[name] + delta)
        return {**tweet, "public_metrics": adjusted}

    # -- users ------------------------------------------------------------
    def user(self, user_id: str) -> User | None:
        if user_id == self.me["id"]:
            return self.me
        return self.users.get(user_id)

    def user_by_username(self, username: str) -> User | None:
        return self._by_username.get(username.lower())

    def likers(self, post_id: str) -> list[str]:
        return self.liking_users.get(post_id, [])

    def retweeters(self, post_id: str) -> list[str]:
        return self.retweeted_by.get(post_id, [])


class World:
    """A world (dict in ``ahoy-sandbox-world/1`` format) plus its events revealed by a clock.

    ``me`` is the account as the world file gives it; user events may replace it
    later, so read ``state_at(now).me`` for the account as of a moment.
    """

    def __init__(self, data: dict) -> None:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            got = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"not a sandbox world: format is {got!r}, expected {FORMAT!r}")
        if not isinstance(data.get("me"), dict) or "id" not in data["me"]:
            raise ValueError("sandbox world has no 'me' user object with an 'id'")
        self.data = data
        self.me: User = data["me"]
        events = [self._check_event(i, e) for i, e in enumerate(data.get("events") or [])]
        order = sorted(range(len(events)), key=lambda i: events[i][0])  # stable by `at`
        self._events: list[dict] = [events[i][1] for i in order]
        self._event_times: list[datetime] = [events[i][0] for i in order]
        self._lock = threading.Lock()
        self._content = _Content.from_data(data)
        self._baseline = _Baseline.of(self._content)
        self._applied = 0
        self._state: WorldState | None = None

    @classmethod
    def load(cls, path: str | Path) -> World:
        try:
            text = Path(path).read_text(encoding="utf-8")
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not a JSON sandbox world ({exc})") from exc
        return cls(data)

    @staticmethod
    def _check_event(index: int, event: Any) -> tuple[datetime, dict]:
        if not isinstance(event, dict) or event.get("type") not in EVENT_KEYS:
            raise ValueError(f"sandbox world event #{index}: unknown type {event!r:.80}")
        missing = [k for k in ("at", *EVENT_KEYS[event["type"]]) if k not in event]
        if missing:
            raise ValueError(f"sandbox world event #{index} ({event['type']}): missing {missing}")
        try:
            return parse_iso(event["at"]), event
        except (TypeError, ValueError) as exc:
            raise ValueError(f"sandbox world event #{index}: bad 'at' {event['at']!r}") from exc

    @property
    def events(self) -> list[dict]:
        """The events, sorted by ``at``."""
        return list(self._events)

    def state_at(self, now: datetime) -> WorldState:
        """The state with every event whose ``at`` <= ``now`` applied, in order.

        Cached: events are applied incrementally as the clock moves forward and
        the snapshot is rebuilt only when the set of revealed events changes; a
        clock moved backwards replays from the world file.
        """
        now = utc(now)
        revealed = bisect.bisect_right(self._event_times, now)
        with self._lock:
            if revealed < self._applied:
                self._content = _Content.from_data(self.data)
                self._applied = 0
                self._state = None
            if revealed > self._applied:
                for event in self._events[self._applied : revealed]:
                    self._content.apply(copy.deepcopy(event))
                self._applied = revealed
                self._state = None
            if self._state is None:
                self._state = WorldState.build(self._content, self._baseline, now)
            elif self._state.now != now:
                self._state = replace(self._state, now=now)
            return self._state
