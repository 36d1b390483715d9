"""Network faults during a real sync: retried with backoff, reported in words, nothing synced lost.

Each fault is injected into the sandbox over real HTTP. The client gets a
short timeout so a stalled answer times out quickly; backoff waits run on the
frozen test clock, so they cost no real time. Every sync is compared with one
uninterrupted sync of the same world.
"""

from __future__ import annotations

import json

import pytest
import requests

from ahoy_desktop.clock import Clock
from ahoy_desktop.db import close_db, init_db
from ahoy_desktop.db.models import Account, Activity, Identity, Member, OwnPost, RequestLog
from ahoy_desktop.sandbox.server import SandboxServer
from ahoy_desktop.sandbox.world import World
from ahoy_desktop.sync.engine import SyncEngine, SyncOptions
from ahoy_desktop.workspace import SANDBOX_TOKEN
from ahoy_desktop.xapi.client import XClient

from .conftest import T0, FixedHost

CLIENT_TIMEOUT = 0.3  # seconds of real time; the sandbox stalls for longer
STALL = 3.0
MENTIONS = "users/:id/mentions"
LIKERS = "tweets/:id/liking_users"
HTML = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def snapshot() -> dict:
    """What a user sees of a sync: every activity and every member by X user id.

    Estimated times are the moment of connecting, which differs between two
    workspaces by microseconds; they read as that moment."""
    connected = {a.id: a.connected_at for a in Account.select()}
    activities = {
        a.dedup_key: (a.kind, a.x_user_id, a.post_id, a.target_post_id, a.text, a.estimated,
                      "connected" if a.occurred_at == connected[a.account_id] else a.occurred_at)
        for a in Activity.select()
    }
    members = {
        i.x_user_id: (i.handle, i.member.raw_x_user)
        for i in Identity.select(Identity, Member).join(Member)
    }
    return {"activities": activities, "members": members}


def run_sync(account_id: int, server: SandboxServer, clock: Clock, **options):
    client = XClient(server.base_url, SANDBOX_TOKEN, timeout=CLIENT_TIMEOUT)
    try:
        return SyncEngine(Account.get_by_id(account_id), client, clock, options=SyncOptions(**options)).run()
    finally:
        client.close()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, real_world_data) -> dict:
    """The real world synced once with no fault: what every faulty sync must end with."""
    from ahoy_desktop.workspace import connect_sandbox_account

    clock = Clock(T0, frozen=True)
    init_db(tmp_path_factory.mktemp("uninterrupted") / "workspace.sqlite")
    try:
        with SandboxServer(World(real_world_data), clock) as server:
            account = connect_sandbox_account(FixedHost(server), "test-world", clock)
            report = run_sync(account.id, server, clock)
            assert report.outcome == "ok", report.message
            return snapshot()
    finally:
        close_db()


