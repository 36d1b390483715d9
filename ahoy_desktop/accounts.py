"""Connected accounts as the Integrations tab and the schedule see them.

Disconnecting comes in two kinds. Keeping the data stops the account's syncs
while its members and activities stay in every view (the community is still
the community). Deleting removes the account and whatever only it brought in,
in one transaction, so a crash never leaves half an account behind; members
someone typed something about are never deleted with it. Either way an X
account's sign-in is revoked at X (queued while X cannot be reached) and its
tokens leave the keychain.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from peewee import fn

from .auth.revocation import queue_revocation, retry_revocations
from .auth.tokens import TokenStore, TokenStoreError
from .clock import SYSTEM_CLOCK, Clock, parse_iso
from .db.models import (
    Account,
    AccountAuth,
    Activity,
    Member,
    MemberCustomValue,
    RequestLog,
    SyncRun,
    database_proxy,
)
from .db.sqlite import write_transaction
from .sandbox.host import SAMPLE, SandboxHost
from .sync import store
from .sync.lock import account_lock
from .workspace import blocked_reason, connect_sandbox_account, oauth_endpoints, token_store

log = logging.getLogger(__name__)

# Ids per IN (...) list: far under SQLite's variable limit, whatever else the statement binds.
ID_CHUNK = 5000


def active_accounts(now: datetime | None = None) -> list[Account]:
    """The accounts that sync: connected, not disconnected with their data kept, and not held back
    (an X account needing a new sign-in, its first import's cost not yet accepted, X's monthly cap)."""
    now = now or SYSTEM_CLOCK.now()
    accounts = Account.select().where(Account.disconnected_at.is_null()).order_by(Account.connected_at, Account.id)
    return [a for a in accounts if blocked_reason(a, now) is None]


def all_accounts() -> list[Account]:
    return list(Account.select().order_by(Account.connected_at, Account.id))


@dataclass(frozen=True)
class LastRun:
    """How an account's latest finished sync ended, as the card tells it."""

    outcome: str
    finished_at: datetime
    message: str
    activities_added: int = 0
    members_added: int = 0
    resume_after: datetime | None = None


@dataclass
class AccountSummary:
    """One account with the few facts its card shows, read in one go."""

    account: Account
    activity_count: int = 0
    last_run: LastRun | None = None
    blocked: tuple[str, str] | None = None  # (code, message) when an X account is held back

    @property
    def id(self) -> int:
        return self.account.id

    @property
    def disconnected(self) -> bool:
        return self.account.disconnected_at is not None

    @property
    def source(self) -> tuple[str, str]:
        """("sample", ""), ("world", file name) or ("x", "")."""
        account = self.account
        if account.credential_kind != "sandbox":
            return "x", "sandbox" if account.sandbox_world else ""
        if account.sandbox_world == SAMPLE:
            return "sample", ""
        return "world", Path(account.sandbox_world).name


