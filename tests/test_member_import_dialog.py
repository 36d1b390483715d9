"""The Import members dialog: mapping, preview, the report of bad rows, and all-or-nothing writing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from ahoy_desktop.db.models import Identity, Member
from ahoy_desktop.member_io import import_plan as ip
from ui.member_import_dialog import COL_TARGET, MemberImportDialog

from .test_member_csv import BAD_FILE


@pytest.fixture
def dialog(app_context, qtbot):
    dialog = MemberImportDialog(app_context)
    qtbot.addWidget(dialog)
    yield dialog
    dialog.wait_idle()


def load(dialog, qtbot, path):
    with qtbot.waitSignal(dialog.plan_ready, timeout=20000):
        dialog.load_file(path)


def column_texts(table, column):
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_bad_rows_are_listed_and_cancel_imports_nothing(dialog, qtbot, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILE)
    load(dialog, qtbot, path)
    combo = dialog.mapping_table.cellWidget(2, COL_TARGET)
    assert combo.currentText() == "Followers"
    assert column_texts(dialog.problems, 0) == ["3", "4", "5", "6", "7", "8", "10"]
    reasons = column_texts(dialog.problems, 1)
    assert reasons[0] == "Followers: Followers must be a whole number, like 1200."
    assert reasons[1] == "The same person as row 2."
    assert reasons[3] == "The row has 3 cells; the header has 4."
    assert "rounded" in reasons[4] and "1.45679E+18" in reasons[4]
    assert column_texts(dialog.preview, 0) == ["2", "9"]
    assert column_texts(dialog.preview, 1) == ["Add a new member", "Add a new member"]
    assert dialog.import_button.text() == "Import 2 good rows" and dialog.import_button.isEnabled()

    dialog.cancel_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert Member.select().count() == 0


def test_import_writes_the_good_rows_and_tells_the_tabs(dialog, app_context, qtbot, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Name;Handle;Shoe size;Remarks\nAda;ada_l;38;keep\nBob;@bob_b;44;\n", encoding="utf-8")
    load(dialog, qtbot, path)
    assert dialog.mapping() == ["name", "x_handle", ip.IGNORE, ip.IGNORE]
    with qtbot.waitSignal(dialog.plan_ready, timeout=20000):
        dialog.set_target(2, ip.NEW_FIELD)
    assert dialog.preview.horizontalHeaderItem(4).text() == "New field “Shoe size”"
    with qtbot.waitSignal(app_context.changed, timeout=20000) as changed:
        dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    added = changed.args[0].members_added
    assert {Member.get_by_id(m).x_handle for m in added} == {"ada_l", "bob_b"}
    assert Identity.select().where(Identity.x_user_id.is_null(), Identity.handle_lower == "bob_b").count() == 1


def test_a_mapping_that_fills_a_field_twice_is_refused(dialog, qtbot, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("Name,Full name\nAda,Ada L\n", encoding="utf-8")
    load(dialog, qtbot, path)
    assert dialog.mapping() == ["name", ip.IGNORE]
    dialog.set_target(1, "name")  # refused at once, before any check runs
    assert "both fill the same field" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_a_file_that_is_not_csv_says_so(dialog, qtbot, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200))
    load(dialog, qtbot, path)
    assert "not a text file" in dialog.summary.text()
    assert dialog.file_info.text() == "The file could not be read."
    assert not dialog.import_button.isEnabled()


def test_a_file_bad_on_every_row_lists_the_first_problems_and_counts_the_rest(dialog, qtbot, tmp_path):
    path = tmp_path / "all-bad.csv"
    path.write_text("Name,Followers\n" + "".join(f"P{i},many\n" for i in range(1100)), encoding="utf-8")
    load(dialog, qtbot, path)
    assert dialog.problems.rowCount() == 1001
    assert dialog.problems.item(1000, 1).text() == "and 100 more rows that cannot be imported"
    assert dialog.import_button.text() == "Import 0 good rows" and not dialog.import_button.isEnabled()


def test_an_unclosed_quote_is_named_with_its_line(dialog, qtbot, tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('Name,Handle\nAda,ada_l\nBob,"bob_b\nCy,cy_c\n', encoding="utf-8")
    load(dialog, qtbot, path)
    assert column_texts(dialog.problems, 0) == ["3"]
    assert column_texts(dialog.problems, 1)[0].startswith("Unclosed quote starting on line 3")
    assert column_texts(dialog.preview, 0) == ["2", "4"]
