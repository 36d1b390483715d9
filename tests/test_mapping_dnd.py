"""Editing the mapping on the Data Mapping tab: drag and drop, keyboard, save, custom fields.

QDrag.exec cannot run offscreen, so a drag is the events it would deliver:
a drag-enter, a drag-move and a drop carrying real mime data, sent to the
list's viewport as the window system would.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from ahoy_desktop.db.models import CustomField, Member, MemberCustomValue
from ahoy_desktop.mapping import ALWAYS, DEFAULT_MAPPING, FILL_EMPTY, FieldMapping, load_mapping, refusal
from ahoy_desktop.xfields import MISSING, read_field

ACTIONS = Qt.DropAction.LinkAction | Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
BUTTONS = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def tab(synced_context, qtbot):
    from ui.mapping_tab import MappingTab

    tab = MappingTab(synced_context)
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    qtbot.waitUntil(lambda: not tab.loading)
    yield tab
    if tab.custom_fields_dialog is not None:
        tab.custom_fields_dialog.close()
    assert tab.shutdown(10_000)
    assert not tab.reapplying


@pytest.fixture
def changes(synced_context):
    seen = []
    synced_context.changed.connect(seen.append)
    return seen


def drag(target, mime_kind: str, key: str, item) -> tuple[bool, bool]:
    """Drag ``key`` onto ``item`` of ``target`` (a field list); return (move accepted, drop accepted)."""
    from ui.mapping_lists import key_mime

    mime = key_mime(mime_kind, key)
    viewport = target.viewport()
    point = target.visualItemRect(item).center() if item is not None else QPoint(5, viewport.height() - 5)
    enter = QDragEnterEvent(point, ACTIONS, mime, BUTTONS, NO_KEYS)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(point, ACTIONS, mime, BUTTONS, NO_KEYS)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(QPointF(point), ACTIONS, mime, BUTTONS, NO_KEYS)
    QApplication.sendEvent(viewport, drop)
    return move.isAccepted(), drop.isAccepted()


def drag_x_onto_member(tab, x_field: str, member_field: str) -> tuple[bool, bool]:
    from ui.mapping_lists import X_FIELD_MIME

    return drag(tab.member_list, X_FIELD_MIME, x_field, tab.member_list.item_for(member_field))


def drag_member_back(tab, member_field: str) -> tuple[bool, bool]:
    from ui.mapping_lists import MEMBER_FIELD_MIME

    return drag(tab.x_list, MEMBER_FIELD_MIME, member_field, tab.x_list.topLevelItem(0))


def source_shown(tab, member_field: str) -> str:
    from ui.mapping_tab import COL_SOURCE

    return tab.member_list.item_for(member_field).text(COL_SOURCE)


def save_and_wait(tab, qtbot) -> None:
    with qtbot.waitSignal(tab.reapply_finished, timeout=30_000) as blocker:
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [True]
    qtbot.waitUntil(lambda: not tab.loading)


def x_value(member: Member, key: str):
    found = read_field(member.raw_x_user, key)
    return None if found is MISSING else found


def test_dragging_location_onto_city_maps_it_and_save_fills_every_member(tab, changes, qtbot):
    assert source_shown(tab, "city") == "drop an X field here"

    assert drag_x_onto_member(tab, "location", "city") == (True, True)

    assert source_shown(tab, "city") == "Location"
    assert tab.unsaved.isVisible() and tab.save_button.isEnabled()
    assert FieldMapping("location", "city", ALWAYS) in tab.pending
    assert FieldMapping("location", "city", ALWAYS) not in load_mapping()  # pending until Save
    assert Member.select().where(Member.city.is_null(False)).count() == 0

    save_and_wait(tab, qtbot)

    assert FieldMapping("location", "city", ALWAYS) in load_mapping()
    members = list(Member.select())
    with_location = [m for m in members if x_value(m, "location")]
    assert with_location
    assert all(m.city == x_value(m, "location") for m in with_location)
    assert not tab.unsaved.isVisible() and not tab.progress.isVisible()
    assert "every member was updated" in tab.message.text().lower()
    assert [c.mapping_changed for c in changes] == [True]
    assert source_shown(tab, "city") == "Location"  # and still after the refresh it caused


def test_a_source_may_feed_several_fields_and_a_field_takes_one(tab):
    assert drag_x_onto_member(tab, "location", "city") == (True, True)
    assert drag_x_onto_member(tab, "location", "country") == (True, True)
    assert drag_x_onto_member(tab, "name", "city") == (True, True)

    assert source_shown(tab, "city") == "Name" and source_shown(tab, "country") == "Location"
    assert [m.x_field for m in tab.pending if m.member_field == "city"] == ["name"]


def test_keyboard_mapping_with_enter_and_the_map_button(tab, qtbot):
    tab.x_list.setFocus()
    tab.x_list.setCurrentItem(tab.x_list.item_for("location"))
    tab.member_list.setCurrentItem(tab.member_list.item_for("city"))
    assert tab.map_button.isEnabled()

    qtbot.keyClick(tab.member_list, Qt.Key.Key_Return)
    assert source_shown(tab, "city") == "Location"

    tab.x_list.setCurrentItem(tab.x_list.item_for("verified_type"))
    tab.member_list.setCurrentItem(tab.member_list.item_for("job_title"))
    qtbot.mouseClick(tab.map_button, Qt.MouseButton.LeftButton)
    assert source_shown(tab, "job_title") == "Verified type"
    assert {(m.x_field, m.member_field) for m in tab.pending} >= {("location", "city"), ("verified_type", "job_title")}


def test_a_drop_that_cannot_convert_is_refused_with_the_reason(tab, changes):
    before = list(tab.pending)

    assert drag_x_onto_member(tab, "description", "followers") == (False, False)

    assert tab.message.isVisible()
    assert tab.message.text() == refusal("description", "followers")
    assert "Bio is text" in tab.message.text()
    assert tab.pending == before and not tab.unsaved.isVisible()
    assert source_shown(tab, "followers") == "Followers"
    assert load_mapping() == DEFAULT_MAPPING and changes == []


def test_delete_and_dragging_back_unmap(tab, changes, qtbot):
    bios = {m.id: m.bio for m in Member.select()}
    tab.member_list.setCurrentItem(tab.member_list.item_for("bio"))
    qtbot.keyClick(tab.member_list, Qt.Key.Key_Delete)
    assert source_shown(tab, "bio") == "drop an X field here"

    assert drag_member_back(tab, "location") == (True, True)
    assert source_shown(tab, "location") == "drop an X field here"
    assert tab.unsaved.isVisible()

    save_and_wait(tab, qtbot)

    assert {m.member_field for m in load_mapping()} == {m.member_field for m in DEFAULT_MAPPING} - {"bio", "location"}
    assert {m.id: m.bio for m in Member.select()} == bios  # an unmapped field keeps its values
    assert [c.mapping_changed for c in changes] == [True]


def test_rule_per_field_and_revert(tab, qtbot):
    drag_x_onto_member(tab, "location", "city")
    combo = tab.rule_combo("city")
    assert combo.currentText() == "Always update from X"
    combo.setCurrentIndex(combo.findData(FILL_EMPTY))
    assert combo.currentText() == "Only fill when empty"
    assert FieldMapping("location", "city", FILL_EMPTY) in tab.pending

    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)

    assert source_shown(tab, "city") == "drop an X field here"
    assert set(tab.pending) == set(DEFAULT_MAPPING) and not tab.unsaved.isVisible()


def test_changing_only_a_rule_saves_it(tab, changes, qtbot):
    combo = tab.rule_combo("bio")
    combo.setCurrentIndex(combo.findData(FILL_EMPTY))
    assert tab.unsaved.isVisible()

    save_and_wait(tab, qtbot)

    assert FieldMapping("description", "bio", FILL_EMPTY) in load_mapping()
    assert tab.rule_combo("bio").currentText() == "Only fill when empty"
    assert len(changes) == 1


def test_custom_fields_dialog_create_rename_delete(tab, changes, qtbot, monkeypatch):
    qtbot.mouseClick(tab.custom_fields_button, Qt.MouseButton.LeftButton)
    dialog = tab.custom_fields_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Custom fields"

    # Refused: inline error, nothing created.
    dialog.name_edit.setText("City")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible() and "already a built-in member field" in dialog.error.text()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("choice"))
    assert dialog.choices_edit.isVisible()
    dialog.name_edit.setText("Shirt size")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "needs at least one choice" in dialog.error.text() and CustomField.select().count() == 0

    dialog.choices_edit.setPlainText("S\nM\nL")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("text"))
    dialog.name_edit.setText("Hometown")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isVisible()
    assert dialog.field_names() == ["Hometown", "Shirt size"]
    assert CustomField.get(CustomField.name == "Shirt size").choices == ["S", "M", "L"]

    # The tab's right column follows.
    hometown = CustomField.get(CustomField.name == "Hometown").key
    qtbot.waitUntil(lambda: tab.member_list.item_for(hometown) is not None and not tab.loading)
    assert all(c.mapping_changed for c in changes)
    assert drag_x_onto_member(tab, "location", CustomField.get(CustomField.name == "Shirt size").key) == (
        False, False)
    assert "one-of-a-list" in tab.message.text()
    assert drag_x_onto_member(tab, "location", hometown) == (True, True)
    save_and_wait(tab, qtbot)
    filled = MemberCustomValue.select().where(MemberCustomValue.field_key == hometown).count()
    assert filled > 0

    # Rename keeps the key, values and mapping.
    dialog.list.setCurrentRow(dialog.field_names().index("Hometown"))
    dialog.rename_edit.setText("Home town")
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert dialog.field_names() == ["Home town", "Shirt size"]
    qtbot.waitUntil(lambda: not tab.loading and tab.member_list.item_for(hometown).text(0) == "Home town")
    assert source_shown(tab, hometown) == "Location"

    # Delete asks first, saying how many members hold a value; Cancel keeps it.
    asked = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.field_names() == ["Home town", "Shirt size"]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert f"{filled} members have a value" in asked[0].replace("\u202f", "").replace(",", "")
    assert dialog.field_names() == ["Shirt size"]
    assert MemberCustomValue.select().where(MemberCustomValue.field_key == hometown).count() == 0
    qtbot.waitUntil(lambda: not tab.loading and tab.member_list.item_for(hometown) is None)
    assert all(m.member_field != hometown for m in load_mapping())


def test_reapply_runs_in_the_background_and_can_be_cancelled(tab, changes, qtbot, monkeypatch):
    import threading

    import ui.mapping_tab as mapping_tab

    started = threading.Event()

    def slow_reapply(entries, now, *, progress=None, cancel=None, chunk=5000):
        progress(0, 10)
        started.set()
        assert cancel.wait(10)
        return 0

    monkeypatch.setattr(mapping_tab, "reapply_all", slow_reapply)
    drag_x_onto_member(tab, "location", "city")
    with qtbot.waitSignal(tab.reapply_finished, timeout=10_000) as blocker:
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        assert started.wait(5)
        qtbot.waitUntil(lambda: tab.progress.maximum() == 10)
        assert tab.progress.isVisible() and tab.cancel_button.isVisible() and tab.reapplying
        assert not tab.save_button.isEnabled()
        assert drag_x_onto_member(tab, "location", "country") == (True, True)  # the tab stays usable
        qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)

    assert blocker.args == [False]
    assert "stopped" in tab.message.text()
    assert not tab.progress.isVisible() and not tab.reapplying
    assert FieldMapping("location", "city", ALWAYS) in load_mapping()
    assert [c.mapping_changed for c in changes] == [True]
    qtbot.waitUntil(lambda: not tab.loading)
    assert source_shown(tab, "country") == "Location" and tab.unsaved.isVisible()  # unsaved edit survives