def activity_counts(account_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Activities stored per account (an index-only count)."""
    query = Activity.select(Activity.account, fn.COUNT(Activity.id)).group_by(Activity.account)
    if account_ids is not None:
        query = query.where(Activity.account.in_(list(account_ids)))
    return dict(query.tuples())


def last_run(account_id: int) -> LastRun | None:
    run = (SyncRun.select().where(SyncRun.account == account_id, SyncRun.finished_at.is_null(False))
           .order_by(SyncRun.finished_at.desc(), SyncRun.id.desc()).first())
    if run is None:
        return None
    report = run.report or {}
    added = report.get("activities_added") or {}
    resume = None
    if run.outcome == "rate_limited":
        resume = _resume_after(account_id, run, report)
    return LastRun(outcome=run.outcome, finished_at=run.finished_at, message=run.message,
                   activities_added=sum(added.values()), members_added=int(report.get("members_added") or 0),
                   resume_after=resume)


def _resume_after(account_id: int, run: SyncRun, report: dict) -> datetime | None:
    """When the spent window resets: the report's word if it has it, else the last response that said so."""
    if report.get("resume_after"):
        return parse_iso(report["resume_after"])
    row = (RequestLog.select(RequestLog.rate_reset)
           .where(RequestLog.account == account_id, RequestLog.at <= run.finished_at,
                  RequestLog.rate_reset.is_null(False),
                  (RequestLog.status == 429) | (RequestLog.rate_remaining == 0))
           .order_by(RequestLog.id.desc()).first())
    return datetime.fromtimestamp(row.rate_reset, tz=UTC) if row else None


def account_summaries(account_ids: Iterable[int] | None = None, now: datetime | None = None) -> list[AccountSummary]:
    """Summaries of these accounts (all by default), oldest connection first; unknown ids are skipped."""
    query = Account.select().order_by(Account.connected_at, Account.id)
    ids = None if account_ids is None else list(account_ids)
    if ids is not None:
        query = query.where(Account.id.in_(ids))
    accounts = list(query)
    counts = activity_counts([a.id for a in accounts])
    now = now or SYSTEM_CLOCK.now()
    return [AccountSummary(a, counts.get(a.id, 0), last_run(a.id),
                           None if a.disconnected_at is not None else blocked_reason(a, now)) for a in accounts]


def account_summary(account_id: int) -> AccountSummary | None:
    found = account_summaries([account_id])
    return found[0] if found else None


# -- connecting ----------------------------------------------------------------


@dataclass(frozen=True)
class ConnectResult:
    account_id: int
    status: str  # "new", "reconnected" (was disconnected with data kept) or "existing"


def connect_world(host: SandboxHost, world_key: str, clock: Clock) -> ConnectResult:
    """Connect a sandbox world's account; connecting a disconnected one again resumes its syncs.

    Raises OSError or ValueError for a file that is not a readable world, and
    XApiError when its sandbox will not say who the account is; nothing is
    written in either case.
    """
    before = {account_id for (account_id,) in Account.select(Account.id).tuples()}
    account = connect_sandbox_account(host, world_key, clock)
    if account.id not in before:
        return ConnectResult(account.id, "new")
    if account.disconnected_at is not None:
        reconnect_account(account.id)
        return ConnectResult(account.id, "reconnected")
    return ConnectResult(account.id, "existing")


def reconnect_account(account_id: int) -> None:
    """Let a disconnected account (its data kept) sync again."""
    with write_transaction(database_proxy):
        Account.update(disconnected_at=None).where(Account.id == account_id).execute()


# -- disconnecting ---------------------------------------------------------------


@dataclass
class DisconnectResult:
    account_id: int
    kept_data: bool
    activities_deleted: int = 0
    members_deleted: set[int] = field(default_factory=set)
    members_recounted: set[int] = field(default_factory=set)  # lost some activity but stay


def disconnect_account(account_id: int, keep_data: bool, *, clock: Clock = SYSTEM_CLOCK,
                       host: SandboxHost | None = None, tokens: TokenStore | None = None) -> DisconnectResult:
    """Stop syncing an account, keeping its data or deleting it.

    Deleting removes the account with its activities, posts, cursors and runs
    (foreign-key cascades), then the members it leaves with no activity at all
    unless someone edited them by hand; the other members it touched get their
    activity counts recounted. Raises SyncBusy while the account is syncing.
    An X account's tokens are queued for revocation (before anything else, so
    a failure leaves the account as it was) and the revocation is tried at once.
    """
    result = DisconnectResult(account_id, keep_data)
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        return result
    with account_lock(database_proxy.obj.database, account_id):
        if account.credential_kind == "x":
            tokens = tokens or token_store()
            _revoke_sign_in(account, host, tokens, clock)
        if keep_data:
            with write_transaction(database_proxy):
                Account.update(disconnected_at=clock.now()).where(
                    Account.id == account_id, Account.disconnected_at.is_null()).execute()
            return result
        with write_transaction(database_proxy):
            touched = {m for (m,) in Activity.select(Activity.member).where(Activity.account == account_id)
                       .distinct().tuples()}
            result.activities_deleted = Activity.select().where(Activity.account == account_id).count()
            Account.delete().where(Account.id == account_id).execute()
            orphans = touched - _members_with_activity(touched)
            gone = orphans - _edited_by_hand(orphans)
            for chunk in _chunks(gone):
                Member.delete().where(Member.id.in_(chunk)).execute()
            result.members_deleted = gone
            result.members_recounted = touched - gone
            store.refresh_member_stats(result.members_recounted)
    return result


def _revoke_sign_in(account: Account, host: SandboxHost | None, tokens: TokenStore, clock: Clock) -> None:
    auth = AccountAuth.get_or_none(AccountAuth.account == account.id)
    if auth is None:
        return
    if account.sandbox_world and host is None:
        raise ValueError("A sandbox-served X account needs its sandbox host to revoke its sign-in.")
    revoke_url = oauth_endpoints(account, host).revoke_url
    queue_revocation(tokens, auth.token_key, auth.client_id, revoke_url, clock)
    try:
        waiting = retry_revocations(tokens)
    except TokenStoreError as exc:
        log.warning("revocations wait: %s", exc)
        return
    if waiting:
        log.info("X could not be reached; %d revocation(s) will be retried before the next sync", waiting)


def _members_with_activity(member_ids: set[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(member_ids):
        found.update(m for (m,) in Activity.select(Activity.member).where(Activity.member.in_(chunk))
                     .distinct().tuples())
    return found


def _edited_by_hand(member_ids: set[int]) -> set[int]:
    """Members with a manual field or a manual custom value: someone's work, never deleted silently."""
    edited: set[int] = set()
    for chunk in _chunks(member_ids):
        for member_id, manual in Member.select(Member.id, Member.manual_fields).where(Member.id.in_(chunk)).tuples():
            if manual and manual != "[]":
                edited.add(member_id)
        edited.update(m for (m,) in MemberCustomValue.select(MemberCustomValue.member)
                      .where(MemberCustomValue.member.in_(chunk), MemberCustomValue.source == "manual").tuples())
    return edited


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), ID_CHUNK):
        yield ordered[start:start + ID_CHUNK]
