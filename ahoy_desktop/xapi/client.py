"""An unmodified tweepy.Client pointed at any base URL, with honest errors.

tweepy hard-codes its host, reads rate-limit headers only on a 429, sleeps
uncancellably when asked to wait, and warns on real older posts. So: a session
rewrites the host, responses come back raw (``requests.Response``) and are
parsed here, every response's rate-limit headers are read, and waiting is the
sync engine's decision, never tweepy's.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NoReturn, Protocol

import requests
import tweepy

TWEEPY_HOST = "https://api.twitter.com"
X_API_BASE_URL = "https://api.x.com"

TWEET_FIELDS = [
    "author_id", "created_at", "referenced_tweets", "entities", "note_tweet",
    "public_metrics", "in_reply_to_user_id", "conversation_id", "lang",
]
USER_FIELDS = [
    "created_at", "description", "entities", "location", "profile_image_url",
    "protected", "public_metrics", "url", "verified", "verified_type",
]
EXPANSIONS = ["author_id"]

# tweepy logs whole requests, Authorization header included, at DEBUG.
logging.getLogger("tweepy.client").setLevel(logging.INFO)


@dataclass
class RateLimit:
    limit: int | None = None
    remaining: int | None = None
    reset: int | None = None  # epoch seconds

    @classmethod
    def from_headers(cls, headers) -> RateLimit:
        def number(name: str) -> int | None:
            try:
                return int(headers.get(name))
            except (TypeError, ValueError):
                return None

        return cls(number("x-rate-limit-limit"), number("x-rate-limit-remaining"), number("x-rate-limit-reset"))

    @property
    def reset_at(self) -> datetime | None:
        return None if self.reset is None else datetime.fromtimestamp(self.reset, UTC)


@dataclass
class Page:
    """One parsed API response."""

    endpoint: str
    status: int
    data: list[dict] = field(default_factory=list)
    includes: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    rate: RateLimit = field(default_factory=RateLimit)

    @property
    def next_token(self) -> str | None:
        return self.meta.get("next_token")

    def included_users(self) -> dict[str, dict]:
        return {u["id"]: u for u in self.includes.get("users", []) if isinstance(u, dict) and "id" in u}


class XApiError(Exception):
    """A request that did not give a usable page. ``retryable`` says if trying again may help."""

    def __init__(self, message: str, *, endpoint: str = "", status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status
        self.retryable = retryable


class MalformedPage(XApiError):
    """A 2xx answer that is not an X page: empty, not JSON, or not the shape the sync relies on.

    Retryable: a proxy's error page or a cut-off body is usually gone on the next try.
    """

    def __init__(self, endpoint: str, status: int | None, problem: str):
        super().__init__(f"X sent a page for {endpoint} that the app cannot read ({problem}).",
                         endpoint=endpoint, status=status, retryable=True)
        self.problem = problem


class RateLimited(XApiError):
    """A 429: the endpoint's window is spent (or the monthly cap is reached)."""

    def __init__(self, endpoint: str, reset_at: datetime | None, *, capped: bool = False):
        when = reset_at.strftime("%H:%M:%S UTC") if reset_at else "an unknown time"
        message = (
            "X's monthly usage cap is reached."
            if capped
            else f"X's rate limit for {endpoint} is spent until {when}."
        )
        super().__init__(message, endpoint=endpoint, status=429, retryable=not capped)
        self.reset_at = reset_at
        self.capped = capped


class AuthorizationLost(XApiError):
    """X no longer accepts the account's sign-in (a refresh was refused): the user must reconnect."""

    def __init__(self, message: str):
        super().__init__(message, status=401, retryable=False)


class TokenSource(Protocol):
    """Hands out a user access token, refreshing it before expiry or after X answered 401."""

    def current(self) -> str: ...

    def refresh_after_unauthorized(self, rejected: str) -> str: ...


