"""Members listed, searched, shown and edited by hand, with no window (ahoy_desktop.members)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ahoy_desktop import members
from ahoy_desktop.clock import to_iso
from ahoy_desktop.db.models import Activity, Identity, Member
from ahoy_desktop.members import MemberQuery
from ahoy_desktop.workspace import sync_account

SORTS = [members.SORT_NAME, members.SORT_HANDLE, members.SORT_ACTIVITY, members.SORT_LAST_ACTIVE,
         members.SORT_FIRST_SEEN]


@pytest.fixture
def synced(db_path, clock, sandbox, connect, real_world):
    """The real world synced once into a fresh workspace, headless."""
    server = sandbox(real_world)
    account, host = connect(server)
    report = sync_account(account, host, clock)
    assert report.outcome == "ok", report.message
    return account, host


def walk(query: MemberQuery, window: int = 200) -> list[members.MemberRow]:
    rows, last = [], None
    while True:
        page = members.list_members(query, window, last)
        rows.extend(page)
        if len(page) < window:
            return rows
        last = page[-1]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_windows_cover_every_member_once_in_order(synced, sort, descending):
    query = MemberQuery(sort=sort, descending=descending)
    rows = walk(query, window=37)
    assert len(rows) == members.count_members() == Member.select().count() == 803
    assert len({r.id for r in rows}) == 803
    assert [r.id for r in rows] == [r.id for r in members.list_members(query, 1000)]
    for index in (0, 36, 37, 400, 802):
        assert members.member_position(rows[index].id, query) == index


def test_sorts_by_the_real_values(synced):
    by_activity = walk(MemberQuery(sort=members.SORT_ACTIVITY, descending=True))
    counts = [r.activity_count for r in by_activity]
    assert counts == sorted(counts, reverse=True) and counts[0] == 10
    assert by_activity[0].handle == "xtxxzinfo"

    by_last = walk(MemberQuery(sort=members.SORT_LAST_ACTIVE, descending=False))
    times = [r.last_active_at for r in by_last if r.last_active_at is not None]
    assert times == sorted(times)

    by_name = walk(MemberQuery(sort=members.SORT_NAME, descending=False))
    named = [r.name for r in by_name if r.name]
    assert [r.name for r in by_name[: len(named)]] == named  # members with no name come last
    ascii_names = [n.lower() for n in named if n.isascii()]
    assert ascii_names == sorted(ascii_names)  # case does not matter
    descending = walk(MemberQuery(sort=members.SORT_NAME, descending=True))
    assert [r.name for r in descending if r.name] == named[::-1]
    assert not descending[-1].name  # still last


def searchable(row: members.MemberRow) -> str:
    """What a search reads of a member: their texts and what they said, folded."""
    member = Member.get_by_id(row.id)
    posts = [a.text for a in Activity.select(Activity.text).where(Activity.member == row.id)]
    return "\n".join([member.name, member.x_handle, member.bio or "", member.location or "", *posts]).casefold()


def test_search_matches_a_fragment_in_any_case(synced):
    handle = Member.get(Member.x_handle == "xtxxzinfo")
    for fragment in ("xt", "XT", "xZi"):
        rows = walk(MemberQuery(search=fragment))
        assert handle.id in {r.id for r in rows}
        assert all(fragment.lower() in searchable(r) for r in rows)
        assert len(rows) == members.count_members(fragment)
    assert members.count_members("xt") < 803


def test_search_folds_case_of_non_latin_names(synced):
    rows = members.list_members(MemberQuery(search="михаил"), 200)
    assert [r.name for r in rows] == ["Михаил Преображенски"]
    assert members.count_members("ПРЕОБРАЖ") == 1
    assert [r.handle for r in members.list_members(MemberQuery(search="ビアジョ"), 200)] == ["BiazScazzi"]


def test_search_takes_wildcards_literally(synced):
    rows = members.list_members(MemberQuery(search="3.5%"), 200)
    assert rows and all("3.5%" in searchable(r) for r in rows)
    percent = members.list_members(MemberQuery(search="%"), 1000)
    assert members.count_members("%") == len(percent) < 100
    assert all("%" in searchable(r) for r in percent)
    assert members.count_members("zzqqzz") == 0
    assert members.member_position(rows[0].id, MemberQuery(search="zzqqzz")) is None


def test_detail_and_timeline_of_a_member_who_liked(synced):
    like = Activity.get(Activity.kind == "like")
    detail = members.member_detail(like.member_id)
    assert detail.activity_count >= 1 and not detail.manual
    assert detail.last_active_estimated == (detail.last_active_at == like.occurred_at)
    assert [i.x_user_id for i in detail.identities] == [like.x_user_id]
    assert detail.identities[0].history[0].handle == detail.values["x_handle"]
    item = next(i for i in members.member_timeline(like.member_id, 200) if i.kind == "like")
    assert item.estimated and item.post_id == like.post_id
    assert item.target_text.startswith("It’s finally here!")  # the account's own post that was liked
    assert members.post_url(item.post_id) == f"https://x.com/i/web/status/{like.post_id}"
    assert members.member_detail(10**9) is None


def test_timeline_pages_newest_first(synced):
    member = Member.get(Member.x_handle == "xtxxzinfo")
    everything = members.member_timeline(member.id, 100)
    assert not members.member_detail(member.id).last_active_estimated
    assert len(everything) == 10
    times = [i.occurred_at for i in everything]
    assert times == sorted(times, reverse=True)
    pages = members.member_timeline(member.id, 4) + members.member_timeline(member.id, 4, 4) + \
        members.member_timeline(member.id, 4, 8)
    assert [i.id for i in pages] == [i.id for i in everything]


def test_a_number_field_takes_only_whole_numbers(synced):
    member = Member.get(Member.x_handle == "xtxxzinfo")
    with pytest.raises(members.InvalidFieldValue, match="Followers must be a whole number"):
        members.set_field_by_hand(member.id, "followers", "lots")
    assert Member.get_by_id(member.id).manual_fields == []
    assert members.set_field_by_hand(member.id, "followers", " 1,200 ") == 1200
    assert members.set_field_by_hand(member.id, "bio", "  ") is None


def test_a_value_typed_by_hand_survives_syncs_until_x_value_is_taken_back(db_path, clock, sandbox, connect,
                                                                          real_world):
    # Between two syncs an author changes name and bio on X and mentions the account again.
    mention = max(real_world["mentions"], key=lambda t: int(t["id"]))
    author = real_world["users"][mention["author_id"]]
    at = to_iso(clock.now() + timedelta(hours=1))
    new_id = str(int(mention["id"]) + 10)
    real_world["events"] = [
        {"at": at, "type": "user", "user": {**author, "name": "New Name On X", "description": "New bio on X"}},
        {"at": at, "type": "mention", "tweet": {"id": new_id, "text": "@TwitterDev again", "author_id": author["id"],
                                                "created_at": at, "edit_history_tweet_ids": [new_id]}},
    ]
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    member_id = Identity.get(Identity.x_user_id == author["id"]).member_id
    assert Member.get_by_id(member_id).name == author["name"]

    members.set_field_by_hand(member_id, "name", "Typed By Hand")
    assert Member.get_by_id(member_id).manual_fields == ["name"]
    assert members.member_detail(member_id).manual == {"name"}

    clock.advance(timedelta(hours=2))
    report = sync_account(account, host, clock)
    assert report.outcome == "ok" and member_id in report.members_updated
    after = Member.get_by_id(member_id)
    assert after.name == "Typed By Hand"  # kept
    assert after.bio == "New bio on X"  # the mapping ran for the fields that follow X
    assert members.member_detail(member_id).x_values["name"] == "New Name On X"

    clock.advance(timedelta(hours=2))
    assert sync_account(account, host, clock).outcome == "ok"  # nothing new: still kept
    assert Member.get_by_id(member_id).name == "Typed By Hand"

    assert members.use_x_value(member_id, "name") == "New Name On X"
    restored = Member.get_by_id(member_id)
    assert restored.name == "New Name On X" and restored.manual_fields == []


def test_use_x_value_empties_a_field_x_does_not_fill(synced):
    member = Member.get(Member.x_handle == "xtxxzinfo")
    members.set_field_by_hand(member.id, "company", "Acme")
    members.set_field_by_hand(member.id, "name", "Someone")
    assert Member.get_by_id(member.id).manual_fields == ["company", "name"]
    assert members.use_x_value(member.id, "company") is None
    row = Member.get_by_id(member.id)
    assert row.company is None and row.manual_fields == ["name"]
    with pytest.raises(KeyError):
        members.use_x_value(member.id, "no_such_field")
    with pytest.raises(LookupError):
        members.set_field_by_hand(10**9, "name", "Nobody")


def test_a_like_or_retweet_links_to_the_accounts_own_post():
    def item(kind: str, post_id: str, target: str) -> members.TimelineItem:
        return members.TimelineItem(1, kind, datetime(2026, 12, 1, tzinfo=UTC), False, "", post_id, target, "", "me")

    # A plain retweet found among the mentions is the person's own post; the link opens what they retweeted.
    assert item("retweet", "900", "100").link_post_id == "100"
    assert item("like", "100", "100").link_post_id == "100"
    assert item("reply", "901", "100").link_post_id == "901"  # a reply opens the reply itself
    assert item("mention", "902", "").link_post_id == "902"
