"""The Members tab's kept reader thread: newest result only, and gone with the workspace."""

from __future__ import annotations

import threading

from PySide6.QtCore import QModelIndex

from ui.background import BackgroundQuery, ReaderThread
from ui.member_table_model import COL_NAME, MEMBER_ID_ROLE, WINDOW_ROWS
from ui.members_tab import MembersTab


def reader_threads(reader: ReaderThread) -> list[threading.Thread]:
    """This reader's live thread, if any (other tests' tabs may keep readers of their own)."""
    return [t for t in threading.enumerate() if t is reader._thread]


def test_only_the_newest_read_is_delivered_and_superseded_ones_are_skipped(db_path, qtbot):
    reader = ReaderThread("member-table")
    query = BackgroundQuery(reader=reader)
    ran, results = [], []
    query.finished.connect(results.append)
    gate = threading.Event()
    query.run(lambda: (gate.wait(5), ran.append(1))[1] or 1)
    query.run(lambda: ran.append(2) or 2)
    query.run(lambda: ran.append(3) or 3)
    gate.set()
    qtbot.waitUntil(lambda: not query.busy)
    assert results == [3] and 2 not in ran  # the middle one never ran: it was superseded before its turn
    thread = reader._thread
    reader.close()
    assert not reader.running and not thread.is_alive()


def test_the_reader_ends_with_the_workspace_and_comes_back_with_the_next(synced_context, qtbot):
    tab = MembersTab(synced_context)
    qtbot.addWidget(tab)
    tab.search.setText("a")
    qtbot.waitUntil(lambda: tab.model.query().search == "a" and not tab.model.busy)
    reader = tab.model._reader
    assert len(reader_threads(reader)) == 1

    # The search's members are kept for the next windows: every window, no member twice.
    while tab.model.canFetchMore(QModelIndex()):
        tab.model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not tab.model.busy)
    ids = [tab.model.index(r, COL_NAME).data(MEMBER_ID_ROLE) for r in range(tab.model.rowCount())]
    assert len(ids) == len(set(ids)) == tab.model.matching > WINDOW_ROWS

    synced_context.workspace_closing.emit()
    assert reader_threads(reader) == []
    synced_context.workspace_opened.emit()
    tab.search.setText("zS")
    qtbot.waitUntil(lambda: tab.model.query().search == "zS" and not tab.model.busy)
    assert tab.model.rowCount() == tab.model.matching > 0
    tab.close()
    assert reader_threads(reader) == []
