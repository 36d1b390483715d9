"""Tokens after sign-in: refresh before expiry and after a 401, a refused refresh, no keychain, revocation."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

import keyring
import pytest
from keyring.backends import fail

from ahoy_desktop.accounts import account_summaries, active_accounts, disconnect_account
from ahoy_desktop.auth import oauth
from ahoy_desktop.auth.credentials import needs_reconnect
from ahoy_desktop.auth.oauth import OAuthEndpoints, OAuthError
from ahoy_desktop.auth.tokens import (
    FILE,
    FileTokenStore,
    KeyringTokenStore,
    TokenSet,
    TokenStoreError,
    keychain_status,
    open_token_store,
)
from ahoy_desktop.db.models import Account, Activity, Member, PendingRevocation
from ahoy_desktop.usage import set_monthly_budget
from ahoy_desktop.workspace import approve_first_import, connect_x_account, sync_account

from .conftest import FixedHost
from .oauth_support import CLIENT_ID, memory_keyring_fixture, sandbox_sign_in  # noqa: F401 - a fixture


def connect_x(server, clock):
    signed = sandbox_sign_in(server, clock)
    account, _ = connect_x_account(signed, KeyringTokenStore(), clock, sandbox_world="test-world",
                                   endpoints=OAuthEndpoints.at(server.base_url))
    approve_first_import(account.id)
    set_monthly_budget(0)  # no budget: these tests are about tokens
    return account, FixedHost(server)


def stored_tokens(memory_keyring) -> TokenSet:
    (value,) = memory_keyring.entries.values()
    return TokenSet.from_json(value)


def test_an_expired_access_token_is_refreshed_once_and_the_new_refresh_token_kept(
        db_path, sandbox, real_world, clock, settings, memory_keyring):
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    before = stored_tokens(memory_keyring)
    refreshes = server.oauth.refresh_grants

    clock.set(before.expires_at + timedelta(minutes=1))
    report = sync_account(account, host, clock, settings=settings)
    assert report.outcome == "ok", report.message
    assert server.oauth.refresh_grants == refreshes + 1
    after = stored_tokens(memory_keyring)
    assert after.refresh_token != before.refresh_token
    assert server.oauth.is_live_refresh_token(after.refresh_token)
    assert not server.oauth.is_live_refresh_token(before.refresh_token)
    assert all(401 not in entry["statuses"] for entry in server.stats().values())
    with pytest.raises(OAuthError) as caught:  # the old one is spent for good
        oauth.refresh(OAuthEndpoints.at(server.base_url), CLIENT_ID, before.refresh_token, clock.now())
    assert caught.value.error == "invalid_grant"


def test_a_401_refreshes_once_and_stores_the_new_tokens_before_the_retry(
        db_path, sandbox, real_world, clock, settings, memory_keyring):
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    server.oauth.expire_access_tokens()  # X ended the token early; our clock still thinks it is fresh
    server.reset_stats()
    memory_keyring.writes.clear()  # the sign-in's own write
    memory_keyring.on_set = lambda: server.stats().get("users/me", {}).get("statuses", {}).copy()

    report = sync_account(account, host, clock, settings=settings)
    assert report.outcome == "ok", report.message
    assert server.oauth.refresh_grants == 1
    assert server.stats()["users/me"]["statuses"] == {401: 1, 200: 1}
    # The sync's only keychain write: the new tokens, when X had answered the 401 and not yet the retry.
    assert [seen for _key, seen in memory_keyring.writes] == [{401: 1}]


def test_a_refused_refresh_means_reconnect_needed_and_keeps_the_data(
        db_path, sandbox, real_world, clock, settings, memory_keyring):
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    activities, members = Activity.select().count(), Member.select().count()
    assert activities > 0
    tokens = stored_tokens(memory_keyring)
    oauth.revoke(OAuthEndpoints.at(server.base_url).revoke_url, CLIENT_ID, tokens.refresh_token, "refresh_token")
    clock.set(tokens.expires_at + timedelta(minutes=1))

    report = sync_account(account, host, clock, settings=settings)
    assert report.outcome == "reconnect_needed"
    assert "reconnect" in report.message.lower()
    assert needs_reconnect(account.id)
    assert (Activity.select().count(), Member.select().count()) == (activities, members)
    assert account.id not in [a.id for a in active_accounts(clock.now())]
    (summary,) = account_summaries(now=clock.now())
    assert summary.blocked[0] == "reconnect_needed"

    requests_before = sum(e["requests"] for e in server.stats().values())
    again = sync_account(account, host, clock, settings=settings)
    assert again.outcome == "reconnect_needed"
    assert sum(e["requests"] for e in server.stats().values()) == requests_before  # syncing stopped


def test_without_a_keychain_it_says_so_and_sandbox_accounts_still_sync(db_path, sandbox, real_world, clock,
                                                                       settings, connect):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert keychain_status().available is False
        with pytest.raises(TokenStoreError) as caught:
            open_token_store("keyring").save("x-1", TokenSet("a", "r", clock.now()))
        assert "keychain refused" in str(caught.value) and "NoKeyringError" in str(caught.value)
        assert open_token_store("file").kind == FILE  # only when the user chose it
        account, host = connect(sandbox(real_world))
        assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    finally:
        keyring.set_keyring(previous)


def test_the_file_store_is_readable_by_the_user_only(tmp_path, clock):
    store = FileTokenStore(tmp_path / "tokens.json")
    tokens = TokenSet("access-secret", "refresh-secret", clock.now().replace(microsecond=0), "tweet.read")
    store.save("x-1", tokens)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert store.load("x-1") == tokens
    assert "secret" not in repr(tokens)
    store.delete("x-1")
    assert store.load("x-1") is None and json.loads(store.path.read_text()) == {}


def test_disconnecting_revokes_at_x_and_empties_the_keychain(db_path, sandbox, real_world, clock, settings,
                                                            memory_keyring):
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    tokens = stored_tokens(memory_keyring)
    activities = Activity.select().count()

    disconnect_account(account.id, keep_data=True, clock=clock, host=host)
    assert memory_keyring.entries == {}
    assert PendingRevocation.select().count() == 0
    assert not server.oauth.accepts(tokens.access_token)
    assert not server.oauth.is_live_refresh_token(tokens.refresh_token)
    assert Activity.select().count() == activities


def test_a_revocation_waits_in_the_queue_while_x_is_down(db_path, sandbox, real_world, clock, settings,
                                                          memory_keyring):
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    tokens = stored_tokens(memory_keyring)
    server.oauth.unavailable = True

    disconnect_account(account.id, keep_data=False, clock=clock, host=host)
    (queued,) = PendingRevocation.select()
    assert queued.attempts == 1
    assert list(memory_keyring.entries) == [("Ahoy Desktop", queued.token_key)]  # the account's own entry is gone
    assert tokens.access_token not in queued.last_error and server.oauth.accepts(tokens.access_token)

    server.oauth.unavailable = False
    other, _ = connect_x(server, clock)  # the next sync retries the queue first
    sync_account(other, host, clock, settings=settings)
    assert PendingRevocation.select().count() == 0
    assert not server.oauth.accepts(tokens.access_token)
    assert len(memory_keyring.entries) == 1  # only the new account's sign-in


def test_a_revocation_queued_while_x_was_down_is_sent_by_the_next_sandbox_sync(
        db_path, sandbox, real_world, clock, settings, memory_keyring, connect):
    """The last X account is gone; only sandbox accounts still sync, and they carry the queue."""
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    tokens = stored_tokens(memory_keyring)
    server.oauth.unavailable = True
    disconnect_account(account.id, keep_data=False, clock=clock, host=host)
    assert PendingRevocation.select().count() == 1

    server.oauth.unavailable = False
    sandbox_account, sandbox_host = connect(sandbox(real_world))
    assert sync_account(sandbox_account, sandbox_host, clock, settings=settings).outcome == "ok"
    assert PendingRevocation.select().count() == 0
    assert not server.oauth.accepts(tokens.access_token)
    assert memory_keyring.entries == {}


def test_x_busy_when_a_refresh_is_due_is_not_a_lost_sign_in(db_path, sandbox, real_world, clock, settings,
                                                            memory_keyring):
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    tokens = stored_tokens(memory_keyring)
    clock.set(tokens.expires_at + timedelta(minutes=1))
    server.inject_fault("oauth2/token", status=429, times=10)

    report = sync_account(account, host, clock, settings=settings)
    assert report.outcome != "ok"
    assert not needs_reconnect(account.id)
    assert "tries again" in report.message
    assert server.oauth.is_live_refresh_token(tokens.refresh_token)  # never spent

    server.reset_stats()
    server.clear_faults()  # X is fine again
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    assert not server.oauth.is_live_refresh_token(tokens.refresh_token)  # spent by the one refresh that worked


def test_choosing_the_file_store_after_connecting_moves_the_sign_in_and_keeps_it_working(
        db_path, sandbox, real_world, clock, settings, memory_keyring):
    from ahoy_desktop.settings import X_TOKEN_STORE
    from ahoy_desktop.workspace import move_tokens_to

    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    tokens = stored_tokens(memory_keyring)
    settings.set(X_TOKEN_STORE, FILE)
    store = open_token_store(FILE)
    assert move_tokens_to(store) == 1
    assert memory_keyring.entries == {}  # out of the keychain, into the file the user chose
    assert tokens.refresh_token in store.chosen.path.read_text()
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"

    disconnect_account(account.id, keep_data=True, clock=clock, host=host, tokens=store)
    assert not server.oauth.accepts(tokens.access_token)
    assert tokens.refresh_token not in store.chosen.path.read_text()
    assert memory_keyring.entries == {}


def test_a_sign_in_left_in_the_keychain_by_an_earlier_choice_still_syncs_and_disconnects(
        db_path, sandbox, real_world, clock, settings, memory_keyring):
    from ahoy_desktop.settings import X_TOKEN_STORE

    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    tokens = stored_tokens(memory_keyring)
    settings.set(X_TOKEN_STORE, FILE)  # chosen, but nothing moved (another workspace's sign-in, say)
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    disconnect_account(account.id, keep_data=True, clock=clock, host=host, tokens=open_token_store(FILE))
    assert memory_keyring.entries == {}
    assert not server.oauth.is_live_refresh_token(tokens.refresh_token)


@pytest.fixture
def app_logging():
    """The app's own log set-up (file in the data folder, redaction), undone afterwards."""
    import logging

    from ui.app import _set_up_logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    _set_up_logging()
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_no_token_of_a_whole_sign_in_life_reaches_any_file(db_path, sandbox, real_world, clock, settings,
                                                           memory_keyring, isolated_user_files, app_logging):
    """Sign in, sync, a 401 and its refresh, a refresh before expiry, a crash that quotes a token, disconnect:
    the database, settings, the app's log and the crash log hold none of the tokens X ever issued."""
    import logging

    from ahoy_desktop.settings import X_CLIENT_ID
    from ui.crash_dialog import crash_details, write_crash_log

    settings.set(X_CLIENT_ID, CLIENT_ID)
    server = sandbox(real_world, oauth_required=True)
    issued: set[str] = set()

    def remember():
        for value in memory_keyring.entries.values():
            tokens = TokenSet.from_json(value)
            issued.update({tokens.access_token, tokens.refresh_token})

    account, host = connect_x(server, clock)
    remember()
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    server.oauth.expire_access_tokens()
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    remember()
    clock.set(stored_tokens(memory_keyring).expires_at - timedelta(minutes=1))
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    remember()
    assert server.oauth.refresh_grants == 2 and len(issued) == 6
    secret = sorted(issued)[0]
    logging.getLogger("ahoy_desktop.test").warning("X answered 401 for Authorization: Bearer %s", secret)
    try:
        raise RuntimeError(f"token endpoint said: refresh_token={secret}")
    except RuntimeError as exc:
        crash_log = write_crash_log(crash_details(type(exc), exc, exc.__traceback__))
    disconnect_account(account.id, keep_data=True, clock=clock, host=host)
    settings.sync()
    Account.select().count()

    files = [p for p in db_path.parent.glob(db_path.name + "*")]
    files += [p for p in isolated_user_files.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"ahoy-desktop.log", crash_log.name, db_path.name} <= names
    assert "settings.ini" in names
    for path in files:
        data = path.read_bytes()
        for token in issued:
            assert token.encode() not in data, f"a token leaked into {path}"
    assert "[redacted]" in (isolated_user_files / "data" / "ahoy-desktop.log").read_text()
