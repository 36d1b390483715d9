"""The dashboard's numbers: local buckets across DST, and every chart's query against hand-made data."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from ahoy_desktop.dashboard import tables
from ahoy_desktop.dashboard.periods import (
    HOUR,
    WEEK,
    buckets,
    days_period,
    offset_segments,
    period_for,
)
from ahoy_desktop.dashboard.queries import (
    Scope,
    activity_series,
    follower_lines,
    load_dashboard,
    member_growth,
    stage_series,
    summary,
    top_members,
    weekday_hours,
)
from ahoy_desktop.db.models import Account, AccountSnapshot, Activity, Member, MemberScore, Stage, StageChange

BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+05:30, no DST
TOKYO = ZoneInfo("Asia/Tokyo")
_ids = count(1)


@pytest.fixture
def account(db_path, clock):
    return Account.create(x_user_id="1", username="ahoy", credential_kind="sandbox", connected_at=clock.now())


@pytest.fixture
def member(db_path, clock):
    return Member.create(first_seen_at=clock.now(), name="Ada", x_handle="ada")


def add(account, member, when: datetime, kind: str = "mention", estimated: bool = False) -> None:
    n = next(_ids)
    Activity.create(account=account, member=member, kind=kind, post_id=str(n), occurred_at=when,
                    estimated=estimated, dedup_key=f"test:{n}")


def local(*args, fold: int = 0, tz=BERLIN) -> datetime:
    return datetime(*args, tzinfo=tz, fold=fold)


def per_bucket(series) -> dict:
    return {b.label: series.bucket_total(i) for i, b in enumerate(series.buckets) if series.bucket_total(i)}


# -- periods ------------------------------------------------------------------


def test_autumn_dst_day_is_25_hours_and_each_activity_counted_once(account, member):
    period = days_period(date(2026, 10, 24), date(2026, 10, 26), BERLIN)
    day = buckets(period, BERLIN)[1]
    assert day.label == date(2026, 10, 25) and day.end - day.start == timedelta(hours=25)
    add(account, member, local(2026, 10, 25, 0, 0))  # first instant of the long day
    add(account, member, local(2026, 10, 25, 2, 30, fold=0))  # 02:30 summer time
    add(account, member, local(2026, 10, 25, 2, 30, fold=1))  # 02:30 again, winter time
    add(account, member, local(2026, 10, 25, 23, 59, 59))
    add(account, member, local(2026, 10, 26, 0, 0))  # next day

    series = activity_series(Scope(period, tz=BERLIN))

    assert per_bucket(series) == {date(2026, 10, 25): 4, date(2026, 10, 26): 1}


def test_spring_dst_day_is_23_hours(account, member):
    period = days_period(date(2026, 3, 28), date(2026, 3, 30), BERLIN)
    day = buckets(period, BERLIN)[1]
    assert day.end - day.start == timedelta(hours=23)
    add(account, member, local(2026, 3, 29, 1, 59))
    add(account, member, local(2026, 3, 29, 3, 0))  # the hour after the jump
    add(account, member, local(2026, 3, 28, 23, 59, 59))

    assert per_bucket(activity_series(Scope(period, tz=BERLIN))) == {date(2026, 3, 28): 1, date(2026, 3, 29): 2}


def test_one_activity_an_hour_for_a_year_lands_once_in_days_and_weeks(account, member):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"account": account.id, "member": member.id, "kind": "mention", "post_id": str(h),
             "occurred_at": start + timedelta(hours=h), "dedup_key": f"h:{h}"} for h in range(24 * 365)]
    for chunk in range(0, len(rows), 500):
        Activity.insert_many(rows[chunk:chunk + 500]).execute()
    year = days_period(date(2026, 1, 1), date(2026, 12, 31), BERLIN)
    assert year.unit == WEEK
    weeks = activity_series(Scope(year, tz=BERLIN))
    assert all(b.label.weekday() == 0 for b in weeks.buckets[1:])
    expected = Activity.select().where((Activity.occurred_at >= year.start) & (Activity.occurred_at < year.end)).count()
    assert weeks.total == expected == 24 * 365 - 1  # the first UTC hour of the year is 31 Dec in Berlin

    october = days_period(date(2026, 10, 1), date(2026, 10, 31), BERLIN)
    days = per_bucket(activity_series(Scope(october, tz=BERLIN)))
    assert days[date(2026, 10, 25)] == 25 and days[date(2026, 10, 24)] == 24
    march = per_bucket(activity_series(Scope(days_period(date(2026, 3, 1), date(2026, 3, 31), BERLIN), tz=BERLIN)))
    assert march[date(2026, 3, 29)] == 23


def test_custom_range_east_of_utc_cuts_days_at_local_midnight(account, member):
    period = period_for("custom", datetime(2026, 12, 1, tzinfo=UTC), KOLKATA,
                        custom=(date(2026, 11, 10), date(2026, 11, 12)))
    assert period.start == datetime(2026, 11, 9, 18, 30, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 12, 18, 30, tzinfo=UTC)
    add(account, member, datetime(2026, 11, 9, 18, 29, tzinfo=UTC))  # 9 Nov 23:59 local: outside
    add(account, member, datetime(2026, 11, 9, 18, 30, tzinfo=UTC))  # 10 Nov 00:00 local
    add(account, member, datetime(2026, 11, 10, 20, 0, tzinfo=UTC))  # 11 Nov 01:30 local
    add(account, member, datetime(2026, 11, 12, 18, 29, tzinfo=UTC))  # 12 Nov 23:59 local

    series = activity_series(Scope(period, tz=KOLKATA))

    assert [b.label for b in series.buckets] == [date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)]
    assert per_bucket(series) == {date(2026, 11, 10): 1, date(2026, 11, 11): 1, date(2026, 11, 12): 1}


def test_last_24_hours_are_hourly_and_keep_the_repeated_dst_hour_apart(account, member):
    now = local(2026, 10, 25, 12, 10)
    period = period_for("24h", now.astimezone(UTC), BERLIN)
    assert period.unit == HOUR and len(buckets(period, BERLIN)) == 24
    add(account, member, local(2026, 10, 25, 2, 15, fold=0))
    add(account, member, local(2026, 10, 25, 2, 45, fold=1))
    add(account, member, local(2026, 10, 25, 2, 50, fold=1))

    series = activity_series(Scope(period, tz=BERLIN))

    counts = [(b.label.hour, b.label.utcoffset(), series.bucket_total(i))
              for i, b in enumerate(series.buckets) if series.bucket_total(i)]
    assert counts == [(2, timedelta(hours=2), 1), (2, timedelta(hours=1), 2)]


def test_offset_segments_follow_dst_changes():
    segments = offset_segments(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), BERLIN)
    assert [(s[0], s[2]) for s in segments] == [
        (datetime(2026, 1, 1, tzinfo=UTC), 60),
        (datetime(2026, 3, 29, 1, tzinfo=UTC), 120),
        (datetime(2026, 10, 25, 1, tzinfo=UTC), 60),
    ]
    assert offset_segments(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), KOLKATA) == [
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), 330)]


def test_previous_period_has_the_same_number_of_days():
    period = days_period(date(2026, 11, 1), date(2026, 11, 30), BERLIN)
    previous = period.previous(BERLIN)
    assert (previous.first_day, previous.last_day) == (date(2026, 10, 2), date(2026, 10, 31))


@pytest.fixture
def system_zone_berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_without_a_zone_days_follow_the_system_zone(account, member, system_zone_berlin):
    add(account, member, local(2026, 10, 25, 2, 30, fold=1))
    add(account, member, local(2026, 10, 25, 23, 30))
    period = days_period(date(2026, 10, 20), date(2026, 10, 30))

    assert per_bucket(activity_series(Scope(period))) == {date(2026, 10, 25): 2}
    assert period == days_period(date(2026, 10, 20), date(2026, 10, 30), BERLIN)


def test_weeks_say_how_many_days_they_hold_so_the_first_and_last_read_as_partial(account, member):
    period = days_period(date(2026, 1, 7), date(2026, 6, 12), UTC)  # a Wednesday to a Friday, by week
    weeks = buckets(period, UTC)
    add(account, member, datetime(2026, 1, 8, tzinfo=UTC))

    assert period.unit == WEEK
    assert [weeks[0].days, weeks[1].days, weeks[-1].days] == [5, 7, 5]
    assert weeks[0].last_day == date(2026, 1, 11) and weeks[-1].last_day == date(2026, 6, 12)
    headers, rows = tables.activity_table(activity_series(Scope(period, tz=UTC)))
    assert headers[:2] == ["period_start", "days_in_period"]
    assert rows[0][:2] == ["2026-01-07", 5] and rows[1][:2] == ["2026-01-12", 7] and rows[-1][:2] == ["2026-06-08", 5]
    assert tables.growth_table(member_growth(Scope(period, tz=UTC)))[0][:2] == ["period_start", "days_in_period"]
    daily = days_period(date(2026, 1, 7), date(2026, 1, 20), UTC)
    assert tables.activity_table(activity_series(Scope(daily, tz=UTC)))[0][:2] == ["period_start", "mention"]


SANTIAGO = ZoneInfo("America/Santiago")  # on 6 September 2026 clocks jump from 00:00 straight to 01:00


@pytest.fixture(params=["given zone", "system zone"])
def santiago(request, monkeypatch):
    """Chile's zone, given to the queries or as the system's."""
    if request.param == "given zone":
        yield SANTIAGO
        return
    monkeypatch.setenv("TZ", "America/Santiago")
    time.tzset()
    yield None
    monkeypatch.undo()
    time.tzset()


def test_a_day_whose_midnight_is_skipped_starts_at_its_first_instant(account, member, santiago):
    period = days_period(date(2026, 9, 4), date(2026, 9, 8), santiago)
    days = buckets(period, santiago)

    assert [b.end - b.start for b in days] == [timedelta(hours=h) for h in (24, 24, 23, 24, 24)]
    assert days[2].start == datetime(2026, 9, 6, 1, tzinfo=SANTIAGO)  # 01:00, the first hour the 6th has
    add(account, member, datetime(2026, 9, 6, 3, 30, tzinfo=UTC))  # 23:30 on the 5th in Santiago
    add(account, member, datetime(2026, 9, 6, 4, 30, tzinfo=UTC))  # 01:30 on the 6th
    assert per_bucket(activity_series(Scope(period, tz=santiago))) == {date(2026, 9, 5): 1, date(2026, 9, 6): 1}


# -- the charts' queries --------------------------------------------------------


@pytest.fixture
def november():
    return days_period(date(2026, 11, 1), date(2026, 11, 30), UTC)


def test_growth_joins_members_on_their_first_activity_and_marks_estimated_ones(account, db_path, clock, november):
    early, dated, liker = (Member.create(first_seen_at=clock.now(), name=n) for n in ("early", "dated", "liker"))
    add(account, early, datetime(2026, 10, 5, tzinfo=UTC))
    add(account, early, datetime(2026, 11, 3, tzinfo=UTC))
    add(account, dated, datetime(2026, 11, 3, 8, tzinfo=UTC), "like", estimated=True)
    add(account, dated, datetime(2026, 11, 3, 7, tzinfo=UTC), "reply")  # the dated reply came first
    add(account, liker, datetime(2026, 11, 10, tzinfo=UTC), "like", estimated=True)
    Member.create(first_seen_at=clock.now(), name="imported")  # no activity: not in growth

    growth = member_growth(Scope(november, tz=UTC))

    assert growth.before == 1 and growth.total_new == 2
    assert growth.new[2] == 1 and growth.new_estimated[2] == 0
    assert growth.new[9] == 1 and growth.new_estimated[9] == 1
    assert growth.running[-1] == 3
    headers, rows = tables.growth_table(growth)
    assert sum(r[1] for r in rows) == 2 and rows[-1][3] == 3


def test_summary_compares_with_the_previous_period(account, clock, november):
    a, b, c = (Member.create(first_seen_at=clock.now(), name=n) for n in "abc")
    add(account, a, datetime(2026, 10, 20, tzinfo=UTC))  # previous period
    add(account, a, datetime(2026, 11, 2, tzinfo=UTC))
    add(account, b, datetime(2026, 11, 5, tzinfo=UTC))
    add(account, b, datetime(2026, 11, 6, tzinfo=UTC))
    add(account, c, datetime(2026, 12, 2, tzinfo=UTC))  # after the period
    Member.create(first_seen_at=clock.now(), name="imported")

    figures = summary(Scope(november, tz=UTC))

    assert (figures.total_members.value, figures.total_members.previous) == (2, 1)
    assert (figures.new_members.value, figures.new_members.previous) == (1, 1)
    assert (figures.active_members.value, figures.active_members.previous) == (2, 1)
    assert (figures.activities.value, figures.activities.previous) == (3, 1)
    assert figures.activities.change == 2
    assert figures.without_activity == 1


def test_account_filter_counts_only_that_accounts_activity(account, clock, november):
    other = Account.create(x_user_id="2", username="other", credential_kind="sandbox", connected_at=clock.now())
    a, b = (Member.create(first_seen_at=clock.now(), name=n, x_handle=n) for n in "ab")
    add(account, a, datetime(2026, 11, 2, tzinfo=UTC))
    add(other, a, datetime(2026, 11, 3, tzinfo=UTC))
    add(other, b, datetime(2026, 11, 4, tzinfo=UTC))
    add(other, b, datetime(2026, 11, 5, tzinfo=UTC))

    mine = load_dashboard(Scope(november, account.id, UTC))
    theirs = load_dashboard(Scope(november, other.id, UTC))
    both = load_dashboard(Scope(november, None, UTC))

    assert (mine.activity.total, theirs.activity.total, both.activity.total) == (1, 3, 4)
    assert [m.handle for m in theirs.top] == ["b", "a"] and [m.activities for m in theirs.top] == [2, 1]
    assert [m.handle for m in mine.top] == ["a"]
    assert (mine.growth.total_new, theirs.growth.total_new) == (1, 2)
    assert [line.username for line in theirs.followers] == ["other"]


def test_heatmap_uses_local_weekday_and_hour_and_leaves_estimated_times_out(account, member):
    period = days_period(date(2026, 11, 1), date(2026, 11, 30), TOKYO)
    add(account, member, datetime(2026, 11, 2, 15, 30, tzinfo=UTC))  # Tuesday 00:30 in Tokyo
    add(account, member, datetime(2026, 11, 2, 15, 40, tzinfo=UTC))
    add(account, member, datetime(2026, 11, 2, 15, 40, tzinfo=UTC), "like", estimated=True)

    heatmap = weekday_hours(Scope(period, tz=TOKYO))

    assert heatmap.counts[1][0] == 2 and heatmap.total == 2
    half_hour_zone = weekday_hours(Scope(days_period(date(2026, 11, 1), date(2026, 11, 30), KOLKATA), tz=KOLKATA))
    assert half_hour_zone.counts[0][21] == 2 and half_hour_zone.total == 2  # Monday 21:10 and 21:10 in Kolkata


def test_follower_line_has_each_sync_and_the_last_count_before_the_range(account, november):
    for day, followers in ((20, 100), (25, 110), (3, 120), (9, 130)):
        month = 10 if day > 15 else 11
        AccountSnapshot.create(account=account, taken_at=datetime(2026, month, day, tzinfo=UTC),
                               followers_count=followers)
    AccountSnapshot.create(account=account, taken_at=datetime(2026, 12, 2, tzinfo=UTC), followers_count=999)

    [line] = follower_lines(Scope(november, tz=UTC))

    assert [n for _, n in line.points] == [110, 120, 130]


def test_stage_history_replays_changes_and_sets_setup_moves_apart(account, clock, november):
    newcomer = Stage.create(name="Newcomer", min_points=1, max_points=9, colour="#00aa00")
    champion = Stage.create(name="Champion", min_points=10, colour="#aa0000")
    a, b = (Member.create(first_seen_at=clock.now(), name=n) for n in "ab")

    def change(member, old, new, when, cause):
        StageChange.create(member=member, from_name=old, to_name=new, at=when, cause=cause)

    change(a, "", "Newcomer", datetime(2026, 10, 1, tzinfo=UTC), "setup")
    change(b, "", "Newcomer", datetime(2026, 11, 4, tzinfo=UTC), "activity")
    change(a, "Newcomer", "Champion", datetime(2026, 11, 10, tzinfo=UTC), "activity")
    change(b, "Newcomer", "Champion", datetime(2026, 11, 20, tzinfo=UTC), "setup")
    MemberScore.create(member=a, score=12, stage=champion, computed_at=clock.now())
    MemberScore.create(member=b, score=3, stage=newcomer, computed_at=clock.now())

    stages = stage_series(Scope(november, tz=UTC))

    assert stages.names == ["Newcomer", "Champion"]
    assert stages.counts[0] == {"Newcomer": 1}
    assert stages.counts[3] == {"Newcomer": 2}
    assert stages.counts[9] == {"Newcomer": 1, "Champion": 1}
    assert stages.counts[-1] == {"Champion": 2}
    assert stages.setup_moves[19] == 1 and sum(stages.setup_moves) == 1
    assert stages.history_start == datetime(2026, 10, 1, tzinfo=UTC)
    assert stages.today == {"Champion": 1, "Newcomer": 1}


def test_first_stages_are_not_setup_moves_and_no_history_is_not_zero(account, clock, november):
    Stage.create(name="Newcomer", min_points=1, max_points=9)
    members = [Member.create(first_seen_at=clock.now(), name=str(n)) for n in range(3)]
    for member in members:  # scoring starts: everyone gets a first stage from the automatic setup
        StageChange.create(member=member, from_name="", to_name="Newcomer", at=datetime(2026, 11, 20, tzinfo=UTC),
                           cause="setup")

    stages = stage_series(Scope(november, tz=UTC))
    headers, rows = tables.stages_table(stages)

    assert sum(stages.setup_moves) == 0 and stages.counts[19] == {"Newcomer": 3}
    assert headers == ["as_of_utc", "Newcomer", "moves_caused_by_setup_changes"]
    assert rows[0][1:] == [None, None]  # before the first recorded change nothing is known
    assert rows[19][1:] == [3, 0]


def test_csv_totals_equal_database_counts(synced_context, tmp_path):
    now = synced_context.clock.now()
    period = period_for("30d", now)
    account = Account.select().first()
    for extra, member in zip((4, 3, 2), Member.select().order_by(Member.id.desc()).limit(3), strict=True):
        for _ in range(extra):  # a few members busier than the rest, so who leads the list matters
            add(account, member, now - timedelta(days=2), kind="reply")
    data = load_dashboard(Scope(period))
    path = tmp_path / "activity.csv"

    tables.write_csv(path, *tables.activity_table(data.activity))

    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    in_db = Activity.select().where((Activity.occurred_at >= period.start) & (Activity.occurred_at < period.end))
    assert sum(int(r["total"]) for r in rows) == in_db.count() > 0
    assert sum(int(r.get("like_estimated") or 0) for r in rows) == in_db.where(Activity.kind == "like").count()
    per_member = Counter(member for (member,) in in_db.select(Activity.member).tuples())
    ranked = sorted(per_member.items(), key=lambda item: (-item[1], item[0]))[:10]
    assert len(per_member) > len(ranked) and ranked[0][1] > ranked[-1][1]  # who is in the list, and where, matters
    assert [(m.member_id, m.activities) for m in data.top] == ranked


def test_csv_cells_that_look_like_formulas_are_defused(tmp_path):
    path = tmp_path / "t.csv"
    tables.write_csv(path, ["name", "n"], [["=HYPERLINK(1)", -3], ["-12", 4]])
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["name,n", "'=HYPERLINK(1),-3", "-12,4"]


def test_top_members_rank_by_activity_in_the_range(account, clock, november):
    busy, quiet = (Member.create(first_seen_at=clock.now(), name=n, x_handle=n) for n in ("busy", "quiet"))
    for day in (2, 3, 4):
        add(account, busy, datetime(2026, 11, day, tzinfo=UTC))
    add(account, quiet, datetime(2026, 11, 5, tzinfo=UTC))
    for day in range(1, 10):
        add(account, quiet, datetime(2026, 10, day, tzinfo=UTC))  # before the range

    assert [(m.handle, m.activities) for m in top_members(Scope(november, tz=UTC))] == [("busy", 3), ("quiet", 1)]
