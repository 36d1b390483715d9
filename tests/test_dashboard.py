"""The dashboard: activity per local day, counted in SQL, drawn as stacked bars."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale

from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.changes import Changes
from ahoy_desktop.dashboard import daily_activity, day_bounds
from ahoy_desktop.db.models import Account, Activity, Member

BERLIN = ZoneInfo("Europe/Berlin")
_ids = count(1)


@pytest.fixture
def account(db_path, clock):
    return Account.create(x_user_id="1", username="ahoy", credential_kind="sandbox", connected_at=clock.now())


@pytest.fixture
def member(db_path, clock):
    return Member.create(first_seen_at=clock.now())


def add(account, member, when: datetime, kind: str = "mention", estimated: bool = False) -> None:
    n = next(_ids)
    Activity.create(account=account, member=member, kind=kind, post_id=str(n), occurred_at=when,
                    estimated=estimated, dedup_key=f"test:{n}")


def local(*args, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)


def by_day(days) -> dict[date, int]:
    return {d.day: d.total for d in days}


# -- core ---------------------------------------------------------------------


def test_autumn_dst_day_is_25_hours_and_counted_once(account, member):
    now = local(2026, 11, 10, 12)
    on_the_day = [
        local(2026, 10, 25, 0, 30),
        local(2026, 10, 25, 2, 30),  # before the clocks go back (CEST)
        local(2026, 10, 25, 2, 30, fold=1),  # the same wall time again, an hour later (CET)
        local(2026, 10, 25, 23, 59, 59),
    ]
    for when in on_the_day:
        add(account, member, when)
    add(account, member, local(2026, 10, 24, 23, 59, 59))
    add(account, member, local(2026, 10, 26, 0, 0))

    days = daily_activity(now, tz=BERLIN)

    assert len(days) == 30
    assert [d.day for d in days] == [date(2026, 10, 12) + timedelta(days=i) for i in range(30)]
    counts = by_day(days)
    assert counts[date(2026, 10, 24)] == 1
    assert counts[date(2026, 10, 25)] == 4
    assert counts[date(2026, 10, 26)] == 1
    lengths = {d.day: d.end - d.start for d in days}
    assert lengths[date(2026, 10, 25)] == timedelta(hours=25)
    assert all(v == timedelta(hours=24) for k, v in lengths.items() if k != date(2026, 10, 25))


def test_spring_dst_day_is_23_hours_and_counted_once(account, member):
    now = local(2026, 4, 10, 8)
    add(account, member, local(2026, 3, 28, 23, 59))
    for when in (local(2026, 3, 29, 0, 30), local(2026, 3, 29, 3, 30), local(2026, 3, 29, 23, 59)):
        add(account, member, when)

    days = daily_activity(now, tz=BERLIN)

    assert len(days) == 30
    counts = by_day(days)
    assert counts[date(2026, 3, 28)] == 1
    assert counts[date(2026, 3, 29)] == 3
    assert {d.day: d.end - d.start for d in days}[date(2026, 3, 29)] == timedelta(hours=23)


@pytest.mark.parametrize("now", [local(2026, 11, 10, 12), local(2026, 4, 10, 8)])
def test_one_activity_an_hour_lands_in_exactly_one_day(account, member, now):
    """No hour is counted twice or lost across a DST change: each day holds as many hours as it lasts."""
    bounds = day_bounds(now, tz=BERLIN)
    start, end = bounds[0][1], bounds[-1][1]
    hours = int((end - start) / timedelta(hours=1))
    for h in range(-3, hours + 3):  # a few outside the window on each side
        add(account, member, start + timedelta(hours=h, minutes=30))

    days = daily_activity(now, tz=BERLIN)

    assert sum(d.total for d in days) == hours
    for d in days:
        assert d.total == (d.end - d.start) / timedelta(hours=1)
    assert all(b.start == a.end for a, b in zip(days, days[1:], strict=False))


@pytest.fixture
def system_zone_berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_without_a_zone_days_follow_the_system_zone_dst_included(account, member, system_zone_berlin):
    now = local(2026, 11, 10, 12)
    add(account, member, local(2026, 10, 25, 2, 30, fold=1))
    add(account, member, local(2026, 10, 25, 23, 30))

    days = daily_activity(now)

    assert days == daily_activity(now, tz=BERLIN)
    assert by_day(days)[date(2026, 10, 25)] == 2


def test_estimated_likes_and_retweets_are_counted_apart(account, member):
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    add(account, member, now - timedelta(hours=1), "like")
    add(account, member, now - timedelta(hours=1), "like", estimated=True)
    add(account, member, now - timedelta(hours=1), "like", estimated=True)
    add(account, member, now - timedelta(hours=2), "retweet", estimated=True)
    add(account, member, now - timedelta(hours=2), "reply")

    today = daily_activity(now, tz=UTC)[-1]

    assert today.day == date(2026, 12, 1)
    assert today.dated == {"like": 1, "reply": 1}
    assert today.estimated == {"like": 2, "retweet": 1}
    assert today.total == 5


def test_the_window_ends_with_today_and_starts_29_days_before(account, member):
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    add(account, member, datetime(2026, 11, 2, 0, 0, tzinfo=UTC))  # first instant of the window
    add(account, member, datetime(2026, 11, 1, 23, 59, 59, tzinfo=UTC))  # just before it
    add(account, member, datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC))  # end of today

    days = daily_activity(now, tz=UTC)

    assert days[0].day == date(2026, 11, 2) and days[-1].day == date(2026, 12, 1)
    assert days[0].total == 1 and days[-1].total == 1
    assert sum(d.total for d in days) == 2


# -- the tab ------------------------------------------------------------------


@pytest.fixture
def make_tab(qtbot):
    from ui.dashboard_tab import DashboardTab

    tabs = []

    def make(context):
        tab = DashboardTab(context)
        qtbot.addWidget(tab)
        tabs.append(tab)
        tab.resize(1300, 800)
        tab.show()
        qtbot.waitUntil(lambda: not tab.loading)
        return tab

    yield make
    for tab in tabs:
        assert tab.shutdown(10_000)


def window_count(context) -> int:
    bounds = day_bounds(context.clock.now())
    start, end = bounds[0][1], bounds[-1][1]
    return Activity.select().where((Activity.occurred_at >= start) & (Activity.occurred_at < end)).count()


def bar_total(tab) -> int:
    return int(sum(sum(segment.item.opts["height"]) for segment in tab.segments))


def test_sample_workspace_chart_shows_every_activity_of_the_window(sample_context, make_tab, qtbot):
    from ahoy_desktop.workspace import sync_account

    for account in active_accounts():
        assert sync_account(account, sample_context.session.host, sample_context.clock).outcome == "ok"
    tab = make_tab(sample_context)

    expected = window_count(sample_context)
    assert expected > 0
    assert tab.stack.currentWidget() is tab.plot
    assert len(tab.data.days) == 30
    assert bar_total(tab) == expected
    assert tab.summary_label.text() == f"{QLocale().toString(expected)} activities in the last 30 days"
    labels = {segment.label for segment in tab.segments}
    assert {"Mentions", "Replies", "Likes (date estimated)"} <= labels
    # Estimated segments sit on top of the dated ones, each kind once.
    flags = [segment.estimated for segment in tab.segments]
    assert flags == sorted(flags)

    dated = sum(sum(d.dated.values()) for d in tab.data.days)
    tab.show_estimated.setChecked(False)
    assert bar_total(tab) == dated
    assert all(not segment.estimated for segment in tab.segments)


def test_real_world_shows_only_estimated_likes_and_retweets_set_apart(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)

    assert [(s.label, s.estimated) for s in tab.segments] == [
        ("Likes (date estimated)", True), ("Retweets (date estimated)", True)]
    today = tab.data.days[-1]
    assert today.estimated == {"like": 43, "retweet": 38} and today.dated == {}
    assert bar_total(tab) == 81 == window_count(synced_context)
    assert "81 of them are likes and retweets whose dates are estimated" in tab.summary_detail.text()

    described = tab.describe_day(len(tab.data.days) - 1)
    assert "81 activities" in described
    assert "Likes (date estimated): 43" in described and "Retweets (date estimated): 38" in described


def test_hover_shows_the_day_and_its_counts(synced_context, make_tab, qtbot):
    tab = make_tab(synced_context)
    view = tab.plot.getPlotItem().vb
    today = len(tab.data.days) - 1
    point = tab.plot.mapFromScene(view.mapViewToScene(pg_point(today, 10)))

    qtbot.mouseMove(tab.plot.viewport(), point)

    qtbot.waitUntil(lambda: "Likes (date estimated): 43" in tab.hover_label.text())
    assert QLocale().toString(synced_context.clock.now().date(), QLocale.FormatType.LongFormat) \
        in tab.hover_label.text()


def pg_point(x: float, y: float):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_empty_workspace_says_how_to_connect_an_account(app_context, make_tab):
    tab = make_tab(app_context)

    assert tab.stack.currentWidget() is tab.message
    assert tab.message.text() == ("No account connected yet. Go to Integrations to connect one, "
                                  "or try the sample workspace from the File menu.")
    assert tab.segments == []


def test_account_without_recent_activity_then_new_activity_refreshes(app_context, make_tab, qtbot):
    account = Account.create(x_user_id="1", username="ahoy", credential_kind="sandbox",
                             connected_at=app_context.clock.now())
    member = Member.create(first_seen_at=app_context.clock.now())
    add(account, member, app_context.clock.now() - timedelta(days=400))
    tab = make_tab(app_context)
    assert tab.message.text() == "No activity in the last 30 days"

    add(account, member, app_context.clock.now() - timedelta(hours=1), "reply")
    app_context.notify(Changes(activities_added=Counter(reply=1)))

    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.plot)
    assert [s.label for s in tab.segments] == ["Replies"]
    assert bar_total(tab) == 1
    assert tab.summary_label.text() == "1 activity in the last 30 days"
