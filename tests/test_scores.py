"""Scoring, headless: points, the 30-day window, stages, the lockout, the automatic setup."""

from __future__ import annotations

from datetime import timedelta

import pytest
from peewee import fn

from ahoy_desktop import scores
from ahoy_desktop.accounts import active_accounts
from ahoy_desktop.db.models import Account, Activity, Member, MemberScore, StageChange
from ahoy_desktop.scores import ScoringError, ScoringSetup, StageDef
from ahoy_desktop.workspace import sync_account


@pytest.fixture
def history(db_path, clock):
    """Two members and a hand-built history around the window's edge."""
    now = clock.now()
    account = Account.create(x_user_id="1", username="ahoyhq", credential_kind="sandbox", sandbox_world="t",
                             connected_at=now - timedelta(days=40))
    ada = Member.create(name="Ada", x_handle="ada", first_seen_at=now)
    bo = Member.create(name="Bo", x_handle="bo", first_seen_at=now)

    def add(member, kind, age, n=1, estimated=False):
        for i in range(n):
            Activity.create(account=account, member=member, kind=kind, post_id=f"{member.id}{kind}{age}{i}",
                            occurred_at=now - age, estimated=estimated,
                            dedup_key=f"{member.id}:{kind}:{age.total_seconds()}:{i}")

    add(ada, "mention", timedelta(days=1), 2)           # 2 x 3
    add(ada, "reply", timedelta(days=29, hours=23))     # 4
    add(ada, "like", timedelta(days=3), estimated=True)  # 1 (estimated counts like any other)
    add(ada, "quote", timedelta(days=30))               # exactly 30 days old: outside
    add(bo, "quote", timedelta(days=30) - timedelta(seconds=1))  # one second younger: inside, 5
    add(bo, "retweet", timedelta(days=45))              # long gone
    return {"ada": ada, "bo": bo, "account": account, "add": add}


def three_stages(gap: bool = False) -> list[StageDef]:
    return [StageDef("Newcomer", 1, 4), StageDef("Regular", 5 + (2 if gap else 0), 9), StageDef("Champion", 10, None)]


def score(member) -> tuple[int, str | None]:
    row = MemberScore.get_or_none(MemberScore.member == member.id)
    return (row.score, row.stage.name if row.stage else None) if row else (0, None)


def test_points_window_edge_and_stages(history, clock):
    scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS), three_stages()))
    scores.recompute_all(clock.now())
    assert score(history["ada"]) == (11, "Champion")
    assert score(history["bo"]) == (5, "Regular")

    why = scores.explain(history["ada"].id, clock.now())
    assert why.score == 11 and why.by_kind == {"mention": (2, 6), "reply": (1, 4), "like": (1, 1)}
    kind, leaves_at, lost = why.next_leaving
    assert (kind, lost) == ("reply", 4) and leaves_at == clock.now() + timedelta(hours=1)
    bo = scores.explain(history["bo"].id, clock.now())
    assert bo.next_stage.name == "Champion" and bo.points_to_next == 5


def test_untracked_kinds_do_not_count(history, clock):
    setup = ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS) - {"mention"}, three_stages())
    scores.save_setup(setup)
    scores.recompute_all(clock.now())
    assert score(history["ada"]) == (5, "Regular")


@pytest.mark.parametrize("points", [0, 11, 2.5, "3"])
def test_points_outside_1_to_10_are_refused(db_path, points):
    with pytest.raises(ScoringError, match="from 1 to 10"):
        scores.validate(ScoringSetup({**scores.DEFAULT_POINTS, "like": points}, {"like"}, []))


def test_overlapping_stages_are_refused_and_gaps_warned(db_path):
    overlapping = [StageDef("Newcomer", 1, 5), StageDef("Regular", 5, 9)]
    with pytest.raises(ScoringError, match="overlap"):
        scores.validate(ScoringSetup(dict(scores.DEFAULT_POINTS), set(), overlapping))
    warnings = scores.validate(ScoringSetup(dict(scores.DEFAULT_POINTS), set(), three_stages(gap=True)))
    assert warnings == ["Members with 5-6 points have no stage."]
    open_below = [StageDef("Everyone", 1, None), StageDef("Stars", 50, None)]
    with pytest.raises(ScoringError, match="overlap"):
        scores.validate(ScoringSetup(dict(scores.DEFAULT_POINTS), set(), open_below))


