"""Tags and notes of a member: tidied, stored one tag a row, kept through a migration."""

from __future__ import annotations

import pytest

from ahoy_desktop import notes_tags
from ahoy_desktop.db import migrations
from ahoy_desktop.db.models import FieldMappingRule, Member, MemberNote, MemberTag, database_proxy


def test_tags_are_tidied_unique_and_copied_for_display(db_path, clock):
    m = Member.create(name="Ana", first_seen_at=clock.now())
    assert notes_tags.parse_tags(" VIP , speaker,, vip,  Berlin   team ") == ["VIP", "speaker", "Berlin team"]
    assert notes_tags.set_tags(m.id, ["VIP", "speaker", "vip"]) == ["speaker", "VIP"]
    assert Member.get_by_id(m.id).tags == "speaker, VIP"
    assert notes_tags.add_tag(m.id, "ｂｅｒｌｉｎ") == ["berlin", "speaker", "VIP"]  # full-width letters folded
    assert notes_tags.remove_tag(m.id, "Vip") == ["berlin", "speaker"]
    other = Member.create(name="Ben", first_seen_at=clock.now())
    notes_tags.set_tags(other.id, ["Speaker"])
    assert notes_tags.all_tags() == [("berlin", 1), ("Speaker", 2)]
    notes_tags.set_tags(m.id, [])
    assert Member.get_by_id(m.id).tags is None and notes_tags.tags_of(m.id) == []


def test_a_bad_tag_is_refused_and_nothing_changes(db_path, clock):
    m = Member.create(name="Ana", first_seen_at=clock.now())
    notes_tags.set_tags(m.id, ["keep"])
    with pytest.raises(notes_tags.InvalidTag):
        notes_tags.set_tags(m.id, ["fine", "x" * (notes_tags.MAX_TAG_LENGTH + 1)])
    with pytest.raises(LookupError):
        notes_tags.set_tags(m.id + 1, ["a"])
    assert notes_tags.tags_of(m.id) == ["keep"]


def test_notes(db_path, clock):
    m = Member.create(name="Ana", first_seen_at=clock.now())
    assert notes_tags.note_of(m.id) == ""
    notes_tags.set_note(m.id, "\nFirst line\n  indented\n\n", clock.now())
    assert notes_tags.note_of(m.id) == "First line\n  indented"
    notes_tags.set_note(m.id, "   ", clock.now())
    assert MemberNote.select().count() == 0


def test_migration_turns_old_tag_text_into_rows(db_path, clock):
    db = database_proxy.obj
    a = Member.create(name="Ana", first_seen_at=clock.now(), tags="VIP, speaker ,vip,")
    b = Member.create(name="Ben", first_seen_at=clock.now(), tags="   ")
    FieldMappingRule.create(member_field="tags", x_field="location")
    db.drop_tables([MemberTag, MemberNote, migrations.models.MergeRecord, migrations.models.DismissedPair])
    step = next(step for version, _, step in migrations.MIGRATIONS if version == 6)
    with db.atomic():
        step(db)
    assert notes_tags.tags_of(a.id) == ["speaker", "VIP"]
    assert Member.get_by_id(a.id).tags == "speaker, VIP"
    assert notes_tags.tags_of(b.id) == []
    assert not FieldMappingRule.select().where(FieldMappingRule.member_field == "tags").exists()
