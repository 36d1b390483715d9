"""Filters, segments, columns and the export of the view, with no window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ahoy_desktop import member_columns, members, scores, segments
from ahoy_desktop.custom_fields import create_custom_field
from ahoy_desktop.db.models import Account, Activity, Member, MemberCustomValue, MemberScore, database_proxy
from ahoy_desktop.db.sqlite import write_transaction
from ahoy_desktop.member_filters import (
    ABOVE,
    CONTAINS,
    IS_EMPTY,
    NO_STAGE,
    FieldCondition,
    FilterError,
    MemberFilter,
)
from ahoy_desktop.members import MemberQuery
from ahoy_desktop.notes_tags import set_tags
from ahoy_desktop.scores import ScoringSetup, StageDef
from ahoy_desktop.workspace import sync_account


@pytest.fixture
def synced(db_path, clock, sandbox, connect, real_world):
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    return account


def ids(member_filter: MemberFilter, now: datetime, search: str = "") -> set[int]:
    query = MemberQuery(search=search, filter=member_filter, now=now)
    rows = members.list_members(query, 5000)
    assert len(rows) == members.count_for(query)
    return {r.id for r in rows}


def everyone() -> dict[int, Member]:
    return {m.id: m for m in Member.select()}


def test_each_part_narrows_to_the_members_it_names(synced, clock):
    now = clock.now()
    people = everyone()
    kinds = {}
    for member_id, kind in Activity.select(Activity.member, Activity.kind).tuples():
        kinds.setdefault(kind, set()).add(member_id)
    assert ids(MemberFilter(kinds=("retweet",)), now) == kinds["retweet"]
    assert ids(MemberFilter(kinds=("retweet", "like")), now) == kinds["retweet"] | kinds["like"]

    located = {i for i, m in people.items() if m.location and "london" in m.location.lower()}
    assert located and ids(MemberFilter(conditions=(FieldCondition("location", CONTAINS, "LONDON"),)), now) == located
    big = {i for i, m in people.items() if m.followers is not None and m.followers > 5000}
    assert big and ids(MemberFilter(conditions=(FieldCondition("followers", ABOVE, "5,000"),)), now) == big
    no_bio = {i for i, m in people.items() if not m.bio}
    assert ids(MemberFilter(conditions=(FieldCondition("bio", IS_EMPTY),)), now) == no_bio

    recent = {i for i, m in people.items() if m.last_active_at and m.last_active_at >= now - timedelta(days=30)}
    assert recent and ids(MemberFilter(active_within_days=30), now) == recent
    assert ids(MemberFilter(inactive_for_days=30), now) == set(people) - recent
    in_2022 = {i for i, m in people.items() if m.last_active_at and m.last_active_at.year == 2022}
    assert in_2022 and ids(MemberFilter(active_from="2022-01-01", active_to="2022-12-31"), now) == in_2022

    # Parts combine: retweeted AND has no bio AND matches a search.
    both = ids(MemberFilter(kinds=("retweet",), conditions=(FieldCondition("bio", IS_EMPTY),)), now)
    assert both == kinds["retweet"] & no_bio
    searched = ids(MemberFilter(kinds=("like",)), now, search="a")
    assert searched and searched < kinds["like"] and searched == ids(MemberFilter(), now, "a") & kinds["like"]


def test_stage_account_tag_and_custom_field_filters(synced, clock):
    now = clock.now()
    scores.save_setup(ScoringSetup(dict(scores.DEFAULT_POINTS), set(scores.DEFAULT_POINTS),
                                   [StageDef("Newcomer", 1, 4), StageDef("Regular", 5, None)]))
    scores.recompute_all(now)
    staged = {}
    for member_id, stage_id in MemberScore.select(MemberScore.member, MemberScore.stage).tuples():
        if stage_id is not None:
            staged.setdefault(stage_id, set()).add(member_id)
    stage_id = next(iter(staged))
    assert ids(MemberFilter(stages=(stage_id,)), now) == staged[stage_id]
    without = set(everyone()) - set().union(*staged.values())
    assert without and ids(MemberFilter(stages=(NO_STAGE,)), now) == without

    # A second account: the members whose activity came through it.
    moved = [m.id for m in Member.select().order_by(Member.id).limit(3)]
    with write_transaction(database_proxy):
        other = Account.create(x_user_id="2", username="second", credential_kind="sandbox", connected_at=now,
                               sandbox_world="other")
        Activity.update(account=other.id).where(Activity.member.in_(moved)).execute()
    assert ids(MemberFilter(accounts=(other.id,)), now) == set(moved)
    active = {m for (m,) in Activity.select(Activity.member).tuples()}
    assert ids(MemberFilter(accounts=(other.id, synced.id)), now) == active

    set_tags(moved[0], ["VIP", "Speaker"])
    set_tags(moved[1], ["vip"])
    assert ids(MemberFilter(tags=("vip",)), now) == {moved[0], moved[1]}
    assert ids(MemberFilter(tags=("Vip", "speaker")), now) == {moved[0]}

    field = create_custom_field("Plan", "number", now)
    with write_transaction(database_proxy):
        for member_id, value in zip(moved, ["12", "3.5", ""], strict=True):
            MemberCustomValue.create(member=member_id, field_key=field.key, value=value, source="manual",
                                     updated_at=now)
    assert ids(MemberFilter(conditions=(FieldCondition(field.key, ABOVE, "3"),)), now) == {moved[0], moved[1]}
    with pytest.raises(FilterError, match="not a number"):
        ids(MemberFilter(conditions=(FieldCondition(field.key, ABOVE, "lots"),)), now)
    with pytest.raises(FilterError, match="no member field"):
        ids(MemberFilter(conditions=(FieldCondition("custom_999", IS_EMPTY),)), now)


def test_a_filter_survives_json_and_a_segment_keeps_it(synced, clock):
    now = clock.now()
    spec = MemberFilter(stages=(2, NO_STAGE), kinds=("reply",), active_within_days=30, tags=("VIP",),
                        conditions=(FieldCondition("location", CONTAINS, "東京"),))
    assert MemberFilter.from_json(spec.to_json()) == spec
    assert not MemberFilter() and spec
    with pytest.raises(FilterError):
        MemberFilter.from_json("[1, 2")

    saved = segments.create_segment("  Tokyo   repliers ", spec, now, search="ab")
    assert saved.name == "Tokyo repliers" and saved.filter == spec and saved.search == "ab"
    with pytest.raises(segments.SegmentError, match="already a segment"):
        segments.create_segment("TOKYO REPLIERS", MemberFilter(), now)
    with pytest.raises(segments.SegmentError, match="needs a name"):
        segments.create_segment("  ", MemberFilter(), now)
    second = segments.create_segment("Active", MemberFilter(active_within_days=7), now)
    with pytest.raises(segments.SegmentError, match="already a segment"):
        segments.rename_segment(second.id, "tokyo repliers", now)
    assert segments.rename_segment(saved.id, "tokyo Repliers", now).name == "tokyo Repliers"  # its own name
    assert [s.name for s in segments.list_segments()] == ["Active", "tokyo Repliers"]
    assert segments.update_segment(second.id, MemberFilter(active_within_days=14), now).filter.active_within_days == 14
    assert segments.delete_segment(second.id) and not segments.delete_segment(second.id)
    with pytest.raises(segments.SegmentError, match="no longer exists"):
        segments.rename_segment(second.id, "Back", now)
    assert [s.name for s in segments.list_segments()] == ["tokyo Repliers"]


def test_every_column_sorts_in_sql_and_the_view_exports_as_plain_values(synced, clock):
    now = clock.now()
    field = create_custom_field("Joined", "date", now)
    member = Member.get(Member.x_handle == "xtxxzinfo")
    with write_transaction(database_proxy):
        MemberCustomValue.create(member=member.id, field_key=field.key, value="2024-05-06", source="manual",
                                 updated_at=now)
    keys = [c.key for c in member_columns.all_columns()]
    assert {"name", "handle", "accounts", "followers", "tags", "bio", "location", field.key} <= set(keys)
    for key in keys:
        for descending in (False, True):
            query = MemberQuery(sort=key, descending=descending)
            rows, last = [], None
            while True:
                page = members.list_members(query, 301, last)
                rows.extend(page)
                if len(page) < 301:
                    break
                last = page[-1]
            assert len({r.id for r in rows}) == len(rows) == 803, key

    query = MemberQuery(sort="followers", descending=True)
    headers, rows = members.export_view(query, ["handle", "followers", "last_active", "accounts", field.key, "nope"])
    rows = list(rows)
    assert headers == ["Handle", "Followers", "Last active", "Accounts", "Joined"]
    assert len(rows) == 803
    followers = [r[1] for r in rows if r[1] is not None]
    assert followers == sorted(followers, reverse=True) and all(isinstance(f, int) for f in followers)
    mine = next(r for r in rows if r[0] == "xtxxzinfo")
    assert isinstance(mine[2], datetime) and mine[2].tzinfo == UTC
    assert mine[3] == synced.username and mine[4] == date(2024, 5, 6)  # a day, not a moment


def test_custom_dates_compare_before_and_after_and_problems_are_named(db_path, clock):
    from ahoy_desktop.member_filters import (
        AFTER,
        BEFORE,
        EQUALS,
        NEEDS_VALUE,
        NOT_A_DAY,
        NOT_A_NUMBER,
        UNKNOWN_FIELD,
        condition_problem,
    )

    now = clock.now()
    met = create_custom_field("Met on", "date", now)
    vip = create_custom_field("VIP", "yes_no", now)
    people = {}
    with write_transaction(database_proxy):
        for name, day, flag in (("Early", "2026-01-15", "true"), ("Late", "2026-11-30", "false"), ("Never", "", "")):
            member = Member.create(name=name, first_seen_at=now)
            people[name] = member.id
            for field, value in ((met, day), (vip, flag)):
                if value:
                    MemberCustomValue.create(member=member.id, field_key=field.key, value=value, source="manual",
                                             updated_at=now)

    def named(*conditions) -> set[str]:
        found = ids(MemberFilter(conditions=conditions), now)
        return {name for name, member_id in people.items() if member_id in found}

    assert named(FieldCondition(met.key, BEFORE, "2026-06-01")) == {"Early"}
    assert named(FieldCondition(met.key, AFTER, "2026-06-01")) == {"Late"}
    assert named(FieldCondition(met.key, ABOVE, "2026-01-15")) == {"Late"}  # above a day is after it
    assert named(FieldCondition(met.key, EQUALS, "2026-11-30")) == {"Late"}
    assert named(FieldCondition(met.key, IS_EMPTY)) == {"Never"}
    assert named(FieldCondition(vip.key, EQUALS, "yes")) == {"Early"}
    assert named(FieldCondition(vip.key, EQUALS, "No")) == {"Late"}

    assert condition_problem(FieldCondition("followers", ABOVE, "lots")) == NOT_A_NUMBER
    assert condition_problem(FieldCondition("followers", ABOVE, "1,200")) is None
    assert condition_problem(FieldCondition(met.key, BEFORE, "soon")) == NOT_A_DAY
    assert condition_problem(FieldCondition("location", CONTAINS, "  ")) == NEEDS_VALUE
    assert condition_problem(FieldCondition("custom_999", IS_EMPTY)) == UNKNOWN_FIELD
