"""An account's access token while it syncs: refreshed before expiry and after a 401.

X's refresh tokens are single-use: each refresh answers with a new one and
the old one is dead. So the new token set is written to the keychain before
the new access token is used, one refresh runs at a time per account, and a
refused refresh marks the account "Reconnect needed" instead of retrying.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from ..clock import Clock
from ..db.models import AccountAuth, database_proxy
from ..db.sqlite import write_transaction
from ..xapi.client import AuthorizationLost, XApiError
from . import oauth
from .oauth import OAuthEndpoints, OAuthError
from .tokens import TokenSet, TokenStore, TokenStoreError

REFRESH_MARGIN = timedelta(minutes=5)
RECONNECT_NEEDED = "reconnect_needed"

_refresh_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _refresh_lock(token_key: str) -> threading.Lock:
    with _locks_guard:
        return _refresh_locks.setdefault(token_key, threading.Lock())


class AccountTokens:
    """The ``TokenSource`` an XClient asks for each request's bearer token."""

    def __init__(self, account_id: int, token_key: str, client_id: str, endpoints: OAuthEndpoints,
                 store: TokenStore, clock: Clock):
        self.account_id = account_id
        self.token_key = token_key
        self.client_id = client_id
        self.endpoints = endpoints
        self.store = store
        self.clock = clock
        self.refreshes = 0

    def current(self) -> str:
        tokens = self._load()
        if tokens.expires_at - REFRESH_MARGIN <= self.clock.now():
            return self._refresh(tokens.access_token)
        return tokens.access_token

    def refresh_after_unauthorized(self, rejected: str) -> str:
        return self._refresh(rejected)

    def _refresh(self, stale_access: str) -> str:
        with _refresh_lock(self.token_key):
            tokens = self._load()
            if tokens.access_token != stale_access and tokens.expires_at - REFRESH_MARGIN > self.clock.now():
                return tokens.access_token  # another thread refreshed meanwhile
            if not tokens.refresh_token:
                self._lose("X gave no refresh token; sign in again to keep syncing.")
            try:
                fresh = oauth.refresh(self.endpoints, self.client_id, tokens.refresh_token, self.clock.now())
            except OAuthError as exc:
                if exc.offline:
                    raise XApiError("Could not reach X to renew the sign-in.", retryable=True) from None
                if exc.temporary:
                    raise XApiError(f"X could not renew the sign-in just now ({exc.error}); the next sync tries "
                                    "again.", retryable=True) from None
                self._lose(f"X refused to renew the sign-in ({exc.error}); reconnect the account.")
            if not fresh.refresh_token:  # keep the old one rather than lose the ability to refresh
                fresh = TokenSet(fresh.access_token, tokens.refresh_token, fresh.expires_at, fresh.scope)
            try:
                self.store.save(self.token_key, fresh)  # before the new access token is ever used
            except TokenStoreError as exc:
                self._lose(f"{exc} The new sign-in could not be kept; reconnect the account.")
            self.refreshes += 1
            return fresh.access_token

    def _load(self) -> TokenSet:
        try:
            tokens = self.store.load(self.token_key)
        except TokenStoreError as exc:
            raise XApiError(str(exc), retryable=False) from None
        if tokens is None:
            self._lose("The sign-in tokens are missing from the keychain; reconnect the account.")
        return tokens

    def _lose(self, message: str):
        mark_reconnect_needed(self.account_id, message)
        raise AuthorizationLost(message)


def mark_reconnect_needed(account_id: int, message: str) -> None:
    with write_transaction(database_proxy):
        AccountAuth.update(status=RECONNECT_NEEDED, status_message=message).where(
            AccountAuth.account == account_id).execute()


def needs_reconnect(account_id: int) -> bool:
    auth = AccountAuth.get_or_none(AccountAuth.account == account_id)
    return auth is not None and auth.status == RECONNECT_NEEDED
