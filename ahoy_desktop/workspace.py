"""A workspace: one database file, its accounts, and how each one syncs.

This is the core's front door for the command line and the window: open a
file, make it the sample workspace, connect a sandbox or an X account, sync.
An X account syncs exactly like a sandbox one; only where its bearer token
comes from differs (the keychain, refreshed as needed), and its syncs are
held to the workspace's monthly budget and X's monthly cap.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from . import scores, usage
from .auth.connect import SignIn, revoke_unkept
from .auth.credentials import AccountTokens, needs_reconnect
from .auth.oauth import X_API_BASE_URL, OAuthEndpoints
from .auth.revocation import queue_revocation, retry_revocations
from .auth.tokens import TokenStore, TokenStoreError, open_token_store
from .clock import Clock, parse_iso, to_iso
from .db import get_info, init_db, set_info
from .db.models import Account, AccountAuth, PendingRevocation, database_proxy
from .db.sqlite import write_transaction
from .sandbox.host import SAMPLE, SandboxHost
from .settings import X_TOKEN_STORE, Settings
from .sync.engine import ProgressCallback, SyncEngine, SyncOptions, SyncReport
from .xapi.client import XClient

log = logging.getLogger(__name__)

SANDBOX_TOKEN = "sandbox"  # the embedded sandbox accepts any bearer token
SAMPLE_ANCHOR_KEY = "sample_anchor"
LOCKOUT_START_KEY = "scoring_lockout_start"


def open_workspace(path: str | Path):
    return init_db(path)


def is_sample() -> bool:
    return get_info(SAMPLE_ANCHOR_KEY) is not None


def sample_anchor() -> datetime | None:
    value = get_info(SAMPLE_ANCHOR_KEY)
    return parse_iso(value) if value else None


def make_sample(clock: Clock) -> datetime:
    """Mark the open workspace as the sample one, anchored now (once)."""
    anchor = sample_anchor()
    if anchor is None:
        anchor = clock.now()
        set_info(SAMPLE_ANCHOR_KEY, to_iso(anchor))
    return anchor


def scoring_lockout_start() -> datetime | None:
    value = get_info(LOCKOUT_START_KEY)
    return parse_iso(value) if value else None


def connect_sandbox_account(host: SandboxHost, world_key: str, clock: Clock) -> Account:
    """Connect the account a sandbox world serves (or return it if already connected)."""
    world_key = world_key if world_key == SAMPLE else str(Path(world_key).resolve())
    client = XClient(host.base_url(world_key), SANDBOX_TOKEN)
    try:
        page = client.get_me()
    finally:
        client.close()
    me = page.data[0]
    existing = Account.get_or_none(Account.x_user_id == me["id"], Account.credential_kind == "sandbox",
                                   Account.sandbox_world == world_key)
    if existing is not None:
        return existing
    now = clock.now()
    with write_transaction(database_proxy):
        account = Account.create(
            x_user_id=me["id"], username=me.get("username", ""), name=me.get("name", ""),
            profile_image_url=me.get("profile_image_url", ""), credential_kind="sandbox",
            sandbox_world=world_key, connected_at=now, raw_user=me,
        )
        if get_info(LOCKOUT_START_KEY) is None:
            set_info(LOCKOUT_START_KEY, to_iso(now))
    return account


# -- X accounts -------------------------------------------------------------------


def api_base_url(account: Account, host: SandboxHost) -> str:
    """An X account connected through a sandbox (tests, demos) keeps its world; a real one talks to X."""
    if account.sandbox_world:
        return host.base_url(account.sandbox_world)
    return account.api_base_url or X_API_BASE_URL


def oauth_endpoints(account: Account, host: SandboxHost) -> OAuthEndpoints:
    return OAuthEndpoints.at(host.base_url(account.sandbox_world)) if account.sandbox_world else OAuthEndpoints.x()


def token_store(settings: Settings | None = None) -> TokenStore:
    return open_token_store((settings or Settings()).get(X_TOKEN_STORE))


def move_tokens_to(store: TokenStore) -> int:
    """After the user picks another token store: move this workspace's sign-ins and queued revocations there.

    Returns how many token sets moved. Raises TokenStoreError when the new
    store refuses; what was not moved stays readable where it was.
    """
    keys = [a.token_key for a in AccountAuth.select(AccountAuth.token_key)]
    keys += [r.token_key for r in PendingRevocation.select(PendingRevocation.token_key)]
    moved = 0
    for key in keys:
        tokens = store.load(key)
        if tokens is not None:
            store.save(key, tokens)
            moved += 1
    return moved


def connect_x_account(sign_in: SignIn, store: TokenStore, clock: Clock, *, sandbox_world: str = "",
                      endpoints: OAuthEndpoints | None = None) -> tuple[Account, str]:
    """Keep a fresh sign-in: tokens to the keychain first, then the account row.

    Returns the account and "new", "reconnected" or "existing". Raises
    TokenStoreError when the keychain refuses; then nothing was written. An
    account signed in again gets the new tokens, and its old ones are queued
    for revocation.
    """
    me = sign_in.user
    endpoints = endpoints or OAuthEndpoints.x()
    token_key = f"x-{uuid.uuid4().hex}"
    try:
        store.save(token_key, sign_in.tokens)
    except TokenStoreError:
        _revoke_in_background(endpoints, sign_in)
        raise
    now = clock.now()
    try:
        with write_transaction(database_proxy):
            account = Account.get_or_none(Account.x_user_id == me["id"], Account.credential_kind == "x",
                                          Account.sandbox_world == sandbox_world)
            status = "new"
            if account is None:
                account = Account.create(
                    x_user_id=me["id"], username=me.get("username", ""), name=me.get("name", ""),
                    profile_image_url=me.get("profile_image_url", ""), credential_kind="x",
                    api_base_url="" if sandbox_world else X_API_BASE_URL, sandbox_world=sandbox_world,
                    connected_at=now, raw_user=me)
            else:
                status = "reconnected" if account.disconnected_at is not None else "existing"
                Account.update(disconnected_at=None, username=me.get("username") or account.username,
                               name=me.get("name") or account.name, raw_user=me).where(
                    Account.id == account.id).execute()
            old = AccountAuth.get_or_none(AccountAuth.account == account.id)
            old_key, old_client_id = (old.token_key, old.client_id) if old is not None else (None, "")
            approved = bool(old and old.import_approved) or account.first_import_done
            AccountAuth.delete().where(AccountAuth.account == account.id).execute()
            AccountAuth.create(account=account.id, token_key=token_key, client_id=sign_in.client_id,
                               scopes=" ".join(sign_in.scopes), authorized_at=now, import_approved=approved)
            if get_info(LOCKOUT_START_KEY) is None:
                set_info(LOCKOUT_START_KEY, to_iso(now))
    except Exception:
        store.delete(token_key)
        _revoke_in_background(endpoints, sign_in)
        raise
    if old_key is not None:
        try:
            queue_revocation(store, old_key, old_client_id, endpoints.revoke_url, clock)
            retry_revocations(store)  # X unreachable: it stays queued for the next sync
        except TokenStoreError as exc:
            log.warning("the previous sign-in of account %s could not be queued for revocation: %s", account.id, exc)
    return Account.get_by_id(account.id), status


def _revoke_in_background(endpoints: OAuthEndpoints, sign_in: SignIn) -> None:
    """A sign-in that could not be kept is revoked at X without holding up the caller."""
    threading.Thread(target=revoke_unkept, args=(endpoints, sign_in.client_id, sign_in.tokens),
                     name="revoke-unkept-sign-in", daemon=True).start()


def approve_first_import(account_id: int) -> None:
    with write_transaction(database_proxy):
        AccountAuth.update(import_approved=True).where(AccountAuth.account == account_id).execute()


def client_for(account: Account, host: SandboxHost, *, clock: Clock | None = None,
               store: TokenStore | None = None) -> XClient:
    if account.credential_kind == "sandbox":
        return XClient(host.base_url(account.sandbox_world), SANDBOX_TOKEN)
    auth = AccountAuth.get_or_none(AccountAuth.account == account.id)
    if auth is None:
        raise ValueError(f"Account {account.id} has no sign-in; connect it again.")
    tokens = AccountTokens(account.id, auth.token_key, auth.client_id, oauth_endpoints(account, host),
                           store or token_store(), clock or Clock())
    return XClient(api_base_url(account, host), "", token_source=tokens)


# -- syncing -------------------------------------------------------------------------


def blocked_reason(account: Account, now: datetime) -> tuple[str, str] | None:
    """Why an X account must not sync now: (outcome, message), or None."""
    if account.credential_kind != "x":
        return None
    if needs_reconnect(account.id):
        return "reconnect_needed", "X no longer accepts this account's sign-in; reconnect it to sync again."
    if usage.capped_this_month(now):
        return "capped", (f"X's monthly usage cap is reached; syncing resumes on "
                          f"{usage.next_month_start(now):%Y-%m-%d} (UTC).")
    auth = AccountAuth.get_or_none(AccountAuth.account == account.id)
    if not account.first_import_done and auth is not None and not auth.import_approved:
        return "needs_approval", "The first import waits for you to accept its estimated cost."
    return None


def sync_account(account: Account, host: SandboxHost, clock: Clock, *, options: SyncOptions | None = None,
                 progress: ProgressCallback | None = None, cancel: threading.Event | None = None,
                 settings: Settings | None = None, store: TokenStore | None = None) -> SyncReport:
    """Run one sync of one account against wherever it syncs from."""
    account = Account.get_by_id(account.id)
    settings = settings or Settings()
    if account.credential_kind == "x" or PendingRevocation.select().exists():
        store = store or token_store(settings)
        _retry_revocations(store)  # a disconnected account's tokens, even when only sandboxes still sync
    if account.credential_kind == "x":
        now = clock.now()
        blocked = blocked_reason(account, now)
        if blocked is not None:
            return SyncReport(account_id=account.id, outcome=blocked[0], message=blocked[1], started_at=now,
                              finished_at=now)
        guard = usage.BudgetGuard(account.id, usage.monthly_budget(settings), usage.Prices.from_settings(settings),
                                  now, (options or SyncOptions()).page_size)
        options = replace(options or SyncOptions(), budget=guard)
    client = client_for(account, host, clock=clock, store=store)
    try:
        report = SyncEngine(account, client, clock, options=options, progress=progress, cancel=cancel).run()
    finally:
        client.close()
    update_scores_after(report, clock.now())
    return report


def _retry_revocations(store: TokenStore) -> None:
    try:
        retry_revocations(store)
    except TokenStoreError as exc:
        log.warning("queued revocations wait: %s", exc)


def update_scores_after(report: SyncReport, now) -> None:
    """Scores follow the new activity; the automatic setup follows it too until the user has their own.

    The new activity is scored under the setup it came in under first, so
    only what the new setup itself changes is recorded as a setup move.
    """
    scores.update_scores(now)
    if scores.refresh_automatic_setup(now):
        scores.recompute_all(now, cause=scores.SETUP)
