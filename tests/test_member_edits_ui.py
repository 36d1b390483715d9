"""Tags, notes, forgetting, merging and duplicates as a user meets them in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QDialog, QMessageBox

from ahoy_desktop import forget, merge, notes_tags
from ahoy_desktop.db.models import Identity, Member, SuppressedXUser
from ahoy_desktop.duplicates import is_dismissed
from ui.duplicates_dialog import COL_REASON, DuplicatesDialog
from ui.member_detail import NOTE_SAVE_DELAY_MS, ForgetDialog, MemberDetailPane
from ui.merge_dialog import OTHER_ID, MergeDialog


def person(clock, name: str, handle: str, **values) -> int:
    member = Member.create(name=name, x_handle=handle, first_seen_at=clock.now(), **values)
    Identity.create(member=member, x_user_id=f"x{member.id}", handle=handle, handle_lower=handle.lower(),
                    first_seen_at=clock.now())
    return member.id


@pytest.fixture
def pane(app_context, qtbot):
    widget = MemberDetailPane(app_context)
    qtbot.addWidget(widget)
    widget.resize(600, 800)
    widget.show()
    return widget


def test_tags_are_saved_tidied_and_shown_back(app_context, pane, qtbot):
    member_id = person(app_context.clock, "Ana", "ana")
    pane.show_member(member_id)
    pane.tabs.setCurrentIndex(1)
    editor = pane.tags_editor.edit
    editor.setFocus()
    qtbot.keyClicks(editor, " speaker,VIP , vip")
    with qtbot.waitSignal(app_context.changed) as changed:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert changed.args[0].members_updated == {member_id}
    assert notes_tags.tags_of(member_id) == ["speaker", "VIP"]
    assert editor.text() == "speaker, VIP"
    editor.setText("x" * 60)
    editor.setModified(True)
    editor.editingFinished.emit()
    assert pane.tags_editor.error.isVisible() and "at most 50" in pane.tags_editor.error.text()
    assert notes_tags.tags_of(member_id) == ["speaker", "VIP"]


def test_notes_are_saved_after_a_pause_and_when_leaving(app_context, pane, qtbot):
    first = person(app_context.clock, "Ana", "ana")
    second = person(app_context.clock, "Ben", "ben")
    pane.show_member(first)
    pane.notes_editor.setFocus()
    qtbot.keyClicks(pane.notes_editor, "Met at the meetup")
    assert notes_tags.note_of(first) == ""  # not at every key
    qtbot.waitUntil(lambda: notes_tags.note_of(first) == "Met at the meetup", timeout=NOTE_SAVE_DELAY_MS * 5)
    qtbot.keyClicks(pane.notes_editor, " ")  # saved without the space: the box keeps it
    qtbot.waitUntil(lambda: not pane.notes_editor.dirty, timeout=NOTE_SAVE_DELAY_MS * 5)
    qtbot.keyClicks(pane.notes_editor, ", likes tea")
    pane.show_member(second)  # before the pause is over
    assert notes_tags.note_of(first) == "Met at the meetup , likes tea"
    assert pane.notes_editor.toPlainText() == "" and notes_tags.note_of(second) == ""
    pane.show_member(first)
    assert pane.notes_editor.toPlainText() == "Met at the meetup , likes tea"


def test_forget_asks_plainly_then_offers_undo_until_closing(app_context, pane, qtbot, monkeypatch):
    member_id = person(app_context.clock, "Ana Silva", "ana")
    pane.show_member(member_id)
    dialog = ForgetDialog("Ana Silva", pane)
    text = dialog.text() + dialog.informativeText()
    for words in ("Forget Ana Silva?", "every activity", "notes", "X user id", "later syncs",
                  "backups are cleaned the same way", "files you exported before", "until you close",
                  "not into its backups"):
        assert words in text
    dialog.deleteLater()

    monkeypatch.setattr(ForgetDialog, "confirmed", lambda self: False)
    pane.forget_member()
    assert Member.select().where(Member.id == member_id).exists()

    monkeypatch.setattr(ForgetDialog, "confirmed", lambda self: True)
    with qtbot.waitSignal(app_context.changed, timeout=20_000) as changed:
        pane.forget_member()
        assert pane.member_id is None and pane.stack.currentWidget() is pane.placeholder
        assert not pane.forgotten_bar.isHidden() and "Forgetting Ana Silva" in pane.forgotten_bar.label.text()
        assert not pane.forget_button.isEnabled()
    assert changed.args[0].members_removed == {member_id}
    assert not Member.select().where(Member.id == member_id).exists()
    assert [s.x_user_id for s in SuppressedXUser.select()] == [f"x{member_id}"]
    qtbot.waitUntil(lambda: pane.forget_job is None, timeout=20_000)
    assert pane.forget_job is None and pane.forget_button.isEnabled()
    assert not pane.forgotten_bar.isHidden() and "Ana Silva was forgotten" in pane.forgotten_bar.label.text()
    actions = pane.forgotten_bar.undo_menu.actions()
    assert [a.text() for a in actions] == ["Bring back Ana Silva"]
    with qtbot.waitSignal(app_context.open_member_requested) as opened:
        actions[0].trigger()
    assert opened.args == [member_id]
    assert Member.get_by_id(member_id).name == "Ana Silva" and SuppressedXUser.select().count() == 0
    assert pane.forgotten_bar.isHidden()

    monkeypatch.setattr(ForgetDialog, "confirmed", lambda self: True)
    pane.show_member(member_id)
    pane.forget_member()
    app_context.workspace_closing.emit()  # waits for the forget, which holds a connection to the file
    assert pane.forget_job is None and not Member.select().where(Member.id == member_id).exists()
    assert pane.forgotten == [] and pane.forgotten_bar.isHidden()


def test_forget_runs_off_the_window_thread_and_shows_the_backups_being_cleaned(app_context, pane, qtbot,
                                                                              monkeypatch):
    from ahoy_desktop import backups

    member_id = person(app_context.clock, "Ana Silva", "ana")
    path = app_context.session.path
    copies = [backups.back_up_now(path, now=app_context.clock.now()) for _ in range(2)]
    threads, seen = [], []
    real = forget.forget_in_backups

    def watched(forgotten, progress=None):
        threads.append(QThread.currentThread())
        return real(forgotten, lambda done, total: (seen.append((done, total)), progress(done, total)))

    monkeypatch.setattr(forget, "forget_in_backups", watched)
    monkeypatch.setattr(ForgetDialog, "confirmed", lambda self: True)
    pane.show_member(member_id)
    with qtbot.waitSignal(pane.forget_finished, timeout=20_000):
        pane.forget_member()
    assert threads and threads[0] is not pane.thread()
    assert seen == [(1, 2), (2, 2)] and pane.forgotten_bar.progress.isHidden()
    for copy in copies:
        assert b"Ana Silva" not in copy.read_bytes()


def test_merge_dialog_picks_values_previews_and_merges(app_context, qtbot):
    clock = app_context.clock
    keep = person(clock, "Jane Doe", "janedoe", city=None, company="Acme")
    other = person(clock, "Jane D.", "jane_doe_86", city="Berlin", company="Acme Inc")
    dialog = MergeDialog(keep, other, clock)
    qtbot.addWidget(dialog)
    assert dialog.result_labels["city"].text() == "Berlin"  # the survivor has none
    assert dialog.result_labels["name"].text() == "Jane Doe"
    dialog.groups["name"].button(OTHER_ID).click()
    assert dialog.result_labels["name"].text() == "Jane D."
    dialog.swap()
    assert dialog.survivor_id == other and dialog.result_labels["name"].text() == "Jane D."
    dialog.swap()
    dialog.groups["name"].button(OTHER_ID).click()
    dialog.merge_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.changes.members_removed == {other}
    merged = Member.get_by_id(keep)
    assert (merged.name, merged.city, merged.company) == ("Jane D.", "Berlin", "Acme")
    assert not Member.select().where(Member.id == other).exists()
    assert [m.record_id for m in merge.merges_into(keep)] == [dialog.record_id]


def test_undo_merge_from_the_profile(app_context, pane, qtbot):
    clock = app_context.clock
    keep = person(clock, "Jane Doe", "janedoe")
    other = person(clock, "Jane D.", "jane_doe_86")
    merge.merge(keep, other, {}, clock.now())
    pane.show_member(keep)
    assert not pane.merge_box.isHidden() and "Jane D. was merged" in pane.merge_label.text()
    with qtbot.waitSignal(app_context.changed) as changed:
        pane.undo_merge_button.click()
    assert other in changed.args[0].members_added
    assert Member.get_by_id(other).name == "Jane D."
    assert pane.merge_box.isHidden()



def test_undo_merge_keeps_and_names_what_was_done_since(app_context, pane, qtbot, monkeypatch):
    clock = app_context.clock
    keep = person(clock, "Jane Doe", "janedoe")
    other = person(clock, "Jane D.", "jane_doe_86")
    merge.merge(keep, other, {}, clock.now())
    pane.show_member(keep)
    pane._save_tags("after the merge")
    pane._save("company", "Typed later")
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, title, text: told.append((title, text)))
    pane.undo_merge_button.click()
    assert notes_tags.tags_of(keep) == ["after the merge"] and Member.get_by_id(keep).company == "Typed later"
    assert told == [("Merge undone", "Both members are back. What you changed on Jane Doe since the merge was "
                                     "kept: Company, tags.")]


def test_duplicates_dialog_merges_and_dismisses(app_context, qtbot, monkeypatch):
    clock = app_context.clock
    a = person(clock, "Jane Doe", "janedoe", activity_count=5)
    b = person(clock, "jane doe", "JaneDoe86")
    c = person(clock, "Sam", "sam", website="https://sam.dev")
    d = person(clock, "S. Lee", "slee", website="sam.dev/about")
    dialog = DuplicatesDialog(app_context)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    reasons = {dialog.table.item(r, COL_REASON).text() for r in range(2)}
    assert reasons == {"Same name, similar handles", "Same website: sam.dev"}
    row = next(r for r in range(2) if dialog.table.item(r, COL_REASON).text().startswith("Same website"))
    dialog.table.selectRow(row)
    dialog.dismiss_button.click()
    assert is_dismissed(c, d) and dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    merge_dialog = dialog.open_merge(*dialog.selected_pair())
    assert (merge_dialog.survivor_id, merge_dialog.other_id) == (a, b)  # more activity stays
    merge_dialog.deleteLater()

    def accept(self):
        self.do_merge()
        return self.result()

    monkeypatch.setattr(MergeDialog, "exec", accept)
    with qtbot.waitSignal(app_context.changed):
        dialog.merge_button.click()
    assert not Member.select().where(Member.id == b).exists()
    assert dialog.table.rowCount() == 0 and dialog.summary.text() == "No likely duplicates."
    assert forget.suppressed_count() == 0


def test_custom_fields_are_shown_and_edited_by_hand_in_the_profile(app_context, pane, qtbot):
    from ahoy_desktop.custom_fields import create_custom_field
    from ahoy_desktop.db.models import MemberCustomValue
    from ahoy_desktop.mapping import FieldMapping, load_mapping, save_mapping

    now = app_context.clock.now()
    shirt = create_custom_field("Shirt size", "text", now)
    joined = create_custom_field("Joined", "date", now)
    vip = create_custom_field("VIP", "yes_no", now)
    save_mapping([*load_mapping(), FieldMapping("location", shirt.key)])
    member_id = person(app_context.clock, "Ana", "ana")
    Member.update(raw_x_user={"id": f"x{member_id}", "location": "Lisbon"}).where(Member.id == member_id).execute()
    MemberCustomValue.create(member=member_id, field_key=shirt.key, value="XL", source="manual", updated_at=now)
    pane.show_member(member_id)
    pane.tabs.setCurrentIndex(1)
    box = pane.custom_fields
    assert box.isVisibleTo(pane) and list(box.editors) == [joined.key, shirt.key, vip.key]  # by name
    shirt_editor, joined_editor, vip_editor = (box.editors[f.key] for f in (shirt, joined, vip))
    assert shirt_editor.label == "Shirt size" and shirt_editor.edit.text() == "XL"
    assert shirt_editor.tag.isVisibleTo(pane) and not joined_editor.tag.isVisibleTo(pane)

    joined_editor.edit.setFocus()
    qtbot.keyClicks(joined_editor.edit, "soon")
    qtbot.keyClick(joined_editor.edit, Qt.Key.Key_Return)
    assert joined_editor.error.isVisibleTo(pane)
    assert joined_editor.error.text() == "Joined must be a date, like 2026-12-03."
    joined_editor.edit.selectAll()
    qtbot.keyClicks(joined_editor.edit, "2026-11-30")
    with qtbot.waitSignal(app_context.changed) as changed:
        qtbot.keyClick(joined_editor.edit, Qt.Key.Key_Return)
    assert changed.args[0].members_updated == {member_id}
    stored = MemberCustomValue.get(MemberCustomValue.member == member_id, MemberCustomValue.field_key == joined.key)
    assert (stored.value, stored.source) == ("2026-11-30", "manual")
    assert joined_editor.tag.isVisibleTo(pane) and not joined_editor.error.isVisibleTo(pane)

    vip_editor.edit.setFocus()
    qtbot.keyClicks(vip_editor.edit, "Yes")
    qtbot.keyClick(vip_editor.edit, Qt.Key.Key_Return)
    assert MemberCustomValue.get(MemberCustomValue.field_key == vip.key).value == "true"
    assert vip_editor.edit.text() == "yes"

    assert shirt_editor.revert.toolTip() == "Go back to X's value: Lisbon"
    qtbot.mouseClick(shirt_editor.revert, Qt.MouseButton.LeftButton)
    stored = MemberCustomValue.get(MemberCustomValue.member == member_id, MemberCustomValue.field_key == shirt.key)
    assert (stored.value, stored.source) == ("Lisbon", "x")
    assert shirt_editor.edit.text() == "Lisbon" and not shirt_editor.tag.isVisibleTo(pane)