class BaseURLSession(requests.Session):
    """Sends tweepy's requests to another base URL (the sandbox, or api.x.com)."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def request(self, method, url, *args, **kwargs):
        if isinstance(url, str) and url.startswith(TWEEPY_HOST):
            url = self.base_url + url[len(TWEEPY_HOST):]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


ResponseHook = Callable[[str, int, "requests.Response | None", "Page | None", str], None]


class XClient:
    """The calls the sync needs, each returning a ``Page`` or raising ``XApiError``."""

    ENDPOINTS = {
        "get_me": "users/me",
        "get_mentions": "users/:id/mentions",
        "get_own_posts": "users/:id/tweets",
        "get_posts": "tweets",
        "get_liking_users": "tweets/:id/liking_users",
        "get_retweeters": "tweets/:id/retweeted_by",
        "get_quotes": "tweets/:id/quote_tweets",
    }

    def __init__(self, base_url: str, bearer_token: str, *, on_response: ResponseHook | None = None,
                 timeout: float = 30.0, token_source: TokenSource | None = None):
        self.base_url = base_url
        self.token_source = token_source
        self.session = BaseURLSession(base_url, timeout)
        self._tweepy = tweepy.Client(bearer_token=bearer_token, return_type=requests.Response,
                                     wait_on_rate_limit=False)
        self._tweepy.session = self.session
        self.on_response = on_response

    def close(self) -> None:
        self.session.close()

    # -- the calls ---------------------------------------------------------

    def get_me(self) -> Page:
        return self._call("users/me", self._tweepy.get_me, user_auth=False, user_fields=USER_FIELDS)

    def get_mentions(self, user_id: str, *, since_id: str | None = None, until_id: str | None = None,
                     pagination_token: str | None = None, max_results: int = 100) -> Page:
        return self._call(
            "users/:id/mentions", self._tweepy.get_users_mentions, user_id, user_auth=False,
            since_id=since_id, until_id=until_id, pagination_token=pagination_token,
            max_results=max_results, expansions=EXPANSIONS, tweet_fields=TWEET_FIELDS,
            user_fields=USER_FIELDS,
        )

    def get_own_posts(self, user_id: str, *, start_time: datetime | None = None, since_id: str | None = None,
                      pagination_token: str | None = None, max_results: int = 100) -> Page:
        return self._call(
            "users/:id/tweets", self._tweepy.get_users_tweets, user_id, user_auth=False,
            start_time=start_time, since_id=since_id, pagination_token=pagination_token,
            max_results=max_results, tweet_fields=TWEET_FIELDS,
        )

    def get_posts(self, ids: list[str]) -> Page:
        return self._call("tweets", self._tweepy.get_tweets, ids, user_auth=False, tweet_fields=TWEET_FIELDS)

    def get_liking_users(self, post_id: str, *, pagination_token: str | None = None,
                         max_results: int = 100) -> Page:
        return self._call(
            "tweets/:id/liking_users", self._tweepy.get_liking_users, post_id, user_auth=False,
            pagination_token=pagination_token, max_results=max_results, user_fields=USER_FIELDS,
        )

    def get_retweeters(self, post_id: str, *, pagination_token: str | None = None,
                       max_results: int = 100) -> Page:
        return self._call(
            "tweets/:id/retweeted_by", self._tweepy.get_retweeters, post_id, user_auth=False,
            pagination_token=pagination_token, max_results=max_results, user_fields=USER_FIELDS,
        )

    def get_quotes(self, post_id: str, *, pagination_token: str | None = None, max_results: int = 100) -> Page:
        return self._call(
            "tweets/:id/quote_tweets", self._tweepy.get_quote_tweets, post_id, user_auth=False,
            pagination_token=pagination_token, max_results=max_results, expansions=EXPANSIONS,
            tweet_fields=TWEET_FIELDS, user_fields=USER_FIELDS,
        )

    # -- plumbing ------------------------------------------------------------

    def _call(self, endpoint: str, method, *args, **kwargs) -> Page:
        if self.token_source is None:
            return self._call_once(endpoint, method, *args, **kwargs)
        self._tweepy.bearer_token = self.token_source.current()
        try:
            return self._call_once(endpoint, method, *args, **kwargs)
        except XApiError as exc:
            if exc.status != 401:
                raise
        # One refresh and one retry: a token X revoked early, or a clock that ran ahead of ours.
        self._tweepy.bearer_token = self.token_source.refresh_after_unauthorized(self._tweepy.bearer_token)
        return self._call_once(endpoint, method, *args, **kwargs)

    def _call_once(self, endpoint: str, method, *args, **kwargs) -> Page:
        try:
            response = method(*args, **kwargs)
        except tweepy.TooManyRequests as exc:
            capped = _is_usage_capped(exc.response)
            self._report(endpoint, 429, exc.response, None, "usage capped" if capped else "rate limited")
            reset = RateLimit.from_headers(exc.response.headers).reset_at
            raise RateLimited(endpoint, reset, capped=capped) from None
        except tweepy.HTTPException as exc:
            status = exc.response.status_code
            message = _problem_message(exc.response) or f"HTTP {status}"
            self._report(endpoint, status, exc.response, None, message)
            raise XApiError(f"X answered {endpoint} with {status}: {message}", endpoint=endpoint,
                            status=status, retryable=status >= 500) from None
        except requests.RequestException as exc:
            self._report(endpoint, 0, None, None, type(exc).__name__)
            raise XApiError(_network_message(exc, self.base_url), endpoint=endpoint, retryable=True) from None
        try:
            page = parse_page(endpoint, response.status_code, response.content, response.headers)
        except MalformedPage:
            self._report(endpoint, response.status_code, response, None, "malformed page")
            raise
        self._report(endpoint, response.status_code, response, page, "")
        return page

    def _report(self, endpoint, status, response, page, error) -> None:
        if self.on_response is not None:
            self.on_response(endpoint, status, response, page, error)


def _network_message(exc: requests.RequestException, base_url: str) -> str:
    """Say what went wrong on the way in words a user can act on."""
    where = "X" if "api.x.com" in base_url or "twitter.com" in base_url else "the X server"
    if isinstance(exc, requests.Timeout) and not isinstance(exc, requests.ConnectTimeout):
        return f"{where} did not answer in time."
    if isinstance(exc, requests.ConnectionError) and "refused" in str(exc).lower():
        return f"Could not connect to {where} (connection refused); check the network."
    if isinstance(exc, requests.ConnectTimeout):
        return f"Could not connect to {where} in time; check the network."
    if isinstance(exc, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
        return f"The connection to {where} broke off mid-answer."
    return f"Could not reach {where} ({type(exc).__name__})."


# -- reading a page --------------------------------------------------------------------

USER_ENDPOINTS = frozenset({"users/me", "tweets/:id/liking_users", "tweets/:id/retweeted_by"})
SINGLE_RESOURCE_ENDPOINTS = frozenset({"users/me"})  # ``data`` is one object, not a list
X_ID = re.compile(r"[0-9]{1,20}\Z")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TWEET_ID_FIELDS = ("author_id", "in_reply_to_user_id", "conversation_id")
_TWEET_TEXT_FIELDS = ("text", "created_at", "lang")
_TWEET_OBJECT_FIELDS = ("note_tweet", "public_metrics", "entities")
_USER_TEXT_FIELDS = ("username", "name", "description", "location", "url", "profile_image_url", "created_at")
_USER_OBJECT_FIELDS = ("public_metrics", "entities")


def parse_page(endpoint: str, status: int, content: bytes | str, headers: Mapping[str, str] | None = None) -> Page:
    """The page in a successful answer's body, or MalformedPage saying why it is not one.

    Checks only what the sync relies on (ids are digit strings, known fields
    have their types, ``data`` is a list) so a page the sync would misread
    is retried instead of silently cutting a paging run short. Unknown fields
    and nulls in optional places pass; X adds fields all the time.
    """
    if not content or not content.strip():
        raise MalformedPage(endpoint, status, "an empty body")
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):  # bad UTF-8 is a ValueError too
        raise MalformedPage(endpoint, status, "not JSON") from None
    if not isinstance(body, dict):
        raise MalformedPage(endpoint, status, "not a JSON object")
    if isinstance(content, str) or b"\\u" in content:
        try:
            body = _without_lone_surrogates(body)
        except RecursionError:
            raise MalformedPage(endpoint, status, "nested too deep") from None
    users = endpoint in USER_ENDPOINTS
    data = _data(endpoint, status, body.get("data"))
    for item in data:
        _check_resource(endpoint, status, item, users=users, where="data")
    includes = _object(endpoint, status, body, "includes")
    for name, items in includes.items():
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise MalformedPage(endpoint, status, f"includes.{name} is not a list of objects")
        if name in ("users", "tweets"):
            for item in items:
                _check_resource(endpoint, status, item, users=name == "users", where=f"includes.{name}")
    errors = body.get("errors")
    if errors is not None and (not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors)):
        raise MalformedPage(endpoint, status, "errors is not a list of objects")
    meta = _object(endpoint, status, body, "meta")
    if meta.get("next_token") is not None and not isinstance(meta["next_token"], str):
        raise MalformedPage(endpoint, status, "meta.next_token is not text")
    for name in ("newest_id", "oldest_id"):
        if meta.get(name) is not None and not _is_id(meta[name]):
            raise MalformedPage(endpoint, status, f"meta.{name} is not an id")
    return Page(endpoint=endpoint, status=status, data=data, includes=includes, errors=errors or [], meta=meta,
                rate=RateLimit.from_headers(headers or {}))


def _data(endpoint: str, status: int, data) -> list[dict]:
    if data is None:
        return []
    if isinstance(data, dict) and endpoint in SINGLE_RESOURCE_ENDPOINTS:
        return [data]
    if not isinstance(data, list):
        return _raise(endpoint, status, "data is not a list")
    return data


def _object(endpoint: str, status: int, body: dict, name: str) -> dict:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        _raise(endpoint, status, f"{name} is not an object")
    return value


def _check_resource(endpoint: str, status: int, item, *, users: bool, where: str) -> None:
    if not isinstance(item, dict):
        _raise(endpoint, status, f"an item of {where} is not an object")
    if not _is_id(item.get("id")):
        _raise(endpoint, status, f"an item of {where} has no id")
    ids = () if users else _TWEET_ID_FIELDS
    texts = _USER_TEXT_FIELDS if users else _TWEET_TEXT_FIELDS
    objects = _USER_OBJECT_FIELDS if users else _TWEET_OBJECT_FIELDS
    for name in ids:
        if item.get(name) is not None and not _is_id(item[name]):
            _raise(endpoint, status, f"{name} of {item['id']} in {where} is not an id")
    for name in texts:
        if item.get(name) is not None and not isinstance(item[name], str):
            _raise(endpoint, status, f"{name} of {item['id']} in {where} is not text")
    for name in objects:
        if item.get(name) is not None and not isinstance(item[name], dict):
            _raise(endpoint, status, f"{name} of {item['id']} in {where} is not an object")
    metrics = item.get("public_metrics") or {}
    if any(v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in metrics.values()):
        _raise(endpoint, status, f"public_metrics of {item['id']} in {where} are not counts")
    if not users and item.get("referenced_tweets") is not None and not isinstance(item["referenced_tweets"], list):
        _raise(endpoint, status, f"referenced_tweets of {item['id']} in {where} is not a list")


def _is_id(value) -> bool:
    return isinstance(value, str) and X_ID.match(value) is not None


def _raise(endpoint: str, status: int, problem: str) -> NoReturn:
    raise MalformedPage(endpoint, status, problem)


def _without_lone_surrogates(value):
    """JSON may escape half an emoji (``"\\ud83d"``); no database or UTF-8 file can hold one.

    Each lone half becomes U+FFFD, the replacement character; pairs were already joined by the decoder.
    """
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def _problem(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _problem_message(response: requests.Response) -> str:
    body = _problem(response)
    return str(body.get("detail") or body.get("title") or "")


def _is_usage_capped(response: requests.Response) -> bool:
    return str(_problem(response).get("type", "")).endswith("usage-capped")

