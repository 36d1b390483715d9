"""Scoring: the 24-hour countdown from the first connection, and the points in force."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from ahoy_desktop.changes import Changes
from ahoy_desktop.scoring import DEFAULT_POINTS, lockout_remaining

START = datetime(2026, 12, 1, 9, tzinfo=UTC)


# -- core ---------------------------------------------------------------------


def test_default_points():
    assert DEFAULT_POINTS == {"mention": 3, "reply": 4, "quote": 5, "like": 1, "retweet": 2}


@pytest.mark.parametrize(("elapsed", "left"), [
    (timedelta(0), timedelta(hours=24)),
    (timedelta(hours=1), timedelta(hours=23)),
    (timedelta(hours=10, minutes=55, seconds=9), timedelta(hours=13, minutes=4, seconds=51)),
    (timedelta(hours=24), timedelta(0)),
    (timedelta(days=9), timedelta(0)),
])
def test_lockout_remaining_counts_down_and_never_goes_negative(elapsed, left):
    assert lockout_remaining(START + elapsed, START) == left


# -- the tab ------------------------------------------------------------------


@pytest.fixture
def make_tab(qtbot):
    from ui.scoring_tab import ScoringTab

    def make(context):
        tab = ScoringTab(context)
        qtbot.addWidget(tab)
        tab.show()
        return tab

    return make


def table_rows(tab) -> list[tuple[str, str, str]]:
    from ui.scoring_tab import COL_COUNT, COL_KIND, COL_POINTS

    return [tuple(tab.table.item(r, c).text() for c in (COL_KIND, COL_POINTS, COL_COUNT))
            for r in range(tab.table.rowCount())]


def test_no_account_asks_to_connect_one(app_context, make_tab):
    tab = make_tab(app_context)

    assert tab.countdown.text() == "Connect an account to start scoring."
    assert table_rows(tab) == [("Mention", "3", "0"), ("Reply", "4", "0"), ("Quote", "5", "0"),
                               ("Like", "1", "0"), ("Retweet", "2", "0")]


def test_countdown_ticks_with_the_clock_until_scoring_can_be_configured(sample_context, make_tab, qtbot):
    clock = sample_context.clock
    start = sample_context.session.lockout_start()  # when the sample account was connected
    assert start is not None and abs(clock.now() - start) < timedelta(seconds=1)
    clock.set(start + timedelta(hours=1))
    tab = make_tab(sample_context)

    assert tab.countdown.text() == "Scoring can be configured in 23:00:00"
    assert tab.reason.isVisible()
    assert tab.reason.text() == ("Ahoy studies your account's activity for its first 24 hours, "
                                 "then proposes a scoring setup.")

    clock.advance(timedelta(hours=9, minutes=55, seconds=9))
    qtbot.waitUntil(lambda: tab.countdown.text() == "Scoring can be configured in 13:04:51", timeout=3000)

    clock.advance(timedelta(seconds=1))
    qtbot.waitUntil(lambda: tab.countdown.text() == "Scoring can be configured in 13:04:50", timeout=3000)

    clock.advance(timedelta(hours=13, minutes=4, seconds=50))
    qtbot.waitUntil(lambda: tab.countdown.text() == "Scoring can be configured now.", timeout=3000)
    assert not tab.reason.isVisible()
    assert not tab._timer.isActive()  # nothing left to count down


def test_points_in_force_and_real_counts_per_kind(synced_context, make_tab):
    from ahoy_desktop.scores import load_setup

    tab = make_tab(synced_context)

    points = load_setup().points  # after a sync, the automatic setup follows the activity
    counts = {"mention": 799, "reply": 0, "quote": 0, "like": 43, "retweet": 38}
    assert table_rows(tab) == [(label, str(points[kind]), str(counts[kind])) for kind, label in
                               [("mention", "Mention"), ("reply", "Reply"), ("quote", "Quote"),
                                ("like", "Like"), ("retweet", "Retweet")]]


def test_a_saved_setup_shows_at_once(synced_context, make_tab):
    from ahoy_desktop.scores import ScoringSetup, load_setup, save_setup

    tab = make_tab(synced_context)
    setup = load_setup()
    save_setup(ScoringSetup({**setup.points, "mention": 7}, setup.tracked - {"like"}, setup.stages))
    synced_context.notify(Changes(scoring_changed=True))

    rows = {kind: (points, held) for kind, points, held in table_rows(tab)}
    assert rows["Mention"] == ("7", "799")
    assert rows["Like"] == ("not scored", "43")


def test_counts_follow_new_activity(synced_context, make_tab):
    from ahoy_desktop.db.models import Account, Activity, Member

    tab = make_tab(synced_context)
    Activity.create(account=Account.get(), member=Member.get(), kind="quote", post_id="q1",
                    occurred_at=synced_context.clock.now(), dedup_key="post:q1")
    synced_context.notify(Changes(activities_added=Counter(quote=1)))

    assert {k: h for k, _, h in table_rows(tab)}["Quote"] == "1"
