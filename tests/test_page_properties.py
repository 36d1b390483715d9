"""The page parser against arbitrary X pages: well-formed ones parse, malformed ones are reported.

Well-formed pages have what X may send: optional fields missing or null,
includes missing, unknown fields, huge texts, text from every Unicode plane
(lone surrogate escapes included: JSON allows them) and ids as big numeric
strings. Malformed ones are cut off, not JSON, or have wrong types; each
must raise MalformedPage with a message, never anything else.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ahoy_desktop.sync.members import fingerprint, merged_user
from ahoy_desktop.sync.posts import KINDS, classify, dedup_key, post_text, post_time
from ahoy_desktop.xapi.client import USER_ENDPOINTS, MalformedPage, Page, XClient, parse_page
from ahoy_desktop.xfields import X_FIELDS

# Reproducible in CI: the same examples every run, nothing remembered between runs.
PROPERTIES = settings(max_examples=60, derandomize=True, database=None, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ENDPOINTS = sorted(XClient.ENDPOINTS.values())
TWEET_ENDPOINTS = [e for e in ENDPOINTS if e not in USER_ENDPOINTS]
LIST_USER_ENDPOINTS = sorted(USER_ENDPOINTS - {"users/me"})
ME = "2244994945"

ids = st.integers(0, 2**64 - 1).map(str)
# Every plane, lone surrogates too (they reach the parser as \ud83d escapes).
any_char = st.characters(exclude_categories=())
texts = st.one_of(
    st.text(any_char, max_size=60),
    st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=20),  # astral emoji
    st.builds(lambda s, n: s * n, st.text(any_char, min_size=1, max_size=3), st.integers(5_000, 40_000)),  # huge
)
maybe = st.none().__or__
times = st.one_of(st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z")), texts)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63), st.floats(allow_nan=False), texts)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)
counts = st.dictionaries(st.sampled_from(["like_count", "retweet_count", "reply_count", "quote_count",
                                          "followers_count", "following_count", "tweet_count"]),
                         maybe(st.integers(0, 2**53)), max_size=7)


def with_unknown_fields(known: st.SearchStrategy[dict]) -> st.SearchStrategy[dict]:
    """X adds fields all the time: unknown ones must pass through."""
    extra = st.dictionaries(st.text(min_size=1, max_size=12).map(lambda k: "x_" + k), json_values, max_size=3)
    return st.builds(lambda obj, more: {**more, **obj}, known, extra)


tweets = with_unknown_fields(st.fixed_dictionaries(
    {"id": ids},
    optional={
        "text": maybe(texts),
        "author_id": maybe(st.one_of(ids, st.just(ME))),
        "created_at": maybe(times),
        "lang": maybe(st.text(max_size=3)),
        "conversation_id": maybe(ids),
        "in_reply_to_user_id": maybe(st.one_of(ids, st.just(ME))),
        "referenced_tweets": maybe(st.lists(st.fixed_dictionaries(
            {"type": st.sampled_from(["replied_to", "quoted", "retweeted", "other"]), "id": ids}), max_size=3)),
        "note_tweet": maybe(st.fixed_dictionaries({}, optional={"text": maybe(texts)})),
        "public_metrics": maybe(counts),
        "entities": maybe(st.dictionaries(st.text(max_size=8), json_values, max_size=2)),
    },
))
users = with_unknown_fields(st.fixed_dictionaries(
    {"id": ids},
    optional={
        "username": maybe(st.text(any_char, max_size=15)),
        "name": maybe(texts),
        "description": maybe(texts),
        "location": maybe(texts),
        "url": maybe(texts),
        "profile_image_url": maybe(texts),
        "created_at": maybe(times),
        "verified": maybe(st.booleans()),
        "protected": maybe(st.booleans()),
        "public_metrics": maybe(counts),
        "entities": maybe(st.dictionaries(st.text(max_size=8), json_values, max_size=2)),
    },
))
problems = st.fixed_dictionaries({"title": texts}, optional={"detail": texts, "resource_id": ids, "value": ids,
                                                             "resource_type": st.sampled_from(["tweet", "user"])})
metas = st.fixed_dictionaries({}, optional={
    "result_count": st.integers(0, 100), "next_token": maybe(st.text(any_char, max_size=20)),
    "newest_id": maybe(ids), "oldest_id": maybe(ids)})


@st.composite
def pages(draw, endpoint: str) -> dict:
    """A well-formed page of this endpoint as a dict."""
    items = users if endpoint in USER_ENDPOINTS else tweets
    page: dict = {}
    if endpoint == "users/me":
        page["data"] = draw(items)
    elif draw(st.booleans()):
        page["data"] = draw(maybe(st.lists(items, max_size=8)))
    includes = draw(st.fixed_dictionaries({}, optional={"users": st.lists(users, max_size=6),
                                                        "tweets": st.lists(tweets, max_size=3)}))
    if includes or draw(st.booleans()):
        page["includes"] = draw(maybe(st.just(includes)))
    if draw(st.booleans()):
        page["errors"] = draw(maybe(st.lists(problems, max_size=3)))
    if draw(st.booleans()):
        page["meta"] = draw(maybe(metas))
    return {**draw(st.dictionaries(st.text(max_size=8).map(lambda k: "x_" + k), json_values, max_size=2)), **page}


def encode(page: dict, ascii_only: bool) -> bytes:
    """As X (or a proxy) might put it on the wire; lone surrogates can only travel escaped."""
    try:
        return json.dumps(page, ensure_ascii=ascii_only).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(page, ensure_ascii=True).encode("utf-8")


def no_lone_surrogates(value) -> bool:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "strict") is not None


@st.composite
def encoded_pages(draw) -> tuple[str, dict, bytes]:
    endpoint = draw(st.sampled_from(ENDPOINTS))
    page = draw(pages(endpoint))
    return endpoint, page, encode(page, draw(st.booleans()))


# -- well-formed pages ---------------------------------------------------------------------


@PROPERTIES
@given(encoded_pages())
def test_well_formed_pages_parse_and_keep_every_resource(case):
    endpoint, page, body = case
    parsed = parse_page(endpoint, 200, body, {"x-rate-limit-remaining": "7"})
    assert isinstance(parsed, Page) and parsed.rate.remaining == 7
    sent = page.get("data")
    sent = [] if sent is None else [sent] if isinstance(sent, dict) else sent
    assert [d["id"] for d in parsed.data] == [d["id"] for d in sent]
    assert parsed.next_token == (page.get("meta") or {}).get("next_token")
    assert len(parsed.included_users()) == len({u["id"] for u in (page.get("includes") or {}).get("users", [])})
    # Nothing the database or a UTF-8 file cannot hold: lone surrogate halves became U+FFFD.
    assert no_lone_surrogates([parsed.data, parsed.includes, parsed.errors, parsed.meta])


@PROPERTIES
@given(st.sampled_from(TWEET_ENDPOINTS).flatmap(lambda e: st.tuples(st.just(e), pages(e), st.booleans())))
def test_every_parsed_post_reads_as_an_activity(case):
    endpoint, page, ascii_only = case
    parsed = parse_page(endpoint, 200, encode(page, ascii_only))
    own = {t["id"] for t in parsed.data[:2]}
    for tweet in parsed.data:
        kind, target = classify(tweet, ME, own)
        assert kind in KINDS and (target is None or target.isdigit())
        assert dedup_key(kind, tweet.get("author_id") or "", tweet["id"], target)
        text = post_text(tweet)
        assert isinstance(text, str)
        text.encode("utf-8")  # storable: no lone surrogate left
        when = post_time(tweet)
        assert when is None or when.tzinfo is not None


@PROPERTIES
@given(st.sampled_from(LIST_USER_ENDPOINTS).flatmap(lambda e: st.tuples(st.just(e), pages(e))))
def test_every_parsed_user_reads_through_the_field_mapping(case):
    endpoint, page = case
    parsed = parse_page(endpoint, 200, encode(page, True))
    previous: dict | None = None
    for user in parsed.data + parsed.includes.get("users", []):
        for x_field in X_FIELDS:
            x_field.read(user)  # any value or MISSING, never an exception
        assert len(fingerprint(user)) == 8
        merged = merged_user(previous, user)
        assert merged["id"] == user["id"]
        previous = user


def test_lone_surrogate_escapes_become_replacement_characters_and_pairs_join():
    body = b'{"data": [{"id": "1", "text": "a\\ud83d b\\ud83d\\ude00 c\\udc00"}]}'
    assert parse_page("users/:id/mentions", 200, body).data[0]["text"] == "a\ufffd b\U0001f600 c\ufffd"


# -- malformed pages -------------------------------------------------------------------------


def assert_reported(endpoint: str, body: bytes | str) -> MalformedPage:
    with pytest.raises(MalformedPage) as caught:
        parse_page(endpoint, 200, body)
    error = caught.value
    assert error.retryable and error.endpoint == endpoint and error.problem
    assert str(error).startswith(f"X sent a page for {endpoint} that the app cannot read (")
    return error


@PROPERTIES
@given(encoded_pages(), st.data())
def test_cut_off_pages_are_reported(case, data):
    endpoint, _, body = case
    cut = data.draw(st.integers(0, len(body) - 1))
    assert_reported(endpoint, body[:cut])


@PROPERTIES
@given(st.sampled_from(ENDPOINTS), st.binary(max_size=200))
def test_any_bytes_either_parse_as_a_page_or_are_reported(endpoint, body):
    try:
        parse_page(endpoint, 200, body)
    except MalformedPage as error:
        assert error.problem


NOT_JSON = [b"", b"   \n", b"<html><body>Over capacity</body></html>", b"\xff\xfe\x00garbage", b"{'data': []}",
            b"[" * 100_000, b'{"data": ' * 50_000, b"NaN", "\ud800"]
NOT_AN_OBJECT = [b"[]", b"null", b"42", b'"data"', b"true"]


@pytest.mark.parametrize("body", NOT_JSON + NOT_AN_OBJECT, ids=lambda b: repr(b[:12]))
def test_non_json_and_non_objects_are_reported(body):
    assert_reported("users/:id/mentions", body)


WRONG_TYPES = [
    ("data is an object", "users/:id/mentions", lambda p: p.update(data={"id": "1"})),
    ("data is text", "tweets", lambda p: p.update(data="1,2,3")),
    ("an item without id", "users/:id/mentions", lambda p: p["data"].append({"text": "hi"})),
    ("a numeric id", "users/:id/mentions", lambda p: p["data"].append({"id": 12})),
    ("an id that is not digits", "tweets", lambda p: p["data"].append({"id": "12a"})),
    ("an item that is a list", "tweets", lambda p: p["data"].append(["1"])),
    ("author_id a number", "users/:id/mentions", lambda p: p["data"].append({"id": "5", "author_id": 7})),
    ("text an object", "users/:id/mentions", lambda p: p["data"].append({"id": "5", "text": {"t": 1}})),
    ("metrics as text", "users/:id/tweets",
     lambda p: p["data"].append({"id": "5", "public_metrics": {"like_count": "many"}})),
    ("referenced_tweets an object", "tweets",
     lambda p: p["data"].append({"id": "5", "referenced_tweets": {"id": "1"}})),
    ("username a number", "tweets/:id/liking_users", lambda p: p["data"].append({"id": "5", "username": 5})),
    ("includes a list", "users/:id/mentions", lambda p: p.update(includes=[])),
    ("includes.users an object", "users/:id/mentions", lambda p: p.update(includes={"users": {"id": "1"}})),
    ("an included user without id", "users/:id/mentions", lambda p: p.update(includes={"users": [{"name": "x"}]})),
    ("meta a list", "users/:id/mentions", lambda p: p.update(meta=["next"])),
    ("next_token a number", "users/:id/mentions", lambda p: p.update(meta={"next_token": 2})),
    ("newest_id not an id", "users/:id/mentions", lambda p: p.update(meta={"newest_id": "newest"})),
    ("errors an object", "tweets", lambda p: p.update(errors={"title": "Not Found Error"})),
    ("users/me data a list of text", "users/me", lambda p: p.update(data=["me"])),
]


@pytest.mark.parametrize(("endpoint", "spoil"), [w[1:] for w in WRONG_TYPES], ids=[w[0] for w in WRONG_TYPES])
def test_wrong_types_are_reported_with_what_is_wrong(endpoint, spoil):
    page = {"data": [{"id": "1", "text": "fine"}], "meta": {"result_count": 1}}
    spoil(page)
    error = assert_reported(endpoint, json.dumps(page).encode())
    assert "JSON" not in error.problem  # it is JSON: the message names the wrong part instead


@PROPERTIES
@given(encoded_pages(), st.sampled_from(["data", "includes", "meta", "errors"]),
       st.one_of(st.integers(), st.text(max_size=5), st.booleans()))
def test_a_scalar_where_a_list_or_object_belongs_is_reported(case, name, value):
    endpoint, page, _ = case
    page[name] = value
    assert_reported(endpoint, json.dumps(page).encode())