@pytest.fixture
def world_server(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, _ = connect(server)
    return server, account.id


def logged_errors() -> list[str]:
    return [r.error for r in RequestLog.select().where(RequestLog.error != "").order_by(RequestLog.id)]


# What each fault looks like on the wire, and what the request log notes for it.
FAULTS = {
    "read timeout": (dict(network="stall", stall_seconds=STALL), "ReadTimeout"),
    "cut off mid-body": (dict(status=200, network="cut"), "ChunkedEncodingError"),
    "reset without an answer": (dict(network="drop"), "ConnectionError"),
    "500": (dict(status=500), "Internal Server Error"),
    "502 HTML page": (dict(status=502, raw_body=HTML, headers={"content-type": "text/html"}), "HTTP 502"),
    "504 empty body": (dict(status=504, raw_body=b""), "HTTP 504"),
    "200 data is an object": (dict(status=200, raw_body=b'{"data": {"id": "1", "text": "hi"}}'),
                              "malformed page"),
    "200 item without id": (dict(status=200, raw_body=b'{"data": [{"text": "hi"}], "meta": {"result_count": 1}}'),
                            "malformed page"),
    "200 empty body": (dict(status=200, raw_body=b""), "malformed page"),
}


@pytest.mark.parametrize(("endpoint", "after"), [(MENTIONS, 1), (LIKERS, 0)], ids=["mid-paging", "likers"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_passing_fault_is_retried_with_backoff_and_loses_nothing(world_server, clock, uninterrupted, fault,
                                                                   endpoint, after):
    server, account_id = world_server
    kwargs, logged = FAULTS[fault]
    server.inject_fault(endpoint, after=after, times=2, **kwargs)
    report = run_sync(account_id, server, clock)
    assert report.outcome == "ok", report.message
    assert [e for e, _ in report.waits] == [endpoint, endpoint]  # backed off twice, longer the second time
    assert report.waits[0][1] < report.waits[1][1]
    assert logged_errors() == [logged, logged]
    _same(snapshot(), uninterrupted)


PERSISTENT = {
    "read timeout": "did not answer in time",
    "cut off mid-body": "broke off mid-answer",
    "reset without an answer": "broke off mid-answer",
    "500": "500",
    "502 HTML page": "502",
    "504 empty body": "504",
    "200 data is an object": "cannot read (data is not a list)",
    "200 item without id": "cannot read (an item of data has no id)",
    "200 empty body": "cannot read (an empty body)",
}


@pytest.mark.parametrize("fault", list(PERSISTENT))
def test_a_lasting_fault_stops_with_a_message_and_the_next_sync_completes(world_server, clock, uninterrupted,
                                                                          real_world, fault):
    server, account_id = world_server
    kwargs, _ = FAULTS[fault]
    # Two mention pages arrive, then the first try and four retries all fail.
    server.inject_fault(MENTIONS, after=2, times=5, **kwargs)
    report = run_sync(account_id, server, clock)
    assert report.outcome == "failed"
    assert PERSISTENT[fault] in report.message
    assert "Gave up after 5 tries; the next sync resumes here." in report.message
    assert ". Gave up" in report.message and ".." not in report.message  # two sentences, each with its stop
    account = Account.get_by_id(account_id)
    assert (account.last_sync_outcome, account.last_sync_message) == ("failed", report.message)

    # The two pages read before the fault are stored, all of them and only them.
    first_two_pages = sorted(real_world["mentions"], key=lambda t: int(t["id"]), reverse=True)[:200]
    kept = {a.post_id for a in Activity.select().where(Activity.dedup_key.startswith("post:"))}
    assert kept == {t["id"] for t in first_two_pages if t["author_id"] != real_world["me"]["id"]}

    report = run_sync(account_id, server, clock)
    assert report.outcome == "ok", report.message
    assert report.requests[MENTIONS] == 6  # the six pages not read yet, none read twice
    _same(snapshot(), uninterrupted)


def test_connection_refused_when_the_server_goes_away_mid_sync(db_path, clock, connect, real_world, uninterrupted):
    server = SandboxServer(World(real_world), clock)
    server.start()
    account, _ = connect(server)
    pages = []

    def stop_after_two_mention_pages(progress):
        if progress.stage == "mentions":
            pages.append(progress)
            if len(pages) == 2:
                server.stop()

    client = XClient(server.base_url, SANDBOX_TOKEN, timeout=CLIENT_TIMEOUT)
    try:
        report = SyncEngine(account, client, clock, progress=stop_after_two_mention_pages).run()
    finally:
        client.close()
    assert report.outcome == "failed"
    assert "Could not connect to the X server (connection refused); check the network." in report.message
    assert len(report.waits) == 4
    assert Activity.select().where(Activity.dedup_key.startswith("post:")).count() > 0

    server.start()  # back, on another port
    try:
        report = run_sync(account.id, server, clock)
    finally:
        server.stop()
    assert report.outcome == "ok", report.message
    _same(snapshot(), uninterrupted)


def test_lone_surrogate_in_a_post_is_stored_as_a_replacement_character(world_server, clock, real_world):
    """JSON can escape half an emoji; the post is kept, the half becomes U+FFFD."""
    server, account_id = world_server
    tweet = dict(real_world["mentions"][0], id="1999999999999999999", text="TEXT")
    page = {"data": [tweet], "meta": {"result_count": 1, "newest_id": tweet["id"]}}
    body = json.dumps(page).replace('"TEXT"', '"half \\ud83d emoji \\ud83d\\ude00"').encode()
    server.inject_fault(MENTIONS, status=200, raw_body=body)
    report = run_sync(account_id, server, clock)
    assert report.outcome == "ok", report.message
    assert Activity.get(Activity.post_id == "1999999999999999999").text == "half \ufffd emoji \U0001f600"


def test_null_counts_on_an_own_post_read_as_zero(world_server, clock, real_world):
    """A null count is X saying nothing, not a crash."""
    server, account_id = world_server
    post = {"id": "1999999999999999998", "text": "hello", "author_id": real_world["me"]["id"],
            "created_at": "2026-11-30T09:00:00.000Z",
            "public_metrics": {"like_count": None, "retweet_count": 2, "reply_count": None, "quote_count": 0}}
    page = {"data": [post], "meta": {"result_count": 1, "newest_id": post["id"]}}
    server.inject_fault("users/:id/tweets", status=200, raw_body=json.dumps(page).encode())
    report = run_sync(account_id, server, clock)
    assert report.outcome == "ok", report.message
    stored = OwnPost.get(OwnPost.post_id == post["id"])
    assert (stored.like_count, stored.retweet_count, stored.reply_count) == (0, 2, 0)


# -- the sandbox's network faults themselves ------------------------------------------------


def test_sandbox_network_faults_break_the_connection_as_named(world_server):
    server, _ = world_server
    url = server.base_url + "/2/users/me"
    auth = {"Authorization": "Bearer sandbox"}
    server.inject_fault("users/me", network="stall", stall_seconds=STALL)
    with pytest.raises(requests.ReadTimeout):
        requests.get(url, headers=auth, timeout=CLIENT_TIMEOUT)
    server.inject_fault("users/me", status=200, network="cut")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(url, headers=auth, timeout=5)
    server.inject_fault("users/me", network="drop")
    with pytest.raises(requests.ConnectionError):
        requests.get(url, headers=auth, timeout=5)
    assert requests.get(url, headers=auth, timeout=5).json()["data"]["id"]
    with pytest.raises(ValueError, match="unknown network fault"):
        server.inject_fault("users/me", network="slow")


def _same(got, want):
    for part in ("activities", "members"):
        extra = {k: got[part][k] for k in set(got[part]) - set(want[part])}
        missing = {k: want[part][k] for k in set(want[part]) - set(got[part])}
        changed = {k: (got[part][k], want[part][k]) for k in set(got[part]) & set(want[part])
                   if got[part][k] != want[part][k]}
        assert not (extra or missing or changed), (part, [(a[-1], b[-1]) for a, b in list(changed.values())[:2]],
                                                  list(changed.items())[:2], len(extra), len(missing), len(changed))
