"""The mapping view: X fields onto member fields, with real examples from the workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt

from ahoy_desktop.db.models import Member
from ahoy_desktop.mapping import DEFAULT_MAPPING, FILL_EMPTY, FieldMapping
from ahoy_desktop.mapping_view import (
    MAPPED,
    MEMBER_ONLY,
    X_ONLY,
    example_values,
    mapping_rows,
    preview_members,
    preview_values,
)
from ahoy_desktop.member_fields import BUILTIN_FIELDS, NUMBER, TEXT
from ahoy_desktop.xfields import X_FIELDS


def add_member(clock, activity_count: int, user: dict | None) -> Member:
    return Member.create(first_seen_at=clock.now(), raw_x_user=user, x_fields=sorted(user) if user else None,
                         activity_count=activity_count, name=(user or {}).get("name", ""))


@pytest.fixture
def people(app_context):
    clock = app_context.clock
    add_member(clock, 50, None)  # the most active, but X never sent a profile
    add_member(clock, 10, {"id": "1", "name": "Ada", "username": "ada", "description": "",
                           "public_metrics": {"followers_count": 1200}, "verified": False})
    add_member(clock, 5, {"id": "2", "name": "Bea", "username": "bea", "description": "Knits in Lisbon",
                          "location": "Lisbon", "entities": {"url": {"urls": [{"expanded_url": "https://bea.pt"}]}},
                          "created_at": "2019-05-04T10:00:00.000Z"})
    add_member(clock, 1, {"id": "3", "name": "Cai", "username": "cai", "location": "Porto"})
    return app_context


def test_examples_come_from_the_most_active_member_with_a_value(people):
    examples = example_values([f.key for f in X_FIELDS])

    assert examples["name"].value == "Ada"
    assert examples["followers_count"].value == 1200
    assert examples["verified"].value is False  # a real "no" is a value
    assert examples["description"].value == "Knits in Lisbon"  # Ada's bio is empty
    assert examples["description"].member_name == "Bea"
    assert examples["location"].value == "Lisbon"  # Bea is more active than Cai
    assert examples["website"].value == "https://bea.pt"
    assert "verified_type" not in examples and "listed_count" not in examples


def test_rows_cover_every_x_field_and_every_member_field(people):
    rows = mapping_rows(DEFAULT_MAPPING)

    mapped = [(r.x_field.key, r.member_field.key, r.rule) for r in rows if r.section == MAPPED]
    assert mapped == [(m.x_field, m.member_field, m.rule) for m in DEFAULT_MAPPING]
    x_only = {r.x_field.key for r in rows if r.section == X_ONLY}
    member_only = {r.member_field.key for r in rows if r.section == MEMBER_ONLY}
    assert x_only == {f.key for f in X_FIELDS} - {m.x_field for m in DEFAULT_MAPPING}
    assert member_only == {f.key for f in BUILTIN_FIELDS} - {m.member_field for m in DEFAULT_MAPPING}


def test_rows_follow_the_mapping_given(people):
    rows = mapping_rows([FieldMapping("location", "city", FILL_EMPTY)])

    assert [(r.x_field.key, r.member_field.key, r.rule) for r in rows if r.section == MAPPED] == [
        ("location", "city", FILL_EMPTY)]
    assert any(r.section == MEMBER_ONLY and r.member_field.key == "location" for r in rows)


def test_preview_reads_the_unsaved_mapping_from_x_objects(people):
    members = preview_members()
    mapping = [FieldMapping("location", "city"), FieldMapping("followers_count", "followers")]

    assert [m.name for m in members] == ["Ada", "Bea", "Cai"]  # only members with an X object
    values = [preview_values(m.user, mapping, {"city": TEXT, "followers": NUMBER}) for m in members]
    assert values == [{"city": None, "followers": 1200}, {"city": "Lisbon", "followers": None},
                      {"city": "Porto", "followers": None}]
    assert Member.select().where(Member.city.is_null(False)).count() == 0  # nothing written


# -- the tab ------------------------------------------------------------------


@pytest.fixture
def make_tab(qtbot):
    from ui.mapping_tab import MappingTab

    tabs = []

    def make(context):
        tab = MappingTab(context)
        qtbot.addWidget(tab)
        tabs.append(tab)
        tab.resize(1300, 800)
        tab.show()
        qtbot.waitUntil(lambda: not tab.loading)
        return tab

    yield make
    for tab in tabs:
        assert tab.shutdown(10_000)


def x_rows(tab) -> dict[str, dict]:
    """The left column keyed by X field label, as the user sees it."""
    from PySide6.QtGui import QPalette

    from ui.mapping_tab import COL_EXAMPLE, COL_X_FIELD

    grey = tab.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    out = {}
    for row in range(tab.x_list.topLevelItemCount()):
        item = tab.x_list.topLevelItem(row)
        out[item.text(COL_X_FIELD)] = {
            "example": item.text(COL_EXAMPLE), "tooltip": item.toolTip(COL_EXAMPLE),
            "greyed": item.foreground(COL_X_FIELD).color() == grey,
            "accessible": item.data(COL_X_FIELD, Qt.ItemDataRole.AccessibleTextRole),
            "description": item.data(COL_X_FIELD, Qt.ItemDataRole.AccessibleDescriptionRole)}
    return out


def member_rows(tab) -> dict[str, dict]:
    """The right column keyed by member field key: its label, source and rule as shown."""
    from ui.mapping_lists import KEY_ROLE
    from ui.mapping_tab import COL_MEMBER_FIELD, COL_RULE, COL_SOURCE

    out = {}
    for row in range(tab.member_list.topLevelItemCount()):
        item = tab.member_list.topLevelItem(row)
        combo = tab.member_list.itemWidget(item, COL_RULE)
        out[item.data(0, KEY_ROLE)] = {
            "label": item.text(COL_MEMBER_FIELD), "source": item.text(COL_SOURCE),
            "rule": combo.currentText() if combo is not None else None,
            "accessible": item.data(COL_MEMBER_FIELD, Qt.ItemDataRole.AccessibleTextRole)}
    return out


def test_tab_shows_examples_and_greys_what_is_missing(people, make_tab):
    tab = make_tab(people)
    xs, members = x_rows(tab), member_rows(tab)

    assert list(xs) == [f.label for f in X_FIELDS]  # every field, none hidden
    assert xs["Name"]["example"] == "Ada" and "Ada" in xs["Name"]["tooltip"] and not xs["Name"]["greyed"]
    assert xs["Bio"]["example"] == "Knits in Lisbon" and "Bea" in xs["Bio"]["tooltip"]
    assert xs["Followers"]["example"] == QLocale().toString(1200)
    assert xs["Verified"]["example"] == "No"
    assert xs["Listed"] | {"tooltip": ""} == {
        "example": "not in this workspace's data", "tooltip": "", "greyed": True,
        "accessible": "X field Listed", "description": "Unavailable: no member in this workspace has it yet."}
    assert list(members) == [f.key for f in BUILTIN_FIELDS]
    assert members["name"] == {"label": "Name", "source": "Name", "rule": "Always update from X",
                               "accessible": "Member field Name"}
    assert members["x_handle"]["source"] == "Username"
    assert members["company"] == {"label": "Company", "source": "drop an X field here", "rule": None,
                                  "accessible": "Member field Company"}
    assert not tab.unsaved.isVisible() and not tab.save_button.isEnabled()
    assert "never overwritten" in tab.explanation.text()


def test_empty_workspace_has_no_examples(app_context, make_tab):
    tab = make_tab(app_context)

    assert member_rows(tab)["name"]["rule"] == "Always update from X"
    assert all(row["example"] == "not in this workspace's data" and row["greyed"] for row in x_rows(tab).values())
    assert tab.preview_table.rowCount() == 0


def test_real_world_examples_come_from_its_most_active_member(synced_context, make_tab):
    tab = make_tab(synced_context)
    top = (Member.select().where(Member.raw_x_user.is_null(False))
           .order_by(Member.activity_count.desc(), Member.id).first())

    assert x_rows(tab)["Name"]["example"] == " ".join(top.raw_x_user["name"].split())
    assert x_rows(tab)["Username"]["example"] == top.raw_x_user["username"]


def test_preview_shows_five_members_under_the_unsaved_mapping(synced_context, make_tab):
    tab = make_tab(synced_context)
    top = preview_members()

    assert tab.map_field("location", "city")
    rows = tab.preview_rows()

    assert len(rows) == 5 == len(top)
    assert [r["Member"] for r in rows] == [m.name or "(no name)" for m in top]
    assert [r["City"] for r in rows] == [
        "—" if m.user.get("location") is None else " ".join(m.user["location"].split()) for m in top]
    assert Member.select().where(Member.city.is_null(False)).count() == 0  # a preview writes nothing
