"""Revoking tokens at X, queued when X cannot be reached.

A revocation needs the token itself, so the queued token stays in the
keychain under an entry of its own; the database row only names that entry.
The queue is retried before every sync until X confirms.
"""

from __future__ import annotations

import logging
import uuid

from ..clock import Clock
from ..db.models import PendingRevocation, database_proxy
from ..db.sqlite import write_transaction
from . import oauth
from .oauth import OAuthError
from .tokens import TokenSet, TokenStore, TokenStoreError

log = logging.getLogger(__name__)


def queue_revocation(store: TokenStore, token_key: str, client_id: str, revoke_url: str, clock: Clock) -> bool:
    """Move an account's tokens to the revocation queue; False when there was nothing to revoke."""
    tokens = store.load(token_key)
    if tokens is None:
        return False
    queued_key = f"revoke-{uuid.uuid4().hex}"
    with write_transaction(database_proxy):  # the row first: a crash leaves a row to clean, never a lost token
        PendingRevocation.create(token_key=queued_key, client_id=client_id, revoke_url=revoke_url,
                                 queued_at=clock.now())
    store.save(queued_key, tokens)
    store.delete(token_key)
    return True


def retry_revocations(store: TokenStore) -> int:
    """Revoke what the queue holds; return how many are still waiting (X unreachable)."""
    waiting = 0
    for row in list(PendingRevocation.select().order_by(PendingRevocation.id)):
        try:
            tokens = store.load(row.token_key)
        except TokenStoreError as exc:
            _note_failure(row, str(exc))
            waiting += 1
            continue
        if tokens is not None:
            try:
                revoke_tokens(row.revoke_url, row.client_id, tokens)
            except OAuthError as exc:
                _note_failure(row, str(exc))
                waiting += 1
                continue
            store.delete(row.token_key)
        with write_transaction(database_proxy):
            PendingRevocation.delete().where(PendingRevocation.id == row.id).execute()
    return waiting


def revoke_tokens(revoke_url: str, client_id: str, tokens: TokenSet) -> None:
    """Revoke the refresh and the access token, each even when X refuses the other.

    Raises OAuthError (``offline``) when X could not be reached: try again later.
    """
    unreachable = None
    for token, hint in ((tokens.refresh_token, "refresh_token"), (tokens.access_token, "access_token")):
        if not token:
            continue
        try:
            oauth.revoke(revoke_url, client_id, token, hint)
        except OAuthError as exc:
            if exc.offline:
                unreachable = exc
            else:
                log.info("X refused to revoke a %s (%s); it is no longer valid anyway", hint, exc.error)
    if unreachable is not None:
        raise unreachable


def _note_failure(row: PendingRevocation, message: str) -> None:
    with write_transaction(database_proxy):
        PendingRevocation.update(attempts=PendingRevocation.attempts + 1, last_error=message).where(
            PendingRevocation.id == row.id).execute()
