"""Signing an X account in: browser, loopback callback, code exchange, who it is.

``sign_in`` awaits on the running asyncio loop (qasync's in the app) and runs
the blocking HTTP calls on an executor thread. It returns tokens held in
memory only; the caller stores them (``workspace.connect_x_account``), so a
timeout, a refusal or a failed exchange leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..clock import Clock
from ..xapi.client import XClient
from . import oauth
from .callback import CallbackListener
from .oauth import OAuthEndpoints, OAuthError
from .pkce import SCOPES, AuthorizationRequest, authorization_request
from .revocation import revoke_tokens
from .tokens import TokenSet

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignIn:
    """A fresh authorization: its tokens (memory only) and the user it belongs to."""

    tokens: TokenSet
    user: dict
    client_id: str
    scopes: tuple[str, ...]


async def sign_in(*, client_id: str, port: int, endpoints: OAuthEndpoints, api_base_url: str, clock: Clock,
                  open_browser: Callable[[str], object], timeout: float,
                  on_request: Callable[[AuthorizationRequest], None] | None = None) -> SignIn:
    """Raises CallbackError (timeout, denied, state), OAuthError (exchange refused) or XApiError."""
    request = authorization_request(endpoints.authorize_url, client_id, port, SCOPES)
    if on_request is not None:
        on_request(request)
    listener = CallbackListener(port, request.state)
    await listener.start()
    try:
        open_browser(request.url)
    except Exception:
        await listener.close()
        raise
    result = await listener.wait(timeout)
    loop = asyncio.get_running_loop()
    exchange = loop.run_in_executor(None, identify, request, result.code, endpoints, api_base_url, clock)
    try:
        return await asyncio.shield(exchange)
    except asyncio.CancelledError:
        # Cancelled mid-exchange: the thread goes on, and what it gets must not stay valid at X.
        exchange.add_done_callback(lambda done: _revoke_in_background(loop, done, endpoints))
        raise


def _revoke_in_background(loop: asyncio.AbstractEventLoop, exchange: asyncio.Future,
                          endpoints: OAuthEndpoints) -> None:
    if exchange.cancelled() or exchange.exception() is not None:
        return
    signed: SignIn = exchange.result()
    loop.run_in_executor(None, revoke_unkept, endpoints, signed.client_id, signed.tokens)


def identify(request: AuthorizationRequest, code: str, endpoints: OAuthEndpoints, api_base_url: str,
             clock: Clock) -> SignIn:
    """Exchange the code and ask X who signed in (blocking)."""
    tokens = oauth.exchange_code(endpoints, request.client_id, code, request.verifier, request.redirect_uri,
                                 clock.now())
    client = XClient(api_base_url, tokens.access_token)
    try:
        page = client.get_me()
    except Exception:
        revoke_unkept(endpoints, request.client_id, tokens)
        raise
    finally:
        client.close()
    if not page.data:
        revoke_unkept(endpoints, request.client_id, tokens)
        raise OAuthError("invalid_response", "X did not say who signed in")
    return SignIn(tokens, page.data[0], request.client_id, request.scopes)


def revoke_unkept(endpoints: OAuthEndpoints, client_id: str, tokens: TokenSet) -> None:
    """A sign-in the app will not keep should not stay valid at X either."""
    try:
        revoke_tokens(endpoints.revoke_url, client_id, tokens)
    except OAuthError as exc:
        log.info("could not revoke an unused sign-in (%s)", exc.error)
