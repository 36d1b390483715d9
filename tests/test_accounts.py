"""Connecting, summarising and disconnecting accounts, headless against real sandboxes."""

from __future__ import annotations

import json

import pytest

from ahoy_desktop.accounts import (
    account_summaries,
    account_summary,
    active_accounts,
    connect_world,
    disconnect_account,
    last_run,
)
from ahoy_desktop.db.models import (
    Account,
    AccountSnapshot,
    Activity,
    HandleHistory,
    Identity,
    Member,
    MemberCustomValue,
    OwnPost,
    SyncCursor,
    SyncRun,
)
from ahoy_desktop.sync.lock import SyncBusy, account_lock
from ahoy_desktop.workspace import sync_account

from .conftest import REAL_WORLD


@pytest.fixture
def two_accounts(db_path, clock, sandbox, connect, real_world):
    """The real world's account and a second one whose mentions are a slice of the first's, both synced."""
    small = json.loads(json.dumps(real_world))
    small["mentions"] = real_world["mentions"][:60]
    small["liking_users"], small["retweeted_by"], small["quote_tweets"] = {}, {}, {}
    accounts = []
    for world, key in ((real_world, "big"), (small, "little")):
        account, host = connect(sandbox(world), key)
        assert sync_account(account, host, clock).outcome == "ok"
        accounts.append(account)
    return accounts


def members_of(account_id: int) -> set[int]:
    return {m for (m,) in Activity.select(Activity.member).where(Activity.account == account_id).distinct().tuples()}


def test_keep_data_stops_syncing_but_keeps_everything(two_accounts, clock):
    big, little = two_accounts
    activities, members = Activity.select().count(), Member.select().count()

    result = disconnect_account(little.id, keep_data=True, clock=clock)

    assert result.kept_data
    assert Account.get_by_id(little.id).disconnected_at == clock.now()
    assert [a.id for a in active_accounts()] == [big.id]
    assert (Activity.select().count(), Member.select().count()) == (activities, members)
    assert account_summary(little.id).disconnected


def test_delete_data_removes_what_only_that_account_brought(two_accounts, clock):
    big, little = two_accounts
    shared = members_of(big.id) & members_of(little.id)
    only_big = members_of(big.id) - members_of(little.id)
    assert shared and only_big
    edited, custom = sorted(only_big)[:2]
    Member.update(manual_fields=["company"], company="Acme").where(Member.id == edited).execute()
    MemberCustomValue.create(member=custom, field_key="team", value="core", source="manual", updated_at=clock.now())
    some_shared = sorted(shared)[0]
    before = Member.get_by_id(some_shared).activity_count
    assert OwnPost.select().where(OwnPost.account == big.id).exists()

    result = disconnect_account(big.id, keep_data=False, clock=clock)

    assert Account.get_or_none(Account.id == big.id) is None
    for model in (Activity, OwnPost, SyncCursor, SyncRun, AccountSnapshot):
        assert not model.select().where(model.account == big.id).exists(), model.__name__
    assert result.members_deleted == only_big - {edited, custom}
    assert not Member.select().where(Member.id.in_(list(result.members_deleted))).exists()
    assert not Identity.select().where(Identity.member.in_(list(result.members_deleted))).exists()
    assert Member.get_by_id(edited).company == "Acme"  # someone's work stays
    assert Member.get_by_id(custom).activity_count == 0
    assert shared <= {m for (m,) in Member.select(Member.id).tuples()}
    recounted = Member.get_by_id(some_shared)
    assert recounted.activity_count == Activity.select().where(Activity.member == some_shared).count() < before
    assert [a.id for a in active_accounts()] == [little.id]
    assert HandleHistory.select().join(Identity).where(Identity.member.in_(list(shared))).exists()


def test_disconnect_waits_for_a_running_sync(two_accounts, clock):
    big, _ = two_accounts
    from ahoy_desktop.db.models import database_proxy

    with account_lock(database_proxy.obj.database, big.id), pytest.raises(SyncBusy):
        disconnect_account(big.id, keep_data=False, clock=clock)
    assert Account.get_or_none(Account.id == big.id) is not None


def test_summaries_tell_counts_and_the_last_run(two_accounts):
    big, little = two_accounts
    summaries = {s.id: s for s in account_summaries()}
    assert summaries[big.id].activity_count == Activity.select().where(Activity.account == big.id).count() > 0
    run = summaries[big.id].last_run
    assert run.outcome == "ok"
    assert run.activities_added == summaries[big.id].activity_count
    assert run.members_added == len(members_of(big.id))
    assert summaries[big.id].source == ("world", "big")
    assert account_summaries([little.id])[0].id == little.id


def test_a_rate_limited_run_knows_when_it_resumes(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world, window_seconds=3600, limits={"users/:id/mentions": 0})
    account, host = connect(server)
    report = sync_account(account, host, clock)
    assert report.outcome == "rate_limited"
    run = last_run(account.id)
    assert run.outcome == "rate_limited"
    assert run.resume_after == report.resume_after


def test_connect_world_file_new_existing_and_reconnected(app_context, tmp_path):
    session, clock = app_context.session, app_context.clock
    first = connect_world(session.host, str(REAL_WORLD), clock)
    assert first.status == "new"
    assert connect_world(session.host, str(REAL_WORLD), clock) == type(first)(first.account_id, "existing")
    disconnect_account(first.account_id, keep_data=True, clock=clock)
    again = connect_world(session.host, str(REAL_WORLD), clock)
    assert again == type(first)(first.account_id, "reconnected")
    assert Account.get_by_id(first.account_id).disconnected_at is None

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "ahoy-sandbox-world/1", "me": ', encoding="utf-8")
    with pytest.raises(ValueError):
        connect_world(session.host, str(broken), clock)
    with pytest.raises(OSError):
        connect_world(session.host, str(tmp_path / "missing.json"), clock)
    assert Account.select().count() == 1