def test_stages_are_listed_in_range_order(db_path):
    scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(), list(reversed(three_stages()))))
    assert [s.name for s in scores.load_setup().stages] == ["Newcomer", "Regular", "Champion"]


def test_stage_changes_are_recorded_with_their_cause(history, clock):
    scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS), three_stages()))
    scores.recompute_all(clock.now(), cause=scores.SETUP)
    clock.advance(timedelta(hours=2))  # Ada's reply leaves the window: 11 -> 7
    scores.update_scores(clock.now())
    assert score(history["ada"]) == (7, "Regular")
    assert score(history["bo"]) == (0, None)  # Bo's quote left too
    changes = {c.member_id: (c.from_name, c.to_name, c.cause)
               for c in StageChange.select().where(StageChange.cause == "time")}
    assert changes == {history["ada"].id: ("Champion", "Regular", "time"), history["bo"].id: ("Regular", "", "time")}
    history["add"](history["bo"], "quote", timedelta(0))
    scores.update_scores(clock.now())
    last = StageChange.select().order_by(StageChange.id.desc()).get()
    assert (last.member_id, last.from_name, last.to_name, last.cause) == (history["bo"].id, "", "Regular", "activity")


def test_incremental_equals_full_after_time_passes(history, clock):
    scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS), three_stages()))
    scores.recompute_all(clock.now())
    for hours in (1, 5, 24, 24 * 3):
        clock.advance(timedelta(hours=hours))
        scores.update_scores(clock.now())
        incremental = {m.id: score(m) for m in Member.select()}
        scores.recompute_all(clock.now())
        assert {m.id: score(m) for m in Member.select()} == incremental


def test_lockout_countdown_restart_and_clock_set_back(db_path, clock):
    start = clock.now()
    assert scores.lockout_remaining(clock.now(), None) is None
    clock.advance(timedelta(hours=1, minutes=55, seconds=9))
    assert scores.lockout_remaining(clock.now(), start) == timedelta(hours=22, minutes=4, seconds=51)
    clock.advance(timedelta(hours=-5))  # set back: the lockout is not extended
    assert scores.lockout_remaining(clock.now(), start) == timedelta(hours=22, minutes=4, seconds=51)
    from ahoy_desktop.db import close_db, init_db

    close_db()
    init_db(db_path)  # a restart reads the same start and latest clock reading
    clock.advance(timedelta(hours=5 + 22, minutes=4, seconds=50))
    assert scores.lockout_remaining(clock.now(), start) == timedelta(seconds=1)
    clock.advance(timedelta(seconds=1))
    assert scores.lockout_remaining(clock.now(), start) == timedelta(0)


def test_automatic_setup_on_the_sample_workspace(synced_sample_context):
    sample_context = synced_sample_context
    setup = scores.load_setup()
    assert scores.is_automatic()
    assert len(setup.stages) >= 3
    counts = scores.stage_counts(setup, sample_context.clock.now())
    assert all(n > 0 for n in counts), counts
    assert scores.validate(setup) == []
    points = setup.points
    assert points["like"] < points["mention"] <= points["quote"]  # rarer kinds are worth more
    assert MemberScore.select().where(MemberScore.stage.is_null(False)).count() == sum(counts)


