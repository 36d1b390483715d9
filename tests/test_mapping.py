"""The field mapping and custom fields, headless: rules, manual values, types, re-applying."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ahoy_desktop.clock import to_iso
from ahoy_desktop.custom_fields import (
    CustomFieldError,
    create_custom_field,
    delete_custom_field,
    members_with_value,
    normalized_value,
    rename_custom_field,
)
from ahoy_desktop.db.models import FieldMappingRule, Identity, Member, MemberCustomValue
from ahoy_desktop.db.sqlite import write_transaction
from ahoy_desktop.mapping import (
    ALWAYS,
    DEFAULT_MAPPING,
    FILL_EMPTY,
    FieldMapping,
    MappingError,
    apply_mapping,
    load_mapping,
    reapply_all,
    refusal,
    save_mapping,
)
from ahoy_desktop.workspace import sync_account
from ahoy_desktop.xfields import MISSING, X_FIELDS, as_text, read_field


def member_of(x_user_id: str) -> Member:
    return Member.get_by_id(Identity.get(Identity.x_user_id == x_user_id).member_id)


def test_the_default_mapping_is_stored_in_a_new_workspace(db_path):
    assert load_mapping() == DEFAULT_MAPPING


@pytest.mark.parametrize(("x_field", "member_field", "ok"), [
    ("followers_count", "followers", True),
    ("location", "followers", False),
    ("created_at", "bio", True),
    ("verified", "company", True),
    ("website", "website", True),
    ("description", "website", False),
])
def test_types_decide_what_can_fill_what(db_path, x_field, member_field, ok):
    reason = refusal(x_field, member_field)
    assert (reason is None) == ok
    if not ok:
        assert "cannot hold it" in reason


def test_custom_field_types(db_path, clock):
    joined = create_custom_field("Joined X", "date", clock.now())
    tier = create_custom_field("Tier", "choice", clock.now(), choices=["Gold", "Silver"])
    blue = create_custom_field("Verified?", "yes_no", clock.now())
    assert refusal("created_at", joined.key) is None
    assert "cannot hold it" in refusal("followers_count", joined.key)
    assert refusal("verified", blue.key) is None
    assert "filled by hand" in refusal("name", tier.key)


def test_a_member_field_takes_one_source(db_path):
    with pytest.raises(MappingError, match="two sources"):
        save_mapping([FieldMapping("name", "bio"), FieldMapping("description", "bio")])
    assert load_mapping() == DEFAULT_MAPPING  # nothing changed
    save_mapping([FieldMapping("location", "city"), FieldMapping("location", "location")])  # one source, two fields
    assert {m.member_field for m in load_mapping()} == {"city", "location"}


def test_values_come_from_each_members_own_object(synced_context, real_world_data):
    for uid, user in list(real_world_data["users"].items())[:300]:
        identity = Identity.get_or_none(Identity.x_user_id == uid)
        if identity is None:
            continue
        member = Member.get_by_id(identity.member_id)
        if "location" in user:
            assert member.location == user["location"]
        if "public_metrics" in user:
            assert member.followers == user["public_metrics"]["followers_count"]
        assert member.name == user["name"]
    me = real_world_data["me"]
    assert not Member.select().where(Member.x_handle == me["username"]).exists()


def test_sql_reading_agrees_with_the_python_reading_for_every_field(synced_context):
    """The mapping is applied in SQL; the data-mapping page reads examples in Python: one meaning."""
    field = create_custom_field("Scratch", "text", synced_context.clock.now())
    members = list(Member.select().where(Member.raw_x_user.is_null(False)).limit(400))
    for x_field in X_FIELDS:
        with write_transaction(Member._meta.database):
            MemberCustomValue.delete().execute()
            apply_mapping([FieldMapping(x_field.key, field.key)], synced_context.clock.now(),
                          member_ids=[m.id for m in members])
        stored = dict(MemberCustomValue.select(MemberCustomValue.member, MemberCustomValue.value).tuples())
        for member in members:
            expected = read_field(member.raw_x_user, x_field.key)
            if expected is MISSING:
                assert member.id not in stored, x_field.key
            else:
                assert stored.get(member.id) == as_text(expected), (x_field.key, member.id)


@pytest.mark.parametrize("rule", [ALWAYS, FILL_EMPTY])
def test_a_hand_typed_value_survives_two_syncs(db_path, clock, sandbox, connect, real_world, rule):
    mapping = [FieldMapping(m.x_field, m.member_field, rule) for m in DEFAULT_MAPPING]
    save_mapping(mapping)
    uid = next(t["author_id"] for t in real_world["mentions"] if t["author_id"] in real_world["users"]
               and "location" in real_world["users"][t["author_id"]])
    real_world["events"] = [
        {"at": to_iso(clock.now() + timedelta(hours=1)), "type": "user",
         "user": {**real_world["users"][uid], "location": "Moved to Lisbon", "name": "New Name"}},
        {"at": to_iso(clock.now() + timedelta(hours=1)), "type": "mention", "tweet": {
            "id": str(max(int(t["id"]) for t in real_world["mentions"]) + 5), "author_id": uid,
            "text": "@TwitterDev hi", "created_at": to_iso(clock.now() + timedelta(hours=1))}},
    ]
    server = sandbox(real_world)
    account, host = connect(server)
    sync_account(account, host, clock)
    member = member_of(uid)
    Member.update(location="Porto (typed by hand)", manual_fields=["location"]).where(
        Member.id == member.id).execute()
    clock.advance(timedelta(hours=2))
    assert sync_account(account, host, clock).outcome == "ok"
    clock.advance(timedelta(hours=2))
    assert sync_account(account, host, clock).outcome == "ok"
    member = Member.get_by_id(member.id)
    assert member.location == "Porto (typed by hand)"
    # Not manual: "always" takes X's new value; "fill empty" keeps the first one.
    original = real_world["users"][uid]["name"]
    assert member.name == ("New Name" if rule == ALWAYS else original)


def test_a_field_x_did_not_return_is_left_alone(db_path, clock, sandbox, connect, real_world):
    """Recorded likers come back bare (id, name, username): their bio and counts stay."""
    post_id = "1293593516040269825"
    liker = real_world["liking_users"][post_id][0]
    full = {"id": liker, "name": "Full Name", "username": real_world["users"][liker]["username"],
            "description": "A bio from a fuller object", "public_metrics": {"followers_count": 77}}
    newest = max(int(t["id"]) for t in real_world["mentions"])
    real_world["mentions"].insert(0, {"id": str(newest + 1), "author_id": liker, "text": "@TwitterDev x",
                                      "created_at": "2023-01-06T10:00:00.000Z"})
    real_world["users"][liker] = full
    server = sandbox(real_world)
    account, host = connect(server)
    sync_account(account, host, clock)
    member = member_of(liker)
    assert member.bio == "A bio from a fuller object" and member.followers == 77


def test_reapply_all_after_a_mapping_change(synced_context):
    now = synced_context.clock.now()
    members = Member.select().count()
    save_mapping([*load_mapping(), FieldMapping("location", "city")])
    seen = []
    changed = reapply_all(load_mapping(), now, chunk=100, progress=lambda done, total: seen.append((done, total)))
    with_location = Member.select().where(Member.location.is_null(False)).count()
    assert changed == Member.select().where(Member.city.is_null(False)).count() == with_location
    assert seen[-1] == (members, members) and len(seen) >= members // 100
    assert Member.select().where(Member.city != Member.location).count() == 0
    assert reapply_all(load_mapping(), now) == 0  # nothing left to change


def test_custom_fields_create_rename_delete(synced_context):
    now = synced_context.clock.now()
    field = create_custom_field("Home town", "text", now)
    with pytest.raises(CustomFieldError, match="already a field"):
        create_custom_field("HOME TOWN", "text", now)
    with pytest.raises(CustomFieldError, match="needs a name"):
        create_custom_field("   ", "text", now)
    with pytest.raises(CustomFieldError, match="built-in"):
        create_custom_field("location", "text", now)
    save_mapping([*load_mapping(), FieldMapping("location", field.key)])
    reapply_all(load_mapping(), now)
    holders = members_with_value(field.key)
    assert holders == Member.select().where(Member.location.is_null(False), Member.location != "").count()

    renamed = rename_custom_field(field.key, "Hometown")
    assert renamed.name == "Hometown" and members_with_value(field.key) == holders
    assert FieldMappingRule.get(FieldMappingRule.member_field == field.key).x_field == "location"

    assert delete_custom_field(field.key) >= holders
    assert not MemberCustomValue.select().where(MemberCustomValue.field_key == field.key).exists()
    assert not FieldMappingRule.select().where(FieldMappingRule.member_field == field.key).exists()


@pytest.mark.parametrize(("field_type", "text", "stored"), [
    ("number", "1,234", "1234"), ("number", "-3.5", "-3.5"), ("date", "2026-12-03", "2026-12-03"),
    ("yes_no", "Yes", "true"), ("url", "https://ahoy.dev", "https://ahoy.dev"), ("text", " hi ", "hi"),
])
def test_values_are_checked_against_the_field_type(field_type, text, stored):
    assert normalized_value(field_type, text) == stored


@pytest.mark.parametrize(("field_type", "text"), [("number", "lots"), ("date", "soon"), ("url", "ahoy.dev"),
                                                  ("yes_no", "maybe")])
def test_bad_values_get_a_clear_message(field_type, text):
    with pytest.raises(CustomFieldError, match=text):
        normalized_value(field_type, text)


def test_only_changed_entries_are_reapplied():
    from ahoy_desktop.mapping import changed_entries

    old = [FieldMapping("name", "name"), FieldMapping("location", "location")]
    new = [FieldMapping("name", "name", FILL_EMPTY), FieldMapping("location", "location"),
           FieldMapping("location", "city")]
    assert changed_entries(old, new) == [FieldMapping("name", "name", FILL_EMPTY), FieldMapping("location", "city")]
