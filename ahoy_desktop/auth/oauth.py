"""Token exchange, refresh and revocation: plain form POSTs with ``requests``.

The URLs are data (X's, or a sandbox's), so the whole flow runs in tests
over real HTTP. Errors carry X's error code and description, never a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import requests

from .tokens import TokenSet

X_AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
X_TOKEN_URL = "https://api.x.com/2/oauth2/token"
X_REVOKE_URL = "https://api.x.com/2/oauth2/revoke"
X_API_BASE_URL = "https://api.x.com"

AUTHORIZE_PATH = "/i/oauth2/authorize"
TOKEN_PATH = "/2/oauth2/token"
REVOKE_PATH = "/2/oauth2/revoke"
TIMEOUT = 30.0


@dataclass(frozen=True)
class OAuthEndpoints:
    authorize_url: str
    token_url: str
    revoke_url: str

    @classmethod
    def x(cls) -> OAuthEndpoints:
        return cls(X_AUTHORIZE_URL, X_TOKEN_URL, X_REVOKE_URL)

    @classmethod
    def at(cls, base_url: str) -> OAuthEndpoints:
        """One host serving all three, as the sandbox does."""
        base = base_url.rstrip("/")
        return cls(base + AUTHORIZE_PATH, base + TOKEN_PATH, base + REVOKE_PATH)


class OAuthError(Exception):
    """X refused a token request (``error`` is X's code, e.g. invalid_grant), or could not be reached."""

    def __init__(self, error: str, description: str = "", *, status: int | None = None):
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        self.status = status

    @property
    def offline(self) -> bool:
        return self.error == "network"

    @property
    def temporary(self) -> bool:
        """X's trouble, not the grant's (unreachable, 5xx, 429, an unreadable answer): try again later."""
        return self.offline or self.status == 429 or self.error == "invalid_response"


def exchange_code(endpoints: OAuthEndpoints, client_id: str, code: str, verifier: str, redirect_uri: str,
                  now: datetime) -> TokenSet:
    return _token_request(endpoints.token_url, {
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "client_id": client_id, "code_verifier": verifier,
    }, now)


def refresh(endpoints: OAuthEndpoints, client_id: str, refresh_token: str, now: datetime) -> TokenSet:
    return _token_request(endpoints.token_url, {
        "grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id,
    }, now)


def revoke(revoke_url: str, client_id: str, token: str, hint: str) -> None:
    """Raises OAuthError (``offline`` when X could not be reached)."""
    _post(revoke_url, {"token": token, "token_type_hint": hint, "client_id": client_id})


def _token_request(url: str, form: dict, now: datetime) -> TokenSet:
    body = _post(url, form)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError("invalid_response", "the token answer had no access token")
    try:
        lifetime = float(body.get("expires_in") or 7200)
    except (TypeError, ValueError):
        lifetime = 7200.0
    refresh_token = body.get("refresh_token") if isinstance(body.get("refresh_token"), str) else ""
    return TokenSet(access, refresh_token, now + timedelta(seconds=lifetime), str(body.get("scope") or ""))


def _post(url: str, form: dict) -> dict:
    try:
        response = requests.post(url, data=form, timeout=TIMEOUT,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    except requests.RequestException as exc:
        raise OAuthError("network", f"X could not be reached ({type(exc).__name__})") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code >= 400:
        error = str(body.get("error") or f"http_{response.status_code}")
        description = str(body.get("error_description") or body.get("detail") or "")
        if response.status_code >= 500:
            error = "network"  # X's trouble, not the grant's: try again later
        raise OAuthError(error, description, status=response.status_code)
    return body
