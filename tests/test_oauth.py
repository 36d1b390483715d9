"""Signing an X account in with PKCE against the sandbox, over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest
import requests

from ahoy_desktop.accounts import account_summaries, active_accounts
from ahoy_desktop.auth import connect, oauth
from ahoy_desktop.auth.callback import CallbackError
from ahoy_desktop.auth.oauth import OAuthEndpoints, OAuthError
from ahoy_desktop.auth.pkce import SCOPES, authorization_request
from ahoy_desktop.auth.tokens import KeyringTokenStore, TokenStoreError
from ahoy_desktop.db.models import Account, AccountAuth
from ahoy_desktop.settings import X_CLIENT_ID
from ahoy_desktop.workspace import connect_x_account

from .oauth_support import (
    CLIENT_ID,
    Browser,
    free_port,
    memory_keyring_fixture,  # noqa: F401 - a fixture
    sandbox_sign_in,
)


def _code_for(server, request) -> str:
    """The browser step without following the redirect: read the code off X's answer."""
    answer = requests.get(request.url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    params = parse_qs(urlsplit(answer.headers["location"]).query)
    assert params["state"] == [request.state]
    return params["code"][0]


def test_sign_in_stores_tokens_in_the_keychain_and_nowhere_else(db_path, sandbox, real_world, clock, settings,
                                                               memory_keyring, caplog, isolated_user_files):
    caplog.set_level(logging.DEBUG)
    server = sandbox(real_world)
    settings.set(X_CLIENT_ID, CLIENT_ID)
    settings.sync()
    signed = sandbox_sign_in(server, clock)
    account, status = connect_x_account(signed, KeyringTokenStore(), clock, sandbox_world="test-world",
                                        endpoints=OAuthEndpoints.at(server.base_url))
    assert status == "new"
    assert account.username == real_world["me"]["username"]
    assert account.credential_kind == "x"
    assert set(AccountAuth.get_by_id(account.id).scopes.split()) == set(SCOPES)
    secrets_ = [signed.tokens.access_token, signed.tokens.refresh_token]
    assert all(secrets_)
    stored = list(memory_keyring.entries.values())
    assert len(stored) == 1 and all(s in stored[0] for s in secrets_)

    Account.select().count()  # make sure everything is written through the connection
    files = [p for p in db_path.parent.glob(db_path.name + "*")]
    files += [p for p in isolated_user_files.rglob("*") if p.is_file()]
    assert db_path in files
    for path in files:
        data = path.read_bytes()
        for secret in secrets_:
            assert secret.encode() not in data, f"a token leaked into {path}"
    for secret in secrets_:
        assert secret not in caplog.text
        assert secret not in repr(signed)


def test_a_wrong_state_is_refused_and_nothing_is_stored(db_path, sandbox, real_world, clock, memory_keyring):
    server = sandbox(real_world)

    def forge_state(url: str) -> str:
        return url.replace("state=", "state=forged", 1)

    with pytest.raises(CallbackError) as caught:
        sandbox_sign_in(server, clock, browser=Browser(forge_state))
    assert caught.value.code == "state_mismatch"
    assert Account.select().count() == 0
    assert memory_keyring.entries == {}
    assert "oauth2/token" not in server.stats()  # no code was ever exchanged


def test_refusing_on_x_leaves_nothing_half_connected(db_path, sandbox, real_world, clock, memory_keyring):
    server = sandbox(real_world)
    server.oauth.deny_next = True
    browser = Browser()
    with pytest.raises(CallbackError) as caught:
        sandbox_sign_in(server, clock, browser=browser)
    assert caught.value.code == "denied"
    assert browser.answers[0].status_code == 400  # the page the browser shows says so
    assert Account.select().count() == 0 and memory_keyring.entries == {}


def test_a_timeout_closes_the_listener(db_path, sandbox, real_world, clock, memory_keyring):
    server = sandbox(real_world)
    port = free_port()

    class NeverReturns(Browser):
        def open(self, url):
            pass

    with pytest.raises(CallbackError) as caught:
        sandbox_sign_in(server, clock, browser=NeverReturns(), timeout=0.05, port=port)
    assert caught.value.code == "timeout"
    assert Account.select().count() == 0 and memory_keyring.entries == {}
    with pytest.raises(requests.ConnectionError):  # the port is free again: nothing listens
        requests.get(f"http://127.0.0.1:{port}/callback", timeout=5)


def test_a_wrong_verifier_is_refused(sandbox, real_world, clock):
    server = sandbox(real_world)
    endpoints = OAuthEndpoints.at(server.base_url)
    request = authorization_request(endpoints.authorize_url, CLIENT_ID, free_port())
    code = _code_for(server, request)
    other = authorization_request(endpoints.authorize_url, CLIENT_ID, free_port())
    with pytest.raises(OAuthError) as caught:
        oauth.exchange_code(endpoints, CLIENT_ID, code, other.verifier, request.redirect_uri, clock.now())
    assert caught.value.error == "invalid_grant"
    assert "verifier" in caught.value.description
    with pytest.raises(OAuthError):  # and the code is spent
        oauth.exchange_code(endpoints, CLIENT_ID, code, request.verifier, request.redirect_uri, clock.now())


def test_an_expired_code_is_refused(sandbox, real_world, clock):
    server = sandbox(real_world)
    endpoints = OAuthEndpoints.at(server.base_url)
    request = authorization_request(endpoints.authorize_url, CLIENT_ID, free_port())
    code = _code_for(server, request)
    clock.advance(31)  # X's codes live 30 seconds
    with pytest.raises(OAuthError) as caught:
        oauth.exchange_code(endpoints, CLIENT_ID, code, request.verifier, request.redirect_uri, clock.now())
    assert caught.value.error == "invalid_grant" and "expired" in caught.value.description


def test_the_right_verifier_gets_tokens_that_the_api_accepts(sandbox, real_world, clock):
    server = sandbox(real_world, oauth_required=True)
    endpoints = OAuthEndpoints.at(server.base_url)
    request = authorization_request(endpoints.authorize_url, CLIENT_ID, free_port())
    tokens = oauth.exchange_code(endpoints, CLIENT_ID, _code_for(server, request), request.verifier,
                                 request.redirect_uri, clock.now())
    assert tokens.refresh_token  # offline.access was asked for
    me = requests.get(server.base_url + "/2/users/me", headers={"Authorization": f"Bearer {tokens.access_token}"},
                      timeout=10)
    assert me.status_code == 200
    anonymous = requests.get(server.base_url + "/2/users/me", headers={"Authorization": "Bearer sandbox"},
                             timeout=10)
    assert anonymous.status_code == 401


def test_x_and_sandbox_accounts_side_by_side(db_path, sandbox, real_world, clock, connect, memory_keyring):
    server = sandbox(real_world)
    sandbox_account, _host = connect(server)
    signed = sandbox_sign_in(server, clock)
    x_account, _ = connect_x_account(signed, KeyringTokenStore(), clock, sandbox_world="test-world",
                                     endpoints=OAuthEndpoints.at(server.base_url))
    assert x_account.id != sandbox_account.id
    kinds = {s.account.id: s.source for s in account_summaries(now=clock.now())}
    assert kinds == {sandbox_account.id: ("world", "test-world"), x_account.id: ("x", "sandbox")}
    # The X account waits for its first import's cost to be accepted; the sandbox one syncs.
    assert [a.id for a in active_accounts(clock.now())] == [sandbox_account.id]

    again, status = connect_x_account(sandbox_sign_in(server, clock), KeyringTokenStore(), clock,
                                      sandbox_world="test-world", endpoints=OAuthEndpoints.at(server.base_url))
    assert (again.id, status) == (x_account.id, "existing")
    assert not server.oauth.is_live_refresh_token(signed.tokens.refresh_token)  # the old sign-in was revoked
    assert len(memory_keyring.entries) == 1


def wait_for(condition, seconds: float = 10.0) -> bool:
    """For what the app does on a thread of its own (a revocation after a failed sign-in)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_stray_request_to_the_listener_does_not_end_the_sign_in(db_path, sandbox, real_world, clock,
                                                                   memory_keyring):
    server = sandbox(real_world)

    class FaviconFirst(Browser):
        """Some browsers, or another local program, knock on the port before X's redirect lands."""

        def __init__(self):
            super().__init__(rewrite=self.knock_first)
            self.stray = None

        def knock_first(self, url):
            callback = parse_qs(urlsplit(url).query)["redirect_uri"][0]
            self.stray = requests.get(callback.replace("/callback", "/favicon.ico"), timeout=10)
            return url

    browser = FaviconFirst()
    signed = sandbox_sign_in(server, clock, browser=browser)
    assert browser.stray.status_code == 404
    assert signed.user["username"] and browser.answers[0].status_code == 200


def test_a_keychain_that_refuses_the_tokens_leaves_no_live_sign_in_at_x(db_path, sandbox, real_world, clock,
                                                                         memory_keyring):
    server = sandbox(real_world)
    signed = sandbox_sign_in(server, clock)
    assert server.oauth.live_grants() == (1, 1)

    def refuse(*_args):
        raise keyring.errors.PasswordSetError("the unlock prompt was dismissed")

    memory_keyring.set_password = refuse
    with pytest.raises(TokenStoreError):
        connect_x_account(signed, KeyringTokenStore(), clock, sandbox_world="test-world",
                          endpoints=OAuthEndpoints.at(server.base_url))
    assert Account.select().count() == 0
    assert wait_for(lambda: server.oauth.live_grants() == (0, 0))


def test_cancelling_while_the_code_is_exchanged_revokes_what_x_gave(db_path, sandbox, real_world, clock,
                                                                    monkeypatch):
    server = sandbox(real_world)
    exchanging, cancelled = threading.Event(), threading.Event()
    real_identify = connect.identify

    def slow_identify(*args):
        signed = real_identify(*args)
        exchanging.set()
        cancelled.wait(10)  # X answered; the user cancels before the app takes the answer
        return signed

    monkeypatch.setattr(connect, "identify", slow_identify)

    async def sign_in_then_cancel():
        browser = Browser()
        task = asyncio.ensure_future(connect.sign_in(
            client_id=CLIENT_ID, port=free_port(), endpoints=OAuthEndpoints.at(server.base_url),
            api_base_url=server.base_url, clock=clock, open_browser=browser.open, timeout=10))
        await asyncio.get_running_loop().run_in_executor(None, exchanging.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        cancelled.set()
        browser.close()
        await asyncio.get_running_loop().run_in_executor(
            None, wait_for, lambda: server.oauth.live_grants() == (0, 0))

    asyncio.run(sign_in_then_cancel())
    assert server.oauth.live_grants() == (0, 0)


def test_signing_in_again_with_another_client_id_revokes_the_old_tokens_under_their_own(
        db_path, sandbox, real_world, clock, memory_keyring):
    server = sandbox(real_world)
    endpoints = OAuthEndpoints.at(server.base_url)
    first = sandbox_sign_in(server, clock, client_id="first-app")
    account, _ = connect_x_account(first, KeyringTokenStore(), clock, sandbox_world="w", endpoints=endpoints)
    second = sandbox_sign_in(server, clock, client_id="second-app")
    again, status = connect_x_account(second, KeyringTokenStore(), clock, sandbox_world="w", endpoints=endpoints)
    assert (again.id, status) == (account.id, "existing")
    assert not server.oauth.accepts(first.tokens.access_token)
    assert not server.oauth.is_live_refresh_token(first.tokens.refresh_token)
    assert server.oauth.accepts(second.tokens.access_token)
    assert server.oauth.live_grants() == (1, 1)
