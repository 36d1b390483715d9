"""The sandbox's OAuth 2.0 provider: authorize, token and revoke, as X serves them.

Authorization codes live 30 seconds, PKCE (S256) is verified, access tokens
live two hours on the shared clock, and refresh tokens are rotated and
single-use, so the app's whole sign-in and refresh path runs in tests over
real HTTP. Tokens it issues start with ``sbx-``; the server checks those
(and, when asked to, refuses every other bearer token).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from ahoy_desktop.clock import Clock

CODE_SECONDS = 30
ACCESS_SECONDS = 7200
ISSUED_PREFIX = "sbx-"
AUTHORIZE_PATH = "/i/oauth2/authorize"
TOKEN_PATH = "/2/oauth2/token"
REVOKE_PATH = "/2/oauth2/revoke"
PATHS = {AUTHORIZE_PATH: "oauth2/authorize", TOKEN_PATH: "oauth2/token", REVOKE_PATH: "oauth2/revoke"}


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    scope: str
    expires: float


@dataclass
class _Grant:
    client_id: str
    scope: str
    expires: float | None  # None: a refresh token (no expiry here)
    used: bool = False


@dataclass
class OAuthReply:
    status: int
    body: dict
    location: str | None = None


def _error(error: str, description: str, status: int = 400) -> OAuthReply:
    return OAuthReply(status, {"error": error, "error_description": description})


class OAuthProvider:
    def __init__(self, clock: Clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, _Grant] = {}
        self._refresh: dict[str, _Grant] = {}
        self.deny_next = False  # the user clicks "Cancel" on X's page
        self.unavailable = False  # token and revoke answer 503, as when X is down
        self.refresh_grants = 0  # successful refreshes, for tests

    # -- endpoints ---------------------------------------------------------

    def authorize(self, query: str) -> OAuthReply:
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        redirect = params.get("redirect_uri", "")
        if not redirect.startswith(("http://127.0.0.1:", "http://localhost:")):
            return _error("invalid_request", "redirect_uri must be a loopback address")
        state = params.get("state", "")
        if self.deny_next:
            self.deny_next = False
            return self._redirect(redirect, {"error": "access_denied", "state": state})
        missing = [k for k in ("client_id", "state", "code_challenge") if not params.get(k)]
        if params.get("response_type") != "code" or params.get("code_challenge_method") != "S256" or missing:
            return _error("invalid_request", "response_type=code, client_id, state and an S256 code_challenge "
                                             "are required")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Code(params["client_id"], redirect, params["code_challenge"],
                                      params.get("scope", ""), self.clock.timestamp() + CODE_SECONDS)
        return self._redirect(redirect, {"state": state, "code": code})

    def token(self, form_body: bytes) -> OAuthReply:
        form = {k: v[0] for k, v in parse_qs(form_body.decode("utf-8", "replace")).items()}
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._code_grant(form)
        if grant_type == "refresh_token":
            return self._refresh_grant(form)
        return _error("unsupported_grant_type", "grant_type must be authorization_code or refresh_token")

    def revoke(self, form_body: bytes) -> OAuthReply:
        form = {k: v[0] for k, v in parse_qs(form_body.decode("utf-8", "replace")).items()}
        token = form.get("token", "")
        with self._lock:
            found = self._access.get(token) or self._refresh.get(token)
            if found is not None and found.client_id != form.get("client_id"):
                return _error("invalid_client", "the token belongs to another client")  # and it stays valid
            self._access.pop(token, None)
            self._refresh.pop(token, None)
        return OAuthReply(200, {"revoked": True})

    # -- checks the API side makes -------------------------------------------

    def accepts(self, bearer: str) -> bool:
        with self._lock:
            grant = self._access.get(bearer)
            return grant is not None and grant.expires is not None and self.clock.timestamp() < grant.expires

    def expire_access_tokens(self) -> None:
        """X may end an access token early: every one issued so far stops working."""
        with self._lock:
            self._access.clear()

    def live_grants(self) -> tuple[int, int]:
        """How many access and refresh tokens X would still accept: a sign-in the app dropped shows here."""
        now = self.clock.timestamp()
        with self._lock:
            return (sum(1 for g in self._access.values() if g.expires is not None and now < g.expires),
                    sum(1 for g in self._refresh.values() if not g.used))

    def is_live_refresh_token(self, token: str) -> bool:
        with self._lock:
            grant = self._refresh.get(token)
            return grant is not None and not grant.used

    # -- grants ------------------------------------------------------------

    def _code_grant(self, form: dict) -> OAuthReply:
        with self._lock:
            code = self._codes.pop(form.get("code", ""), None)  # single use, whatever happens next
        if code is None:
            return _error("invalid_grant", "unknown or already used authorization code")
        if self.clock.timestamp() >= code.expires:
            return _error("invalid_grant", "the authorization code expired")
        if form.get("client_id") != code.client_id or form.get("redirect_uri") != code.redirect_uri:
            return _error("invalid_grant", "client_id or redirect_uri does not match the authorization")
        if _challenge(form.get("code_verifier", "")) != code.challenge:
            return _error("invalid_grant", "code_verifier does not match the code_challenge")
        return self._issue(code.client_id, code.scope)

    def _refresh_grant(self, form: dict) -> OAuthReply:
        with self._lock:
            grant = self._refresh.get(form.get("refresh_token", ""))
            if grant is None or grant.used:
                return _error("invalid_grant", "unknown, revoked or already used refresh token")
            if grant.client_id != form.get("client_id"):
                return _error("invalid_grant", "the refresh token belongs to another client")
            grant.used = True  # single use: rotated below
            self.refresh_grants += 1
        return self._issue(grant.client_id, grant.scope)

    def _issue(self, client_id: str, scope: str) -> OAuthReply:
        access = ISSUED_PREFIX + "at-" + secrets.token_urlsafe(32)
        body = {"token_type": "bearer", "expires_in": ACCESS_SECONDS, "access_token": access, "scope": scope}
        with self._lock:
            self._access[access] = _Grant(client_id, scope, self.clock.timestamp() + ACCESS_SECONDS)
            if "offline.access" in scope.split():
                refresh = ISSUED_PREFIX + "rt-" + secrets.token_urlsafe(32)
                self._refresh[refresh] = _Grant(client_id, scope, None)
                body["refresh_token"] = refresh
        return OAuthReply(200, body)

    @staticmethod
    def _redirect(redirect_uri: str, params: dict) -> OAuthReply:
        joiner = "&" if urlsplit(redirect_uri).query else "?"
        return OAuthReply(302, {}, location=redirect_uri + joiner + urlencode(params))


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
