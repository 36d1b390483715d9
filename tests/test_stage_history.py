"""Stage history across edits of the scoring setup: a rename keeps the stage, a deletion is recorded,
and members by stage over time always add up to the members who hold a stage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ahoy_desktop import scores
from ahoy_desktop.dashboard.periods import days_period
from ahoy_desktop.dashboard.queries import Scope, stage_series
from ahoy_desktop.db.models import Account, Activity, Member, MemberScore, StageChange
from ahoy_desktop.scores import ScoringSetup, StageDef

POINTS = dict(scores.DEFAULT_POINTS)  # a reply is worth 4
DAY = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def ten_members(db_path):
    """Members 0-9 with 1-10 replies on 1 November: 4, 8, … 40 points."""
    account = Account.create(x_user_id="1", username="a", credential_kind="sandbox", connected_at=DAY)
    members = [Member.create(first_seen_at=DAY, name=f"m{i}") for i in range(10)]
    for i, member in enumerate(members):
        for j in range(i + 1):
            Activity.create(account=account, member=member, kind="reply", post_id=f"{i}-{j}",
                            occurred_at=DAY + timedelta(hours=j), dedup_key=f"{i}-{j}")
    return members


def apply(stages: list[StageDef], when: datetime) -> None:
    """Save a setup as the Scoring tab does, then recompute everyone."""
    scores.save_setup(ScoringSetup(POINTS, set(POINTS), stages), now=when)
    scores.recompute_all(when, cause=scores.SETUP)


def stored() -> list[StageDef]:
    return scores.load_setup().stages


def november() -> Scope:
    return Scope(days_period(date(2026, 11, 1), date(2026, 11, 12), UTC), tz=UTC)


def members_with_a_stage() -> int:
    return MemberScore.select().where(MemberScore.stage.is_null(False)).count()


def assert_adds_up(series) -> None:
    """From the first recorded change on, each day's stages add up to the members who held one then."""
    for bucket, counts in zip(series.buckets, series.counts, strict=True):
        at_end = {}
        for change in StageChange.select().where(StageChange.at < bucket.end).order_by(StageChange.at,
                                                                                       StageChange.id):
            at_end[change.member_id] = change.to_name
        assert sum(counts.values()) == sum(1 for name in at_end.values() if name), bucket.label
    assert sum(series.counts[-1].values()) == sum(series.today.values()) == members_with_a_stage()


@pytest.fixture
def staged(ten_members):
    """Newcomer 1-9 / Regular 10+ on 2 November, then Newcomer 1-29 / Regular 30+ on 5 November."""
    scores.save_setup(ScoringSetup(POINTS, set(POINTS), [StageDef("Newcomer", 1, 9), StageDef("Regular", 10, None)]),
                      now=DAY + timedelta(days=1))
    scores.recompute_all(DAY + timedelta(days=1), cause=scores.ACTIVITY)
    newcomer, regular = stored()
    apply([StageDef("Newcomer", 1, 29, id=newcomer.id), StageDef("Regular", 30, None, id=regular.id)],
          DAY + timedelta(days=4))
    return ten_members


def test_a_renamed_stage_keeps_its_members_and_the_history_adds_up(staged):
    newcomer, regular = stored()
    in_regular = {s.member_id for s in MemberScore.select().where(MemberScore.stage == regular.id)}

    apply([StageDef("Newcomer", 1, 29, id=newcomer.id), StageDef("Core", 30, None, id=regular.id)],
          DAY + timedelta(days=9))

    assert [s.id for s in stored()] == [newcomer.id, regular.id]  # the same stage, renamed
    assert {s.member_id for s in MemberScore.select().where(MemberScore.stage == regular.id)} == in_regular
    renamed = StageChange.select().where(StageChange.from_name == "Regular", StageChange.to_name == "Core")
    assert {c.member_id for c in renamed} == in_regular and {c.cause for c in renamed} == {"setup"}
    series = stage_series(november())
    assert series.counts[-1] == {"Newcomer": 7, "Core": 3}
    assert series.setup_moves[9] == 3
    assert_adds_up(series)


def test_a_stage_renamed_without_its_id_still_adds_up(staged):
    newcomer, _regular = stored()

    apply([StageDef("Newcomer", 1, 29, id=newcomer.id), StageDef("Core", 30, None)], DAY + timedelta(days=9))

    series = stage_series(november())
    assert series.counts[-1] == {"Newcomer": 7, "Core": 3}
    assert_adds_up(series)


def test_deleting_a_stage_records_its_members_leaving_it(staged):
    newcomer, regular = stored()
    in_regular = {s.member_id for s in MemberScore.select().where(MemberScore.stage == regular.id)}

    apply([StageDef("Newcomer", 1, 29, id=newcomer.id)], DAY + timedelta(days=10))

    left = StageChange.select().where(StageChange.from_name == "Regular", StageChange.to_name == "",
                                      StageChange.at == DAY + timedelta(days=10))
    assert {c.member_id for c in left} == in_regular and {c.cause for c in left} == {"setup"}
    series = stage_series(november())
    assert series.counts[-1] == {"Newcomer": 7} and series.unstaged_today == 3
    assert series.setup_moves[10] == 3
    assert_adds_up(series)


def test_deleting_a_stage_whose_members_fit_another_moves_them_there(staged):
    newcomer, _regular = stored()

    apply([StageDef("Newcomer", 1, None, id=newcomer.id)], DAY + timedelta(days=10))

    series = stage_series(november())
    assert series.counts[-1] == {"Newcomer": 10}
    assert series.setup_moves[10] == 3
    assert_adds_up(series)


def test_a_setup_edit_is_never_recorded_before_a_change_already_in_the_history(staged):
    newcomer, regular = stored()

    apply([StageDef("Newcomer", 1, 29, id=newcomer.id), StageDef("Core", 30, None, id=regular.id)],
          DAY + timedelta(days=2))  # a clock set back

    renamed = StageChange.select().where(StageChange.to_name == "Core")
    assert {c.at for c in renamed} == {DAY + timedelta(days=4)}
    assert_adds_up(stage_series(november()))
