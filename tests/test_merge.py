"""Merging two members by hand, and undoing it after more activity was synced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ahoy_desktop import merge, notes_tags, scores
from ahoy_desktop.clock import to_iso
from ahoy_desktop.custom_fields import create_custom_field
from ahoy_desktop.db.models import Activity, Identity, Member, MemberScore, MergeRecord
from ahoy_desktop.member_rows import read_rows
from ahoy_desktop.members import set_field_by_hand
from ahoy_desktop.workspace import sync_account

STAT_COLUMNS = ("activity_count", "first_active_at", "last_active_at")


def mention(world: dict, tweet_id: str, author: str, at) -> dict:
    newest = max(int(t["id"]) for t in world["mentions"])
    return {"at": to_iso(at), "type": "mention",
            "tweet": {"id": str(newest + int(tweet_id)), "author_id": author, "created_at": to_iso(at),
                      "text": f"@{world['me']['username']} hello {tweet_id}"}}


def state(member_id: int) -> dict:
    """Everything stored about a member, ids included, as SQLite holds it."""
    identities = read_rows("identity", '"member_id" = ?', [member_id])
    return {
        "member": read_rows("member", '"id" = ?', [member_id]),
        "identities": identities,
        "activities": sorted(a["id"] for a in read_rows("activity", '"member_id" = ?', [member_id])),
        "tags": notes_tags.tags_of(member_id),
        "note": notes_tags.note_of(member_id),
        "custom": [(r["field_key"], r["value"], r["source"])
                   for r in read_rows("member_custom_value", '"member_id" = ?', [member_id])],
        "score": [(r["score"], r["stage_id"]) for r in read_rows("member_score", '"member_id" = ?', [member_id])],
    }


def without_stats(snapshot: dict) -> dict:
    rows = [{k: v for k, v in row.items() if k not in STAT_COLUMNS} for row in snapshot["member"]]
    return {**snapshot, "member": rows, "activities": None, "score": None}


def test_merge_then_undo_restores_both_exactly_with_activity_synced_between(
        db_path, clock, sandbox, connect, real_world):
    # Find the two people first, in a world with no events; then serve the same world with events.
    server = sandbox(real_world)
    account, host = connect(server)
    assert sync_account(account, host, clock).outcome == "ok"
    b = Member.select().order_by(Member.id.desc()).first().id
    b_uid = Identity.get(Identity.member == b).x_user_id
    a = Member.select().where(Member.id != b, Member.activity_count >= 3).order_by(Member.id).first().id
    a_uid = Identity.get(Identity.member == a).x_user_id
    newcomer = next(uid for uid in real_world["users"]
                    if not Identity.select().where(Identity.x_user_id == uid).exists())
    start = clock.now()
    events = [mention(real_world, "1", a_uid, start + timedelta(hours=1)),
              mention(real_world, "2", b_uid, start + timedelta(hours=1)),
              mention(real_world, "3", b_uid, start + timedelta(hours=1, minutes=5)),
              mention(real_world, "4", b_uid, start + timedelta(hours=5)),
              mention(real_world, "5", newcomer, start + timedelta(hours=5))]
    real_world["events"] = events
    server.stop()
    server = sandbox(real_world)
    account, host = connect(server)
    clock.advance(timedelta(hours=2))
    assert sync_account(account, host, clock).outcome == "ok"

    field = create_custom_field("Company size", "number", clock.now())
    notes_tags.set_tags(a, ["VIP", "speaker"])
    notes_tags.set_tags(b, ["vip", "Berlin"])
    notes_tags.set_note(a, "Met at the meetup.", clock.now())
    notes_tags.set_note(b, "Asked about pricing.", clock.now())
    set_field_by_hand(a, "company", "Acme")
    set_field_by_hand(b, "company", "Acme Inc")
    set_field_by_hand(b, "city", "Berlin")
    from ahoy_desktop.db.models import MemberCustomValue
    MemberCustomValue.create(member=b, field_key=field.key, value="40", source="manual", updated_at=clock.now())
    score_a = MemberScore.get(MemberScore.member == a).score
    score_b = MemberScore.get(MemberScore.member == b).score
    assert score_a > 0 and score_b > 0
    before_a, before_b = state(a), state(b)

    fields = merge.merge_fields(a, b)
    choices = merge.default_choices(fields)
    assert choices["city"] == merge.OTHER and choices["company"] == merge.SURVIVOR
    choices["name"] = merge.OTHER
    record = merge.merge(a, b, choices, clock.now())

    merged = Member.get(Member.id == a)
    assert not Member.select().where(Member.id == b).exists()
    assert merged.name == before_b["member"][0]["name"] and merged.city == "Berlin" and merged.company == "Acme"
    assert {"company", "city"} <= set(merged.manual_fields)
    assert {i.x_user_id for i in Identity.select().where(Identity.member == a)} == {a_uid, b_uid}
    moved = sorted(before_a["activities"] + before_b["activities"])
    assert sorted(a_ for (a_,) in Activity.select(Activity.id).where(Activity.member == a).tuples()) == moved
    assert merged.activity_count == len(moved)
    assert notes_tags.tags_of(a) == ["Berlin", "speaker", "VIP"]
    assert notes_tags.note_of(a) == "Met at the meetup.\n\nAsked about pricing."
    assert MemberCustomValue.get(MemberCustomValue.member == a).value == "40"
    assert MemberScore.get(MemberScore.member == a).score == score_a + score_b
    assert [m.absorbed_id for m in merge.merges_into(a)] == [b]

    # More activity by B's identity, and a newcomer who takes the id B left free.
    clock.advance(timedelta(hours=4))
    assert sync_account(account, host, clock).outcome == "ok"
    newcomer_member = Identity.get(Identity.x_user_id == newcomer).member_id
    assert newcomer_member == b
    late = Activity.select().where(Activity.x_user_id == b_uid).order_by(Activity.occurred_at.desc()).first()
    assert late.occurred_at > start + timedelta(hours=4)
    assert late.member_id == a

    undone = merge.undo_merge(record, clock.now())
    assert undone.moved is not None and undone.moved[0] == b
    assert Identity.get(Identity.x_user_id == newcomer).member_id == undone.moved[1]
    after_a, after_b = state(a), state(b)
    # Scores are checked against a recount: the automatic scoring setup moves with each sync.
    assert {**after_a, "score": None} == {**before_a, "score": None}
    assert without_stats(after_b) == without_stats(before_b)
    assert after_b["activities"] == sorted([*before_b["activities"], late.id])
    restored = Member.get(Member.id == b)
    assert restored.activity_count == len(before_b["activities"]) + 1
    assert restored.last_active_at == late.occurred_at
    for member_id in (a, b):
        assert MemberScore.get(MemberScore.member == member_id).score == scores.explain(member_id, clock.now()).score
    assert scores.explain(b, clock.now()).by_kind["mention"][0] == 3
    assert MergeRecord.select().count() == 0
    with pytest.raises(merge.MergeError):
        merge.undo_merge(record, clock.now())


def test_refused_merges_change_nothing(db_path, clock):
    a = Member.create(name="A", first_seen_at=clock.now())
    with pytest.raises(merge.MergeError):
        merge.merge(a.id, a.id, {}, clock.now())
    with pytest.raises(merge.MergeError):
        merge.merge(a.id, a.id + 99, {}, clock.now())
    b = Member.create(name="B", first_seen_at=clock.now())
    with pytest.raises(merge.MergeError):
        merge.merge(a.id, b.id, {"name": "both"}, clock.now())
    assert Member.select().count() == 2 and MergeRecord.select().count() == 0


def test_undo_waits_for_later_merges_into_the_same_member(db_path, clock):
    a, b, c = (Member.create(name=n, x_handle=n.lower(), first_seen_at=clock.now()) for n in ("A", "B", "C"))
    first = merge.merge(a.id, b.id, {}, clock.now())
    second = merge.merge(a.id, c.id, {}, clock.now())
    with pytest.raises(merge.MergeError, match="later merge with C"):
        merge.undo_merge(first, clock.now())
    merge.undo_merge(second, clock.now())
    merge.undo_merge(first, clock.now())
    assert sorted(m.name for m in Member.select()) == ["A", "B", "C"]


def test_work_done_on_the_merged_member_survives_the_undo(db_path, clock):
    now = clock.now()
    field = create_custom_field("Plan", "text", now)
    a = Member.create(name="Jane Doe", x_handle="janedoe", first_seen_at=now).id
    b = Member.create(name="Jane D.", x_handle="jane_d", first_seen_at=now).id
    notes_tags.set_tags(a, ["before", "old"])
    notes_tags.set_tags(b, ["theirs"])
    notes_tags.set_note(a, "Her own note.", now)
    notes_tags.set_note(b, "Their note.", now)
    set_field_by_hand(a, "city", "Lisbon")
    record = merge.merge(a, b, {}, now)
    assert notes_tags.tags_of(a) == ["before", "old", "theirs"]

    # The user keeps working on the merged person.
    notes_tags.set_tags(a, ["before", "theirs", "added-after-merge"])  # "old" taken off, one added
    notes_tags.set_note(a, notes_tags.note_of(a) + "\n\nCalled her on Monday.", now)
    set_field_by_hand(a, "company", "Typed after merge")
    set_field_by_hand(a, "city", "Porto")
    from ahoy_desktop.db.models import MemberCustomValue
    MemberCustomValue.create(member=a, field_key=field.key, value="Pro", source="manual", updated_at=now)

    undone = merge.undo_merge(record, now)

    survivor, absorbed = Member.get_by_id(a), Member.get_by_id(b)
    assert notes_tags.tags_of(a) == ["added-after-merge", "before"]
    assert notes_tags.tags_of(b) == ["theirs"]  # as they were
    assert notes_tags.note_of(a) == "Her own note.\n\nCalled her on Monday."
    assert notes_tags.note_of(b) == "Their note."
    assert (survivor.company, survivor.city) == ("Typed after merge", "Porto")
    assert {"company", "city"} <= set(survivor.manual_fields)
    assert (absorbed.name, absorbed.company, absorbed.city) == ("Jane D.", None, None)
    assert MemberCustomValue.get(MemberCustomValue.member == a, MemberCustomValue.field_key == field.key).value \
        == "Pro"
    assert set(undone.kept) == {"Company", "City", "tags", "note", "Plan"}


def test_an_undo_without_later_work_keeps_nothing_and_an_older_record_still_keeps_tags_and_note(db_path, clock):
    now = clock.now()
    a = Member.create(name="A", x_handle="a", first_seen_at=now).id
    b = Member.create(name="B", x_handle="b", first_seen_at=now).id
    notes_tags.set_tags(a, ["mine"])
    record = merge.merge(a, b, {}, now)
    assert merge.undo_merge(record, now).kept == ()
    assert notes_tags.tags_of(a) == ["mine"]

    record = merge.merge(a, b, {}, now)
    old = MergeRecord.get_by_id(record)
    old.snapshot = {k: v for k, v in old.snapshot.items() if k != "merged"}  # made before the merged state was kept
    old.save()
    notes_tags.set_tags(a, ["mine", "later"])
    notes_tags.set_note(a, "Written later.", now)
    undone = merge.undo_merge(record, now)
    assert notes_tags.tags_of(a) == ["later", "mine"] and notes_tags.note_of(a) == "Written later."
    assert set(undone.kept) == {"tags", "note"}
