"""The pieces of an OAuth 2.0 Authorization Code request with PKCE (S256).

A desktop app cannot keep a client secret, so it proves with a one-time
verifier that the code it exchanges is the one it asked for, and checks
``state`` so no other page can hand it a code.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

SCOPES = ("tweet.read", "users.read", "like.read", "follows.read", "offline.access")
CALLBACK_PATH = "/callback"


def new_verifier() -> str:
    """43 to 128 unreserved characters (RFC 7636); 64 random bytes give 86."""
    return secrets.token_urlsafe(64)


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    return secrets.token_urlsafe(24)


def redirect_uri(port: int) -> str:
    """X matches the redirect exactly, and wants the loopback address rather than ``localhost``."""
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


@dataclass(frozen=True)
class AuthorizationRequest:
    """One sign-in attempt: what goes to the browser and what stays here to check the answer."""

    url: str
    state: str
    redirect_uri: str
    client_id: str
    scopes: tuple[str, ...]
    verifier: str = field(repr=False)


def authorization_request(authorize_url: str, client_id: str, port: int,
                          scopes: tuple[str, ...] = SCOPES) -> AuthorizationRequest:
    verifier, state, redirect = new_verifier(), new_state(), redirect_uri(port)
    query = urlencode({
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect,
        "scope": " ".join(scopes),
        "state": state,
        "code_challenge": challenge(verifier),
        "code_challenge_method": "S256",
    })
    return AuthorizationRequest(f"{authorize_url}?{query}", state, redirect, client_id, tuple(scopes), verifier)
