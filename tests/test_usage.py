"""The usage and cost meter against the sandbox's own counts; the budget and X's monthly cap."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.auth.oauth import OAuthEndpoints
from ahoy_desktop.auth.tokens import KeyringTokenStore
from ahoy_desktop.usage import (
    USER_DATA,
    Prices,
    account_usage,
    estimate_first_import,
    month_of,
    set_monthly_budget,
    usage,
)
from ahoy_desktop.workspace import approve_first_import, connect_x_account, sync_account

from .conftest import FixedHost
from .oauth_support import memory_keyring_fixture, sandbox_sign_in  # noqa: F401 - a fixture

CAPPED = {"title": "UsageCapExceeded", "detail": "Usage cap exceeded: Monthly product cap",
          "type": "https://api.twitter.com/2/problems/usage-capped", "status": 429}


def connect_x(server, clock):
    signed = sandbox_sign_in(server, clock)
    account, _ = connect_x_account(signed, KeyringTokenStore(), clock, sandbox_world="test-world",
                                   endpoints=OAuthEndpoints.at(server.base_url))
    approve_first_import(account.id)
    server.reset_stats()  # the sign-in's own users/me is not the sync's
    return account, FixedHost(server)


def test_the_meter_counts_what_the_sandbox_served(db_path, sandbox, real_world, clock, connect, settings):
    server = sandbox(real_world)
    account, host = connect(server)
    server.reset_stats()
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    today, month = account_usage(account.id, clock.now(), Prices())
    served = server.stats()
    assert set(month.endpoints) == set(served)
    assert month.requests == sum(s["requests"] for s in served.values())
    for endpoint, entry in month.endpoints.items():
        stats = served[endpoint]
        assert entry.requests == stats["requests"], endpoint
        if endpoint in USER_DATA:
            assert (entry.data_read, entry.includes_read) == (stats["resources"]["users"], 0), endpoint
        else:
            assert (entry.data_read, entry.includes_read) == (stats["resources"]["tweets"],
                                                              stats["resources"]["users"]), endpoint
        assert entry.data_billed <= entry.data_read
    assert today.cost == pytest.approx(month.cost) and month.cost > 0


def test_a_resource_is_charged_once_per_utc_day(db_path, sandbox, real_world, clock, connect, settings):
    server = sandbox(real_world)
    account, host = connect(server)
    prices = Prices()
    sync_account(account, host, clock, settings=settings)
    first_day = clock.now().strftime("%Y-%m-%d")
    after_first = usage([account.id], first_day, first_day, prices)

    clock.advance(timedelta(minutes=5))
    sync_account(account, host, clock, settings=settings)  # re-reads the profile and the posts' metrics
    after_second = usage([account.id], first_day, first_day, prices)
    assert after_second.requests > after_first.requests
    assert after_second.endpoints["users/me"].data_read == 2
    assert after_second.endpoints["users/me"].data_billed == 1
    assert after_second.cost == pytest.approx(after_first.cost)

    clock.set(clock.now().replace(hour=0, minute=30) + timedelta(days=1))
    sync_account(account, host, clock, settings=settings)
    second_day = clock.now().strftime("%Y-%m-%d")
    day_two = usage([account.id], second_day, second_day, prices)
    assert day_two.endpoints["users/me"].data_billed == 1  # a new UTC day pays again
    whole = usage([account.id], first_day, second_day, prices)
    assert whole.cost == pytest.approx(after_second.cost + day_two.cost)
    assert set(whole.cost_by_day) == {first_day, second_day}


def test_prices_owned_reads_and_includes(db_path, sandbox, real_world, clock, connect, settings):
    server = sandbox(real_world)
    account, host = connect(server)
    sync_account(account, host, clock, settings=settings)
    day = clock.now().strftime("%Y-%m-%d")
    owned = usage([account.id], day, day, Prices(owns_app=True)).endpoints["users/:id/mentions"]
    public = usage([account.id], day, day, Prices(owns_app=False)).endpoints["users/:id/mentions"]
    assert owned.data_billed == public.data_billed > 0
    assert owned.data_cost == pytest.approx(owned.data_billed * 0.001)
    assert public.data_cost == pytest.approx(public.data_billed * 0.005)
    assert owned.includes_billed > 0  # the authors, counted apart at the user price
    assert owned.includes_cost == pytest.approx(owned.includes_billed * 0.010) == public.includes_cost
    likers = usage([account.id], day, day, Prices()).endpoints["tweets/:id/liking_users"]
    assert likers.price_name == "liker" and likers.data_cost == pytest.approx(likers.data_billed * 0.001)


def test_a_sync_stops_before_it_passes_the_budget(db_path, sandbox, real_world, clock, settings, memory_keyring):
    server = sandbox(real_world)
    account, host = connect_x(server, clock)
    set_monthly_budget(0.5)
    report = sync_account(account, host, clock, settings=settings)
    assert report.outcome == "budget"
    assert "$0.50" in report.message
    first, last = month_of(clock.now())
    spent = usage(None, first, last, Prices.from_settings(settings)).cost
    assert 0 < spent <= 0.5
    set_monthly_budget(0)  # no budget: the import goes on where it stopped
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"


def test_the_budget_counts_what_another_account_spends_meanwhile(db_path, sandbox, real_world, clock, settings,
                                                                 memory_keyring):
    """Two X accounts of one workspace, synced side by side (the app and a cron job): one budget."""
    from ahoy_desktop.usage import BudgetGuard

    server = sandbox(real_world)
    endpoints = OAuthEndpoints.at(server.base_url)
    first, _ = connect_x_account(sandbox_sign_in(server, clock), KeyringTokenStore(), clock, sandbox_world="a",
                                 endpoints=endpoints)
    second, _ = connect_x_account(sandbox_sign_in(server, clock), KeyringTokenStore(), clock, sandbox_world="b",
                                  endpoints=endpoints)
    approve_first_import(second.id)
    set_monthly_budget(0)
    prices = Prices.from_settings(settings)
    guard = BudgetGuard(first.id, 5.0, prices, clock.now())
    assert guard.allows("users/:id/mentions")

    assert sync_account(second, FixedHost(server), clock, settings=settings).outcome == "ok"
    month = usage(None, *month_of(clock.now()), prices).cost
    assert month > 5.0
    assert not guard.allows("users/:id/mentions")
    assert guard.spent == pytest.approx(month)


def test_the_monthly_cap_stops_syncing_until_next_month(db_path, sandbox, real_world, clock, settings,
                                                        memory_keyring):
    server = sandbox(real_world)
    account, host = connect_x(server, clock)
    set_monthly_budget(0)
    server.inject_fault("users/:id/mentions", status=429, body=CAPPED)
    report = sync_account(account, host, clock, settings=settings)
    assert report.outcome == "capped"
    assert active_accounts(clock.now()) == []
    served = sum(s["requests"] for s in server.stats().values())
    again = sync_account(account, host, clock, settings=settings)
    assert again.outcome == "capped" and "resumes on 2027-01-01" in again.message
    assert sum(s["requests"] for s in server.stats().values()) == served  # no request while capped

    clock.set(clock.now().replace(day=1) + timedelta(days=31))  # January
    assert [a.id for a in active_accounts(clock.now())] == [account.id]
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"


def test_the_first_import_estimate(real_world):
    user = {"id": "1", "public_metrics": {"tweet_count": 50, "followers_count": 10}}
    estimate = estimate_first_import(user, Prices())
    assert (estimate.mention_posts, estimate.own_posts, estimate.users) == (800, 50, 801)
    assert estimate.cost == pytest.approx(800 * 0.001 + 50 * 0.001 + 800 * 0.010 + 0.001)
    public = estimate_first_import(user, Prices(owns_app=False))
    assert public.cost == pytest.approx(800 * 0.005 + 50 * 0.005 + 800 * 0.010 + 0.010)


def test_the_usage_dialog_shows_each_day_per_endpoint_as_the_sandbox_counted_it(
        app_context, qtbot, sandbox, real_world, memory_keyring):
    """An X account over two UTC days, the second with a 503 on the way: the figures are X's own counts."""
    from ui.usage_view import COL_DAY, COL_ENDPOINT, COL_READ, COL_REQUESTS, UsageDialog

    clock, settings = app_context.clock, app_context.settings
    server = sandbox(real_world, oauth_required=True)
    account, host = connect_x(server, clock)
    set_monthly_budget(0)
    sync_account(account, host, clock, settings=settings)
    first_day, served_first = clock.now().strftime("%Y-%m-%d"), server.stats()
    server.reset_stats()
    clock.set(clock.now().replace(hour=0, minute=30) + timedelta(days=1))
    server.inject_fault("users/:id/mentions", status=503)
    assert sync_account(account, host, clock, settings=settings).outcome == "ok"
    second_day, served_second = clock.now().strftime("%Y-%m-%d"), server.stats()
    assert served_second["users/:id/mentions"]["statuses"].get(503) == 1
    assert served_second.pop("oauth2/token")["requests"] == 1  # the sign-in renewed: free, and not API usage

    dialog = UsageDialog(app_context, account.id)
    qtbot.addWidget(dialog)
    table = dialog.days_table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    for day, served in ((first_day, served_first), (second_day, served_second)):
        shown = {row[COL_ENDPOINT + 1]: row for row in rows if row[COL_DAY] == day}
        assert set(shown) == set(served) | {"Day total"}, day
        for endpoint, stats in served.items():
            assert int(shown[endpoint][COL_REQUESTS + 1]) == stats["requests"], (day, endpoint)
            read = stats["resources"]["users"] if endpoint in USER_DATA else stats["resources"]["tweets"]
            assert int(shown[endpoint][COL_READ + 1]) == read, (day, endpoint)
        assert int(shown["Day total"][COL_REQUESTS + 1]) == sum(s["requests"] for s in served.values())
    month = dialog.month_table
    total_row = [month.item(month.rowCount() - 1, c).text() for c in range(month.columnCount())]
    assert total_row[COL_ENDPOINT] == "Total"
    assert int(total_row[COL_REQUESTS]) == sum(s["requests"] for s in (*served_first.values(),
                                                                         *served_second.values()))
