"""A workspace: one database file, its accounts, and how each one syncs.

This is the core's front door for the command line and the window: open a
file, make it the sample workspace, connect a sandbox account, sync.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from . import scores
from .clock import Clock, parse_iso, to_iso
from .db import get_info, init_db, set_info
from .db.models import Account, database_proxy
from .db.sqlite import write_transaction
from .sandbox.host import SAMPLE, SandboxHost
from .sync.engine import ProgressCallback, SyncEngine, SyncOptions, SyncReport
from .xapi.client import XClient

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


def client_for(account: Account, host: SandboxHost) -> XClient:
    if account.credential_kind == "sandbox":
        return XClient(host.base_url(account.sandbox_world), SANDBOX_TOKEN)
    raise NotImplementedError("Connecting real X accounts is not available in this version.")


def sync_account(account: Account, host: SandboxHost, clock: Clock, *, options: SyncOptions | None = None,
                 progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> SyncReport:
    """Run one sync of one account against wherever it syncs from."""
    account = Account.get_by_id(account.id)
    client = client_for(account, host)
    try:
        report = SyncEngine(account, client, clock, options=options, progress=progress, cancel=cancel).run()
    finally:
        client.close()
    update_scores_after(report, clock.now())
    return report


def update_scores_after(report: SyncReport, now) -> None:
    """Scores follow the new activity; the automatic setup follows it too until the user has their own."""
    if scores.refresh_automatic_setup(now):
        scores.recompute_all(now, cause=scores.SETUP)
    else:
        scores.update_scores(now)