def test_incremental_equals_full_after_a_sync(synced_sample_context):
    sample_context = synced_sample_context
    session = sample_context.session
    account = active_accounts()[0]
    scores.save_setup(scores.load_setup())  # the user keeps it: no automatic changes from now on
    sample_context.clock.advance(timedelta(days=2))
    report = sync_account(account, session.host, sample_context.clock)
    assert report.members_with_new_activity
    incremental = dict(MemberScore.select(MemberScore.member, MemberScore.score).tuples())
    incremental_stages = dict(MemberScore.select(MemberScore.member, MemberScore.stage).tuples())
    scores.recompute_all(sample_context.clock.now())
    assert dict(MemberScore.select(MemberScore.member, MemberScore.score).tuples()) == incremental
    assert dict(MemberScore.select(MemberScore.member, MemberScore.stage).tuples()) == incremental_stages


def test_the_app_records_clock_readings_so_setting_it_back_never_extends_the_lockout(db_path, clock):
    from ahoy_desktop.scoring import latest_clock_seen, lockout_remaining

    start = clock.now()
    clock.advance(timedelta(hours=10))
    scores.update_scores(clock.now())  # what runs at open, every ten minutes and after each sync
    clock.advance(timedelta(hours=-8))
    shown = lockout_remaining(max(clock.now(), latest_clock_seen()), start)  # as the Scoring tab computes it
    assert shown == timedelta(hours=14)


def test_recompute_all_in_chunks_reports_progress_and_equals_one_pass(history, clock):
    scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS), three_stages()))
    seen = []
    scores.recompute_all(clock.now(), progress=lambda done, total: seen.append((done, total)), chunk=1)
    chunked = {m.id: score(m) for m in Member.select()}
    scores.recompute_all(clock.now())
    assert {m.id: score(m) for m in Member.select()} == chunked == {history["ada"].id: (11, "Champion"),
                                                                    history["bo"].id: (5, "Regular")}
    assert seen[0] == (1, 2) and seen[-1] == (2, 2)


def _stages_under(setup: ScoringSetup, now) -> dict[int, str]:
    """Each member's stage under ``setup`` at ``now``, straight from the activities."""
    start, end = scores._window(now)
    points = setup.tracked_points()
    totals: dict[int, int] = {}
    for member_id, kind in Activity.select(Activity.member, Activity.kind).where(
            (Activity.occurred_at > start) & (Activity.occurred_at <= end)).tuples():
        totals[member_id] = totals.get(member_id, 0) + points.get(kind, 0)
    return {m: next((s.name for s in setup.stages if s.holds(t)), "") for m, t in totals.items()}


def test_a_sync_that_refreshes_the_automatic_setup_calls_only_the_setups_own_difference_a_setup_move(
        synced_sample_context):
    context = synced_sample_context
    account = active_accounts()[0]
    refreshed = 0
    for _sync in range(4):
        context.clock.advance(timedelta(days=2))
        old = scores.load_setup()
        before = {s.member_id: (s.stage.name if s.stage else "") for s in MemberScore.select()}
        last_change = StageChange.select(fn.MAX(StageChange.id)).scalar() or 0
        assert sync_account(account, context.session.host, context.clock).outcome == "ok"
        new = scores.load_setup()
        if [(s.name, s.min_points, s.max_points) for s in new.stages] == \
                [(s.name, s.min_points, s.max_points) for s in old.stages] and new.points == old.points:
            continue
        refreshed += 1
        now = context.clock.now()
        under_old, under_new = _stages_under(old, now), _stages_under(new, now)
        changes = list(StageChange.select().where(StageChange.id > last_change))
        moved_by_members = {c.member_id: c.to_name for c in changes if c.cause != scores.SETUP}
        moved_by_setup = {c.member_id: (c.from_name, c.to_name) for c in changes if c.cause == scores.SETUP}
        members = set(before) | set(under_old) | set(under_new)
        # What the new activity did under the setup it came in under is member movement…
        assert moved_by_members == {m: under_old.get(m, "") for m in members
                                    if before.get(m, "") != under_old.get(m, "")}
        # …and only what the new setup then changes is a setup move.
        assert moved_by_setup == {m: (under_old.get(m, ""), under_new.get(m, "")) for m in members
                                  if under_old.get(m, "") != under_new.get(m, "")}
    assert refreshed, "no sync refreshed the automatic setup: nothing was checked"
