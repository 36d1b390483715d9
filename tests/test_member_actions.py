"""The Members menu: the view exported as shown, and merging two selected rows."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMainWindow

from ahoy_desktop.db.models import Identity, Member


@pytest.fixture
def members_window(qtbot, synced_context):
    from ui.member_actions import MemberActions
    from ui.members_tab import MembersTab

    window = QMainWindow()
    tab = MembersTab(synced_context)
    window.setCentralWidget(tab)
    actions = MemberActions(synced_context, tab, window)
    actions.build_menu(window.menuBar())
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    qtbot.waitUntil(lambda: not tab.model.busy)
    yield window, tab, actions
    actions.wait()


def test_export_writes_the_searched_view_with_its_columns(members_window, qtbot, tmp_path):
    window, tab, actions = members_window
    tab.search.setText("a")
    tab.model.set_search("a")
    qtbot.waitUntil(lambda: not tab.model.busy)
    expected = tab.model.matching
    assert 0 < expected < Member.select().count()
    path = tmp_path / "view.csv"

    job = actions.export("csv", str(path))
    with qtbot.waitSignal(job.finished_ok, timeout=20_000) as done:
        pass

    assert done.args[1] == expected
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    _query, columns = tab.current_view()
    assert "x_user_id" not in columns  # hidden in the table, written all the same
    assert len(rows) == expected + 1 and len(rows[0]) == len(columns) + 1
    assert rows[0][:3] == ["Name", "Handle", "X user id"]
    ids = {i.x_user_id for i in Identity.select()}
    assert all(row[2] in ids for row in rows[1:])


def test_excel_export_of_the_view(members_window, qtbot, tmp_path):
    _window, tab, actions = members_window
    path = tmp_path / "view.xlsx"

    job = actions.export("xlsx", str(path))
    qtbot.waitSignal(job.finished_ok, timeout=30_000).wait()

    sheet = load_workbook(path).active
    assert sheet.max_row == Member.select().count() + 1


def test_merge_is_offered_for_exactly_two_selected_rows(members_window, qtbot):
    _window, tab, actions = members_window
    selection = tab.table.selectionModel()
    selection.select(tab.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
    actions._update_enabled()
    assert not actions.merge_action.isEnabled()

    selection.select(tab.model.index(1, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    actions._update_enabled()

    assert actions.merge_action.isEnabled()
    assert actions.selected_member_ids() == [tab.model.member_id(0), tab.model.member_id(1)]
