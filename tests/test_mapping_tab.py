"""The mapping view: X fields onto member fields, with real examples from the workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt

from ahoy_desktop.db.models import Member
from ahoy_desktop.mapping import DEFAULT_MAPPING, FILL_EMPTY, FieldMapping
from ahoy_desktop.mapping_view import MAPPED, MEMBER_ONLY, X_ONLY, example_values, mapping_rows
from ahoy_desktop.member_fields import BUILTIN_FIELDS
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


# -- the tab ------------------------------------------------------------------


@pytest.fixture
def make_tab(qtbot):
    from ui.mapping_tab import MappingTab

    tabs = []

    def make(context):
        tab = MappingTab(context)
        qtbot.addWidget(tab)
        tabs.append(tab)
        tab.show()
        qtbot.waitUntil(lambda: not tab.loading)
        return tab

    yield make
    for tab in tabs:
        assert tab.shutdown(10_000)


def table(tab) -> dict[str, dict]:
    """Rows keyed by X field label (or member field label for fields with no source)."""
    from ui.mapping_tab import COL_EXAMPLE, COL_MEMBER_FIELD, COL_RULE, COL_X_FIELD

    out = {}
    for r in range(tab.table.rowCount()):
        cells = {c: tab.table.item(r, c) for c in (COL_X_FIELD, COL_MEMBER_FIELD, COL_RULE, COL_EXAMPLE)}
        greyed = {c for c, item in cells.items() if not item.flags() & Qt.ItemFlag.ItemIsEnabled}
        key = cells[COL_X_FIELD].text() if COL_X_FIELD not in greyed else cells[COL_MEMBER_FIELD].text()
        out[key] = {"x": cells[COL_X_FIELD].text(), "member": cells[COL_MEMBER_FIELD].text(),
                    "rule": cells[COL_RULE].text(), "example": cells[COL_EXAMPLE].text(), "greyed": greyed,
                    "tooltip": cells[COL_EXAMPLE].toolTip()}
    return out


def test_tab_shows_mapping_examples_and_greys_what_is_missing(people, make_tab):
    from ui.mapping_tab import COL_EXAMPLE, COL_MEMBER_FIELD, COL_X_FIELD

    tab = make_tab(people)
    rows = table(tab)

    assert tab.table.rowCount() == len(X_FIELDS) + len(BUILTIN_FIELDS) - len(DEFAULT_MAPPING)
    assert rows["Name"] == {"x": "Name", "member": "Name", "rule": "Always update from X", "example": "Ada",
                            "greyed": set(), "tooltip": rows["Name"]["tooltip"]}
    assert "Ada" in rows["Name"]["tooltip"]
    assert rows["Username"]["member"] == "X handle"
    assert rows["Bio"]["example"] == "Knits in Lisbon" and "Bea" in rows["Bio"]["tooltip"]
    assert rows["Location"]["example"] == "Lisbon"
    assert rows["Followers"]["example"] == QLocale().toString(1200)
    assert rows["Verified"]["example"] == "No"
    # An X field no member has: greyed, and said so.
    assert rows["Listed"]["example"] == "not in this workspace's data"
    assert rows["Listed"]["greyed"] == {COL_MEMBER_FIELD, COL_EXAMPLE}
    assert rows["Listed"]["member"] == "not mapped"
    # A member field with no source.
    assert rows["Company"]["x"] == "not mapped" and COL_X_FIELD in rows["Company"]["greyed"]
    assert rows["Company"]["rule"] == ""
    assert "never overwritten" in tab.explanation.text()


def test_empty_workspace_has_no_examples(app_context, make_tab):
    tab = make_tab(app_context)
    rows = table(tab)

    assert rows["Name"]["member"] == "Name" and rows["Name"]["rule"] == "Always update from X"
    assert all(rows[f.label]["example"] == "not in this workspace's data" for f in X_FIELDS)


def test_real_world_examples_come_from_its_most_active_member(synced_context, make_tab):
    tab = make_tab(synced_context)
    top = (Member.select().where(Member.raw_x_user.is_null(False))
           .order_by(Member.activity_count.desc(), Member.id).first())

    assert table(tab)["Name"]["example"] == top.raw_x_user["name"]
    assert table(tab)["Username"]["example"] == top.raw_x_user["username"]
